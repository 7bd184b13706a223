import type { Job, JobKind } from './job';

/**
 * What the domain and commands need from storage, time and the job queue. Implementations
 * live in src/storage (Cosmos) and test/support (in memory); nothing here
 * knows about either.
 */
export interface Doc {
  id: string;
  tenantId: string;
  /** The partition key value (src/domain/partition.ts); a programme's view sets it on every write. */
  pk?: string;
  /** The programme that owns the document (issue 18: a programme, not a tenant, owns data); absent on per-person, per-chat and tenant records. */
  programmeId?: string;
  schemaVersion?: number;
  /** Set by the store; the next write is conditional on it. */
  _etag?: string;
}

/** `contains`: an array field holds the value; `in`: the field equals one of the values (an array). */
export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'in' | 'defined' | 'undefined';
export interface Filter {
  field: string;
  op: Op;
  value?: unknown;
}
export interface QueryOptions {
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
  pageSize?: number;
  continuation?: string;
}
export interface Page<T> {
  items: T[];
  continuation?: string;
}

/** Raised by a store when a conditional write loses (etag changed) or an id already exists. */
export class WriteConflict extends Error {
  constructor(readonly kind: 'etag' | 'exists', message: string) {
    super(message);
    this.name = 'WriteConflict';
  }
}

/**
 * One container. `scope` names the partition: on the raw store (src/storage)
 * it is the partition key value itself (`doc.pk`); in a programme's view
 * (src/domain/programme-stores.ts), which is what commands and jobs hold, it
 * is the tenant id and the view adds the programme.
 */
