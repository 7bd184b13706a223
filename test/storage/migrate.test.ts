/**
 * Version 1 (one programme per tenant, every container partitioned by
 * tenant) to version 2 (partitioned by programme). The store is written as
 * today's code wrote it: test/fixtures/stores/v1-demo.json is every document
 * the version-1 demo seed stored (src/demo/seed.ts at c382310), put into
 * version-1 containers. Two instances then open the store at the same time.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { createEmbeddedServer } from '../../src/storage/cosmos/embedded-server';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import { LEGACY_CONTAINERS, SCHEMA_VERSION, type LegacyContainerName as ContainerName } from '../../src/storage/containers';
import { MIGRATION_ID, migrateToProgrammes } from '../../src/storage/migrate';
import { SYSTEM_KEY, chatKey, personKey, programmeKey } from '../../src/domain/partition';
import { CHAT_LINK_ID, MEMBERSHIPS_ID, MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';
import { queryEvery, type Doc } from '../../src/domain/ports';
import { inProgramme, type Deps } from '../../src/commands/deps';
import { rolesOf } from '../../src/commands/roles-of';
import { myContributions } from '../../src/commands/my-contributions';
import { docProblem } from '../../src/storage/doc-schemas';
import { jobQueue } from '../../src/jobs/queue';
import { DEFAULT_SETTINGS, fixedClock } from '../support/memory-collection';
import { DEMO_PEOPLE } from '../../src/demo/seed';
import { memoryStores } from '../support/memory-collection';
import { runDueJobs } from '../../src/jobs/scheduler';
import { jobHandlers } from '../../src/jobs/handlers';
import { fakeSender } from '../support/job-store';
import type { Meeting } from '../../src/domain/meeting';

const KEY = 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=';
const V1 = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/stores/v1-demo.json'), 'utf8')) as Record<ContainerName, Doc[]>;
const TENANT = DEMO_PEOPLE.priya.tenantId;

let server: Server;
let endpoint: string;
const opened: OpenStore[] = [];

beforeAll(async () => {
  server = createEmbeddedServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of opened) await s.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A database as version 1 left it: its containers partitioned by /tenantId, holding the fixture's documents. */
async function writeVersion1(databaseName: string): Promise<void> {
  const client = new CosmosClient({ endpoint, key: KEY, connectionPolicy: { enableEndpointDiscovery: false } });
  const { database } = await client.databases.createIfNotExists({ id: databaseName });
  for (const [name, docs] of Object.entries(V1) as [ContainerName, Doc[]][]) {
    const def = LEGACY_CONTAINERS[name];
    const { container } = await database.containers.createIfNotExists({ id: def.id, partitionKey: { paths: [def.partitionKey] } });
    for (const d of docs) await container.items.create(d);
  }
  client.dispose();
}

const open = async (databaseName: string) => {
  const s = await openStore({ cosmos: { endpoint, key: KEY }, databaseName });
  opened.push(s);
  return s;
};

const depsOver = (s: OpenStore): Deps => {
  const clock = fixedClock('2026-03-09T10:00:00Z');
  return inProgramme({ stores: s.stores, clock, settings: { ...DEFAULT_SETTINGS }, queue: jobQueue({ stores: s.stores, clock }) }, TENANT, MIGRATED_PROGRAMME_ID);
};

