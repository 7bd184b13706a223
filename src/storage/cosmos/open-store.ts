import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ALL_CONTAINERS, CONTAINERS, type ContainerName } from '../containers';
import { CosmosCollection } from './cosmos-collection';
import { createEmbeddedServer } from './embedded-server';
import type { Stores } from '../../domain/stores';

export interface OpenStoreOptions {
  /** Unset = start the embedded Cosmos-compatible server in this process. */
  cosmos?: { endpoint: string; key?: string };
  databaseName: string;
  /** Embedded only: where the snapshot that survives restarts is kept; unset = nothing kept. */
  dataDir?: string;
}

export interface OpenStore {
  readonly kind: 'embedded' | 'cosmos';
  readonly stores: Stores;
  readonly database: Database;
  /** Embedded: writes the snapshot now. Cosmos: nothing to do. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const SNAPSHOT = 'store.json';

/**
 * One code path for local and cloud: everything goes through @azure/cosmos.
 * Locally the endpoint is an in-process @vercel/cosmosdb-server, which keeps
 * data in memory; so that data survives a restart we read every container
 * through the same client at shutdown (and periodically) into .data/, and
 * write it back at start.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenStore> {
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
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new CosmosClient({
      endpoint: `http://127.0.0.1:${port}`,
      key: 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=',
      connectionPolicy: { enableEndpointDiscovery: false },
    });
  }

  const { database } = await client.databases.createIfNotExists({ id: options.databaseName });
  const containers = {} as Record<ContainerName, Container>;
  for (const [name, def] of Object.entries(CONTAINERS) as [ContainerName, (typeof CONTAINERS)[ContainerName]][]) {
    const { container } = await database.containers.createIfNotExists({ id: def.id, partitionKey: { paths: [def.partitionKey] } });
    containers[name] = container;
  }

  const snapshotFile = !options.cosmos && options.dataDir ? path.resolve(options.dataDir, SNAPSHOT) : undefined;
  if (snapshotFile) await restoreSnapshot(snapshotFile, containers);

  const stores = Object.fromEntries(
    Object.entries(containers).map(([name, c]) => [name, new CosmosCollection(c)]),
  ) as unknown as Stores;

  // One snapshot at a time: the periodic flush and the one at shutdown share a temp file, and
  // overlapping writes fail the rename (ENOENT) or interleave into invalid JSON.
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (!snapshotFile) return Promise.resolve();
    flushing = flushing.catch(() => undefined).then(() => writeSnapshot(snapshotFile, containers));
    return flushing;
  };

  return {
    kind: options.cosmos ? 'cosmos' : 'embedded',
    stores,
    database,
    flush,
    async close() {
      try {
        await flush();
      } finally {
        // Even when the snapshot fails, let go of the embedded server so the process can exit.
        client.dispose();
        if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
    },
  };
}

async function defaultCredential() {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

async function restoreSnapshot(file: string, containers: Record<ContainerName, Container>) {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return;
  }
  const snapshot = JSON.parse(text) as Record<string, Record<string, unknown>[]>;
  for (const def of ALL_CONTAINERS) {
    const container = containers[def.id as ContainerName];
    for (const doc of snapshot[def.id] ?? []) {
      const { _rid, _self, _etag, _attachments, _ts, ...body } = doc;
      void _rid; void _self; void _etag; void _attachments; void _ts;
      await container.items.upsert(body);
    }
  }
}

async function writeSnapshot(file: string, containers: Record<ContainerName, Container>) {
  const snapshot: Record<string, unknown[]> = {};
  for (const def of ALL_CONTAINERS) {
    const { resources } = await containers[def.id as ContainerName].items.query('SELECT * FROM c').fetchAll();
    snapshot[def.id] = resources;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Write then rename, so a crash mid-write never leaves half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(snapshot));
  await fs.rename(tmp, file);
}
