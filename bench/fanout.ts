/**
 * Benchmark 2: follow-up fan-out. 10,000 due 'notify' jobs, each for a
 * different person with a stored 1:1 conversation reference pointing at the
 * connector stub, sent by the real scheduler and Teams sender (rate limiter,
 * lease fence, once-only stamps) with TEAMS_TENANT_RATE=500.
 *
 * Topology: the store in its own process (a Cosmos-compatible server, as
 * Cosmos DB is a service of its own in Azure), the stub in another, and the
 * scheduler in one process, then in two processes started together. The
 * instances share the tenant's limit (src/jobs/instances.ts: each sends at
 * 500 / live instances), so both runs are measured against 500 a second, and
 * the busiest second at the stub is printed against it.
 *
 * Goals, each run: achieved rate / limit ≥ 0.9, duplicates 0, lost 0.
 */
import { openStore } from '../src/storage/cosmos/open-store';
import { programmeStores } from '../src/domain/programme-stores';
import { newPerson } from '../src/domain/person';
import type { ConversationRef } from '../src/domain/job';
import type { TrackedJob } from '../src/jobs/schedule';
import { cpuMs, round, spawnChild, tempDir, verdict, waitUntil, withChildren, type Child, type Goal } from './lib';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const RATE = Number(process.env.BENCH_TENANT_RATE ?? 500);
const TENANT = '00000000-0000-0000-0000-0000000000bb';
/** Bounds each run: well over the 20 s that 10,000 jobs need at 500 a second. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_RUN_TIMEOUT ?? 300_000);

interface Sends {
  count: number;
  perKey: Record<string, number>;
  first?: number;
  last?: number;
  peakPerSecond: number;
  peakAtMs?: number;
  failed: number;
}

interface Outcome {
  instances: number;
  limit: number;
  rate: number;
  rateFromStart: number;
  duplicates: number;
  lost: number;
  peakPerSecond: number;
  seconds: number;
  notDone: number;
  redelivered: number;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function run(instances: number, store: Child, stub: Child, track: (c: Child) => Child): Promise<Outcome> {
  const databaseName = `fanout-${instances}-${Date.now()}`;
  const { endpoint, key } = store.info as { endpoint: string; key: string };
  const opened = await openStore({ cosmos: { endpoint, key }, databaseName });
  // Written through a programme's view, as the app writes them since programmes (every document names its partition).
  const db = { stores: programmeStores(opened.stores, { programmeId: 'bench-programme', tenantId: TENANT }) };
  const runAt = new Date(Date.now() - 60_000).toISOString();
  const seedStart = Date.now();
  const ids = Array.from({ length: JOBS }, (_, i) => i);
  await inBatches(ids, 100, async (i) => {
    const personId = `aad-bench-${i}`;
    const teamsId = `29:1-bench-${i}`;
    await db.stores.people.create(newPerson(TENANT, personId, `Person ${i}`, new Date(runAt), teamsId));
    const ref: ConversationRef = {
      id: personId,
      tenantId: TENANT,
      type: 'conversation',
      kind: 'person',
      reference: {
        channelId: 'msteams',
        serviceUrl: stub.info.url,
        bot: { id: '28:golden-thread-bot', name: 'Golden Thread' },
        user: { id: teamsId, name: `Person ${i}` },
        conversation: { id: `a:bench-${i}`, conversationType: 'personal', tenantId: TENANT, isGroup: false },
      },
      updatedAt: runAt,
    };
    await db.stores.conversations.create(ref);
    await db.stores.jobs.create({
      id: `notify:bench-${i}:${runAt}`,
      tenantId: TENANT,
      type: 'job',
      kind: 'notify',
      runAt,
      status: 'pending',
      subjectId: `bench-${i}`,
      payload: { to: { kind: 'person', personId }, template: 'unreachable-notice', data: { name: `Person ${i}`, why: 'A benchmark message.' }, summary: 'Golden Thread' },
      attempts: 0,
      createdAt: runAt,
    });
  });
  console.log(`seeded ${JOBS} people, conversation references and due jobs in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  await stub.request('reset');
  const env = {
    COSMOS_ENDPOINT: endpoint,
    COSMOS_KEY: key,
    COSMOS_DATABASE: databaseName,
    TEAMS_TENANT_RATE: String(RATE),
    PLAYGROUND: 'off',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATA_DIR: tempDir('gt-bench-data-'),
  };
  // BENCH_CPU_PROF=<dir>: each scheduler process writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const schedulers = await Promise.all(Array.from({ length: instances }, () => spawnChild('scheduler-process.ts', env, profile).then(track)));
  const started = Math.min(...schedulers.map((s) => s.info.started as number));
  const watched = [['store', store], ['stub', stub], ...schedulers.map((s, i) => [`scheduler ${i + 1}`, s] as const)] as const;
  const cpuBefore = watched.map(([, c]) => cpuMs(c.pid));
  const wallBefore = Date.now();
  // Only a count while the run goes: the full tally (per key, busiest second) would cost the machine being measured.
  await waitUntil(`${JOBS} sends with ${instances} instance(s)`, RUN_TIMEOUT_MS, async () => ((await stub.request<number>('sendCount')) >= JOBS ? true : undefined), 250).catch(
    (err: Error) => console.log(err.message),
  );
  // Anything still on its way (a repeat would show up late) gets a moment to arrive before counting.
  await new Promise((r) => setTimeout(r, 1000));
  const final = await stub.request<Sends>('sends');
  if (process.env.BENCH_TIMELINE) console.log(`sends per 250 ms: ${(await stub.request<number[]>('timeline', { ms: 250 })).join(' ')}`);
  const wall = Date.now() - wallBefore;
  const cpu = watched.map(([name, c], i) => `${name} ${Math.round(((cpuMs(c.pid) - cpuBefore[i]) / wall) * 100)}%`).join(', ');
  for (const s of schedulers) await s.stop();

  const jobs: TrackedJob[] = [];
  let continuation: string | undefined;
  do {
    const page = await db.stores.jobs.query(TENANT, [], { pageSize: 1000, continuation });
    jobs.push(...(page.items as TrackedJob[]));
    continuation = page.continuation;
  } while (continuation);
  await opened.close();

  const duplicates = Object.values(final.perKey).reduce((n, c) => n + Math.max(0, c - 1), 0);
  const lost = jobs.filter((j) => !final.perKey[j.id]).length;
  const seconds = ((final.last ?? Date.now()) - (final.first ?? started)) / 1000;
  const limit = RATE;
  const rate = final.count > 1 ? (final.count - 1) / Math.max(0.001, seconds) : 0;
  const out: Outcome = {
    instances,
    limit,
    rate,
    rateFromStart: final.count / Math.max(0.001, ((final.last ?? Date.now()) - started) / 1000),
    duplicates,
    lost,
    peakPerSecond: final.peakPerSecond,
    seconds,
    notDone: jobs.filter((j) => j.status !== 'done').length,
    redelivered: jobs.filter((j) => j.redelivery).length,
  };
  const errors = new Map<string, number>();
  for (const j of jobs) if (j.lastError) errors.set(j.lastError.slice(0, 160), (errors.get(j.lastError.slice(0, 160)) ?? 0) + 1);
  if (errors.size) console.log(`errors jobs met on the way (retried): ${JSON.stringify(Object.fromEntries(errors))}`);
  console.log(`CPU of one core while it ran: ${cpu}`);
  console.log(
    `${instances} instance(s): ${final.count} sent in ${seconds.toFixed(1)} s from first to last = ${round(rate, 1)}/s ` +
      `(${round(out.rateFromStart, 1)}/s from scheduler start); limit ${limit}/s for the tenant, shared by ${instances} instance(s) → rate/limit ${round(rate / limit)}; ` +
      `duplicates ${duplicates}; lost ${lost}; jobs not done ${out.notDone}; marked redelivery ${out.redelivered}; failed stub calls ${final.failed}; busiest second at the stub ${final.peakPerSecond}, starting ${round((final.peakAtMs ?? 0) / 1000, 1)} s after the first send (tenant limit ${RATE})`,
  );
  return out;
}

async function main() {
  const [one, two] = await withChildren(async (track) => {
    const store = track(await spawnChild('store-process.ts', {}, process.env.BENCH_STORE_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_STORE_PROF}`] : []));
    const stub = track(await spawnChild('stub-process.ts'));
    const one = await run(1, store, stub, track);
    const two = await run(2, store, stub, track);
    return [one, two];
  });
  const goals = (o: Outcome): Goal[] => [
    { name: `${o.instances} instance(s): rate/limit at least 0.9`, ok: o.rate / o.limit >= 0.9, detail: `${round(o.rate, 1)}/s of ${o.limit}/s = ${round(o.rate / o.limit)}` },
    { name: `${o.instances} instance(s): no duplicates`, ok: o.duplicates === 0, detail: String(o.duplicates) },
    { name: `${o.instances} instance(s): none lost`, ok: o.lost === 0, detail: String(o.lost) },
  ];
  if (two.peakPerSecond > RATE) console.log(`NOTE two instances sent ${two.peakPerSecond} in their busiest second, over the tenant's ${RATE}: their shares were out of step.`);
  verdict(
    [...goals(one), ...goals(two)],
    `ratio: rate/limit one instance = ${round(one.rate / one.limit)} (dup ${one.duplicates}, lost ${one.lost}); two instances = ${round(two.rate / two.limit)} of the same ${RATE} (dup ${two.duplicates}, lost ${two.lost}); goal >= 0.9, 0, 0`,
  );
}

void main();
