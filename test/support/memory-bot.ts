import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createBot } from '../../src/teams/app';
import { createServer } from '../../src/server';
import { createTeamsSender } from '../../src/teams/proactive';
import { jobHandlers } from '../../src/jobs/handlers';
import { runDueJobs } from '../../src/jobs/scheduler';
import { forgetKnownRefs } from '../../src/teams/conversation-refs';
import { systemClock } from '../../src/domain/ports';
import type { Deps } from '../../src/commands/deps';
import type { Running } from '../../src/app-factory';
import { ConnectorStub } from '../harness/connector-stub';
import { memoryStores } from './memory-collection';
import type { BotUnderTest } from './e2e';

/**
 * The whole app, wired as src/app-factory.ts wires it, over the in-memory
 * collections (which test/storage's contract suite holds to the embedded
 * Cosmos store's behaviour) instead of the embedded server. For suites that
 * send tens of thousands of activities; anything about the store itself
 * belongs on startBot().
 */
export async function startMemoryBot(env: Record<string, string> = {}): Promise<BotUnderTest> {
  forgetKnownRefs();
  const stub = await ConnectorStub.start();
  const config = loadConfig({ PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'info', ...env });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, new Writable({ write: (chunk, _e, cb) => void (logs.push(chunk.toString()), cb()) }));
  const stores = memoryStores();
  const deps: Deps = {
    stores,
    clock: systemClock,
    settings: { timeZone: config.timeZone, followUpAfter: config.followUpAfter.parts, reminderEvery: config.reminderEvery.parts, escalateAfter: config.escalateAfter.parts, logGrace: config.logGrace.parts, retention: config.retention.parts },
  };
  const bot = createBot({ deps, config, logger });
  const sender = createTeamsSender(bot.adapter, deps, { appId: '', sendRate: config.teamsSendRate, tenantRate: config.teamsTenantRate, logger });
  deps.sender = sender;
  const jobs: Running['jobs'] = { handlers: jobHandlers(), sender, owner: `${hostname()}:${process.pid}`, logger };
  const app = createServer({ config, logger, bot, storeKind: 'embedded', tick: () => runDueJobs(deps, { ...jobs, scheduledAt: deps.clock.now() }) });
  const store = { kind: 'embedded' as const, stores, database: undefined as never, flush: async () => undefined, close: async () => undefined };
  const running: Running = { config, store, deps, bot, app, jobs };
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    stub,
    running,
    config,
    logs,
    async post(activity, headers = {}) {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ ...activity, serviceUrl: stub.url }) });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body };
    },
    async close() {
      app.server.close();
      await stub.close();
    },
  };
}
