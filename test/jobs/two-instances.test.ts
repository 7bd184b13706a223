import { programmeStores } from '../../src/domain/programme-stores';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createEmbeddedServer } from '../../src/storage/cosmos/embedded-server';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import { ConnectorStub } from '../harness/connector-stub';
import { chatRef } from '../support/job-store';
import { jobIdOf, type TrackedJob } from '../../src/jobs/schedule';
import type { NewJob } from '../../src/jobs/job-handler';

/*
 * Two scheduler processes share one store and one Bot Connector stub; one is
 * killed with SIGKILL part way. Teams has no idempotent send, so a job the
 * victim had in flight is in the "may have been sent" state (the reply from
 * Teams came, or not, before the victim could write "sent").
 *
 * - With GRAPH_DELIVERY_CHECK on, the survivor looks in the chat through
 *   Microsoft Graph (the stub's Graph routes list what the stub accepted)
 *   before sending again: every message reaches the stub exactly once.
 * - Without it, the survivor sends again and marks the job `redelivery`
 *   (found: 'unknown'): nothing is lost, and only such a job can arrive twice.
 */
const JOBS = 1000;
const TENANTS = ['00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000a3', '00000000-0000-0000-0000-0000000000a4'];
const KEY = 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=';
const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(180_000);

let server: Server;
let stub: ConnectorStub;
let endpoint: string;
const stores: OpenStore[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  server = createEmbeddedServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub = await ConnectorStub.start();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of stores) await s.close();
  await stub.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function startChild(owner: string, database: string, graph: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'test/support/scheduler-child.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      COSMOS_ENDPOINT: endpoint,
      COSMOS_KEY: KEY,
      COSMOS_DATABASE: database,
      OWNER: owner,
      LEASE_MS: '2000',
      TENANT_RATE: '50',
      LOG_LEVEL: 'silent',
      NODE_NO_WARNINGS: '1',
      ...(graph ? { GRAPH_URL: `${stub.url}graph/v1.0` } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`${owner} exited early with ${code}`)));
  });
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** 1,000 due jobs, two instances, the first killed once 30 % have reached the stub; resolves when every job is done. */
async function killOneOfTwo(graph: boolean) {
  const database = graph ? 'two-instances-graph' : 'two-instances-plain';
  const store = await openStore({ cosmos: { endpoint, key: KEY }, databaseName: database });
  stores.push(store);
  stub.reset();
  const runAt = new Date(Date.now() - 60_000);
  const jobs: NewJob[] = Array.from({ length: JOBS }, (_, i) => ({
    tenantId: TENANTS[i % TENANTS.length],
    kind: 'notify',
    subjectId: `chat-${i}`,
    runAt,
    payload: { to: { kind: 'chat', conversationId: `19:chat-${i}@thread.v2` }, template: 'unreachable-notice', data: { name: `Person ${i}`, why: 'Load test.' } },
  }));
  await inBatches(jobs, 50, async (j) => {
    await programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }).conversations.create(chatRef(`19:chat-${j.subjectId.slice(5)}@thread.v2`, stub.url, j.tenantId));
    await programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }).jobs.create({ id: jobIdOf(j), tenantId: j.tenantId, type: 'job', kind: j.kind, runAt: runAt.toISOString(), status: 'pending', subjectId: j.subjectId, payload: j.payload!, attempts: 0, createdAt: runAt.toISOString() });
  });
  const notDone = async () => (await store.stores.jobs.queryAll([{ field: 'status', op: '!=', value: 'done' }], { pageSize: 1000 })).items.length;
  const sends = () => stub.calls.filter((c) => c.kind === 'send' && c.status < 300);

  const started = Date.now();
  const [victim, survivor] = await Promise.all([startChild('victim', database, graph), startChild('survivor', database, graph)]);
  await stub.waitFor(() => sends().length >= JOBS * 0.3, 60_000);
  victim.kill('SIGKILL');
  const killedAt = Date.now();
  const sentAtKill = sends().length;

  const deadline = Date.now() + 90_000;
  while ((await notDone()) > 0) {
    if (Date.now() > deadline) throw new Error(`jobs still not done: ${await notDone()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const finished = Date.now();
  survivor.kill('SIGTERM');
  await new Promise((r) => survivor.once('exit', r));

  const counts = new Map<string, number>();
  for (const s of sends()) {
    const key = s.body?.channelData?.goldenThread?.key as string;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const all = (await store.stores.jobs.queryAll([{ field: 'type', op: '=', value: 'job' }], { pageSize: 2000 })).items as TrackedJob[];
  const found = (f: string) => all.filter((j) => j.redelivery?.found === f).map((j) => j.id);
  const takenOver = all.filter((j) => j.attempts > 1).length;
  const twice = [...counts].filter(([, n]) => n === 2).map(([k]) => k);
  console.log(
    `two instances, Graph delivery check ${graph ? 'on' : 'off'}: ${JOBS} jobs in ${finished - started} ms (kill after ${killedAt - started} ms at ${sentAtKill} sent); ` +
      `taken over: ${takenOver}; interrupted mid-send: ${all.filter((j) => j.redelivery).length} ` +
      `(found delivered ${found('delivered').length}, not delivered ${found('not_delivered').length}, unknown ${found('unknown').length}); ` +
      `delivered once: ${[...counts.values()].filter((n) => n === 1).length}, twice: ${twice.length}`,
  );
  return { all, counts, twice, found, elapsed: finished - started };
}

it('with the Graph delivery check: each of 1,000 messages reaches Teams exactly once, one of two instances killed mid-run', async () => {
  const { all, counts, found, elapsed } = await killOneOfTwo(true);
  expect(all).toHaveLength(JOBS);
  expect(all.every((j) => j.status === 'done' && j.sentAt)).toBe(true);
  expect(all.filter((j) => counts.get(j.id) !== 1).map((j) => `${j.id}: ${counts.get(j.id) ?? 0}`)).toEqual([]);
  expect(counts.size).toBe(JOBS);
  // Nobody had to guess: every interrupted job was settled by looking.
  expect(found('unknown')).toEqual([]);
  expect(elapsed).toBeLessThan(90_000);
});

it('without it: nothing is lost, and only a job marked as a possible repeat can arrive twice', async () => {
  const { all, counts, twice, found } = await killOneOfTwo(false);
  expect(all).toHaveLength(JOBS);
  expect(all.every((j) => j.status === 'done' && j.sentAt)).toBe(true);
  expect(all.filter((j) => !counts.get(j.id))).toEqual([]);
  expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  const unknown = new Set(found('unknown'));
  expect(twice.filter((k) => !unknown.has(k))).toEqual([]);
  // Only jobs the victim had in flight (its concurrency is 8) can be in that state.
  expect(unknown.size).toBeLessThanOrEqual(8);
});
