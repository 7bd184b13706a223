import type { ContributionEvent } from './contribution';
import type { JobKind } from './job';
import type { Counts, OverdueEntry } from './report';

/**
 * What a contribution's change implies outside its own document: the audit entry, the follow-up work, the report
 * counters and the overdue index, the messages to draw again. Written in the SAME conditional write as the change
 * (the contribution's `pending` list, an outbox), then carried out idempotently and cleared (docs/whole-writes.md),
 * so a change is never stored without them and a retry or the sweep finishes what a failed attempt left.
 */
export type Effect =
  /** Stored under the id `<contribution>:v<version>`, so a second attempt finds it there. */
  | { kind: 'audit'; actorId: string; action: string; at: string; detail?: Record<string, unknown> }
  /** Job ids come from kind, subject and key (or time): queuing it again makes one job. */
  | { kind: 'job'; job: { kind: JobKind; subjectId: string; runAt: string; key?: string; payload?: Record<string, unknown> } }
  /** The person's next digest (src/commands/digests.ts ensureDigestScheduled, itself safe to repeat). */
  | { kind: 'digest'; personId: string }
  /** What this version adds to one report counter; the counter records the last version it took from each contribution. */
  | { kind: 'count'; counterId: string; workstreamId: string; month: string; counts: Counts }
  /** The overdue index entry as of this version (absent: the contribution is not overdue); an older version never overwrites a newer one. */
  | { kind: 'overdue'; entry?: OverdueEntry }
  /** One refresh job per message that shows the contribution, keyed by this version. */
  | { kind: 'refresh'; event: ContributionEvent['type'] }
  /** Work for the contribution queued by `at` that has not started stops; jobs this pending list queues are kept. */
  | { kind: 'cancel_jobs'; at: string }
  /** Words kept in the audit for a correction are erased (withdrawal, forget me). */
  | { kind: 'erase_words' }
  /** A withdrawal of a contribution made from an LXP's addition or agenda item erases its words or title there too. */
  | { kind: 'erase_proposal'; proposalId: string };

/** An effect waiting on a contribution: `version` is the history length of the change that made it. */
export type PendingEffect = Effect & { id: string; version: number };

/** Effects that must wait for everything queued before them, and everything after them for them. */
export const BARRIERS: ReadonlySet<Effect['kind']> = new Set(['cancel_jobs', 'erase_words']);

/** Numbers a change's effects so each can be cleared by id. */
export function pendingOf(version: number, effects: Effect[]): PendingEffect[] {
  return effects.map((e, i) => ({ ...e, id: `${version}.${i}`, version }));
}

/** Runs of effects that may be carried out together, in order: a barrier runs alone. */
export function segmentsOf(pending: PendingEffect[]): PendingEffect[][] {
  const out: PendingEffect[][] = [];
  for (const e of pending) {
    const last = out[out.length - 1];
    if (BARRIERS.has(e.kind) || !last || BARRIERS.has(last[0].kind)) out.push([e]);
    else last.push(e);
  }
  return out;
}

/** Words waiting to go into the audit are erased too when the words themselves are (withdrawal, forget me). */
export function withoutWords(pending: PendingEffect[]): PendingEffect[] {
  return pending.map((e) => {
    if (e.kind !== 'audit' || !e.detail || !('words' in e.detail || 'previousWords' in e.detail)) return e;
    const { words, previousWords, ...rest } = e.detail;
    void words; void previousWords;
    return { ...e, detail: { ...rest, wordsErased: true } };
  });
}
