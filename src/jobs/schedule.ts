import type { Deps } from '../commands/deps';
import type { Job } from '../domain/job';
import { queryEvery, updateWithRetry, WriteConflict, type Collection } from '../domain/ports';
import type { NewJob } from './job-handler';

/** Fields the scheduler keeps on a job beyond Job itself. */
export type TrackedJob = Job & {
  /** Set while status is 'held': whom Teams would not deliver to, so releaseHeldJobs can find the job. */
  heldFor?: { personId?: string; conversationId?: string; reason: string };
  /** Set when the previous owner died mid-send: whether the message was found to have arrived (Microsoft Graph), or nobody could tell. */
  redelivery?: { previousOwner: string; previousAttemptAt: string; found?: 'delivered' | 'not_delivered' | 'unknown' };
};

export const trackedJobs = (deps: Pick<Deps, 'stores'>) => deps.stores.jobs as unknown as Collection<TrackedJob>;

// Cosmos refuses these characters in ids; subject ids come from Teams (19:...@thread.v2) and are otherwise kept as they are.
const safeId = (s: string) => s.replace(/[/\\?#]/g, '_');

export function jobIdOf(newJob: NewJob): string {
  return safeId(`${newJob.kind}:${newJob.subjectId}:${newJob.key ?? newJob.runAt.toISOString()}`);
}

/** Creates the job once: scheduling the same work again returns the job already there. */
export async function scheduleJob(deps: Pick<Deps, 'stores' | 'clock'>, newJob: NewJob): Promise<Job> {
  const job: Job = {
    id: jobIdOf(newJob),
    tenantId: newJob.tenantId,
    type: 'job',
    kind: newJob.kind,
    runAt: newJob.runAt.toISOString(),
    status: 'pending',
    subjectId: newJob.subjectId,
    payload: newJob.payload ?? {},
    attempts: 0,
    createdAt: deps.clock.now().toISOString(),
  };
  try {
    return await deps.stores.jobs.create(job);
  } catch (err) {
    if (!(err instanceof WriteConflict) || err.kind !== 'exists') throw err;
    return (await deps.stores.jobs.get(job.tenantId, job.id)) ?? job;
  }
}

/**
 * Stops work that has not started for a subject (withdrawn, forget me...).
 * Running jobs are left alone: their handler re-reads the subject at send time.
 */
export async function cancelJobs(deps: Pick<Deps, 'stores'>, tenantId: string, subjectId: string, except?: { jobs: NewJob[]; queuedAfter: string }): Promise<number> {
  const jobs = trackedJobs(deps);
  const kept = new Set((except?.jobs ?? []).map(jobIdOf));
  const waiting = [
    ...(await queryEvery(jobs, tenantId, [{ field: 'subjectId', op: '=', value: subjectId }, { field: 'status', op: '=', value: 'pending' }])),
    ...(await queryEvery(jobs, tenantId, [{ field: 'subjectId', op: '=', value: subjectId }, { field: 'status', op: '=', value: 'held' }])),
  ];
  let cancelled = 0;
  for (const job of waiting) {
    if (kept.has(job.id) || (except && job.createdAt > except.queuedAfter)) continue;
    const r = await updateWithRetry(jobs, tenantId, job.id, (j): TrackedJob | undefined =>
      j.status === 'pending' || j.status === 'held' ? { ...j, status: 'done', lastError: 'cancelled', heldFor: undefined, lease: undefined } : undefined,
    );
    if (r && r.before !== r.after) cancelled++;
  }
  return cancelled;
}
