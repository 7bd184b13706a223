import type { Contribution } from '../domain/contribution';
import { DomainError } from '../domain/errors';
import { pendingOf, segmentsOf, withoutWords, type Effect, type PendingEffect } from '../domain/effects';
import { queryEvery, updateWithRetry, WriteConflict, type NewJob, createOnce } from '../domain/ports';
import { overdueEntryOf } from '../domain/report';
import type { Deps } from './deps';
import { applyCountEffect, applyOverdueEffect, countDeltas } from './counters';
import { ensureDigestScheduled } from './digests';
import { queueRefreshes, showsChange } from './shown';

/**
 * The contribution's outbox (docs/whole-writes.md). A change is stored together with the effects it implies, in one
 * conditional write; they are then carried out, each safe to repeat, and cleared with another conditional write.
 * Whoever next touches the contribution (the person's retry, the same event again, any later event, the sweep)
 * carries out what is still pending first, so nothing a change implies is lost to a failure half-way.
 */

/** The effects any change of a contribution implies: its audit entry, the report counters, the overdue index, redrawn messages. */
export function changeEffects(deps: Pick<Deps, 'settings' | 'clock'>, before: Contribution | undefined, after: Contribution, action: string, by: string, detail?: Record<string, unknown>): Effect[] {
  const effects: Effect[] = [{ kind: 'audit', actorId: by, action, at: deps.clock.now().toISOString(), ...(detail ? { detail } : {}) }];
  for (const d of countDeltas(deps, before, after)) effects.push({ kind: 'count', ...d });
  const entry = overdueEntryOf(after);
  const was = before ? overdueEntryOf(before) : undefined;
  if (entry || was) effects.push({ kind: 'overdue', ...(entry ? { entry } : {}) });
  const event = after.history[after.history.length - 1]?.event;
  if (before && event && event !== 'record' && showsChange(event)) effects.push({ kind: 'refresh', event });
  return effects;
}

/** The contribution as it is stored with a change: what was still pending (words erased if these are), then this change's effects. */
export function withPending(after: Contribution, effects: Effect[], eraseWords = false): Contribution {
  const earlier = after.pending ?? [];
  const pending = [...(eraseWords ? withoutWords(earlier) : earlier), ...pendingOf(after.history.length, effects)];
  return { ...after, pending };
}

const jobOf = (c: Contribution, e: Extract<PendingEffect, { kind: 'job' }>): NewJob => ({ ...e.job, tenantId: c.tenantId, runAt: new Date(e.job.runAt) });

async function carryOut(deps: Deps, c: Contribution, e: PendingEffect): Promise<void> {
  switch (e.kind) {
    case 'audit':
      await createOnce(deps.stores.audit, { id: `${c.id}:v${e.version}`, tenantId: c.tenantId, type: 'audit', at: e.at, actorId: e.actorId, action: e.action, subjectType: 'contribution', subjectId: c.id, ...(e.detail ? { detail: e.detail } : {}) });
      return;
    case 'job':
      await deps.queue.add(jobOf(c, e));
      return;
    case 'digest':
      await ensureDigestScheduled(deps, c.tenantId, e.personId);
      return;
    case 'count':
      return applyCountEffect(deps, c.tenantId, c.id, e.version, e);
    case 'overdue':
      return applyOverdueEffect(deps, c.tenantId, c.id, e.version, e.entry);
    case 'refresh':
      await queueRefreshes(deps, e.event, c, e.version);
      return;
    case 'cancel_jobs': {
      // Work queued by this change or a later one (still pending beside it) is what the contribution needs now.
      const keep = (c.pending ?? []).filter((p): p is Extract<PendingEffect, { kind: 'job' }> => p.kind === 'job' && p.version >= e.version).map((p) => jobOf(c, p));
      await deps.queue.cancel(c.tenantId, c.id, { jobs: keep, queuedAfter: e.at });
      return;
    }
    case 'erase_words':
      return eraseWordsFromAudit(deps, c.tenantId, c.id);
    case 'erase_proposal':
      return eraseProposalWords(deps, c.tenantId, e.proposalId);
  }
}

/**
 * A run of effects split wherever the version changes: a later version's effects start only once every effect of the
 * earlier one is stored. A counter skips a version older than the last it took from the contribution, so a newer count
 * written while an older one failed would make the older one's retry count for nothing (review finding 8).
 */
function byVersion(segment: PendingEffect[]): PendingEffect[][] {
  const out: PendingEffect[][] = [];
  for (const e of segment) {
    const last = out[out.length - 1];
    if (last && last[0].version === e.version) last.push(e);
    else out.push([e]);
  }
  return out;
}

