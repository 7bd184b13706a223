import type { Deps } from '../commands/deps';
import type { WorkQueue } from '../domain/ports';
import { cancelJobs, jobIdOf, scheduleJob } from './schedule';

/** The work queue over the jobs container; `whenWorkQueued` is how a running scheduler hears it should run soon. */
export interface JobQueue extends WorkQueue {
  whenWorkQueued(wake: () => void): void;
}

/** Jobs in the store, as commands see them through WorkQueue. `deps` is read on each call, so a demo's past clock stamps its jobs. */
export function jobQueue(deps: Pick<Deps, 'stores' | 'clock'>): JobQueue {
  const bell: { wake?: () => void } = {};
  return queueOver(deps, bell);
}

/** One queue per set of stores, all ringing the same scheduler: a programme's view gets its own (see WorkQueue.in). */
function queueOver(deps: Pick<Deps, 'stores' | 'clock'>, bell: { wake?: () => void }): JobQueue {
  return {
    add: (job) => scheduleJob(deps, job),
    has: async (job) => !!(await deps.stores.jobs.get(job.tenantId, jobIdOf(job))),
    cancel: (tenantId, subjectId, except) => cancelJobs(deps, tenantId, subjectId, except),
    runSoon: () => bell.wake?.(),
    in: (stores) => queueOver({ get stores() { return stores; }, get clock() { return deps.clock; } }, bell),
    whenWorkQueued(fn) {
      bell.wake = fn;
    },
  };
}
