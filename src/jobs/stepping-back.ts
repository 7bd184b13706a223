import { add } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import type { Deps } from '../commands/deps';
import { audit, getProgramme } from '../commands/deps';
import { namesFor } from '../commands/names';
import { programmeTeam } from '../commands/programme-team';
import { programmeDuration } from '../domain/claim';
import { formatDay } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import { queryEvery, updateWithRetry, type Recipient } from '../domain/ports';
import { lastAttended, shouldTellSteppingBack, type Involvement } from '../domain/stepping-back';
import type { Workstream } from '../domain/workstream';
import { noticeCard } from '../presenters/setup';
import { plain } from '../presenters/render-card';
import { scopeOf } from '../domain/programme-stores';
import type { JobHandler } from './job-handler';
import { scheduleJob } from './schedule';

const dayOf = (at: Date, tz: string) => formatInTimeZone(at, tz, 'yyyy-MM-dd');

/** When the absence being told about started: the later of the last meeting attended and when they joined (or resumed). */
const absenceFrom = (lxpId: string, wsIds: string[], meetings: Meeting[], inv: Involvement) => [lastAttended(lxpId, wsIds, meetings), inv.since].filter((x): x is string => !!x).sort().at(-1)!;

/**
 * One LXP: tell the team if they have been away long enough. The notices are queued first, under a key made of the
 * absence's start (queuing them again is a no-op), then the person is stamped with the etag: a second run, or a run
 * cut short after queuing, tells nobody twice.
 */
async function lookAt(deps: Deps, tenantId: string, lxpId: string, workstreams: Workstream[], meetings: Meeting[], after: string, at: Date): Promise<void> {
  const person = await deps.stores.people.get(tenantId, lxpId);
  if (!person) return;
  const wsIds = workstreams.filter((w) => w.lxpIds.includes(lxpId)).map((w) => w.id);
  const inv: Involvement = person.involvement ?? { since: person.createdAt };
  const duration = programmeDuration(after, 'how long an LXP may be away');
  if (!shouldTellSteppingBack(lxpId, wsIds, meetings, inv, duration, at, deps.settings.timeZone)) return;
  const from = absenceFrom(lxpId, wsIds, meetings, inv);
  const team = (await programmeTeam(deps, tenantId)).filter((r) => r.key !== lxpId);
  for (const r of team) {
    await scheduleJob(deps, { tenantId, kind: 'stepping_back_notice', subjectId: lxpId, key: `${scopeOf(deps.stores)?.programmeId ?? ''}:${from}:${r.key}`, runAt: at, payload: { to: r.to, from } });
  }
  const r = await updateWithRetry(deps.stores.people, tenantId, lxpId, (p) => {
    const fresh: Involvement = p.involvement ?? { since: p.createdAt };
    if (!shouldTellSteppingBack(lxpId, wsIds, meetings, fresh, duration, at, deps.settings.timeZone)) return undefined;
    return { ...p, involvement: { ...fresh, steppingBackToldAt: at.toISOString() } };
  });
  if (r && r.before !== r.after) await audit(deps, tenantId, 'system', 'person.stepping_back_told', { subjectType: 'person', subjectId: lxpId }, { from, workstreamIds: wsIds });
}

/**
 * The daily look, per programme, for LXPs who have attended no meeting of their workstreams for the programme's
 * `steppingBackAfter`. Nothing to send itself: it queues a private notice to each of the programme team, then
 * tomorrow's look. Stops when the programme no longer asks for it (setup starts it again).
 */
export const steppingBackHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const after = (await getProgramme(deps, job.tenantId))?.payment?.steppingBackAfter;
    if (!after) return undefined;
    const tz = deps.settings.timeZone;
    await scheduleJob(deps, { tenantId: job.tenantId, kind: 'stepping_back', subjectId: job.subjectId, key: dayOf(add(scheduledAt, { days: 1 }), tz), runAt: add(scheduledAt, { days: 1 }) });
    const workstreams = ((await queryEvery(deps.stores.workstreams, job.tenantId, [{ field: 'type', op: '=', value: 'workstream' }])) as Workstream[]);
    const meetings = (await queryEvery(deps.stores.meetings, job.tenantId, [{ field: 'workstreamId', op: 'defined' }])) as Meeting[];
    for (const lxpId of new Set(workstreams.flatMap((w) => w.lxpIds))) await lookAt(deps, job.tenantId, lxpId, workstreams, meetings, after, scheduledAt);
    deps.queue.runSoon();
    return undefined;
  },
};

/** To one of the programme team, privately: built when sent, so a pause or a meeting attended in between sends nothing. */
export const steppingBackNoticeHandler: JobHandler = {
  recipient(job) {
    return job.payload.to as Recipient;
  },
  async plan(deps, job) {
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    const from = String(job.payload.from ?? '');
    if (!person || person.involvement?.paused) return undefined;
    const workstreams = ((await queryEvery(deps.stores.workstreams, job.tenantId, [{ field: 'lxpIds', op: 'contains', value: person.id }])) as Workstream[]).filter((w) => w.type === 'workstream');
    const meetings = (await queryEvery(deps.stores.meetings, job.tenantId, [{ field: 'workstreamId', op: 'defined' }])) as Meeting[];
    const last = lastAttended(person.id, workstreams.map((w) => w.id), meetings);
    // They came back to a meeting since the look: nothing to tell.
    if (!workstreams.length || (last && last > from)) return undefined;
    const names = await namesFor(deps, job.tenantId, [person.id]);
    const tz = deps.settings.timeZone;
    const since = last ? `the meeting of ${formatDay(last, tz)}` : `they joined on ${formatDay(from, tz)}`;
    const text = `${plain(names(person.id))} has not attended a meeting of ${workstreams.map((w) => plain(w.name)).join(', ')} since ${since}, and meetings have gone on. Only the programme team is told, and only once for this absence. Someone may want to check in with them, gently and privately.`;
    return { to: job.payload.to as Recipient, message: { card: noticeCard('An LXP may be stepping back', text), summary: 'An LXP may be stepping back' } };
  },
};
