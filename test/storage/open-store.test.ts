import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_CONTAINERS, CONTAINERS } from '../../src/storage/containers';
import { openStore } from '../../src/storage/cosmos/open-store';
import { readLocalData } from '../../src/storage/cosmos/local-data';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'gt-store-'));

describe('openStore (embedded)', () => {
  it('creates every container in CONTAINERS with its declared partition key', async () => {
    const store = await openStore({ databaseName: 'containers-test' });
    try {
      expect(store.kind).toBe('embedded');
      // Read the definitions back through @azure/cosmos, as a deployment would see them.
      const { resources } = await store.database.containers.readAll().fetchAll();
      expect(resources.map((r) => r.id).sort()).toEqual(ALL_CONTAINERS.map((d) => d.id).sort());
      for (const def of ALL_CONTAINERS) {
        const { resource } = await store.database.container(def.id).read();
        expect({ id: resource?.id, paths: resource?.partitionKey?.paths }).toEqual({ id: def.id, paths: [def.partitionKey] });
      }
      expect(Object.keys(store.stores).sort()).toEqual(Object.keys(CONTAINERS).sort());
    } finally {
      await store.close();
    }
  });

  it('keeps data across a close and reopen on the same DATA_DIR', async () => {
    const dataDir = tempDir();
    const first = await openStore({ databaseName: 'gt', dataDir });
    await first.stores.counters.create({ id: 'c1', tenantId: 't', pk: 't', type: 'counter' } as never);
    await first.close();

    const second = await openStore({ databaseName: 'gt', dataDir });
    try {
      expect(await second.stores.counters.get('t', 'c1')).toMatchObject({ id: 'c1', tenantId: 't' });
    } finally {
      await second.close();
    }
  });

  it('survives compactions (flush) overlapping the close', async () => {
    const dataDir = tempDir();
    const store = await openStore({ databaseName: 'gt', dataDir });
    for (let i = 0; i < 100; i++) await store.stores.audit.create({ id: `e${i}`, tenantId: 't', pk: 't', note: 'x'.repeat(500) } as never);
    const results = await Promise.allSettled([store.flush(), store.flush(), store.close()]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect((await readLocalData(dataDir))[CONTAINERS.audit.id]).toHaveLength(100);
  });
});
