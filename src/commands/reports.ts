import type { Contribution } from '../domain/contribution';
import { invalidInput, notAllowed } from '../domain/errors';
import type { Meeting } from '../domain/meeting';
import { can, type Actor } from '../domain/policy';
import { defaultPeriod, monthKeys, previousPeriod, type Period } from '../domain/period';
import { queryEvery, type Filter } from '../domain/ports';
import { countsOf, figuresFrom, meetingFigures, sumCounts, type Counts, type Figures } from '../domain/report';
import { parseReportFilter, type ReportFilter } from '../domain/report-filter';
import type { Workstream } from '../domain/workstream';
import { readCounts } from './counters';
import { listOverdue, type OverdueItem } from './overdue';
import { actorFor, type Caller, type Deps } from './deps';
import { workstreamsOf } from './roles-of';
import { confirmedProgrammePriorities } from './programme-priorities';
import { areasOfPriority } from '../domain/programme-priority';

/** What a report covers once permissions are applied. `workstreamIds: 'all'` is the programme-wide view. */
export interface ReportScope {
  actor: Actor;
  filter: ReportFilter;
  workstreamIds: string[] | 'all';
  label: string;
  all: Workstream[];
}

/**
 * Reads the filter and checks it against the policy: the programme team sees
 * everything, a chair only the workstreams they chair (naming another is
 * refused, not quietly narrowed), anyone else nothing.
 */
export async function reportScope(deps: Deps, caller: Caller, text: string, action: 'view_report' | 'export' = 'view_report'): Promise<ReportScope> {
  const actor = await actorFor(deps, caller);
  const all = await workstreamsOf(deps, caller.tenantId);
  const allowed = (w: Workstream) => can(actor, action, actor.programme ? { type: 'programme' } : { type: 'workstream', workstream: w });
  const visible = all.filter(allowed);
  if (action === 'export' && !actor.programme) throw notAllowed('Exports are for the programme team.');
  if (!actor.programme && visible.length === 0) throw notAllowed('Reports are for the programme team and workstream chairs. Type "my contributions" to see what was recorded from you.');
  const priorities = (await confirmedProgrammePriorities(deps, caller.tenantId)).map((p) => ({ title: p.title, areaIds: areasOfPriority(p, all) }));
  const filter = parseReportFilter(text, all, deps.clock.now(), deps.settings.timeZone, priorities);
  for (const w of filter.workstreams) {
    if (!allowed(w)) throw notAllowed(`Only the programme team and the chairs of ${w.name} can see its report.`);
  }
  let workstreams = filter.workstreams.length ? filter.workstreams : visible;
  if (filter.areaIds.length) {
    workstreams = workstreams.filter((w) => w.priorityAreas.some((p) => filter.areaIds.includes(p.id)));
    if (workstreams.length === 0 && actor.programme && filter.programmePriority) throw invalidInput(`No priority area of ${filter.workstreams.map((w) => w.name).join(', ')} serves the programme priority "${filter.programmePriority}".`);
    if (workstreams.length === 0) throw notAllowed(`You can only see reports for the workstreams you chair, and ${filter.programmePriority ? `no priority area of theirs serves "${filter.programmePriority}"` : `"${filter.areaName}" is not one of their priority areas`}.`);
    filter.areaIds = filter.areaIds.filter((id) => workstreams.some((w) => w.priorityAreas.some((p) => p.id === id)));
  }
  const everything = actor.programme && !filter.workstreams.length && !filter.areaIds.length;
  const names = workstreams.map((w) => w.name).join(', ');
  const label = (everything ? 'All workstreams' : names) + (filter.areaName ? `, priority area ${filter.areaName}` : '') + (filter.programmePriority ? `, programme priority ${filter.programmePriority}` : '');
  return { actor, filter, workstreamIds: everything ? 'all' : workstreams.map((w) => w.id), label, all };
}

