import type { Contribution } from '../domain/contribution';
import { queryEvery, updateWithRetry, WriteConflict, type Collection } from '../domain/ports';
import { addCounts, counterId, countsOf, monthOf, overdueEntryId, overdueEntryOf, sameOverdueEntry, sumCounts, type Counter, type Counts, type OverdueEntry } from '../domain/report';
import type { Deps } from './deps';
import { rawCollection, scopeOf } from '../domain/programme-stores';

// Many people act on one workstream's month at once (a meeting's LXPs checking together), so a lost race is retried more than usual.
const ATTEMPTS = 25;

/**
 * Moves the per-workstream, per-month report counters and the overdue index
 * by one contribution change, at once and without a version (see
 * src/domain/report.ts): the difference between what the contribution counted
 * for before and after. A contribution's own changes do not come this way: they
 * go through its pending list (docs/whole-writes.md: countDeltas,
 * applyCountEffect, applyOverdueEffect), which makes each one count once.
 */
export async function countChange(deps: Deps, before: Contribution | undefined, after: Contribution): Promise<void> {
  for (const d of countDeltas(deps, before, after)) await applyInTurn(deps, after.tenantId, d.counterId, { ...d, contributionId: after.id });
  await indexOverdue(deps, before, after);
}

/** What a change moves in each report counter: what the contribution counted for after, less what it counted for before. */
export function countDeltas(deps: Pick<Deps, 'settings'>, before: Contribution | undefined, after: Contribution): { counterId: string; workstreamId: string; month: string; counts: Counts }[] {
  const tz = deps.settings.timeZone;
  const deltas = new Map<string, { counterId: string; workstreamId: string; month: string; counts: Counts }>();
  const add = (c: Contribution, sign: number) => {
    const month = monthOf(c, tz);
    const key = counterId(c.workstreamId, month);
    const entry = deltas.get(key) ?? { counterId: key, workstreamId: c.workstreamId, month, counts: {} };
    entry.counts = addCounts(entry.counts, countsOf(c, tz), sign);
    deltas.set(key, entry);
  };
  if (before) add(before, -1);
  add(after, 1);
  return [...deltas.values()].filter((d) => Object.keys(d.counts).length > 0);
}

/**
 * One counter change a contribution's pending list holds (docs/whole-writes.md). The counter records the last
 * version it took from each contribution, so carrying the same change out twice, or an older one after a newer,
 * adds nothing; a contribution's changes reach it in version order because every writer works through the
 * pending list in order.
 */
export function applyCountEffect(deps: Deps, tenantId: string, contributionId: string, version: number, d: { counterId: string; workstreamId: string; month: string; counts: Counts }): Promise<void> {
  return applyInTurn(deps, tenantId, d.counterId, { workstreamId: d.workstreamId, month: d.month, counts: d.counts, contributionId, version });
}

/** The overdue index lives beside the counters (same container, same partition: the tenant). */
export const overdueIndex = (deps: Deps) => deps.stores.counters as unknown as Collection<OverdueEntry>;

/**
 * Keeps the contribution's entry in the overdue index in step: written while
 * it is overdue or escalated, removed when it leaves. Upsert and delete make
 * it safe to repeat. (For countChange, the unversioned path; a contribution's own changes use applyOverdueEffect.)
 */
async function indexOverdue(deps: Deps, before: Contribution | undefined, after: Contribution): Promise<void> {
  const entry = overdueEntryOf(after);
  const was = before ? overdueEntryOf(before) : undefined;
  if (entry) {
    if (!was || !sameOverdueEntry(entry, was)) await overdueIndex(deps).upsert(entry);
  } else if (was) {
    await overdueIndex(deps).delete(after.tenantId, overdueEntryId(after.id));
  }
}

/** The index entry as of this version of the contribution, written conditionally (etag); a newer version already there wins. */
export async function applyOverdueEffect(deps: Deps, tenantId: string, contributionId: string, version: number, entry: OverdueEntry | undefined): Promise<void> {
  await writeOverdue(deps, tenantId, contributionId, version, entry);
}

