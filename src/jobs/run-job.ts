import { inProgramme, type Deps } from '../commands/deps';
import { stampProgramme } from '../presenters/stamp-programme';
import { MessageGoneError, UnreachableError, WriteConflict, updateWithRetry, type Recipient } from '../domain/ports';
import { rememberShown } from '../commands/shown';
import type { Logger } from '../logger';
import type { JobHandler, JobHandlers, JobPlan } from './job-handler';
import type { JobSender } from './job-sender';
import { trackedJobs, type TrackedJob } from './schedule';
import { markUnreachable } from './unreachable';
import type { ReadAhead } from './read-ahead';

export type JobLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface RunJobContext {
  deps: Deps;
  handlers: JobHandlers;
  sender: JobSender;
  owner: string;
  scheduledAt: Date;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  logger?: JobLogger;
  /** What the run read ahead for its jobs (see read-ahead.ts). */
  ahead?: Pick<ReadAhead, 'person'>;
}

export type Outcome = 'sent' | 'done' | 'held' | 'retry' | 'failed' | 'skipped';

/** How far before the interrupted attempt to look for its message: instances' clocks and Teams' may differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Our lease was taken over; whoever holds it now does the work. */
class LeaseLost extends Error {}

/** The claim also says "about to send": one write where the send follows straight away (see fence). Undefined when another owner got there first. */
async function claim(ctx: RunJobContext, candidate: TrackedJob, claimedAt: number): Promise<TrackedJob | undefined> {
  try {
    return await trackedJobs(ctx.deps).replace({
      ...candidate,
      status: 'running',
      lease: { owner: ctx.owner, until: new Date(claimedAt + ctx.leaseMs).toISOString() },
      attempts: candidate.attempts + 1,
      sending: candidate.sentAt ? candidate.sending : { at: new Date(claimedAt).toISOString(), by: ctx.owner },
    });
  } catch (err) {
    if (err instanceof WriteConflict) return undefined;
    throw err;
  }
}

/** Known to be unreachable: the job is held without asking Teams again; the programme team was told when it happened. */
async function heldAsUnreachable(ctx: RunJobContext, job: TrackedJob, plan: JobPlan, sending: TrackedJob['sending'], handler: JobHandler): Promise<boolean> {
  if (plan.to.kind !== 'person') return false;
  let person = ctx.ahead?.person(job.tenantId, plan.to.personId);
  // Holding needs a fresh read: someone read ahead as unreachable may have written to the bot since.
  if (person === undefined || person?.reachability?.status === 'unreachable') person = await ctx.deps.stores.people.get(job.tenantId, plan.to.personId);
  if (person?.reachability?.status !== 'unreachable') return false;
  const reason = person.reachability.reason ?? 'forbidden';
  await finish(ctx, job, { status: 'held', heldFor: { personId: plan.to.personId, reason }, sending }, 'held');
  await handler.unreachable?.(ctx.deps, job, ctx.scheduledAt, reason);
  return true;
}

/**
 * The previous owner stopped between "about to send" and "sent". Arrived: the caller finishes the bookkeeping and
 * sends nothing. Did not: send it. Nobody can tell: send again (a duplicate is better than a lost "you said, we
 * did") and say so on the job.
 */
async function lookForInterrupted(ctx: RunJobContext, job: TrackedJob, plan: JobPlan, interrupted: NonNullable<TrackedJob['sending']>, log: Record<string, unknown>) {
  const found = await ctx.sender.findDelivered?.(job.tenantId, plan.to, plan.message, job.id, new Date(new Date(interrupted.at).getTime() - CLOCK_SKEW_MS));
  const verdict = found ? 'delivered' : found === null ? 'not_delivered' : 'unknown';
  const { level, said } = INTERRUPTED[verdict];
  ctx.logger?.[level]({ ...log, previousOwner: interrupted.by }, `job was interrupted mid-send; ${said}`);
  return { job: { ...job, redelivery: { previousOwner: interrupted.by, previousAttemptAt: interrupted.at, found: verdict } } as TrackedJob, found };
}

/**
 * One job, from claim to done. Every write is conditional on the etag of the
 * previous one, so only the lease holder moves the job on, and a request that
 * could deliver the message is only made straight after a write proving the
 * lease is still ours (`fence`).
 */
