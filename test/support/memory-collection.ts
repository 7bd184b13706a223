import { randomUUID } from 'node:crypto';
import type { Clock, Collection, Doc, Filter, Page, QueryOptions } from '../../src/domain/ports';
import { WriteConflict } from '../../src/domain/ports';
import type { Stores } from '../../src/domain/stores';
import type { Deps, Settings } from '../../src/commands/deps';
import { jobQueue } from '../../src/jobs/queue';
import { CONTAINERS, SCHEMA_VERSION, type ContainerName } from '../../src/storage/containers';
import { programmeStores, rawCollection } from '../../src/domain/programme-stores';

/*
 * An in-memory Collection that behaves like CosmosCollection on the embedded
 * server (test/storage/collection-contract.test.ts runs one suite against
 * both), so command and job tests can trust what it says about conflicts,
 * filters and paging. Comparison rules follow @zeit/cosmosdb-query, the
 * engine inside @vercel/cosmosdb-server: an undefined operand excludes the
 * document, and <, >, ... only compare scalars of the same type.
 */

interface Stored {
  seq: number;
  doc: Doc;
}

// JSON, not structuredClone: Cosmos stores JSON, so undefined fields vanish and Dates become strings here too.
const copy = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

/**
 * A deep copy of what `copy` made (plain objects, arrays, strings, finite numbers, booleans, null): the same
 * value `copy` would give again, without the round trip through text. Reads hand out these, so a caller that
 * changes what it read changes nothing stored. A key named `__proto__` stays an own key, as JSON.parse makes it.
 */
function cloneJson<V>(v: V): V {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson) as V;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const value = cloneJson((v as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out as V;
}

type Kind = 'undefined' | 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
const TYPE_ORDER: Kind[] = ['undefined', 'null', 'boolean', 'number', 'string', 'array', 'object'];

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

function valueAt(doc: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);
}

