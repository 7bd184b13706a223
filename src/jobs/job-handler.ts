import type { Deps } from '../commands/deps';
import type { Job, JobKind } from '../domain/job';
import type { MessageGoneError, OutgoingMessage, Recipient } from '../domain/ports';
import type { Shows } from '../domain/shown';

/**
 * What one job wants sent. Handlers build the message from current data at
 * send time (never from a copy stored in the job), so a withdrawal or a
 * "forget me" made after scheduling is respected.
 */
export interface JobPlan {
  to: Recipient;
  message: OutgoingMessage;
  /** What the new message shows: it is remembered with its id, so a later change to those contributions updates it. */
  shows?: Shows;
  /** Update this message (its activity id) in place rather than post a new one. */
  replaces?: string;
}

export interface JobHandler {
  /**
   * Who the job will write to, when the job itself says so (no store reads). The scheduler reads what a run's
   * recipients need (their person records, the sender's conversation references) in a few queries ahead of
   * the sends, rather than two reads per job.
   */
  recipient?(job: Job): Recipient | undefined;
  /** undefined = nothing to send any more (withdrawn, already answered...): the job is done. */
  plan(deps: Deps, job: Job, scheduledAt: Date): Promise<JobPlan | undefined>;
  /** After a successful send: record it (e.g. stamp the contribution, schedule the next reminder). Must be safe to run twice. */
  sent?(deps: Deps, job: Job, scheduledAt: Date, result: { activityId?: string }): Promise<void>;
  /** After Teams said the person cannot be reached (403 and friends). */
  unreachable?(deps: Deps, job: Job, scheduledAt: Date, reason: string): Promise<void>;
  /** After Teams said the message to update no longer exists or may not be changed (404/403); the job is done. */
  gone?(deps: Deps, job: Job, scheduledAt: Date, err: MessageGoneError): Promise<void>;
}

export type JobHandlers = Partial<Record<JobKind, JobHandler>>;

export type { NewJob } from '../domain/ports';