export async function runJob(outer: RunJobContext, candidate: TrackedJob): Promise<Outcome> {
  // A job runs inside the programme that queued it, seeing nothing of any other.
  const ctx = candidate.programmeId ? { ...outer, deps: inProgramme(outer.deps, candidate.tenantId, candidate.programmeId) } : outer;
  const { deps, owner } = ctx;
  const claimedAt = deps.clock.now().getTime();
  const claimed = await claim(ctx, candidate, claimedAt);
  if (!claimed) return 'skipped';
  let job = claimed;
  const log = { jobId: job.id, tenantId: job.tenantId, kind: job.kind, owner };

  const handler = ctx.handlers[job.kind];
  if (!handler) return finish(ctx, job, { status: 'failed', lastError: `no handler for ${job.kind}` }, 'failed');

  // Sent before a crash, bookkeeping not finished: only the bookkeeping is left.
  if (job.sentAt) {
    await afterSend(ctx, job, { activityId: job.sending?.activityId });
    return 'done';
  }

  // The previous owner stopped between "about to send" and "sent": the message may or may not have arrived.
  const interrupted = candidate.sending;
  let plan;
  try {
    plan = await handler.plan(deps, job, ctx.scheduledAt);
  } catch (err) {
    // Nothing was sent this time: the job says what it said before the claim.
    return retryLater(ctx, { ...job, sending: candidate.sending }, err);
  }
  if (!plan) return finish(ctx, job, { status: 'done' }, 'done');
  // Its buttons act in the job's programme when pressed, wherever the card is (src/app/programme-scope.ts).
  if (candidate.programmeId && 'card' in plan.message) plan = { ...plan, message: { ...plan.message, card: stampProgramme(plan.message.card, candidate.programmeId) } };

  if (await heldAsUnreachable(ctx, job, plan, candidate.sending, handler)) return 'held';

  // An update can be made again without harm, so only a new message needs the "did it arrive?" check.
  if (interrupted && !plan.replaces) {
    const checked = await lookForInterrupted(ctx, job, plan, interrupted, log);
    job = checked.job;
    if (checked.found) return recordSent(ctx, job, checked.found, plan);
  }

  return sendFenced(ctx, job, plan, claimedAt);
}

/**
 * Sends the planned message. A fence proves the lease is still ours right before each request that could deliver
 * it; the claim's own stamp does for the first request while the claim is young: no one may take a job over
 * before its lease ends.
 */
async function sendFenced(ctx: RunJobContext, claimed: TrackedJob, plan: JobPlan, claimedAt: number): Promise<Outcome> {
  const { deps, owner, leaseMs } = ctx;
  const now = () => deps.clock.now();
  let job = claimed;
  let claimStands = true;
  const fence = async () => {
    const young = claimStands && now().getTime() - claimedAt < leaseMs / 2;
    claimStands = false;
    if (young) return;
    try {
      job = await trackedJobs(deps).replace({ ...job, sending: { at: now().toISOString(), by: owner }, lease: { owner, until: new Date(now().getTime() + leaseMs).toISOString() } });
    } catch (err) {
      if (err instanceof WriteConflict) throw new LeaseLost(`lost the lease on ${job.id}`);
      throw err;
    }
  };

  let result: { activityId?: string };
  try {
    if (!ctx.sender.fencesAttempts) await fence();
    result = await ctx.sender.send(job.tenantId, plan.to, plan.message, { key: job.id, beforeAttempt: fence, replaces: plan.replaces });
  } catch (err) {
    if (err instanceof LeaseLost) return 'skipped';
    if (err instanceof MessageGoneError) return messageGone(ctx, job, err);
    if (err instanceof UnreachableError) return unreachable(ctx, job, plan.to, err);
    return retryLater(ctx, job, err);
  }
  return recordSent(ctx, job, result, plan);
}

const INTERRUPTED = {
  delivered: { level: 'info', said: 'the message had arrived, so it is not sent again' },
  not_delivered: { level: 'info', said: 'the message had not arrived, sending it now' },
  unknown: { level: 'warn', said: 'sending again, the recipient may get it twice' },
} as const;

/** The message went: stamp it, then the handler's follow-up; "sent" and "done" are one write when there is none. */
async function recordSent(ctx: RunJobContext, job: TrackedJob, result: { activityId?: string }, plan: JobPlan): Promise<Outcome> {
  if (!ctx.handlers[job.kind]?.sent) {
    await stampSent(ctx, job, result, { status: 'done', lease: undefined });
    await remember(ctx, job, result, plan);
    return 'sent';
  }
  const stamped = await stampSent(ctx, job, result);
  await remember(ctx, job, result, plan);
  return afterSend(ctx, stamped, result);
}

/**
 * A new message that shows contributions is remembered with the id Teams gave it, so a later change updates it
 * (src/commands/shown.ts). After the "sent" stamp, never between the send and the stamp; a failure here is
 * logged, not retried, as the message itself went.
 */
async function remember(ctx: RunJobContext, job: TrackedJob, result: { activityId?: string }, plan: JobPlan): Promise<void> {
  if (!plan.shows || plan.replaces) return;
  try {
    await rememberShown(ctx.deps, job.tenantId, plan.to, result.activityId, plan.shows);
  } catch (err) {
    ctx.logger?.warn({ jobId: job.id, err: { message: (err as Error).message } }, 'message sent, but where it shows contributions could not be recorded');
  }
}

/** Teams will not update the message (deleted, or no longer ours to change): done, noted by the handler, never retried. */
async function messageGone(ctx: RunJobContext, job: TrackedJob, err: MessageGoneError): Promise<Outcome> {
  ctx.logger?.info({ jobId: job.id, tenantId: job.tenantId, status: err.status }, 'message can no longer be updated; noted, not retried');
  await finish(ctx, job, { status: 'done', sending: undefined, lastError: `message gone: ${err.status}` }, 'done');
  await ctx.handlers[job.kind]?.gone?.(ctx.deps, job, ctx.scheduledAt, err);
  return 'done';
}

