import type { Deps } from '../commands/deps';
import { heartbeat, leave, mine, type Share } from './instances';
import type { Filter } from '../domain/ports';
import type { JobHandlers } from './job-handler';
import type { JobSender } from './job-sender';
import { runJob, type JobLogger, type Outcome, type RunJobContext } from './run-job';
import { trackedJobs, type TrackedJob } from './schedule';
import { ReadAhead } from './read-ahead';

export interface RunOptions {
  handlers: JobHandlers;
  sender: JobSender;
  /** Names this instance in leases, e.g. host:pid. */
  owner: string;
  scheduledAt: Date;
  /** How long a claim lasts without news from its owner; keep it well above the sender's request timeout. */
  leaseMs?: number;
  /** Jobs looked at in one run; the rest wait for the next. */
  max?: number;
  /**
   * Jobs in flight at once (inFlightFor(share) unless told otherwise). An instance can send no faster than
   * this many divided by one job's time (claim, send, "done"), so it must cover the slowest moments of the
   * store and of Teams, not the average. Small enough that claims do not go stale while the rate limiter
   * queues them: all of them to one conversation at 7 a second wait under 10 s, and a lease is 60 s.
   */
  concurrency?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  logger?: JobLogger;
  /** Stop taking new jobs (shutdown); jobs already claimed finish. */
  signal?: AbortSignal;
  /** This instance's place among those alive (from its heartbeat): it takes its own share of the due jobs. */
  share?: Share;
  /** The due list, when it has been read already (see startScheduler); unset, the run reads it. */
  due?: Promise<TrackedJob[] | undefined>;
  /** Called once every job in a full due list has been taken, while the last of them are still in flight. */
  onAllTaken?: () => void;
  /** Called before each job; the in-process scheduler keeps its heartbeat going through a long run. */
  beforeJob?: () => Promise<void>;
}

/** Jobs looked at in one run, unless told otherwise. */
const DEFAULT_MAX = 1000;

/**
 * Jobs in flight across all instances, unless told otherwise; each instance takes its share (one of two
 * instances, 32). With 32, one instance at 476 sends a second had about 67 ms for each job and fell to 0.74 to 0.93
 * of the rate whenever the store or the connector slowed (bench/fanout.ts); with 64 it kept 0.91 to 0.95.
 * Two instances need no more than 32 each for their half of the rate, and more in flight in each only makes
 * a bigger burst after a stall: once, with 64 each, the stub counted 530 in a second against a limit of 500.
 */
const DEFAULT_CONCURRENCY = 64;

/** The jobs one instance keeps in flight: its share of DEFAULT_CONCURRENCY, as it has of the rate limit. */
function inFlightFor(share: Share | undefined): number {
  return Math.max(8, Math.ceil(DEFAULT_CONCURRENCY / Math.max(1, share?.instances ?? 1)));
}

export type RunResult = { ran: number; more: boolean } & Record<Outcome, number>;

// One query for a whole run's worth (max defaults to 1000): each page is a round trip, and on the embedded
// store a full scan of the container, so pages of 100 cost five scans per tick where one will do.
const PAGE = 1000;

/** Due work across every tenant: the one cross-partition query the product makes. */
async function dueJobs(deps: Deps, scheduledAt: Date, max: number): Promise<TrackedJob[]> {
  const jobs = trackedJobs(deps);
  // Read everything first, then claim: claiming changes `status`, which would shift pages read while we go.
  const collect = async (filters: Filter[], limit: number) => {
    const out: TrackedJob[] = [];
    let continuation: string | undefined;
    do {
      const page = await jobs.queryAll(filters, { orderBy: { field: 'runAt', direction: 'ASC' }, pageSize: Math.min(PAGE, limit - out.length), continuation });
      out.push(...page.items);
      continuation = page.continuation;
    } while (continuation && out.length < limit);
    return out.slice(0, limit);
  };
  const expired = await collect(
    [
      { field: 'status', op: '=', value: 'running' },
      { field: 'lease.until', op: '<', value: deps.clock.now().toISOString() },
    ],
    max,
  );
  if (expired.length >= max) return expired;
  const pending = await collect(
    [
      { field: 'status', op: '=', value: 'pending' },
      { field: 'runAt', op: '<=', value: scheduledAt.toISOString() },
    ],
    max - expired.length,
  );
  return [...expired, ...pending];
}

/**
 * Runs what is due at `scheduledAt`, once, safely next to other runs and
 * other instances: each job is claimed with a conditional write before any
 * work, and claims whose owner went quiet are taken over after the lease.
 */
