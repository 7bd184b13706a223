import type { Contribution, ContributionEvent } from '../domain/contribution';
import { getMany, queryEvery, type Recipient } from '../domain/ports';
import { shownIdOf, type ShownMessage, type Shows } from '../domain/shown';
import type { Deps } from './deps';

/**
 * Changes that alter what a message showing the contribution says. An outcome or a reminder does not change
 * the words, the name or who may read them, so it leaves posted messages alone.
 */
const SHOWN_CHANGES: ReadonlySet<ContributionEvent['type']> = new Set(['confirm', 'correct', 'anonymise', 'name', 'withdraw', 'restrict', 'lift_restriction', 'forget']);

/** Whether messages that show a contribution must be drawn again after this change. */
export const showsChange = (event: string): boolean => SHOWN_CHANGES.has(event as ContributionEvent['type']);

/**
 * Remembers that a message now shows these contributions, once Teams has given it an id. The same message shown
 * again (a card replaced in place) keeps one record, now saying what it shows today.
 */
export async function rememberShown(deps: Pick<Deps, 'stores' | 'clock'>, tenantId: string, to: Recipient, activityId: string | undefined, shows: Shows): Promise<void> {
  if (!activityId) return;
  const doc: ShownMessage = {
    id: shownIdOf(to, activityId),
    tenantId,
    type: 'shown',
    to,
    activityId,
    view: shows.view,
    contributionIds: [...new Set(shows.contributionIds)],
    postedAt: deps.clock.now().toISOString(),
  };
  await deps.stores.shown.upsert(doc);
}

/**
 * After a change people should see, one update job per message that shows the contribution. The job's id is
 * the message and the change (the history's length), so queuing it again, after a crash or a retried answer,
 * makes one job; the job draws the message from the record as it is when it runs, so a later change is never
 * overwritten by an earlier one. Each goes through the scheduler and the sender's limiter like any message.
 */
export async function queueRefreshes(deps: Deps, event: ContributionEvent['type'], after: Contribution, version = after.history.length): Promise<number> {
  if (!showsChange(event)) return 0;
  return queueRefreshesOf(deps, after.tenantId, after.id, version);
}

/** One refresh job per live message that shows this record (a contribution, a proposal, an agenda item), for this version of it. */
export async function queueRefreshesOf(deps: Deps, tenantId: string, id: string, version: number): Promise<number> {
  const live = (await queryEvery(deps.stores.shown, tenantId, [{ field: 'contributionIds', op: 'contains', value: id }])).filter((m) => !m.gone);
  for (const m of live) {
    await deps.queue.add({ tenantId, kind: 'refresh_message', subjectId: m.id, key: `${id}:${version}`, runAt: deps.clock.now(), payload: { shownId: m.id } });
  }
  if (live.length) deps.queue.runSoon();
  return live.length;
}

/**
 * Log cards list a workstream's LXPs by name to choose from, and the chair's end-of-meeting card lists them with
 * their attendance. When someone is forgotten they leave the roster, so every such card of that workstream's
 * meetings is drawn again, whether or not it showed anything they said.
 * Reads the tenant's message records once: "forget me" is rare, and the records are small.
 */
export async function queueRosterRefreshes(deps: Deps, tenantId: string, workstreamIds: string[], key: string): Promise<number> {
  if (!workstreamIds.length) return 0;
  const logCards = (await queryEvery(deps.stores.shown, tenantId, [])).filter((m) => (m.view.card === 'log' || m.view.card === 'meeting_closed') && !m.gone);
  const meetings = await getMany(deps.stores.meetings, tenantId, logCards.map((m) => (m.view as { meetingId: string }).meetingId));
  const affected = logCards.filter((m) => workstreamIds.includes(meetings.get((m.view as { meetingId: string }).meetingId)?.workstreamId ?? ''));
  for (const m of affected) {
    await deps.queue.add({ tenantId, kind: 'refresh_message', subjectId: m.id, key, runAt: deps.clock.now(), payload: { shownId: m.id } });
  }
  if (affected.length) deps.queue.runSoon();
  return affected.length;
}