describe('migration to programmes', () => {
  it('two instances opening a version-1 store together migrate it once, and the programme reads as before', async () => {
    await writeVersion1('v1-two');
    const [a, b] = await Promise.all([open('v1-two'), open('v1-two')]);

    const marker = await a.stores.jobs.get(SYSTEM_KEY, MIGRATION_ID);
    expect(marker).toMatchObject({ state: 'done' });
    const counts = (marker as unknown as { counts: Record<string, number> }).counts;
    for (const [name, docs] of Object.entries(V1)) expect(counts[name]).toBe(docs.length);

    // Every version-1 document is in its programme's partition, once, valid, at the new version.
    const pk = programmeKey(TENANT, MIGRATED_PROGRAMME_ID);
    for (const [name, docs] of Object.entries(V1) as [ContainerName, Doc[]][]) {
      const now = await queryEvery(b.stores[name] as never as import('../../src/domain/ports').Collection<Doc>, pk, []);
      expect(now.map((d) => d.id).sort()).toEqual(docs.filter((d) => d.tenantId !== SYSTEM_KEY).map((d) => d.id).sort());
      for (const d of now) {
        expect(d).toMatchObject({ programmeId: MIGRATED_PROGRAMME_ID, schemaVersion: SCHEMA_VERSION });
        expect(docProblem(name, d)).toBeUndefined();
      }
    }

    // The indexes: each person belongs to the programme; each linked chat says which workstream.
    for (const p of V1.people) {
      const index = await b.stores.people.get(personKey(TENANT, p.id), MEMBERSHIPS_ID);
      expect(index).toMatchObject({ type: 'memberships', programmes: { [MIGRATED_PROGRAMME_ID]: expect.anything() } });
    }
    const crisis = V1.workstreams.find((w) => (w as Doc & { name?: string }).name === 'Crisis pathway') as Doc & { chatIds: string[] };
    const link = await b.stores.workstreams.get(chatKey(TENANT, crisis.chatIds[0]), CHAT_LINK_ID);
    expect(link).toMatchObject({ type: 'chat_link', programmeId: MIGRATED_PROGRAMME_ID, workstreamId: crisis.id });

    // Through the programme's view the commands see what version 1 showed.
    const deps = depsOver(b);
    const roles = await rolesOf(deps, DEMO_PEOPLE.priya);
    expect(roles).toMatchObject({ programme: true, lead: true });
    expect((await rolesOf(deps, DEMO_PEOPLE.chris)).chairOf.map((w) => w.name)).toEqual(['Crisis pathway']);
    const sams = V1.contributions.filter((c) => (c as Doc & { lxpIds: string[] }).lxpIds.includes(DEMO_PEOPLE.sam.id));
    expect((await myContributions(deps, DEMO_PEOPLE.sam)).items).toHaveLength(sams.length);
  });

  it('opening a migrated store again moves nothing; a marker left by a crashed migrator is taken over after its lease', async () => {
    await writeVersion1('v1-again');
    const first = await open('v1-again');
    const second = await migrateToProgrammes(first.stores, { read: async function* () {} });
    expect(second.migrated).toBe(false);

    // A migrator that died half-way: its marker is still "running", its lease long gone.
    const marker = (await first.stores.jobs.get(SYSTEM_KEY, MIGRATION_ID))!;
    await first.stores.jobs.replace({ ...marker, state: 'running', until: '2000-01-01T00:00:00Z' } as never);
    const legacy = { read: async function* (name: ContainerName) { yield* V1[name]; } };
    const taken = await migrateToProgrammes(first.stores, legacy, { leaseMs: 1000 });
    expect(taken.migrated).toBe(true);
    // The same documents again, not copies.
    const contributions = await queryEvery(first.stores.contributions, programmeKey(TENANT, MIGRATED_PROGRAMME_ID), []);
    expect(contributions).toHaveLength(V1.contributions.length);
  });

  it('a fresh store is marked migrated with nothing to move', async () => {
    const fresh = await open('fresh');
    expect(await fresh.stores.jobs.get(SYSTEM_KEY, MIGRATION_ID)).toMatchObject({ state: 'done', counts: { contributions: 0 } });
  });

  it('queues a close for each meeting still open that has none (issue 21 queued one only for meetings opened after it), and the scheduler closes it', async () => {
    const [ended] = V1.meetings as Meeting[];
    const open = (id: string): Meeting => ({ ...ended, id, startedAt: '2026-03-09T08:00:00.000Z', scheduledEnd: '2026-03-09T09:00:00.000Z', endedAt: undefined, endedBy: undefined, minutes: undefined, checksSentAt: undefined, createdAt: '2026-03-09T08:00:00.000Z' });
    const waiting = { id: 'close_meeting:mt-has-job:2026-03-09T10:00:00.000Z', tenantId: TENANT, type: 'job', kind: 'close_meeting', subjectId: 'mt-has-job', runAt: '2026-03-09T10:00:00.000Z', status: 'pending', payload: {}, attempts: 0, createdAt: '2026-03-09T08:00:00.000Z' };
    const v1 = { ...V1, meetings: [...V1.meetings, open('mt-no-job'), open('mt-has-job')], jobs: [...V1.jobs, waiting as Doc] };
    const stores = memoryStores();
    const result = await migrateToProgrammes(stores, { read: async function* (name: ContainerName) { yield* v1[name]; } });
    expect(result.counts.closeJobsQueued).toBe(1);

    const pk = programmeKey(TENANT, MIGRATED_PROGRAMME_ID);
    const closes = (await queryEvery(stores.jobs, pk, [{ field: 'kind', op: '=', value: 'close_meeting' }, { field: 'status', op: '=', value: 'pending' }])).map((j) => j.subjectId).sort();
    expect(closes).toEqual(['mt-has-job', 'mt-no-job']);

    // MEETING_CLOSE_AFTER (an hour) past its scheduled end, the scheduler closes it as it would any meeting left open.
    const clock = fixedClock('2026-03-09T10:01:00Z');
    const deps: Deps = { stores, clock, settings: { ...DEFAULT_SETTINGS }, queue: jobQueue({ stores, clock }) };
    await runDueJobs(deps, { handlers: jobHandlers(), sender: fakeSender(), owner: 'test', scheduledAt: clock.now() });
    const closed = await inProgramme(deps, TENANT, MIGRATED_PROGRAMME_ID).stores.meetings.get(TENANT, 'mt-no-job');
    expect(closed).toMatchObject({ endedAt: '2026-03-09T09:00:00.000Z', endedBy: 'scheduler' });
  });
});