/**
 * The one write that turns "may have been sent" into "sent". Nothing runs
 * between the reply from Teams and this write, and it is retried on any
 * store error: while it is missing, a crash means a second copy later.
 */
async function stampSent(ctx: RunJobContext, job: TrackedJob, result: { activityId?: string }, patch: Partial<TrackedJob> = {}): Promise<TrackedJob> {
  const jobs = trackedJobs(ctx.deps);
  const stamp = (j: TrackedJob): TrackedJob => ({
    ...j,
    ...patch,
    sentAt: ctx.deps.clock.now().toISOString(),
    sending: { at: j.sending?.at ?? ctx.deps.clock.now().toISOString(), by: j.sending?.by ?? ctx.owner, activityId: result.activityId },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await jobs.replace(stamp(job));
    } catch (err) {
      if (err instanceof WriteConflict) {
        // Only possible if our lease ran out mid-send; the message did go, so record it whoever holds the job now.
        const r = await updateWithRetry(jobs, job.tenantId, job.id, (j) => (j.sentAt ? undefined : stamp(j)));
        if (r) return r.after;
        throw err;
      }
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

async function afterSend(ctx: RunJobContext, job: TrackedJob, result: { activityId?: string }): Promise<Outcome> {
  const handler = ctx.handlers[job.kind];
  try {
    await handler?.sent?.(ctx.deps, job, ctx.scheduledAt, result);
  } catch (err) {
    if (job.attempts < ctx.maxAttempts) {
      // Left 'running' with an expired lease: the next tick runs sent() again (handlers make it safe to repeat).
      ctx.logger?.warn({ jobId: job.id, err: { message: (err as Error).message } }, 'message sent but its follow-up bookkeeping failed; will retry');
      await save(ctx, { ...job, lease: { owner: ctx.owner, until: ctx.deps.clock.now().toISOString() } });
      return 'sent';
    }
    ctx.logger?.error({ jobId: job.id, err: { message: (err as Error).message } }, 'message sent but its follow-up bookkeeping kept failing');
  }
  await finish(ctx, job, { status: 'done' }, 'done');
  return 'sent';
}

async function unreachable(ctx: RunJobContext, job: TrackedJob, to: Recipient, err: UnreachableError): Promise<Outcome> {
  ctx.logger?.warn({ jobId: job.id, tenantId: job.tenantId, reason: err.reason }, 'recipient cannot be reached; job held');
  // Teams refused it, so nothing was delivered: drop the sending stamp so a later send is not taken for a repeat.
  const heldFor = to.kind === 'person' ? { personId: to.personId, reason: err.reason } : { conversationId: to.conversationId, reason: err.reason };
  await finish(ctx, job, { status: 'held', heldFor, sending: undefined, lastError: `unreachable: ${err.reason}` }, 'held');
  if (to.kind === 'person') await markUnreachable(ctx.deps, job.tenantId, to.personId, err.reason, ctx.scheduledAt);
  await ctx.handlers[job.kind]?.unreachable?.(ctx.deps, job, ctx.scheduledAt, err.reason);
  return 'held';
}

async function retryLater(ctx: RunJobContext, job: TrackedJob, err: unknown): Promise<Outcome> {
  const message = (err as Error)?.message ?? String(err);
  const status = (err as { statusCode?: number }).statusCode;
  // An HTTP answer means Teams refused the message; without one (timeout, reset) it may have arrived, so the
  // sending stamp stays and the next attempt is marked as a possible repeat.
  const refused = typeof status === 'number';
  const patch = { lastError: status ? `${status}: ${message}` : message, ...(refused ? { sending: undefined } : {}) };
  if (job.attempts >= ctx.maxAttempts) {
    ctx.logger?.error({ jobId: job.id, tenantId: job.tenantId, attempts: job.attempts, status }, 'job failed for good');
    return finish(ctx, job, { status: 'failed', ...patch }, 'failed');
  }
  const delay = Math.min(ctx.retryBaseMs * 2 ** (job.attempts - 1), 3_600_000);
  const runAt = new Date(ctx.deps.clock.now().getTime() + delay).toISOString();
  ctx.logger?.warn({ jobId: job.id, tenantId: job.tenantId, attempts: job.attempts, status, runAt }, 'job failed; will retry');
  return finish(ctx, job, { status: 'pending', runAt, ...patch }, 'retry');
}

async function finish(ctx: RunJobContext, job: TrackedJob, patch: Partial<TrackedJob>, outcome: Outcome): Promise<Outcome> {
  await save(ctx, { ...job, lease: undefined, ...patch });
  return outcome;
}

async function save(ctx: RunJobContext, job: TrackedJob): Promise<void> {
  try {
    await trackedJobs(ctx.deps).replace(job);
  } catch (err) {
    // Someone took the job over after our lease ran out; their write stands.
    if (!(err instanceof WriteConflict)) throw err;
  }
}