export interface Collection<T extends Doc> {
  get(scope: string, id: string): Promise<T | undefined>;
  /** Fails with WriteConflict('exists') when the id is taken: the basis of "saves once". */
  create(doc: T): Promise<T>;
  /** Fails with WriteConflict('etag') when someone else wrote since `doc._etag`. */
  replace(doc: T): Promise<T>;
  upsert(doc: T): Promise<T>;
  /** Gone already is fine. With `etag`: only if nobody wrote since, else WriteConflict('etag') and the document stays. */
  delete(scope: string, id: string, etag?: string): Promise<void>;
  /** Within one partition. */
  query(scope: string, filters: Filter[], options?: QueryOptions): Promise<Page<T>>;
  /** Across partitions: for the scheduler's due jobs and the start-up migration only. */
  queryAll(filters: Filter[], options?: QueryOptions): Promise<Page<T>>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Reads every page of a query. Fine for the small sets the product asks for (a workstream's people, one meeting). */
export async function queryEvery<T extends Doc>(
  collection: Collection<T>,
  tenantId: string,
  filters: Filter[],
  options: Omit<QueryOptions, 'continuation'> = {},
): Promise<T[]> {
  const out: T[] = [];
  let continuation: string | undefined;
  do {
    const page = await collection.query(tenantId, filters, { ...options, continuation, pageSize: options.pageSize ?? 200 });
    out.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return out;
}

// Ids per query: a handful is one round trip, and thousands stay well within a query's size limit.
const IDS_PER_QUERY = 100;

/** Creates the document unless one with its id is there already (its fixed id makes it the same record): safe to repeat. */
export async function createOnce<T extends Doc>(collection: Collection<T>, doc: T): Promise<void> {
  try {
    await collection.create(doc);
  } catch (err) {
    if (!(err instanceof WriteConflict && err.kind === 'exists')) throw err;
  }
}

/** Many documents of one tenant by id: one query per hundred ids rather than a read each. Missing ids are absent. */
export async function getMany<T extends Doc>(collection: Collection<T>, tenantId: string, ids: Iterable<string>): Promise<Map<string, T>> {
  const wanted = [...new Set(ids)].filter(Boolean);
  const found = new Map<string, T>();
  for (let i = 0; i < wanted.length; i += IDS_PER_QUERY) {
    for (const doc of await queryEvery(collection, tenantId, [{ field: 'id', op: 'in', value: wanted.slice(i, i + IDS_PER_QUERY) }])) found.set(doc.id, doc);
  }
  return found;
}

/**
 * Read-modify-write with the etag: a lost race is retried from fresh data, so
 * nobody's change is silently overwritten. `change` returns undefined to
 * leave the document as it is.
 */
export async function updateWithRetry<T extends Doc>(
  collection: Collection<T>,
  tenantId: string,
  id: string,
  change: (current: T) => T | undefined | Promise<T | undefined>,
  attempts = 8,
): Promise<{ before: T; after: T } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await collection.get(tenantId, id);
    if (!current) return undefined;
    const next = await change(structuredClone(current));
    if (!next) return { before: current, after: current };
    try {
      const saved = await collection.replace({ ...next, _etag: current._etag });
      return { before: current, after: saved };
    } catch (err) {
      if (err instanceof WriteConflict && err.kind === 'etag' && attempt < attempts) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw err;
    }
  }
}

/** Where a proactive message goes: a person's 1:1 chat, or a chat/channel by conversation id. */
export type Recipient = { kind: 'person'; personId: string } | { kind: 'chat'; conversationId: string };

/** A card or text for the Teams layer to send. Cards are plain JSON filled by presenters. */
export type OutgoingMessage = { card: Record<string, unknown>; summary: string } | { text: string };

export class UnreachableError extends Error {
  constructor(
    readonly reason: 'blocked' | 'not_installed' | 'no_conversation' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * Teams will not update a message any more: it was deleted (404), or the bot may no longer change it (403).
 * Not retried: the update job notes it in the audit and stops (src/jobs/refresh-message.ts).
 */
export class MessageGoneError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MessageGoneError';
  }
}

/**
 * Sends proactive messages. The Teams implementation rate-limits, retries
 * 412/429/502/503/504 honouring Retry-After, and throws UnreachableError
 * when Teams answers 403 or there is no way to reach the person.
 */
export interface Sender {
  send(tenantId: string, to: Recipient, message: OutgoingMessage): Promise<{ activityId?: string }>;
}

/** Work for later: a follow-up, a reminder, a notice. The scheduler runs it at `runAt` or after. */
export interface NewJob {
  tenantId: string;
  kind: JobKind;
  /** With kind and runAt, makes the id: scheduling the same work twice creates one job. */
  subjectId: string;
  runAt: Date;
  payload?: Record<string, unknown>;
  /** Overrides the derived id when the same subject may have several jobs at one time. */
  key?: string;
}

/**
 * How commands queue work for later without knowing the scheduler (src/jobs
 * implements it), so the arrow runs one way: jobs know commands, not back.
 */
export interface WorkQueue {
  /** Queues the work once: queuing the same work again returns the job already there. */
  add(job: NewJob): Promise<Job>;
  /** Whether this work was queued already, whatever became of it. */
  has(job: NewJob): Promise<boolean>;
  /**
   * Stops work for a subject that has not started (withdrawn, forget me...); returns how many. `except`: the jobs
   * named, and any queued after the time given, stay (a repeated cancellation must not stop later work).
   */
  cancel(tenantId: string, subjectId: string, except?: { jobs: NewJob[]; queuedAfter: string }): Promise<number>;
  /** Asks for queued work to run soon rather than at the next tick. */
  runSoon(): void;
  /** The same queue writing through other stores (a programme's view), so the jobs land in that programme. */
  in(stores: import('./stores').Stores): WorkQueue;
}

/**
 * Teams' transcript of a meeting, for the chair's suggested contributions
 * (src/teams/graph-transcripts.ts). What it returns goes to the chair's card
 * and nowhere else: never stored, never logged.
 */
export interface TranscriptSource {
  fetch(meeting: import('./transcript').TranscriptMeetingRef): Promise<import('./transcript').TranscriptFetch>;
}
