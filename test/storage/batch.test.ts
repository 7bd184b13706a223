import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CosmosClient, type Container, type OperationInput } from '@azure/cosmos';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import { createEmbeddedServer } from '../../src/storage/cosmos/embedded-server';
import { readLocalData } from '../../src/storage/cosmos/local-data';
import { CONTAINERS } from '../../src/storage/containers';

/*
 * Transactional batch through @azure/cosmos against the embedded server, as
 * issue 19 will use it: a state change and everything that goes with it in
 * one partition, all written or none, and on disk the same way.
 */

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'gt-batch-'));
const journals = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('journal-')).sort();

const open: OpenStore[] = [];
async function openOn(dataDir?: string): Promise<OpenStore> {
  const store = await openStore({ databaseName: 'gt', dataDir });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
});

const counters = (store: OpenStore): Container => store.database.container(CONTAINERS.counters.id);
// The batch takes whatever partition key value it is given: these documents carry it under both names the schemes have used.
const doc = (id: string, extra: Record<string, unknown> = {}) => ({ id, tenantId: 't1', pk: 't1', ...extra });
const read = async (c: Container, id: string, pk = 't1') => (await c.item(id, pk).read<Record<string, unknown>>()).resource;
const statuses = (result: { statusCode: number }[] | undefined) => result?.map((r) => r.statusCode);

