import type { OutgoingMessage, Recipient, Sender } from '../domain/ports';

export interface SendOptions {
  /** Stable for one message across retries and instances; the Teams sender puts it in channelData so a copy can be recognised. */
  key?: string;
  /**
   * Called right before each request that could deliver the message. The
   * scheduler proves it still owns the job here (a conditional write); a
   * throw means "stop, someone else owns it now" and must propagate as is.
   */
  beforeAttempt?: (attempt: number) => Promise<void>;
  /**
   * Update this message (an activity id in the same conversation) instead of posting a new one. A message Teams
   * no longer has, or will not let the bot change (404, 403), fails with MessageGoneError, never retried.
   */
  replaces?: string;
}

/** A Sender the scheduler can fence. A plain Sender also fits: the scheduler then fences once, before calling it. */
export interface JobSender extends Sender {
  send(tenantId: string, to: Recipient, message: OutgoingMessage, options?: SendOptions): Promise<{ activityId?: string }>;
  /**
   * Recipients about to be written to: the sender may read what it needs for them now, in bulk, and use it
   * for sends made within about a minute. A failure here only means each send reads for itself.
   */
  prepare?(tenantId: string, recipients: Recipient[]): Promise<void>;
  /** `instances` scheduler instances are alive: each keeps to its share of the per-tenant limit. */
  shareLimits?(instances: number): void;
  /** True when send() calls options.beforeAttempt before every request it makes. */
  readonly fencesAttempts?: boolean;
  /**
   * Where the platform lets us look: whether the message sent with `key` has
   * reached `to` since `since`. Its activity id if so, null if it has not,
   * undefined if the sender cannot tell (then a resend may be a repeat).
   */
  findDelivered?(tenantId: string, to: Recipient, message: OutgoingMessage, key: string, since: Date): Promise<{ activityId?: string } | null | undefined>;
}
