/**
 * One instance of the bot's scheduler, composed as src/index.ts composes it
 * (loadConfig → buildApp → startScheduler with the production defaults), over
 * a shared store (COSMOS_ENDPOINT) and the connector stub the stored
 * conversation references point at. Does not listen for HTTP. Reports
 * { type: 'ready', owner } once the scheduler is started.
 */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { buildApp } from '../src/app-factory';
import { startScheduler } from '../src/jobs/scheduler';
import { serveIpc } from './lib';

async function main() {
  const config = loadConfig();
  // Goes to the log file spawnChild names; keep LOG_LEVEL at warn so logging is not what is measured.
  const logger = createLogger(config.logLevel);
  const running = await buildApp(config, logger);
  const started = Date.now();
  // Unset = the scheduler's own default, as index.ts runs it; set only to see what a different value would do.
  const concurrency = process.env.BENCH_SCHEDULER_CONCURRENCY ? Number(process.env.BENCH_SCHEDULER_CONCURRENCY) : undefined;
  const scheduler = startScheduler(running.deps, { ...running.jobs, intervalMs: config.schedulerInterval.ms, concurrency });
  serveIpc({ cpu: () => process.cpuUsage() });
  process.on('SIGTERM', () => {
    void scheduler.stop().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', owner: running.jobs.owner, started });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
