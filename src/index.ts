import 'dotenv/config';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { buildApp } from './app-factory';
import { listen } from './server';
import { startPlayground } from './playground';
import { startScheduler } from './jobs/scheduler';
import { seedDemo } from './demo/seed';
import { demoGuide } from './demo/guide';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await buildApp(config, logger);
  // DEMO=1 (npm run demo): the Playground's tenant gets demo data, before anything can arrive or the scheduler runs.
  if (config.demo && config.bot) logger.warn('DEMO is for local mode only (no MicrosoftAppId); no demo data was added.');
  const seeded = config.demo && !config.bot ? await seedDemo(running.deps) : undefined;
  // Every write is already on disk; this compacts the demo's many writes into one snapshot.
  if (seeded?.seeded) await running.store.flush();
  const { server } = running.app;
  const { port, address } = await listen(server, config);
  const shown = address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  logger.info({ port, host: address, store: running.store.kind, mode: config.bot ? 'production' : 'local' }, `Golden Thread is listening on http://${shown}:${port}/api/messages`);

  const scheduler = startScheduler(running.deps, { ...running.jobs, intervalMs: config.schedulerInterval.ms });
  running.queue.whenWorkQueued(scheduler.kick);
  const playground = config.playground
    ? await startPlayground(config, port, logger).catch((err: Error) => {
        logger.warn(err.message);
        return undefined;
      })
    : undefined;
  if (config.demo && !config.bot) {
    const url = await playground?.ready.catch(() => undefined);
    process.stdout.write(`${demoGuide(seeded, url, config.dataDir)}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing turns in progress');
    playground?.stop();
    await Promise.all([running.app.drain(), scheduler.stop()]);
    server.close();
    await running.store.close();
    logger.info('stopped; local data saved');
    process.exit(0);
  };
  // A failed save must still end the process, and say so, rather than crash with an unhandled rejection.
  const stopOrFail = (signal: string) =>
    stop(signal).catch((err) => {
      logger.error({ err: { message: (err as Error).message } }, 'stopped, but local data may not be saved');
      process.exit(1);
    });
  process.on('SIGTERM', () => void stopOrFail('SIGTERM'));
  process.on('SIGINT', () => void stopOrFail('SIGINT'));
}

main().catch((err) => {
  console.error('Golden Thread could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
