import { ANSWER_LABEL, KIND_LABEL, OUTCOME_LABEL, STATUS_LABEL, type Contribution } from '../domain/contribution';
import { toCsv } from '../domain/csv';
import { localDate } from '../domain/follow-up';
import { daysToWeDid } from '../domain/report';
import type { Caller, Deps } from './deps';
import { namesFor } from './names';
import { contributionsIn, reportScope } from './reports';
import { notQuotable } from './quoting';

export const RESTRICTED_CELL = '[personal story, restricted]';
export const ANONYMOUS_CELL = 'Anonymous';
export const NOT_QUOTED_CELL = '[not quoted: the LXP chose not to be quoted in reports]';

export const EXPORT_HEADER = [
  'Contribution', 'Workstream', 'Meeting', 'Meeting date', 'Who said it', 'Kind', 'Priority areas', 'What was said', 'Personal story (restricted)',
  'Owner', 'Feedback due', 'Where it stands', 'Outcome', 'What we did', 'Reason', 'Decided on', 'Days from meeting to we did', 'LXP answers',
];

export interface ExportFile {
  filename: string;
  csv: string;
  rows: number;
  label: string;
}

/**
 * `export <filters>` (programme team): one row per contribution, withdrawn
 * ones left out entirely, restricted words replaced, anonymous ones left
 * anonymous even for the programme team, since a spreadsheet travels, and
 * the words of LXPs who did not agree to be quoted left out (the row stays).
 * Without a period, everything.
 */
export async function exportContributions(deps: Deps, caller: Caller, text: string): Promise<ExportFile> {
  const scope = await reportScope(deps, caller, text, 'export');
  const tz = deps.settings.timeZone;
  const live = (await contributionsIn(deps, caller.tenantId, scope, scope.filter.period))
    .filter((c) => c.status !== 'withdrawn')
    .sort((a, b) => a.meetingDate.localeCompare(b.meetingDate) || a.recordedAt.localeCompare(b.recordedAt));
  const unquoted = await notQuotable(deps, caller.tenantId, live);
  const names = await namesFor(deps, caller.tenantId, live.flatMap((c) => [...(c.anonymous ? [] : c.lxpIds), c.ownerId]));
  const wsName = new Map(scope.all.map((w) => [w.id, w.name]));
  const areaName = new Map(scope.all.flatMap((w) => w.priorityAreas.map((p) => [p.id, p.name] as const)));
  const day = (iso?: string) => (iso ? localDate(iso, tz) : '');
  const row = (c: Contribution) => {
    const o = c.outcomes[c.outcomes.length - 1];
    const answers = [...new Map(c.answers.map((a) => [a.by, a.answer])).values()].map((a) => ANSWER_LABEL[a]);
    return [
      c.id, wsName.get(c.workstreamId) ?? '', c.meetingTitle, day(c.meetingDate),
      c.anonymous ? ANONYMOUS_CELL : c.lxpIds.map(names).join(' and '),
      KIND_LABEL[c.kind], c.priorityAreaIds.map((a) => areaName.get(a) ?? 'a removed priority area').join('; '),
      c.restricted ? RESTRICTED_CELL : unquoted.has(c.id) ? NOT_QUOTED_CELL : c.words, c.restricted ? 'yes' : 'no',
      names(c.ownerId), day(c.dueAt), STATUS_LABEL[c.status],
      o ? OUTCOME_LABEL[o.status] : '', o?.whatWeDid ?? '', o?.reason ?? '', day(o?.decidedAt), daysToWeDid(c, tz) ?? '', answers.join('; '),
    ];
  };
  const slug = scope.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'all';
  const label = `${scope.label}${scope.filter.period ? `, ${scope.filter.period.label}` : ', all time'}`;
  return { filename: `golden-thread-${slug}-${localDate(deps.clock.now(), tz)}.csv`, csv: toCsv(EXPORT_HEADER, live.map(row)), rows: live.length, label };
}
