import * as restify from 'restify';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Bot } from './teams/app';
import { PRIVACY_HTML, TERMS_HTML } from './pages';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  bot: Bot;
  storeKind: 'embedded' | 'cosmos';
  /** Runs due jobs once; used by POST /api/jobs/tick. */
  tick?: () => Promise<{ ran: number }>;
}

export interface AppServer {
  server: restify.Server;
  /** Turns in progress, so shutdown can wait for them. */
  inFlight(): number;
  drain(timeoutMs?: number): Promise<void>;
}

function secretMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Routes only; index.ts (or a test) calls listen(). */
export function createServer(deps: ServerDeps): AppServer {
  const server = restify.createServer({ name: 'golden-thread' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  let inFlight = 0;
  let draining = false;

  server.get('/healthz', (_req, res, next) => {
    res.send(draining ? 503 : 200, { status: draining ? 'stopping' : 'ok', store: deps.storeKind, version: deps.config.version });
    return next();
  });

  for (const [route, html] of [['/privacy', PRIVACY_HTML], ['/terms', TERMS_HTML]] as const) {
    server.get(route, (_req, res, next) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
      return next();
    });
  }

  server.post('/api/messages', async (req, res) => {
    if (draining) {
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight++;
    try {
      await deps.bot.adapter.process(req, res, (context) => deps.bot.handle(context));
    } catch (err) {
      deps.logger.error({ err: { message: (err as Error).message } }, 'request failed');
      if (!res.headersSent) res.send(500);
    } finally {
      inFlight--;
    }
  });

  if (deps.config.jobsTickSecret && deps.tick) {
    const secret = deps.config.jobsTickSecret;
    const tick = deps.tick;
    server.post('/api/jobs/tick', async (req, res) => {
      const given = (req.headers['x-jobs-secret'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /i, '');
      if (!secretMatches(secret, given)) {
        res.send(401, { error: 'the jobs secret is missing or wrong' });
        return;
      }
      const result = await tick();
      res.send(200, result);
    });
  }

  return {
    server,
    inFlight: () => inFlight,
    async drain(timeoutMs = 10000) {
      draining = true;
      const until = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    },
  };
}