export async function runDueJobs(deps: Deps, options: RunOptions): Promise<RunResult> {
  // Each run ends by waiting for its last jobs, then reads the due list again: fewer, longer runs leave fewer gaps.
  const max = options.max ?? DEFAULT_MAX;
  const ctx: RunJobContext = {
    deps,
    handlers: options.handlers,
    sender: options.sender,
    owner: options.owner,
    scheduledAt: options.scheduledAt,
    leaseMs: options.leaseMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 5,
    retryBaseMs: options.retryBaseMs ?? 60_000,
    logger: options.logger,
  };
  const result: RunResult = { ran: 0, more: false, sent: 0, done: 0, held: 0, retry: 0, failed: 0, skipped: 0 };
  const due = (await options.due) ?? (await dueJobs(deps, options.scheduledAt, max));
  result.more = due.length >= max;
  const candidates = mine(due, options.share);
  // Each run starts at a random place in the list and wraps round: instances that read the same due jobs
  // then mostly claim different ones instead of racing for the same job and losing half their claims.
  const start = candidates.length ? Math.floor(Math.random() * candidates.length) : 0;
  const order = [...candidates.slice(start), ...candidates.slice(0, start)];
  const ahead = new ReadAhead(deps, options.handlers, options.sender, order, options.logger);
  ctx.ahead = ahead;
  let next = 0;
  const worker = async () => {
    while (next < order.length && !options.signal?.aborted) {
      const index = next++;
      const job = order[index];
      if (next === order.length && result.more) options.onAllTaken?.();
      let outcome: Outcome;
      try {
        await options.beforeJob?.();
        await ahead.before(index);
        outcome = await runJob(ctx, job);
      } catch (err) {
        // A store outage mid-job: the lease runs out and the job is picked up again.
        options.logger?.error({ jobId: job.id, tenantId: job.tenantId, err: { message: (err as Error).message } }, 'job run broke off');
        outcome = 'failed';
      }
      result[outcome]++;
      if (outcome !== 'skipped') result.ran++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? inFlightFor(options.share)) }, worker));
  return result;
}

export interface SchedulerHandle {
  /** Run a tick soon; several kicks before it starts make one tick. */
  kick(): void;
  /** No new ticks; waits for the one in progress, which stops taking new jobs. */
  stop(): Promise<void>;
}

/**
 * Instances share the tenant limit: a heartbeat about every second, between runs and during them, says
 * how many are alive, so an instance that joins is counted by the others within about a second.
 */
function heartbeats(deps: Deps, options: Pick<RunOptions, 'owner' | 'sender' | 'logger'> & { intervalMs: number }) {
  const everyMs = Math.min(options.intervalMs, 1_000);
  const ttlMs = Math.max(3 * options.intervalMs, 30_000);
  let last = -Infinity;
  let share: Share | undefined;
  return {
    everyMs,
    share: () => share,
    /** The next beat() beats whatever the time since the last. */
    due() {
      last = -Infinity;
    },
    async beat() {
      const now = deps.clock.now();
      if (now.getTime() - last < everyMs) return;
      last = now.getTime();
      try {
        share = await heartbeat(deps, options.owner, now, ttlMs);
        options.sender.shareLimits?.(share.instances);
      } catch (err) {
        // Keep the share we had: sending at a stale share is better than not sending.
        options.logger?.warn({ err: { message: (err as Error).message } }, 'scheduler heartbeat failed');
      }
    },
  };
}

type SchedulerOptions = Omit<RunOptions, 'scheduledAt' | 'signal'> & { intervalMs: number };

/**
 * Runs due jobs until none are left or a run takes nothing, then returns. `state.again` is set by a kick
 * that arrives during a run, so the loop goes round once more instead of leaving the work to the timer.
 */
async function runUntilIdle(deps: Deps, options: SchedulerOptions, hb: ReturnType<typeof heartbeats>, signal: AbortSignal, state: { again: boolean }): Promise<void> {
  // A full run's last jobs spend most of their time waiting for the rate limiter: the next due list is read
  // then, so the next run starts sending as they finish instead of after a query. A job in it that the run
  // before was still claiming only costs a lost claim.
  let upcoming: Promise<TrackedJob[] | undefined> | undefined;
  const readAhead = () => {
    upcoming = dueJobs(deps, deps.clock.now(), options.max ?? DEFAULT_MAX).catch(() => undefined);
  };
  do {
    state.again = false;
    await hb.beat();
    const due = upcoming;
    upcoming = undefined;
    try {
      const r = await runDueJobs(deps, { ...options, scheduledAt: deps.clock.now(), signal, beforeJob: hb.beat, share: hb.share(), due, onAllTaken: readAhead });
      if (r.ran) options.logger?.info({ ...r, owner: options.owner }, 'scheduler tick');
      if (r.more && r.ran > 0) state.again = true;
    } catch (err) {
      options.logger?.error({ err: { message: (err as Error).message } }, 'scheduler tick failed');
    }
  } while (state.again && !signal.aborted);
}

/** The in-process scheduler: a tick every intervalMs, straight away when kicked, never two at once. */
export function startScheduler(deps: Deps, options: SchedulerOptions): SchedulerHandle {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const state = { again: false };
  const hb = heartbeats(deps, options);

  const schedule = (ms: number) => {
    if (abort.signal.aborted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
  };

  let first = true;
  async function loop() {
    if (first) {
      // Two heartbeats before the first send: instances started together then each count all of them,
      // rather than the first to register sending at the whole tenant rate until its next heartbeat.
      first = false;
      await hb.beat();
      await new Promise((r) => setTimeout(r, hb.everyMs));
      hb.due();
    }
    await runUntilIdle(deps, options, hb, abort.signal, state);
  }

  function tick() {
    timer = undefined;
    if (running) {
      state.again = true;
      return;
    }
    running = loop().finally(() => {
      running = undefined;
      schedule(options.intervalMs);
    });
  }

  schedule(0);
  return {
    kick() {
      if (running) state.again = true;
      else schedule(0);
    },
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
      await leave(deps, options.owner).catch((err: Error) => options.logger?.warn({ err: { message: err.message } }, 'could not take this instance off the list'));
    },
  };
}
