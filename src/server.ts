import * as restify from 'restify';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Bot } from './teams/app';
import { PRIVACY_HTML, TERMS_HTML } from './pages';
import { registerWebRoutes, type WebDeps } from './web/routes';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  bot: Bot;
  storeKind: 'embedded' | 'cosmos';
  /** Runs due jobs once; used by POST /api/jobs/tick. */
  tick?: () => Promise<{ ran: number }>;
  /** The tab pages (src/web/routes.ts); absent, there are none. */
  web?: WebDeps;
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

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Lets through only what Teams sends (and the jobs timer): an uncompressed
 * JSON body of at most 1 MB, judged from the headers before a byte is read.
 * restify's bodyParser would inflate gzip without counting inflated bytes
 * and write multipart uploads to the temp folder before sign-in.
 */
function onlyJson(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const refuse = (status: number, error: string) => {
    // Close rather than read on: the client may be sending far more than we will ever look at.
    res.header('connection', 'close');
    res.send(status, { error });
    next(false);
  };
  const declared = req.headers['content-length'];
  const hasBody = req.isChunked() || (declared !== undefined && declared !== '0');
  if (!hasBody) return next();
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return refuse(415, 'compressed request bodies are not accepted');
  if (req.getContentType() !== 'application/json') return refuse(415, 'the body must be application/json');
  if (declared !== undefined && !(Number(declared) <= MAX_BODY_BYTES)) return refuse(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  next();
}

/** For POST routes. A chunked body with no length given is read up to the limit and the rest dropped (restify's bodyReader), then refused with 413. */
const jsonBody = [onlyJson, restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }), ...restify.plugins.jsonBodyParser({ bodyReader: true })];

/**
 * Where the server listens: config.host, which is loopback in local mode
 * (no sign-in) unless HOST says otherwise, and every interface in production.
 */
export async function listen(server: restify.Server, config: Pick<Config, 'port' | 'host'>): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen({ port: config.port, host: config.host }, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** The privacy statement and terms of use the manifest links to. */
function pageRoutes(server: restify.Server): void {
  for (const [route, html] of [['/privacy', PRIVACY_HTML], ['/terms', TERMS_HTML]] as const) {
    server.get(route, (_req, res, next) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
      return next();
    });
  }
}

/** POST /api/jobs/tick: an outside timer runs due jobs, with the shared secret. */
function jobsTickRoute(server: restify.Server, secret: string, tick: () => Promise<{ ran: number }>): void {
  server.post('/api/jobs/tick', ...jsonBody, async (req: restify.Request, res: restify.Response) => {
    const given = (req.headers['x-jobs-secret'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /i, '');
    if (!secretMatches(secret, given)) {
      res.send(401, { error: 'the jobs secret is missing or wrong' });
      return;
    }
    const result = await tick();
    res.send(200, result);
  });
}

/** Routes only; index.ts (or a test) calls listen(). */
export function createServer(deps: ServerDeps): AppServer {
  const server = restify.createServer({ name: 'golden-thread' });
  // Node allows five minutes to send one request; a body of 1 MB needs nothing like that.
  server.server.requestTimeout = 30_000;
  let inFlight = 0;
  let draining = false;

  server.get('/healthz', (_req, res, next) => {
    res.send(draining ? 503 : 200, { status: draining ? 'stopping' : 'ok', store: deps.storeKind, version: deps.config.version });
    return next();
  });

  pageRoutes(server);

  if (deps.web) registerWebRoutes(server, deps.web);

  server.post('/api/messages', ...jsonBody, async (req: restify.Request, res: restify.Response) => {
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

  if (deps.config.jobsTickSecret && deps.tick) jobsTickRoute(server, deps.config.jobsTickSecret, deps.tick);

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