describe('a transactional batch on the embedded server', () => {
  it('commits create, upsert, replace, patch, read and delete together and answers as Cosmos DB does', async () => {
    const c = counters(await openOn());
    const { resource: kept } = await c.items.create(doc('kept', { n: 1 }));
    await c.items.create(doc('gone'));
    await c.items.create(doc('patched', { n: 1 }));

    const response = await c.items.batch(
      [
        { operationType: 'Create', resourceBody: doc('new', { n: 1 }) },
        { operationType: 'Upsert', resourceBody: doc('upserted', { n: 1 }) },
        { operationType: 'Replace', id: 'kept', resourceBody: doc('kept', { n: 2 }), ifMatch: kept!._etag },
        { operationType: 'Patch', id: 'patched', resourceBody: { operations: [{ op: 'incr', path: '/n', value: 4 }] } },
        { operationType: 'Read', id: 'new' },
        { operationType: 'Delete', id: 'gone' },
      ],
      't1',
    );

    expect(response.code).toBe(200);
    expect(statuses(response.result)).toEqual([201, 201, 200, 200, 200, 204]);
    const stored = await read(c, 'kept');
    expect(stored).toMatchObject({ n: 2 });
    expect(response.result![2]).toMatchObject({ eTag: stored!._etag, resourceBody: expect.objectContaining({ id: 'kept', n: 2 }) });
    expect(response.result![4].resourceBody).toMatchObject({ id: 'new', n: 1 });
    expect(await read(c, 'new')).toMatchObject({ n: 1 });
    expect(await read(c, 'upserted')).toMatchObject({ n: 1 });
    expect(await read(c, 'patched')).toMatchObject({ n: 5 });
    expect(await read(c, 'gone')).toBeUndefined();
  });

  it('changes nothing when a create finds its id taken: 409 for it, 424 for the others', async () => {
    const c = counters(await openOn());
    const { resource: taken } = await c.items.create(doc('taken', { n: 1 }));
    const { resource: deleted } = await c.items.create(doc('deleted'));

    const response = await c.items.batch(
      [
        { operationType: 'Upsert', resourceBody: doc('upserted') },
        { operationType: 'Delete', id: 'deleted' },
        { operationType: 'Create', resourceBody: doc('taken', { n: 2 }) },
        { operationType: 'Create', resourceBody: doc('after') },
      ],
      't1',
    );

    expect(response.code).toBe(207);
    expect(statuses(response.result)).toEqual([424, 424, 409, 424]);
    expect(await read(c, 'upserted')).toBeUndefined();
    expect(await read(c, 'after')).toBeUndefined();
    // Put back exactly as it was, system fields included, so an etag read before the batch still holds.
    expect(await read(c, 'deleted')).toEqual(deleted);
    expect(await read(c, 'taken')).toEqual(taken);
  });

  it('changes nothing when an If-Match is stale: 412 for it, 424 for the others', async () => {
    const c = counters(await openOn());
    const { resource: before } = await c.items.create(doc('kept', { n: 1 }));
    await c.item('kept', 't1').replace(doc('kept', { n: 2 }));
    const { resource: now } = await c.item('kept', 't1').read();

    const response = await c.items.batch(
      [
        { operationType: 'Create', resourceBody: doc('new') },
        { operationType: 'Replace', id: 'kept', resourceBody: doc('kept', { n: 3 }), ifMatch: before!._etag },
      ],
      't1',
    );

    expect(response.code).toBe(207);
    expect(statuses(response.result)).toEqual([424, 412]);
    expect(await read(c, 'new')).toBeUndefined();
    expect(await read(c, 'kept')).toEqual(now);
    // The same batch with the current etag goes through.
    const retried = await c.items.batch(
      [
        { operationType: 'Create', resourceBody: doc('new') },
        { operationType: 'Replace', id: 'kept', resourceBody: doc('kept', { n: 3 }), ifMatch: now!._etag },
      ],
      't1',
    );
    expect(statuses(retried.result)).toEqual([201, 200]);
  });

  it('refuses a batch that reaches into another partition key, and writes nothing', async () => {
    const c = counters(await openOn());
    const across: OperationInput[] = [
      { operationType: 'Create', resourceBody: doc('mine') },
      { operationType: 'Create', resourceBody: { id: 'theirs', tenantId: 't2', pk: 't2' } },
    ];
    await expect(c.items.batch(across, 't1')).rejects.toMatchObject({ cause: expect.objectContaining({ code: 400 }) });
    const named: OperationInput[] = [
      { operationType: 'Create', resourceBody: doc('mine') },
      { operationType: 'Delete', id: 'x', partitionKey: 't2' },
    ];
    await expect(c.items.batch(named, 't1')).rejects.toMatchObject({ cause: expect.objectContaining({ code: 400 }) });
    expect(await read(c, 'mine')).toBeUndefined();
    expect(await read(c, 'theirs', 't2')).toBeUndefined();
  });

  it('refuses more than 100 operations, in the SDK and in the server', async () => {
    const ops = (n: number): OperationInput[] => Array.from({ length: n }, (_, i) => ({ operationType: 'Create', resourceBody: doc(`d${i}`) }));
    const c = counters(await openOn());
    await expect(c.items.batch(ops(101), 't1')).rejects.toThrow(/more than 100 operations/);

    // Past the SDK's own check: a request as it would send it.
    const server: Server = createEmbeddedServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new CosmosClient({ endpoint, key: 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=', connectionPolicy: { enableEndpointDiscovery: false } });
      const { database } = await client.databases.createIfNotExists({ id: 'raw' });
      await database.containers.createIfNotExists({ id: 'c', partitionKey: { paths: ['/tenantId'] } });
      const post = (body: unknown) =>
        fetch(`${endpoint}/dbs/raw/colls/c/docs`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-ms-cosmos-is-batch-request': 'true',
            'x-ms-cosmos-batch-atomic': 'true',
            'x-ms-documentdb-partitionkey': '["t1"]',
          },
          body: JSON.stringify(body),
        });
      expect((await post(ops(101))).status).toBe(400);
      expect((await post([])).status).toBe(400);
      const hundred = await post(ops(100));
      expect(hundred.status).toBe(200);
      expect((await hundred.json()) as unknown[]).toHaveLength(100);
      client.dispose();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a transactional batch on disk', () => {
  /** What a crash right now would leave: the data files as they are, in a folder of their own (the lock stays with the live store). */
  function crashImage(dir: string): string {
    const image = tempDir();
    for (const name of readdirSync(dir).filter((n) => n !== 'lock')) copyFileSync(path.join(dir, name), path.join(image, name));
    return image;
  }

  async function writeBatch(dir: string) {
    const store = await openOn(dir);
    const c = counters(store);
    await c.items.create(doc('before', { n: 1 }));
    await c.items.create(doc('deleted'));
    const response = await c.items.batch(
      [
        { operationType: 'Create', resourceBody: doc('a') },
        { operationType: 'Upsert', resourceBody: doc('before', { n: 2 }) },
        { operationType: 'Delete', id: 'deleted' },
      ],
      't1',
    );
    expect(response.code).toBe(200);
    return crashImage(dir);
  }

  it('is one journal line, and a start after a crash has all of it', async () => {
    const image = await writeBatch(tempDir());
    const lines = readFileSync(path.join(image, journals(image).slice(-1)[0]), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ tx: [expect.objectContaining({ put: expect.objectContaining({ id: 'a' }) }), expect.anything(), expect.objectContaining({ del: 'deleted' })] });

    const c = counters(await openOn(image));
    expect(await read(c, 'a')).toBeDefined();
    expect(await read(c, 'before')).toMatchObject({ n: 2 });
    expect(await read(c, 'deleted')).toBeUndefined();
  });

  it('is left out whole when the crash tore its line', async () => {
    const image = await writeBatch(tempDir());
    const file = path.join(image, journals(image).slice(-1)[0]);
    const text = readFileSync(file, 'utf8');
    // Cut inside the batch's line, after its first change: a replay that went change by change would keep 'a'.
    writeFileSync(file, text.slice(0, text.lastIndexOf('"id":"before"')));
    expect((await readLocalData(image))[CONTAINERS.counters.id].map((d) => d.id).sort()).toEqual(['before', 'deleted']);

    const c = counters(await openOn(image));
    expect(await read(c, 'a')).toBeUndefined();
    expect(await read(c, 'before')).toMatchObject({ n: 1 });
    expect(await read(c, 'deleted')).toBeDefined();
  });

  it('journals nothing when it fails', async () => {
    const dir = tempDir();
    const c = counters(await openOn(dir));
    await c.items.create(doc('taken'));
    const size = () => readFileSync(path.join(dir, journals(dir).slice(-1)[0]), 'utf8').length;
    const before = size();
    const response = await c.items.batch(
      [
        { operationType: 'Create', resourceBody: doc('a') },
        { operationType: 'Create', resourceBody: doc('taken') },
      ],
      't1',
    );
    expect(statuses(response.result)).toEqual([424, 409]);
    expect(size()).toBe(before);
  });
});
