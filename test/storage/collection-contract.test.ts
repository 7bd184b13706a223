import type { Collection, Doc, Filter } from '../../src/domain/ports';
import { WriteConflict, queryEvery, updateWithRetry } from '../../src/domain/ports';
import { SCHEMA_VERSION } from '../../src/storage/containers';
import { CosmosCollection } from '../../src/storage/cosmos/cosmos-collection';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import { MemoryCollection } from '../support/memory-collection';

/*
 * One suite, two implementations: command tests use MemoryCollection, so it
 * must answer exactly as CosmosCollection does on the embedded server.
 */

interface Item extends Doc {
  n?: number;
  name?: string;
  outcome?: { status: string };
  tags?: string[];
  due?: string | null;
  count?: number;
}

interface Implementation {
  name: string;
  setUp(): Promise<void>;
  /** A fresh, empty collection for each test. */
  make(): Promise<Collection<Item>>;
  tearDown(): Promise<void>;
}

/**
 * Every container is partitioned by /pk. The suite's documents name their
 * partition by tenant, so this gives each the partition key of its tenant on
 * the way in and takes it off on the way out: what is tested is the raw
 * collection, partition by partition.
 */
function byTenant(raw: Collection<Item>): Collection<Item> {
  const put = (d: Item): Item => ({ ...d, pk: d.tenantId });
  const out = (d: Item): Item => {
    const { pk, ...rest } = d;
    void pk;
    return rest;
  };
  return {
    get: async (t, id) => {
      const d = await raw.get(t, id);
      return d && out(d);
    },
    create: async (d) => out(await raw.create(put(d))),
    replace: async (d) => out(await raw.replace(put(d))),
    upsert: async (d) => out(await raw.upsert(put(d))),
    delete: (t, id, etag) => raw.delete(t, id, etag),
    query: async (t, f, o) => {
      const page = await raw.query(t, f, o);
      return { ...page, items: page.items.map(out) };
    },
    queryAll: async (f, o) => {
      const page = await raw.queryAll(f, o);
      return { ...page, items: page.items.map(out) };
    },
  };
}

let store: OpenStore;
let containerCount = 0;
const cosmos: Implementation = {
  name: 'CosmosCollection on the embedded server',
  async setUp() {
    store = await openStore({ databaseName: 'contract' });
  },
  async make() {
    const { container } = await store.database.containers.createIfNotExists({ id: `c${++containerCount}`, partitionKey: { paths: ['/pk'] } });
    return byTenant(new CosmosCollection<Item>(container));
  },
  tearDown: () => store.close(),
};

const memory: Implementation = {
  name: 'MemoryCollection',
  setUp: async () => undefined,
  make: async () => byTenant(new MemoryCollection<Item>()),
  tearDown: async () => undefined,
};

const A = 'tenant-a';
const B = 'tenant-b';
const ids = (items: Doc[]) => items.map((i) => i.id);
const sortedIds = (items: Doc[]) => ids(items).sort();