/** applyOverdueEffect's write; true when it changed the index. */
async function writeOverdue(deps: Deps, tenantId: string, contributionId: string, version: number, entry: OverdueEntry | undefined): Promise<boolean> {
  const index = overdueIndex(deps);
  const id = overdueEntryId(contributionId);
  for (let attempt = 1; ; attempt++) {
    const existing = await index.get(tenantId, id);
    if (existing && (existing.version ?? 0) >= version) return false;
    if (!entry && existing?.cleared) return false;
    // Leaving the index leaves a marker, not a gap, so a slower write of an older version finds the newer one; so does
    // leaving it before an older version's entry was ever written (that write failed and is retried later).
    const next: OverdueEntry = entry ? { ...entry, version } : { ...(existing ?? clearedMarker(tenantId, contributionId)), version, cleared: true };
    try {
      if (existing) await index.replace({ ...next, _etag: existing._etag });
      else await index.create(next);
      return true;
    } catch (err) {
      if (!(err instanceof WriteConflict) || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** An index entry that holds no contribution: only its version, so an older write finds it. */
function clearedMarker(tenantId: string, contributionId: string): OverdueEntry {
  return { id: overdueEntryId(contributionId), tenantId, type: 'overdue', contributionId, workstreamId: '', ownerId: '', lxpIds: [], dueAt: '', meetingDate: '', priorityAreaIds: [], status: 'overdue', cleared: true };
}

/** One change to a counter; with a version, taken once per contribution version. */
type Item = { workstreamId: string; month: string; counts: Counts; contributionId: string; version?: number };
interface Waiting {
  items: Item[];
  written: Promise<void>;
  settle(err?: unknown): void;
}
/** One counter's writes in this process: while one is under way, changes that arrive meanwhile are gathered into the next. */
interface Lane {
  next?: Waiting;
}

// A busy meeting sends every change of its workstream's month to one counter at once. Taking turns in-process, with the
// changes that queued up written together, saves a read and a write per change and the etag races between them; the
// etag still settles races with other instances. Keyed by the store under the programme's view (each turn has a view
// of its own, and turns must share lanes) and by programme, so separate stores (tests) never share a lane.
const lanes = new WeakMap<object, Map<string, Lane>>();
// The counter as this process last wrote it: the next change is written on its etag without reading it first; when
// another instance wrote since, the etag refuses and the counter is read as before.
const lastWritten = new WeakMap<object, Map<string, Counter>>();
const KEPT = 2000;

function laneKey(deps: Deps, tenantId: string, id: string): string {
  return `${scopeOf(deps.stores)?.programmeId ?? ''}|${tenantId}/${id}`;
}

function remember(deps: Deps, key: string, doc: Counter): void {
  const raw = rawCollection(deps.stores.counters);
  let byKey = lastWritten.get(raw);
  if (!byKey) lastWritten.set(raw, (byKey = new Map()));
  byKey.delete(key);
  byKey.set(key, doc);
  if (byKey.size > KEPT) byKey.delete(byKey.keys().next().value as string);
}

function waiting(item: Item): Waiting {
  let settle!: (err?: unknown) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = (err) => (err === undefined ? resolve() : reject(err));
  });
  return { items: [item], written, settle };
}

/** Resolves once the write that includes this change has succeeded, so a caller never answers before its count is stored. */
function applyInTurn(deps: Deps, tenantId: string, id: string, item: Item): Promise<void> {
  const raw = rawCollection(deps.stores.counters);
  let byKey = lanes.get(raw);
  if (!byKey) lanes.set(raw, (byKey = new Map()));
  const key = laneKey(deps, tenantId, id);
  const lane = byKey.get(key);
  if (lane) {
    if (lane.next) lane.next.items.push(item);
    else lane.next = waiting(item);
    return lane.next.written;
  }
  const open: Lane = {};
  byKey.set(key, open);
  const first = waiting(item);
  void drain(deps, tenantId, id, byKey, key, open, first);
  return first.written;
}

async function drain(deps: Deps, tenantId: string, id: string, byKey: Map<string, Lane>, key: string, lane: Lane, first: Waiting): Promise<void> {
  let turn: Waiting | undefined = first;
  while (turn) {
    try {
      await applyItems(deps, tenantId, id, turn.items);
      turn.settle();
    } catch (err) {
      turn.settle(err ?? new Error(`counter ${id} was not updated`));
    }
    turn = lane.next;
    lane.next = undefined;
  }
  byKey.delete(key);
}

/** The counter with these changes taken, skipping any version it took already; undefined when nothing changes. */
function withItems(counter: Counter, items: Item[]): Counter | undefined {
  let counts = counter.counts;
  let applied = counter.applied;
  let changed = false;
  for (const item of items) {
    if (item.version !== undefined) {
      if ((applied?.[item.contributionId] ?? 0) >= item.version) continue;
      // One copy per write, not per item: the map holds an entry for every contribution of the workstream's month.
      const own: Record<string, number> = applied === counter.applied ? { ...counter.applied } : applied!;
      own[item.contributionId] = item.version;
      applied = own;
      changed = true;
    }
    const next = addCounts(counts, item.counts);
    if (JSON.stringify(next) !== JSON.stringify(counts)) changed = true;
    counts = next;
  }
  return changed ? { ...counter, counts, ...(applied ? { applied } : {}) } : undefined;
}

/** Conditional write on the counter; the first change of a month creates it, and a lost create race falls back to the update. */
async function applyItems(deps: Deps, tenantId: string, id: string, items: Item[]): Promise<void> {
  // Changes that cancel out (a +1 and a -1 queued together) leave nothing to write.
  if (items.every((i) => i.version === undefined) && !Object.keys(items.reduce<Counts>((sum, i) => addCounts(sum, i.counts), {})).length) return;
  const key = laneKey(deps, tenantId, id);
  const last = lastWritten.get(rawCollection(deps.stores.counters))?.get(key);
  if (last) {
    // A version the last write already took is in the store too (`applied` only grows), so skipping it is safe.
    const next = withItems(last, items);
    if (!next) return;
    try {
      return remember(deps, key, await deps.stores.counters.replace(next));
    } catch (err) {
      if (!(err instanceof WriteConflict)) throw err;
    }
  }
  for (;;) {
    const r = await updateWithRetry(deps.stores.counters, tenantId, id, (c) => withItems(c, items), ATTEMPTS);
    if (r) return remember(deps, key, r.after);
    const fresh = withItems({ id, tenantId, type: 'counter', workstreamId: items[0].workstreamId, month: items[0].month, counts: {} }, items);
    if (!fresh) return;
    try {
      return remember(deps, key, await deps.stores.counters.create(fresh));
    } catch (err) {
      if (!(err instanceof WriteConflict && err.kind === 'exists')) throw err;
    }
  }
}

/** The summed counters of some workstreams (all when none are named) over whole months. */
export async function readCounts(deps: Deps, tenantId: string, workstreamIds: string[] | 'all', months: string[]): Promise<Counts> {
  if (months.length === 0) return {};
  const range = [
    { field: 'month', op: '>=' as const, value: months[0] },
    { field: 'month', op: '<=' as const, value: months[months.length - 1] },
  ];
  if (workstreamIds === 'all') return sumCounts((await queryEvery(deps.stores.counters, tenantId, range)).map((c) => c.counts));
  const docs: Counter[] = [];
  for (const w of workstreamIds) docs.push(...(await queryEvery(deps.stores.counters, tenantId, [{ field: 'workstreamId', op: '=', value: w }, ...range])));
  return sumCounts(docs.map((c) => c.counts));
}

/**
 * Puts the overdue index right from the overdue and escalated contributions
 * themselves: an entry missed by a crash between the two writes, or a store
 * written before the index existed. Returns how many entries it changed.
 * Safe to repeat; the daily sweep runs it. Every write is versioned like the
 * contribution's own (applyOverdueEffect): the repair read the contribution
 * at some version, and a newer change written meanwhile wins over it, so a
 * slow repair never brings back an entry an outcome or withdrawal cleared.
 */
export async function reconcileOverdueIndex(deps: Deps, tenantId: string): Promise<number> {
  const open = await queryEvery(deps.stores.contributions, tenantId, [{ field: 'status', op: 'in', value: ['overdue', 'escalated'] }]);
  const want = new Map(open.map((c) => [overdueEntryId(c.id), { entry: overdueEntryOf(c)!, version: c.history.length }]));
  // A cleared marker (see applyOverdueEffect) counts as no entry: a wanted one replaces it, an unwanted one stays.
  const have = await queryEvery(overdueIndex(deps), tenantId, [{ field: 'type', op: '=', value: 'overdue' }, { field: 'cleared', op: 'undefined' }]);
  let changed = 0;
  for (const entry of have) {
    const wanted = want.get(entry.id);
    want.delete(entry.id);
    if (wanted && sameOverdueEntry(wanted.entry, entry)) continue;
    if (wanted && (await writeRepair(deps, tenantId, entry.contributionId, wanted.version, wanted.entry, entry))) changed++;
    if (!wanted && (await clearLeftover(deps, tenantId, entry))) changed++;
  }
  for (const missing of want.values()) if (await writeOverdue(deps, tenantId, missing.entry.contributionId, missing.version, missing.entry)) changed++;
  return changed;
}

/**
 * A stale entry put right (or cleared) at the version read. The entry may claim that same version while still wrong (a
 * store put right by hand): then it is replaced on its etag if nobody wrote since. A newer entry is left alone.
 */
async function writeRepair(deps: Deps, tenantId: string, contributionId: string, version: number, wanted: OverdueEntry | undefined, stale: OverdueEntry): Promise<boolean> {
  if ((stale.version ?? 0) < version) return writeOverdue(deps, tenantId, contributionId, version, wanted);
  if ((stale.version ?? 0) > version) return false;
  try {
    await overdueIndex(deps).replace(wanted ? { ...wanted, version, _etag: stale._etag } : { ...stale, version, cleared: true });
    return true;
  } catch (err) {
    if (err instanceof WriteConflict) return false;
    throw err;
  }
}

/**
 * An entry whose contribution is not overdue as read: it is read again now and the entry cleared at its version (or,
 * when it is overdue after all, written as it is now). The entry of a contribution that no longer exists (retention,
 * a closed programme) is deleted: no newer version of it can come, and the overdue card leaves out an entry whose
 * contribution is gone (loadShown in overdue.ts) should a late write ever bring it back before the next repair.
 */
async function clearLeftover(deps: Deps, tenantId: string, entry: OverdueEntry): Promise<boolean> {
  const c = await deps.stores.contributions.get(tenantId, entry.contributionId);
  if (c) return writeRepair(deps, tenantId, c.id, c.history.length, overdueEntryOf(c), entry);
  await overdueIndex(deps).delete(tenantId, entry.id);
  return true;
}

/**
 * Recomputes a tenant's counters and overdue index from the contributions, page by page. For
 * repair after a crash between a contribution write and its counter write,
 * and for checking that the running counters agree.
 */
export async function rebuildCounters(deps: Deps, tenantId: string): Promise<number> {
  const tz = deps.settings.timeZone;
  const fresh = new Map<string, Counter | OverdueEntry>();
  const entries: OverdueEntry[] = [];
  let continuation: string | undefined;
  do {
    const page = await deps.stores.contributions.query(tenantId, [{ field: 'type', op: '=', value: 'contribution' }], { pageSize: 500, continuation });
    for (const c of page.items) {
      const month = monthOf(c, tz);
      const id = counterId(c.workstreamId, month);
      const doc = (fresh.get(id) as Counter | undefined) ?? { id, tenantId, type: 'counter', workstreamId: c.workstreamId, month, counts: {} };
      doc.counts = addCounts(doc.counts, countsOf(c, tz));
      fresh.set(id, doc);
      doc.applied = { ...doc.applied, [c.id]: c.history.length };
      const entry = overdueEntryOf(c);
      if (entry) entries.push(entry);
    }
    continuation = page.continuation;
  } while (continuation);
  const counted = fresh.size;
  for (const entry of entries) fresh.set(entry.id, entry);
  for (const old of await queryEvery(deps.stores.counters, tenantId, [])) if (!fresh.has(old.id)) await deps.stores.counters.delete(tenantId, old.id);
  for (const doc of fresh.values()) await deps.stores.counters.upsert(doc as Counter);
  return counted;
}
