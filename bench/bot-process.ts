/**
 * The full bot as src/index.ts runs it (loadConfig → buildApp → listen →
 * startScheduler, embedded store in this process), plus an IPC channel so a
 * benchmark can read ids from the store and seed data in bulk. Left out of
 * index.ts's start-up: the Playground. The embedded store journals to
 * DATA_DIR as it does under `npm start`, so each write's fsync is measured.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { buildApp } from '../src/app-factory';
import { startScheduler } from '../src/jobs/scheduler';
import { serveIpc, type IpcMessage } from './lib';
import { CONTAINERS } from '../src/storage/containers';
import { createProfiler } from './profiler';
import { baselineReport, probeQuery, seedReports } from './reports-seed';
import { buildReport } from '../src/commands/reports';
import { inProgramme, type Caller } from '../src/commands/deps';
import type { OpenStore } from '../src/storage/cosmos/open-store';

async function memoryStore(): Promise<OpenStore> {
  const { memoryStores } = await import('../test/support/memory-collection');
  return { kind: 'embedded', stores: memoryStores(), database: undefined as never, flush: async () => undefined, close: async () => undefined };
}

async function main() {
  const config = loadConfig();
  // Goes to the log file spawnChild names; keep LOG_LEVEL at warn so logging is not what is measured.
  const logger = createLogger(config.logLevel);
  // BENCH_STORE=memory: the test suite's in-memory collections instead of Cosmos DB (no HTTP, no journal). Not a way
  // the bot runs; a ceiling for benchmark 1: what a log_save costs when its store calls cost next to nothing.
  const running = await buildApp(config, logger, process.env.BENCH_STORE === 'memory' ? { store: await memoryStore() } : {});
  const { server } = running.app;
  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scheduler = startScheduler(running.deps, { ...running.jobs, intervalMs: config.schedulerInterval.ms });
  running.queue.whenWorkQueued(scheduler.kick);
  const { stores } = running.deps;
  const profiler = createProfiler();
  const count = async (container: string) => {
    if (process.env.BENCH_STORE === 'memory') return (await stores[container as 'contributions'].queryAll([], { pageSize: 100000 })).items.length;
    // By the store's name for it ("contributions" is kept in contributions-v2 since programmes).
    const id = (CONTAINERS as Record<string, { id: string }>)[container]?.id ?? container;
    const { resources } = await running.store.database.container(id).items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
    return resources[0] ?? 0;
  };

  serveIpc({
    ids: async () => ({
      workstreams: (await stores.workstreams.queryAll([{ field: 'type', op: '=', value: 'workstream' }], { pageSize: 1000 })).items.map((w) => ({ id: w.id, name: (w as { name?: string }).name, programmeId: w.programmeId })),
      meetings: (await stores.meetings.queryAll([], { pageSize: 1000 })).items.map((m) => ({ id: m.id, conversationId: m.conversationId, workstreamId: m.workstreamId })),
    }),
    count: (m: IpcMessage) => count(m.container as string),
    memory: () => process.memoryUsage(),
    cpu: () => process.cpuUsage(),
    inFlight: () => running.app.inFlight(),
    profileStart: () => profiler.start(),
    profileStop: (m: IpcMessage) => profiler.stop(m.file as string),
    seedReports: (m: IpcMessage) => seedReports(running.deps, m as never),
    baselineReport: (m: IpcMessage) => baselineReport(running.deps, m as never),
    probeQuery: (m: IpcMessage) => probeQuery(running.deps, m as never),
    /** The report's own figures (from the counters) in programme `m.programmeId`, to check the baseline against. */
    reportFigures: async (m: IpcMessage) => {
      const caller = m.caller as Caller;
      const r = await buildReport(inProgramme(running.deps, caller.tenantId, m.programmeId as string), caller, m.text as string);
      return { current: r.current, before: r.before, scope: r.scope };
    },
  });
  process.on('SIGTERM', () => {
    void scheduler.stop().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