describe.each([cosmos, memory])('Collection contract: $name', (impl) => {
  let c: Collection<Item>;
  beforeAll(() => impl.setUp());
  afterAll(() => impl.tearDown());
  beforeEach(async () => {
    c = await impl.make();
  });

  it('get of a missing document is undefined', async () => {
    expect(await c.get(A, 'nope')).toBeUndefined();
  });

  it('create returns the document with an etag, and get returns the same', async () => {
    const created = await c.create({ id: 'x', tenantId: A, name: 'alpha', tags: ['t'] });
    expect(typeof created._etag).toBe('string');
    expect(created).toEqual({ id: 'x', tenantId: A, name: 'alpha', tags: ['t'], schemaVersion: SCHEMA_VERSION, _etag: created._etag });
    expect(await c.get(A, 'x')).toEqual(created);
  });

  it('create with a taken id fails with WriteConflict("exists"); the same id in another tenant is a different document', async () => {
    await c.create({ id: 'x', tenantId: A, name: 'first' });
    const err = await c.create({ id: 'x', tenantId: A, name: 'second' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteConflict);
    expect((err as WriteConflict).kind).toBe('exists');
    expect((await c.get(A, 'x'))?.name).toBe('first');

    await c.create({ id: 'x', tenantId: B, name: 'other tenant' });
    expect((await c.get(B, 'x'))?.name).toBe('other tenant');
    expect((await c.get(A, 'x'))?.name).toBe('first');
  });

  it('every write changes the etag, and replace with a stale etag fails with WriteConflict("etag")', async () => {
    const v1 = await c.create({ id: 'x', tenantId: A, count: 1 });
    const v2 = await c.replace({ ...v1, count: 2 });
    expect(v2._etag).not.toBe(v1._etag);
    const v3 = await c.upsert({ ...v2, count: 3 });
    expect(v3._etag).not.toBe(v2._etag);

    const err = await c.replace({ ...v1, count: 99 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteConflict);
    expect((err as WriteConflict).kind).toBe('etag');
    expect((await c.get(A, 'x'))?.count).toBe(3);
    // Without an etag, replace is unconditional.
    expect((await c.replace({ ...v1, _etag: undefined, count: 4 })).count).toBe(4);
  });

  it('replace of a document deleted since it was read fails with WriteConflict("etag")', async () => {
    const v1 = await c.create({ id: 'x', tenantId: A });
    await c.delete(A, 'x');
    await expect(c.replace(v1)).rejects.toMatchObject({ name: 'WriteConflict', kind: 'etag' });
  });

  it('updateWithRetry loses no update when 20 writers increment one document at once', async () => {
    await c.create({ id: 'counter', tenantId: A, count: 0 });
    await Promise.all(
      Array.from({ length: 20 }, () => updateWithRetry(c, A, 'counter', (d) => ({ ...d, count: (d.count ?? 0) + 1 }))),
    );
    expect((await c.get(A, 'counter'))?.count).toBe(20);
  });

  it('query never returns another tenant’s documents; queryAll sees every tenant', async () => {
    await c.create({ id: 'a1', tenantId: A, n: 1 });
    await c.create({ id: 'a2', tenantId: A, n: 2 });
    await c.create({ id: 'b1', tenantId: B, n: 1 });
    expect(sortedIds((await c.query(A, [])).items)).toEqual(['a1', 'a2']);
    expect(sortedIds((await c.query(B, [{ field: 'n', op: '=', value: 1 }])).items)).toEqual(['b1']);
    expect((await c.query('tenant-c', [])).items).toEqual([]);
    expect(sortedIds((await c.queryAll([{ field: 'n', op: '=', value: 1 }])).items)).toEqual(['a1', 'b1']);
  });

  describe('filters', () => {
    beforeEach(async () => {
      await c.create({ id: 'a', tenantId: A, n: 1, name: 'alpha', outcome: { status: 'adopted' }, tags: ['x', 'y'] });
      await c.create({ id: 'b', tenantId: A, n: 2, name: 'beta', outcome: { status: 'not_taken_forward' }, tags: ['y'] });
      await c.create({ id: 'c', tenantId: A, n: 3, name: 'gamma', tags: [], due: null });
      await c.create({ id: 'd', tenantId: A, name: 'delta', outcome: { status: 'adopted' } });
      // Matches every filter below, so a missing tenant clause would show up as 'z'.
      await c.create({ id: 'z', tenantId: B, n: 2, name: 'zeta', outcome: { status: 'adopted' }, tags: ['x', 'y'], due: null });
    });

    const cases: Array<[string, Filter[], string[]]> = [
      ['= number', [{ field: 'n', op: '=', value: 2 }], ['b']],
      ['!= skips documents without the field', [{ field: 'n', op: '!=', value: 2 }], ['a', 'c']],
      ['<', [{ field: 'n', op: '<', value: 2 }], ['a']],
      ['<=', [{ field: 'n', op: '<=', value: 2 }], ['a', 'b']],
      ['>', [{ field: 'n', op: '>', value: 2 }], ['c']],
      ['>=', [{ field: 'n', op: '>=', value: 2 }], ['b', 'c']],
      ['>= on strings', [{ field: 'name', op: '>=', value: 'beta' }], ['b', 'c', 'd']],
      ['= on a nested path', [{ field: 'outcome.status', op: '=', value: 'adopted' }], ['a', 'd']],
      ['!= on a nested path', [{ field: 'outcome.status', op: '!=', value: 'adopted' }], ['b']],
      ['contains on an array', [{ field: 'tags', op: 'contains', value: 'y' }], ['a', 'b']],
      ['contains finds nothing in an empty array', [{ field: 'tags', op: 'contains', value: 'nothing' }], []],
      ['in: one of several values', [{ field: 'outcome.status', op: 'in', value: ['not_taken_forward', 'adopted'] }], ['a', 'b', 'd']],
      ['in skips documents without the field', [{ field: 'n', op: 'in', value: [3, 4] }], ['c']],
      ['in with no values finds nothing', [{ field: 'name', op: 'in', value: [] }], []],
      ['defined', [{ field: 'outcome', op: 'defined' }], ['a', 'b', 'd']],
      ['defined on a nested path', [{ field: 'outcome.status', op: 'defined' }], ['a', 'b', 'd']],
      ['undefined', [{ field: 'outcome', op: 'undefined' }], ['c']],
      ['null counts as defined', [{ field: 'due', op: 'defined' }], ['c']],
      ['filters combine with AND', [{ field: 'n', op: '>=', value: 1 }, { field: 'tags', op: 'contains', value: 'y' }], ['a', 'b']],
      ['a number never equals a string', [{ field: 'n', op: '=', value: '2' }], []],
    ];
    it.each(cases)('%s', async (_label, filters, expected) => {
      expect(sortedIds((await c.query(A, filters)).items)).toEqual(expected);
    });

    it('orderBy sorts ascending and descending, leaving out documents without the field', async () => {
      expect(ids((await c.query(A, [], { orderBy: { field: 'n', direction: 'ASC' } })).items)).toEqual(['a', 'b', 'c']);
      expect(ids((await c.query(A, [], { orderBy: { field: 'n', direction: 'DESC' } })).items)).toEqual(['c', 'b', 'a']);
      expect(ids((await c.query(A, [], { orderBy: { field: 'name', direction: 'DESC' } })).items)).toEqual(['c', 'd', 'b', 'a']);
    });

    it('orderBy works on a nested path together with a filter', async () => {
      const page = await c.query(A, [{ field: 'tags', op: 'defined' }], { orderBy: { field: 'outcome.status', direction: 'DESC' } });
      expect(ids(page.items)).toEqual(['b', 'a']);
    });
  });

  describe('paging', () => {
    beforeEach(async () => {
      for (let i = 0; i < 250; i++) await c.create({ id: `doc-${String(i).padStart(3, '0')}`, tenantId: A, n: i % 7 });
      for (let i = 0; i < 30; i++) await c.create({ id: `other-${i}`, tenantId: B, n: i % 7 });
    });

    async function allPages(run: (continuation?: string) => ReturnType<Collection<Item>['query']>) {
      const sizes: number[] = [];
      const items: Item[] = [];
      let continuation: string | undefined;
      do {
        const page = await run(continuation);
        sizes.push(page.items.length);
        items.push(...page.items);
        if (page.continuation !== undefined) expect(typeof page.continuation).toBe('string');
        continuation = page.continuation;
      } while (continuation);
      return { sizes, items };
    }

    it('250 documents in pages of 100 come back exactly once each', async () => {
      const { sizes, items } = await allPages((continuation) => c.query(A, [], { pageSize: 100, continuation }));
      expect(sizes).toEqual([100, 100, 50]);
      expect(new Set(ids(items)).size).toBe(250);
      expect(items.every((i) => i.tenantId === A)).toBe(true);
    });

    it('pages keep the order across continuations, ties included', async () => {
      const { items } = await allPages((continuation) => c.query(A, [], { pageSize: 100, continuation, orderBy: { field: 'n', direction: 'DESC' } }));
      expect(new Set(ids(items)).size).toBe(250);
      const ns = items.map((i) => i.n!);
      expect(ns).toEqual([...ns].sort((x, y) => y - x));
    });

    it('queryAll pages across tenants, and queryEvery reads all pages', async () => {
      const { items } = await allPages((continuation) => c.queryAll([], { pageSize: 100, continuation }));
      expect(items).toHaveLength(280);
      expect(new Set(ids(items)).size).toBe(280);
      expect(await queryEvery(c, A, [{ field: 'n', op: '=', value: 0 }], { pageSize: 10 })).toHaveLength(36);
    });
  });

  it('stamps schemaVersion on every write, keeping one the caller set', async () => {
    const created = await c.create({ id: 'x', tenantId: A });
    const replaced = await c.replace({ ...created, schemaVersion: undefined });
    const upserted = await c.upsert({ id: 'y', tenantId: A });
    const old = await c.create({ id: 'old', tenantId: A, schemaVersion: 0 });
    for (const doc of [created, replaced, upserted]) expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(old.schemaVersion).toBe(0);
    const stored = (await c.query(A, [])).items;
    expect(stored).toHaveLength(3);
    expect(stored.every((d) => typeof d.schemaVersion === 'number')).toBe(true);
  });

  it('delete is idempotent', async () => {
    await c.create({ id: 'x', tenantId: A });
    await c.delete(A, 'x');
    await c.delete(A, 'x');
    await c.delete(B, 'never-existed');
    expect(await c.get(A, 'x')).toBeUndefined();
  });

  it('delete with an etag removes only the version read: after another write it fails with WriteConflict("etag") and keeps the document', async () => {
    const read = await c.create({ id: 'x', tenantId: A, tags: ['a'] });
    await c.replace({ ...read, tags: ['b'] });
    await expect(c.delete(A, 'x', read._etag)).rejects.toMatchObject({ kind: 'etag' });
    expect((await c.get(A, 'x'))?.tags).toEqual(['b']);
    const now = await c.get(A, 'x');
    await c.delete(A, 'x', now!._etag);
    expect(await c.get(A, 'x')).toBeUndefined();
    await c.delete(A, 'x', now!._etag);
  });

  it('keeps copies: changing a document after writing or reading it changes nothing stored', async () => {
    const input: Item = { id: 'x', tenantId: A, tags: ['a'] };
    const created = await c.create(input);
    input.tags!.push('changed');
    created.tags!.push('changed');
    const read = await c.get(A, 'x');
    read!.tags!.push('changed');
    (await c.query(A, [])).items[0].tags!.push('changed');
    expect((await c.get(A, 'x'))?.tags).toEqual(['a']);
  });
});
