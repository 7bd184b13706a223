import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CONTAINERS, LEGACY_CONTAINERS, type ContainerName } from '../containers';
import { clean, migrateToProgrammes, type LegacySource } from '../migrate';
import type { Doc } from '../../domain/ports';
import { CosmosCollection } from './cosmos-collection';
import { createEmbeddedServer } from './embedded-server';
import { lockDataDir } from './data-dir-lock';
import { DurableDocuments } from './durable-documents';
import { Journal } from './journal';
import { LEGACY_SNAPSHOT, removeTempFiles, replayLocalData, writeSnapshot } from './local-data';
import type { Stores } from '../../domain/stores';

export interface OpenStoreOptions {
  /** Unset = start the embedded Cosmos-compatible server in this process. */
  cosmos?: { endpoint: string; key?: string };
  databaseName: string;
  /** Embedded only: the folder whose snapshot and journal make the data survive restarts; unset = nothing kept. */
  dataDir?: string;
  /** Embedded with dataDir: compact once the journal has grown past this many bytes (or past the last snapshot, if bigger). */
  compactAfterBytes?: number;
  /** Told when a background compaction fails; it is tried again once the journal grows further. */
  onWarning?: (message: string, err: Error) => void;
}

export interface OpenStore {
  readonly kind: 'embedded' | 'cosmos';
  readonly stores: Stores;
  readonly database: Database;
  /**
   * Embedded with dataDir: every write was on disk before it was answered, so there is nothing to save;
   * this compacts now (a snapshot of this moment, then the journal before it is deleted). Otherwise nothing.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_COMPACT_AFTER_BYTES = 16 * 1024 * 1024;

/**
 * One code path for local and cloud: everything goes through @azure/cosmos.
 * Locally the endpoint is an in-process @vercel/cosmosdb-server, which keeps
 * data in memory; with a dataDir, the server itself makes it durable
 * (durable-documents.ts): each change is journaled and fsynced before the
 * server answers the request that made it, and a background compaction
 * replaces the journal with a point-in-time snapshot.
 *
 * Why in the server rather than in our repositories: it is the one place
 * every write passes, whichever repository or job made it, and the answer the
 * bot waits for is the server's HTTP response, so holding that response is
 * exactly "on disk before the caller hears it succeeded". Why a journal rather
 * than writing the snapshot more often: a snapshot costs time in proportion to
 * the whole store, a journal line in proportion to the change.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenStore> {
  if (!options.cosmos && options.dataDir) return openDurable({ ...options, dataDir: options.dataDir });
  let server: Server | undefined;
  let client: CosmosClient;
  if (options.cosmos) {
    // A plain-http endpoint is a local emulator or a shared embedded server (tests); endpoint
    // discovery would send later requests to the https address it advertises.
    const connectionPolicy = options.cosmos.endpoint.startsWith('http://') ? { enableEndpointDiscovery: false } : undefined;
    client = options.cosmos.key
      ? new CosmosClient({ endpoint: options.cosmos.endpoint, key: options.cosmos.key, connectionPolicy })
      : new CosmosClient({ endpoint: options.cosmos.endpoint, aadCredentials: await defaultCredential(), connectionPolicy });
  } else {
    server = createEmbeddedServer();
    client = await embeddedClient(server);
  }
  // Without a data dir nothing was kept, so there is no version-1 data to look for beyond what Cosmos DB already holds.
  const { database, stores, legacy } = await createContainers(client, options.databaseName, 'if-present');
  await migrateToProgrammes(stores, legacy);
  return {
    kind: options.cosmos ? 'cosmos' : 'embedded',
    stores,
    database,
    flush: () => Promise.resolve(),
    async close() {
      client.dispose();
      if (server) await closeServer(server);
    },
  };
}

async function openDurable(options: OpenStoreOptions & { dataDir: string }): Promise<OpenStore> {
  const dir = path.resolve(options.dataDir);
  await fs.mkdir(dir, { recursive: true });
  const release = await lockDataDir(dir);
  const durable = new DurableDocuments();
  const server = createEmbeddedServer();
  durable.serve(server);
  let client: CosmosClient | undefined;
  try {
    await removeTempFiles(dir);
    client = await embeddedClient(server);
    // Creating the containers through the server attaches them to `durable`; only then can the data go in.
    // The version-1 containers are created too, so their documents in the snapshot and journal have somewhere to go before the migration reads them.
    const { database, stores, legacy } = await createContainers(client, options.databaseName, 'create');
    const replayed = await replayInto(dir, durable);
    const threshold = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    const warn = options.onWarning ?? ((message, err) => process.emitWarning(`${message}: ${err.message}`));
    let closed = false;
    const compactor = compaction(dir, durable, replayed.snapshotBytes);
    const compact = compactor.run;
    const compactIfDue = () => {
      if (compactor.busy() || closed || journal.bytesSinceRotate <= Math.max(threshold, compactor.snapshotBytes())) return;
      compact().catch((err: Error) => warn('could not compact the local store', err));
    };
    const journal = new Journal(dir, replayed.gen, replayed.journalBytes, compactIfDue);
    durable.journal = journal;
    if (replayed.legacy) {
      // The old store.json is read once: from now on the snapshot and journal hold its data.
      await compact();
      await fs.rm(path.join(dir, LEGACY_SNAPSHOT), { force: true });
    } else {
      compactIfDue();
    }
    await migrateToProgrammes(stores, legacy);

    const openClient = client;
    return {
      kind: 'embedded',
      stores,
      database,
      flush: () => (closed ? Promise.resolve() : compact()),
      async close() {
        if (closed) return compactor.settled();
        closed = true;
        try {
          await compactor.settled();
          openClient.dispose();
          await closeServer(server);
          await journal.close();
        } finally {
          await release();
        }
      },
    };
  } catch (err) {
    client?.dispose();
    await closeServer(server).catch(() => undefined);
    await release();
    throw err;
  }
}

/** Puts the snapshot and journals of `dir` back into the embedded server's containers (and an old store.json, once). */
function replayInto(dir: string, durable: DurableDocuments) {
  return replayLocalData(dir, {
    counters: (counters) => {
      for (const [name, n] of Object.entries(counters)) {
        const docs = durable.containers.get(name);
        if (docs) docs._ridCount = Math.max(docs._ridCount, n);
      }
    },
    apply: (record) => void durable.apply(record),
    legacy: (name, doc) => void durable.containers.get(name)?.create(clean(doc as unknown as Doc) as unknown as Record<string, unknown>),
  });
}

/** One compaction at a time: a new journal and a point-in-time capture in the same step, then the snapshot, then the old journals go. */
function compaction(dir: string, durable: DurableDocuments, initialSnapshotBytes: number) {
  let snapshotBytes = initialSnapshotBytes;
  let compacting: Promise<void> | undefined;
  return {
    busy: () => compacting !== undefined,
    snapshotBytes: () => snapshotBytes,
    settled: () => compacting?.catch(() => undefined),
    run(): Promise<void> {
      const run = (compacting ?? Promise.resolve())
        .catch(() => undefined)
        .then(async () => {
          const journal = durable.journal as Journal;
          // The same synchronous step: every change before it is in the capture and in older journals, every change after in the new one.
          const gen = journal.rotate();
          const captured = durable.capture();
          snapshotBytes = await writeSnapshot(dir, gen, captured);
          await journal.dropBefore(gen);
        });
      const tracked: Promise<void> = run.finally(() => {
        if (compacting === tracked) compacting = undefined;
      });
      compacting = tracked;
      return run;
    },
  };
}

const EMBEDDED_TOKEN = 'type=master&ver=1.0&sig=embedded-local-store';

async function embeddedClient(server: Server): Promise<CosmosClient> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The embedded server checks no authorization, and a master key would make the SDK sign every request
  // with an HMAC (a new key object and a SHA-256 each time): about 6 % of a log_save's CPU, for nothing
  // (bench/RESULTS.md, issue 19). A constant token keeps the header the server ignores. Azure Cosmos DB is
  // reached with a key or Entra ID as before (openStore's `cosmos` branch).
  return new CosmosClient({
    endpoint: `http://127.0.0.1:${port}`,
    tokenProvider: async () => EMBEDDED_TOKEN,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

/**
 * The containers of src/storage/containers.ts, and a reader of the version-1 ones for the migration:
 * `create` makes them (the embedded store, whose saved data may hold version-1 documents), `if-present`
 * only reads those that exist (Azure Cosmos DB, where the Bicep no longer declares them).
 */
async function createContainers(client: CosmosClient, databaseName: string, legacyMode: 'create' | 'if-present'): Promise<{ database: Database; stores: Stores; legacy: LegacySource }> {
  const { database } = await client.databases.createIfNotExists({ id: databaseName });
  const containers = {} as Record<ContainerName, Container>;
  // createIfNotExists reads, then creates: two instances starting together can both read "absent"; the loser's 409 means it exists.
  const ensure = async (def: { id: string; partitionKey: string }): Promise<Container> => {
    try {
      return (await database.containers.createIfNotExists({ id: def.id, partitionKey: { paths: [def.partitionKey] } })).container;
    } catch (err) {
      if ((err as { code?: number }).code === 409) return database.container(def.id);
      throw err;
    }
  };
  for (const [name, def] of Object.entries(CONTAINERS) as [ContainerName, (typeof CONTAINERS)[ContainerName]][]) containers[name] = await ensure(def);
  if (legacyMode === 'create') {
    for (const def of Object.values(LEGACY_CONTAINERS)) await ensure(def);
  }
  const stores = Object.fromEntries(
    Object.entries(containers).map(([name, c]) => [name, new CosmosCollection(c)]),
  ) as unknown as Stores;
  const legacy: LegacySource = {
    async *read(name) {
      const container = database.container(LEGACY_CONTAINERS[name].id);
      const iterator = container.items.query<Doc>('SELECT * FROM c', { maxItemCount: 500 });
      try {
        while (iterator.hasMoreResults()) {
          const page = await iterator.fetchNext();
          yield* page.resources;
        }
      } catch (err) {
        if ((err as { code?: number }).code === 404) return;
        throw err;
      }
    },
  };
  return { database, stores, legacy };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

async function defaultCredential() {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