/** Contributions whose meeting falls in the period, for the scope; used when the counters cannot answer (a priority area, part of a month). */
export async function contributionsIn(deps: Deps, tenantId: string, scope: Pick<ReportScope, 'workstreamIds' | 'filter'>, period?: Period): Promise<Contribution[]> {
  const range: Filter[] = period ? [{ field: 'meetingDate', op: '>=', value: period.from.toISOString() }, { field: 'meetingDate', op: '<', value: period.to.toISOString() }] : [];
  const lists: Filter[][] = scope.filter.areaIds.length
    ? scope.filter.areaIds.map((a) => [{ field: 'priorityAreaIds', op: 'contains', value: a }])
    : scope.workstreamIds === 'all'
      ? [[{ field: 'type', op: '=', value: 'contribution' }]]
      : scope.workstreamIds.map((w) => [{ field: 'workstreamId', op: '=', value: w }]);
  const byId = new Map<string, Contribution>();
  for (const filters of lists) for (const c of await queryEvery(deps.stores.contributions, tenantId, [...filters, ...range])) byId.set(c.id, c);
  const inScope = (c: Contribution) => scope.workstreamIds === 'all' || scope.workstreamIds.includes(c.workstreamId);
  return [...byId.values()].filter(inScope);
}

async function countsFor(deps: Deps, tenantId: string, scope: ReportScope, period: Period): Promise<Counts> {
  if (!scope.filter.areaIds.length && period.months) return readCounts(deps, tenantId, scope.workstreamIds, monthKeys(period, deps.settings.timeZone));
  const tz = deps.settings.timeZone;
  return sumCounts((await contributionsIn(deps, tenantId, scope, period)).map((c) => countsOf(c, tz)));
}

/** Meetings are few (a handful per workstream a month), so they are read rather than counted. */
export async function meetingsIn(deps: Deps, tenantId: string, workstreamIds: string[] | 'all', period: Period): Promise<Meeting[]> {
  const range: Filter[] = [{ field: 'startedAt', op: '>=', value: period.from.toISOString() }, { field: 'startedAt', op: '<', value: period.to.toISOString() }];
  if (workstreamIds === 'all') return queryEvery(deps.stores.meetings, tenantId, [{ field: 'workstreamId', op: 'defined' }, ...range]);
  const out: Meeting[] = [];
  for (const w of workstreamIds) out.push(...(await queryEvery(deps.stores.meetings, tenantId, [{ field: 'workstreamId', op: '=', value: w }, ...range])));
  return out;
}

export interface Report {
  scope: string;
  period: Period;
  previous: Period;
  current: Figures;
  before: Figures;
  /** Names of the priority areas that appear in either period. */
  areaNames: Record<string, string>;
  scopeOf: ReportScope;
}

/** `report <filters>`: every figure for the period and for the period of the same length before it. */
export async function buildReport(deps: Deps, caller: Caller, text: string): Promise<Report> {
  const scope = await reportScope(deps, caller, text);
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const period = scope.filter.period ?? defaultPeriod(now, tz);
  const previous = previousPeriod(period, tz);
  const figures = async (p: Period) =>
    figuresFrom(await countsFor(deps, caller.tenantId, scope, p), meetingFigures(await meetingsIn(deps, caller.tenantId, scope.workstreamIds, p), now));
  const [current, before] = [await figures(period), await figures(previous)];
  // Areas are per workstream, so two can share a name; the workstream tells them apart.
  const areas = scope.all.flatMap((w) => w.priorityAreas.map((a) => ({ ...a, ws: w.name })));
  const shared = (name: string) => areas.filter((a) => a.name.toLowerCase() === name.toLowerCase()).length > 1;
  const areaNames = Object.fromEntries(areas.map((a) => [a.id, shared(a.name) ? `${a.name} (${a.ws})` : a.name]));
  return { scope: scope.label, period, previous, current, before, areaNames, scopeOf: scope };
}

/** The overdue items behind a report's "overdue now" figure, as this person may see them: the detail sent 1:1. */
export async function overdueInReport(deps: Deps, caller: Caller, report: Report): Promise<OverdueItem[]> {
  const { workstreamIds, filter } = report.scopeOf;
  const [from, to] = [report.period.from.toISOString(), report.period.to.toISOString()];
  return (await listOverdue(deps, caller)).filter(
    ({ entry: c }) =>
      (workstreamIds === 'all' || workstreamIds.includes(c.workstreamId)) &&
      (!filter.areaIds.length || c.priorityAreaIds.some((a) => filter.areaIds.includes(a))) &&
      c.meetingDate >= from && c.meetingDate < to,
  );
}