/** Waits for every write to finish, then fails with the first error if any did: none is abandoned half-way. */
export async function allWritten(writes: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Clears still under way (see completePending), so tests and a stopping process can wait for them. */
const clearing = new Set<Promise<unknown>>();
export async function clearsSettled(): Promise<void> {
  while (clearing.size) await Promise.allSettled([...clearing]);
}

/**
 * Carries out what the contribution has pending, in order (a cancellation or an erasure after what came before it),
 * then clears those effects with a conditional write. Returns the contribution without them. `clear: 'after'`
 * (a person's turn) clears once the turn has its answer: the effects are done and stored either way, and a clear
 * that never happens costs only a repeat of idempotent effects by the next writer or the sweep.
 */
export async function completePending(deps: Deps, c: Contribution, clear: 'now' | 'after' = 'now'): Promise<Contribution> {
  const pending = c.pending ?? [];
  if (!pending.length) return c;
  for (const segment of segmentsOf(pending).flatMap(byVersion)) await allWritten(segment.map((e) => carryOut(deps, c, e)));
  const done = new Set(pending.map((e) => e.id));
  if (clear === 'now') return clearDone(deps, c, done);
  const later = new Promise<void>((resolve) => setImmediate(resolve)).then(() => clearDone(deps, c, done)).catch(() => undefined);
  clearing.add(later);
  void later.finally(() => clearing.delete(later));
  return withoutDone(c, done);
}

function withoutDone(doc: Contribution, done: Set<string>): Contribution {
  const rest = (doc.pending ?? []).filter((e) => !done.has(e.id));
  const { pending: _, ...without } = doc;
  void _;
  return rest.length ? { ...without, pending: rest } : without;
}

async function clearDone(deps: Deps, c: Contribution, done: Set<string>): Promise<Contribution> {
  if (c._etag) {
    try {
      // Usually nobody wrote since: no read needed.
      return await deps.stores.contributions.replace(withoutDone(c, done));
    } catch (err) {
      if (!(err instanceof WriteConflict)) throw err;
    }
  }
  const r = await updateWithRetry(deps.stores.contributions, c.tenantId, c.id, (doc) => ((doc.pending ?? []).some((e) => done.has(e.id)) ? withoutDone(doc, done) : undefined));
  return r?.after ?? withoutDone(c, done);
}

/** A check before applyEvent that refuses (already answered, out of date): what the contribution has pending is finished first. */
export async function finishingIfRefused(deps: Deps, c: Contribution, check: () => void): Promise<void> {
  try {
    check();
  } catch (err) {
    if (err instanceof DomainError && c.pending?.length) await completePending(deps, c, 'after');
    throw err;
  }
}

/**
 * The sweep: every contribution of the programme with effects still pending has them carried out. Safe to run
 * twice and beside live requests (every effect is idempotent). Returns how many contributions it completed.
 */
export async function sweepPending(deps: Deps, tenantId: string): Promise<number> {
  const waiting = await queryEvery(deps.stores.contributions, tenantId, [{ field: 'pending', op: 'defined' }]);
  let completed = 0;
  for (const c of waiting) {
    if (!c.pending?.length) continue;
    await completePending(deps, c);
    completed++;
  }
  return completed;
}

/** The addition's words or the agenda item's title and note, erased where they were proposed; erasing them again changes nothing. */
export async function eraseProposalWords(deps: Deps, tenantId: string, proposalId: string): Promise<void> {
  await updateWithRetry(deps.stores.proposals, tenantId, proposalId, (doc) => {
    if (doc.type === 'contribution_proposal') return doc.words ? { ...doc, words: '' } : undefined;
    return doc.title || doc.note ? { ...doc, title: '', note: '' } : undefined;
  });
}

/** A withdrawal or "forget me" leaves only the fact in the audit: any words kept for a correction are erased, each entry by a conditional write. */
export async function eraseWordsFromAudit(deps: Deps, tenantId: string, contributionId: string): Promise<void> {
  const events = await queryEvery(deps.stores.audit, tenantId, [{ field: 'subjectId', op: '=', value: contributionId }]);
  for (const e of events) {
    if (!e.detail || !('words' in e.detail || 'previousWords' in e.detail)) continue;
    await updateWithRetry(deps.stores.audit, tenantId, e.id, (doc) => {
      if (!doc.detail || !('words' in doc.detail || 'previousWords' in doc.detail)) return undefined;
      const { words, previousWords, ...rest } = doc.detail;
      void words; void previousWords;
      return { ...doc, detail: { ...rest, wordsErased: true } };
    });
  }
}
