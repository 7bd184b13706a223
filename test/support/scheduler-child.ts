import { programmeStores } from '../../src/domain/programme-stores';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';
/**
 * One scheduler instance for test/jobs/two-instances.test.ts: the real
 * scheduler and Teams sender against a shared store (COSMOS_ENDPOINT) and the
 * connector stub the conversation references point at (and, with GRAPH_URL,
 * the stub's Microsoft Graph routes for the delivery check). Prints "ready" once
 * running; SIGTERM stops it gracefully, SIGKILL is the crash under test.
 */
import { openStore } from '../../src/storage/cosmos/open-store';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createAdapter } from '../../src/teams/app';
import { createTeamsSender } from '../../src/teams/proactive';
import { createGraphDeliveryCheck } from '../../src/teams/graph-delivery';
import { jobHandlers } from '../../src/jobs/handlers';
import { startScheduler } from '../../src/jobs/scheduler';
import { systemClock } from '../../src/domain/ports';
import type { Deps } from '../../src/commands/deps';
import { jobQueue } from '../../src/jobs/queue';

async function main() {
  const env = process.env;
  const store = await openStore({ cosmos: { endpoint: env.COSMOS_ENDPOINT!, key: env.COSMOS_KEY! }, databaseName: env.COSMOS_DATABASE! });
  const deps: Deps = {
    stores: programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }),
    clock: systemClock,
    settings: { timeZone: 'Europe/London', followUpAfter: { days: 14 }, reminderEvery: { days: 7 }, escalateAfter: { days: 14 }, logGrace: { days: 7 }, meetingCloseAfter: { hours: 1 }, sessionCloseAfter: { hours: 8 }, retention: { years: 6 } },
    queue: jobQueue({ stores: programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }), clock: systemClock }),
  };
  const config = loadConfig({ PLAYGROUND: 'off' });
  const logger = createLogger(env.LOG_LEVEL ?? 'warn');
  const adapter = createAdapter({ config, logger });
  const leaseMs = Number(env.LEASE_MS ?? 2000);
  // GRAPH_URL set: GRAPH_DELIVERY_CHECK on, against the stub's Graph routes.
  const deliveryCheck = env.GRAPH_URL
    ? createGraphDeliveryCheck({ baseUrl: env.GRAPH_URL, credential: { getToken: async () => ({ token: 'test', expiresOnTimestamp: Date.now() + 3_600_000 }) } })
    : undefined;
  const sender = createTeamsSender(adapter, deps, { appId: '', sendRate: 7, tenantRate: Number(env.TENANT_RATE ?? 50), logger, timeoutMs: leaseMs / 2, deliveryCheck });
  const scheduler = startScheduler(deps, { handlers: jobHandlers(), sender, owner: env.OWNER!, intervalMs: 100, leaseMs, max: 200, concurrency: 8, logger });
  process.on('SIGTERM', () => {
    void scheduler.stop().then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