function deepEqual(a: unknown, b: unknown): boolean {
  // Scalars (the usual case: ids, types, statuses) are equal only when identical; objects and arrays compare by content.
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  if (kindOf(a) !== kindOf(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  if (kindOf(a) === 'object') {
    const ae = Object.entries(a as object);
    return ae.length === Object.keys(b as object).length && ae.every(([k, v]) => deepEqual(v, (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function matches(doc: Doc, f: Filter): boolean {
  const v = valueAt(doc, f.field);
  switch (f.op) {
    case 'defined':
      return v !== undefined;
    case 'undefined':
      return v === undefined;
    case 'contains':
      return Array.isArray(v) && v.some((item) => deepEqual(item, f.value));
    case 'in':
      return v !== undefined && Array.isArray(f.value) && f.value.some((item) => deepEqual(item, v));
    case '=':
    case '!=':
      if (v === undefined || f.value === undefined) return false;
      return deepEqual(v, f.value) === (f.op === '=');
    default: {
      const k = kindOf(v);
      if (k !== kindOf(f.value) || k === 'undefined' || k === 'array' || k === 'object') return false;
      const [a, b] = [v as number | string, f.value as number | string];
      return f.op === '<' ? a < b : f.op === '<=' ? a <= b : f.op === '>' ? a > b : a >= b;
    }
  }
}

/** Cosmos's ORDER BY across types: undefined < null < boolean < number < string < array < object. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const [ka, kb] = [kindOf(a), kindOf(b)];
  if (ka !== kb) return TYPE_ORDER.indexOf(ka) - TYPE_ORDER.indexOf(kb);
  if (ka === 'object' || ka === 'array') return 0;
  return (a as number) < (b as number) ? -1 : 1;
}

/** Where a page ended: the last item's sort value and insertion number, so later writes neither repeat nor skip items. */
interface Cursor {
  v?: unknown;
  s: number;
}

export class MemoryCollection<T extends Doc> implements Collection<T> {
  /**
   * By partition, then id, as Cosmos keeps them: a query names its partition, so it reads that partition's
   * documents only, and its cost does not grow with every other partition (a suite with hundreds of programmes).
   */
  private readonly partitions = new Map<string, Map<string, Stored>>();
  private seq = 0;

  private find(pk: string, id: string): Stored | undefined {
    return this.partitions.get(pk)?.get(id);
  }

  /** Like CosmosCollection: every document names its partition. */
  private static pk(doc: Doc): string {
    if (!doc.pk) throw new Error(`${doc.id} has no partition key (pk): write it through a programme's view or name its partition`);
    return doc.pk;
  }

  async get(pk: string, id: string): Promise<T | undefined> {
    const found = this.find(pk, id);
    return found ? (cloneJson(found.doc) as T) : undefined;
  }

  async create(doc: T): Promise<T> {
    if (this.find(MemoryCollection.pk(doc), doc.id)) throw new WriteConflict('exists', `${doc.id} already exists`);
    return this.write(doc, ++this.seq);
  }

  async replace(doc: T): Promise<T> {
    const current = this.find(MemoryCollection.pk(doc), doc.id);
    if (!current) throw new WriteConflict('etag', `${doc.id} was deleted since it was read`);
    if (doc._etag && doc._etag !== current.doc._etag) throw new WriteConflict('etag', `${doc.id} changed since it was read`);
    return this.write(doc, current.seq);
  }

  async upsert(doc: T): Promise<T> {
    const current = this.find(MemoryCollection.pk(doc), doc.id);
    return this.write(doc, current?.seq ?? ++this.seq);
  }

  async delete(pk: string, id: string, etag?: string): Promise<void> {
    const partition = this.partitions.get(pk);
    const current = partition?.get(id);
    if (current && etag && etag !== current.doc._etag) throw new WriteConflict('etag', `${id} changed since it was read`);
    partition?.delete(id);
    if (partition?.size === 0) this.partitions.delete(pk);
  }

  query(pk: string, filters: Filter[], options: QueryOptions = {}): Promise<Page<T>> {
    return this.run(this.partitions.get(pk)?.values() ?? [], [{ field: 'pk', op: '=', value: pk }, ...filters], options);
  }

  queryAll(filters: Filter[], options: QueryOptions = {}): Promise<Page<T>> {
    return this.run(this.stored(), filters, options);
  }

  /** Every stored document, for assertions in tests. */
  all(): T[] {
    return this.stored().map((s) => cloneJson(s.doc) as T);
  }

  /** Every partition's documents, in insertion order. */
  private stored(): Stored[] {
    return [...this.partitions.values()].flatMap((p) => [...p.values()]).sort((a, b) => a.seq - b.seq);
  }

  private write(doc: T, seq: number): T {
    // Kept as JSON (the version stamp too), so every read can hand out a cheap clone of it.
    const stored = copy({ ...copy(doc), schemaVersion: doc.schemaVersion ?? SCHEMA_VERSION, _etag: randomUUID() });
    const pk = MemoryCollection.pk(doc);
    let partition = this.partitions.get(pk);
    if (!partition) this.partitions.set(pk, (partition = new Map()));
    partition.set(doc.id, { seq, doc: stored });
    return cloneJson(stored);
  }

  private async run(source: Iterable<Stored>, filters: Filter[], options: QueryOptions): Promise<Page<T>> {
    const order = options.orderBy;
    const sign = order?.direction === 'DESC' ? -1 : 1;
    const position = (s: Stored): Cursor => (order ? { v: valueAt(s.doc, order.field), s: s.seq } : { s: s.seq });
    // Ties keep insertion order whatever the direction, as the embedded server's _rid tie-break does.
    const compare = (a: Cursor, b: Cursor) => (order ? sign * compareValues(a.v, b.v) : 0) || a.s - b.s;

    let rows = [...source].filter((s) => filters.every((f) => matches(s.doc, f)));
    // Like Cosmos, ORDER BY drops documents that lack the field.
    if (order) rows = rows.filter((s) => valueAt(s.doc, order.field) !== undefined);
    rows.sort((a, b) => compare(position(a), position(b)));
    if (options.continuation) {
      const after = JSON.parse(Buffer.from(options.continuation, 'base64url').toString()) as Cursor;
      rows = rows.filter((s) => compare(position(s), after) > 0);
    }
    const size = options.pageSize ?? 100;
    const items = rows.slice(0, size);
    const last = items[items.length - 1];
    const continuation = rows.length > size ? Buffer.from(JSON.stringify(position(last))).toString('base64url') : undefined;
    return { items: items.map((s) => cloneJson(s.doc) as T), continuation };
  }
}

/** Raw memory stores, addressed by partition key (as the Cosmos store is). */
export function memoryStores(): Stores {
  const names = Object.keys(CONTAINERS) as ContainerName[];
  return Object.fromEntries(names.map((name) => [name, new MemoryCollection()])) as unknown as Stores;
}

/** The programme command and job tests run in unless they name another. */
export const TEST_PROGRAMME = 'prog-test';

/** Every document of a memory collection, seen through a programme's view or not. */
export function allDocs<T extends Doc>(collection: Collection<T>): T[] {
  return (rawCollection(collection) as MemoryCollection<T>).all();
}

export interface FixedClock extends Clock {
  advance(ms: number): void;
  set(iso: string): void;
}

export function fixedClock(iso: string): FixedClock {
  let at = new Date(iso).getTime();
  if (Number.isNaN(at)) throw new Error(`fixedClock needs an ISO date, got "${iso}"`);
  return {
    now: () => new Date(at),
    advance(ms) {
      at += ms;
    },
    set(next) {
      at = new Date(next).getTime();
    },
  };
}

/** PRODUCT.md's defaults; test/config/config.test.ts checks loadConfig() agrees. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  timeZone: 'Europe/London',
  followUpAfter: { days: 14 },
  reminderEvery: { days: 7 },
  escalateAfter: { days: 14 },
  logGrace: { days: 7 },
  meetingCloseAfter: { hours: 1 },
  sessionCloseAfter: { hours: 8 },
  retention: { years: 6 },
});

export const TEST_NOW = '2026-03-09T10:00:00Z';

/** Deps for command and job tests: fresh memory stores, a clock fixed at TEST_NOW, default settings. */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  const base = { stores: programmeStores(memoryStores(), { programmeId: TEST_PROGRAMME }), clock: fixedClock(TEST_NOW), settings: copy(DEFAULT_SETTINGS), ...overrides };
  return { ...base, queue: overrides.queue ?? jobQueue(base) };
}
