import { getProgramme, type Deps } from '../commands/deps';
import { queryEvery, updateWithRetry, type UnreachableError } from '../domain/ports';
import type { Person } from '../domain/person';
import { plain } from '../presenters/render-card';
import { scheduleJob, trackedJobs, type TrackedJob } from './schedule';

/** What the programme team reads: why the person could not be reached, in their words, not Teams' error codes. */
const WHY: Record<UnreachableError['reason'], string> = {
  blocked: 'They have blocked the Golden Thread chat in Teams.',
  not_installed: 'Golden Thread is not installed for them in Teams.',
  forbidden: 'Teams would not deliver the message. The app may be switched off for them by an administrator.',
  no_conversation: 'Golden Thread has not been able to start a chat with them in Teams yet.',
};

export function whyUnreachable(reason: string): string {
  return WHY[reason as UnreachableError['reason']] ?? WHY.forbidden;
}

/**
 * Marks the person unreachable and, only when that is news, asks a 'notify'
 * job to each programme member. Several jobs failing for one person at once
 * produce one notice, because only one of them changes the record.
 */
export async function markUnreachable(deps: Deps, tenantId: string, personId: string, reason: string, scheduledAt: Date): Promise<{ noticesTo: string[] }> {
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.people, tenantId, personId, (p): Person | undefined =>
    p.reachability?.status === 'unreachable' ? undefined : { ...p, reachability: { status: 'unreachable', reason, at }, updatedAt: at },
  );
  if (r && r.before === r.after) return { noticesTo: [] };
  const programme = await getProgramme(deps, tenantId);
  const name = r?.after.name || 'Someone';
  const noticesTo = (programme?.memberIds ?? []).filter((m) => m !== personId);
  for (const memberId of noticesTo) {
    await scheduleJob(deps, {
      tenantId,
      kind: 'notify',
      subjectId: personId,
      runAt: scheduledAt,
      key: `unreachable:${memberId}:${r ? at : reason}`,
      payload: {
        to: { kind: 'person', personId: memberId },
        template: 'unreachable-notice',
        summary: `Golden Thread could not reach ${plain(name)}`,
        data: { name: plain(name), why: whyUnreachable(reason) },
      },
    });
  }
  if (noticesTo.length) deps.queue.runSoon();
  return { noticesTo };
}

/** When a person can be reached again (they wrote to the bot, or installed it): their held messages go out on the next tick. */
export async function releaseHeldJobs(deps: Deps, tenantId: string, personId: string): Promise<number> {
  const at = deps.clock.now().toISOString();
  await updateWithRetry(deps.stores.people, tenantId, personId, (p): Person | undefined =>
    p.reachability?.status === 'reachable' ? undefined : { ...p, reachability: { status: 'reachable', at }, updatedAt: at },
  );
  const jobs = trackedJobs(deps);
  const held = await queryEvery(jobs, tenantId, [
    { field: 'status', op: '=', value: 'held' },
    { field: 'heldFor.personId', op: '=', value: personId },
  ]);
  let released = 0;
  for (const job of held) {
    const r = await updateWithRetry(jobs, tenantId, job.id, (j): TrackedJob | undefined => (j.status === 'held' ? { ...j, status: 'pending', heldFor: undefined } : undefined));
    if (r && r.before !== r.after) released++;
  }
  if (released) deps.queue.runSoon();
  return released;
}
