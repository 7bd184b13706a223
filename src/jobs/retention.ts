import { add, sub } from 'date-fns';
import type { Deps } from '../commands/deps';
import { eraseWordsFromAudit } from '../commands/contributions';
import { reconcileOverdueIndex } from '../commands/counters';
import { deleteExpiredProposals } from '../commands/proposals';
import { sweepPending } from '../commands/outbox';
import { sweepSetupPending } from '../commands/setup';
import { queryEvery, WriteConflict } from '../domain/ports';
import type { JobHandler, NewJob } from './job-handler';
import { scheduleJob } from './schedule';

export const RETENTION_ACTOR = 'retention';
/** Quiet hours for Teams, so the sweep's store traffic stays out of the working day. */
const SWEEP_TIME = 'T03:00:00.000Z';

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * One sweep per tenant per day. The id holds the tenant (the embedded store
 * keeps ids unique across partitions) and the day, so scheduling it from
 * several places, or twice, makes one job.
 */
export function sweepJob(tenantId: string, day: string): NewJob {
  return { tenantId, kind: 'retention', subjectId: `sweep-${tenantId}`, key: day, runAt: new Date(`${day}${SWEEP_TIME}`) };
}

export async function ensureRetentionSweep(deps: Deps, tenantId: string): Promise<void> {
  await scheduleJob(deps, sweepJob(tenantId, dayOf(deps.clock.now())));
}

/**
 * Deletes one contribution whose retention ran out, and its jobs. Words kept
 * in the audit for a correction are erased first; the audit then records the
 * deletion (without words, under a fixed id so a second run adds nothing),
 * and the contribution goes last, so a run cut short is finished by the next.
 */
async function deleteContribution(deps: Deps, tenantId: string, id: string, cutoff: Date): Promise<boolean> {
  const c = await deps.stores.contributions.get(tenantId, id);
  if (!c || (c.status !== 'closed' && c.status !== 'withdrawn') || !c.closedAt || new Date(c.closedAt) > cutoff) return false;
  await eraseWordsFromAudit(deps, tenantId, id);
  try {
    await deps.stores.audit.create({
      id: `retention-${id}`,
      tenantId,
      type: 'audit',
      at: deps.clock.now().toISOString(),
      actorId: RETENTION_ACTOR,
      action: 'contribution.deleted_by_retention',
      subjectType: 'contribution',
      subjectId: id,
      detail: { workstreamId: c.workstreamId, meetingId: c.meetingId, kind: c.kind, closedAt: c.closedAt },
    });
  } catch (err) {
    if (!(err instanceof WriteConflict)) throw err;
  }
  for (const job of await queryEvery(deps.stores.jobs, tenantId, [{ field: 'subjectId', op: '=', value: id }])) await deps.stores.jobs.delete(tenantId, job.id);
  await deps.stores.contributions.delete(tenantId, id);
  return true;
}

/** Closed or withdrawn contributions whose RETENTION has passed at `at`; Cosmos TTL is not used because the embedded store ignores it. */
export async function deleteExpired(deps: Deps, tenantId: string, at: Date): Promise<number> {
  const cutoff = sub(at, deps.settings.retention);
  // Withdrawn contributions close too (their words are already gone); the audit keeps the fact.
  const due = await queryEvery(deps.stores.contributions, tenantId, [{ field: 'closedAt', op: '<=', value: cutoff.toISOString() }]);
  let deleted = 0;
  for (const c of due) if (await deleteContribution(deps, tenantId, c.id, cutoff)) deleted++;
  return deleted;
}

/**
 * The daily sweep: pending effects completed, retention, then the overdue index put right. Nothing to
 * send, so the work happens in plan(); then tomorrow's sweep is scheduled.
 */
export const retentionHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    // First, what failed requests left pending on contributions nobody retried (docs/whole-writes.md).
    await sweepPending(deps, job.tenantId);
    // And on the programme and its workstreams: team changes and workstream edits someone left unfinished.
    await sweepSetupPending(deps, job.tenantId);
    await deleteExpired(deps, job.tenantId, scheduledAt);
    await deleteExpiredProposals(deps, job.tenantId, sub(scheduledAt, deps.settings.retention));
    await reconcileOverdueIndex(deps, job.tenantId);
    await scheduleJob(deps, sweepJob(job.tenantId, dayOf(add(scheduledAt, { days: 1 }))));
    return undefined;
  },
};
