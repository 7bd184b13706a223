import { differenceInCalendarDays } from 'date-fns';
import { DomainError, notAllowed } from '../domain/errors';
import { localDate } from '../domain/follow-up';
import { can } from '../domain/policy';
import { queryEvery } from '../domain/ports';
import { OVERDUE_SHOWN } from '../domain/report';
import type { Names } from '../domain/person';
import { overdueIndex } from './counters';
import type { NewJob } from '../domain/ports';
import { nudgeCardData } from '../presenters/overdue';
import { getContribution } from './contributions';
import { actorFor, audit, type Caller, type Deps } from './deps';
import { namesFor } from './names';
import { workstreamsOf } from './roles-of';
import { getWorkstream } from './setup';
import type { OverdueItem, ShownOverdue } from './overdue-items';

export type { OverdueItem, ShownOverdue };

export const daysBetween = (from: string | Date, to: Date, timeZone: string) =>
  differenceInCalendarDays(new Date(`${localDate(to, timeZone)}T00:00:00Z`), new Date(`${localDate(from, timeZone)}T00:00:00Z`));

/**
 * `overdue`: what this person may see of the overdue list (the policy's
 * view_overdue: the programme team everything, chairs their workstreams,
 * owners their own), most overdue first. Read from the overdue index kept
 * beside the counters, so it costs the open items, not every contribution.
 */
export async function listOverdue(deps: Deps, caller: Caller): Promise<OverdueItem[]> {
  const actor = await actorFor(deps, caller);
  const byId = new Map((await workstreamsOf(deps, caller.tenantId)).map((w) => [w.id, w]));
  const now = deps.clock.now();
  const found: OverdueItem[] = [];
  for (const entry of await queryEvery(overdueIndex(deps), caller.tenantId, [{ field: 'type', op: '=', value: 'overdue' }, { field: 'cleared', op: 'undefined' }])) {
    const workstream = byId.get(entry.workstreamId);
    if (!workstream || !can(actor, 'view_overdue', { type: 'contribution', contribution: entry, workstream })) continue;
    const canNudge = entry.ownerId !== caller.id && can(actor, 'view_report', { type: 'workstream', workstream });
    found.push({ entry, workstream, daysOverdue: Math.max(0, daysBetween(entry.dueAt, now, deps.settings.timeZone)), canNudge });
  }
  return found.sort((a, b) => b.daysOverdue - a.daysOverdue || a.entry.dueAt.localeCompare(b.entry.dueAt) || a.entry.contributionId.localeCompare(b.entry.contributionId));
}

/**
 * The items a card shows (the first OVERDUE_SHOWN), each with its
 * contribution read. One that has just changed (an outcome recorded, a
 * withdrawal) is left out rather than shown as it was.
 */
export async function loadShown(deps: Deps, tenantId: string, items: OverdueItem[]): Promise<ShownOverdue[]> {
  const shown = items.slice(0, OVERDUE_SHOWN);
  // Point reads, not getMany: a query by id is cheap in Cosmos DB but scans the whole container on the embedded
  // store, and the report turn otherwise never touches the contributions container.
  const contributions = await Promise.all(shown.map((i) => deps.stores.contributions.get(tenantId, i.entry.contributionId)));
  return shown.flatMap((item, n) => {
    const c = contributions[n];
    return c && (c.status === 'overdue' || c.status === 'escalated') ? [{ ...item, contribution: c }] : [];
  });
}

/** What an overdue card needs beyond the list: the items it shows, in full, and the names in them. */
export async function overdueDetail(deps: Deps, tenantId: string, items: OverdueItem[]): Promise<{ shown: ShownOverdue[]; names: Names }> {
  const shown = await loadShown(deps, tenantId, items);
  return { shown, names: await namesFor(deps, tenantId, shown.flatMap((i) => [i.contribution.ownerId, ...i.contribution.lxpIds])) };
}

const NUDGEABLE = ['awaiting_outcome', 'overdue', 'escalated'];

/**
 * Nudges the owner of an open contribution through a 'notify' job, so the
 * scheduler's rate limits and once-only sending apply. One nudge per
 * contribution per day: the job id includes the local date.
 */
export async function nudgeOwner(deps: Deps, caller: Caller, contributionId: string): Promise<{ ownerName: string; alreadyNudged: boolean }> {
  const c = await getContribution(deps, caller.tenantId, contributionId);
  const workstream = await getWorkstream(deps, caller.tenantId, c.workstreamId);
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'view_report', { type: 'workstream', workstream })) throw notAllowed(`Only the programme team and the chairs of ${workstream.name} can nudge owners.`);
  if (!NUDGEABLE.includes(c.status)) throw new DomainError('already_done', 'An outcome has already been recorded for this contribution, so there is nothing to nudge about.');
  const now = deps.clock.now();
  const tz = deps.settings.timeZone;
  const names = await namesFor(deps, caller.tenantId, [c.ownerId, caller.id]);
  // The job holds the message, so it carries no words: a later withdrawal or "forget me" could not reach them there.
  const data = nudgeCardData({ contribution: c, workstream, from: names(caller.id), daysOverdue: Math.max(0, daysBetween(c.dueAt, now, tz)), timeZone: tz });
  const newJob: NewJob = {
    tenantId: caller.tenantId,
    kind: 'notify',
    subjectId: c.id,
    key: `nudge:${c.id}:${localDate(now, tz)}`,
    runAt: now,
    payload: { to: { kind: 'person', personId: c.ownerId }, template: 'nudge', data, summary: `A nudge about overdue feedback from ${names(caller.id)}` },
  };
  const alreadyNudged = await deps.queue.has(newJob);
  await deps.queue.add(newJob);
  if (!alreadyNudged) {
    await audit(deps, caller.tenantId, caller.id, 'contribution.nudged', { subjectType: 'contribution', subjectId: c.id }, { ownerId: c.ownerId });
    deps.queue.runSoon();
  }
  return { ownerName: names(c.ownerId), alreadyNudged };
}
