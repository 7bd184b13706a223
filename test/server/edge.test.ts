/**
 * The HTTP edge as an attacker meets it: bodies Teams never sends, forged
 * tokens, and a sign-in metadata host that never answers. No test touches the
 * network: the OpenID metadata comes from a local stub (OPENID_METADATA_URL).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { sign } from 'jsonwebtoken';
import { startBot, type BotUnderTest } from '../support/e2e';
import { createServer, listen } from '../../src/server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Bot } from '../../src/teams/app';

const APP_ID = '11111111-1111-1111-1111-111111111111';
const TENANT_ID = '22222222-2222-2222-2222-222222222222';
const OTHER_TENANT = '99999999-9999-9999-9999-999999999999';

/** `bytes` zero bytes, made 64 KB at a time as the reader asks: never held in memory. */
function zeros(bytes: number): Readable {
  const chunk = Buffer.alloc(64 * 1024);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

function concat(...parts: (string | Readable)[]): Readable {
  return Readable.from(
    (async function* () {
      for (const p of parts) {
        if (typeof p === 'string') yield Buffer.from(p);
        else for await (const c of p) yield c as Buffer;
      }
    })(),
  );
}

/**
 * POSTs a streamed body and resolves with the server's answer as soon as it
 * comes, stopping the body there (the server may close the connection early).
 */
function post(url: string, headers: Record<string, string>, body: Readable): Promise<{ status: number; text: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    body.on('data', (c: Buffer) => (sentBytes += c.length));
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      body.unpipe(req);
      body.destroy();
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentBytes }));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    body.pipe(req);
  });
}

async function healthz(url: string): Promise<number> {
  return (await fetch(`${url}/healthz`)).status;
}

describe('the HTTP edge refuses bodies Teams never sends, before reading them', () => {
  let bot: BotUnderTest;
  let tmp: string;
  const savedTmp = process.env.TMPDIR;

  beforeAll(async () => {
    // os.tmpdir() reads TMPDIR on each call, so anything a parser writes to the temp folder lands here.
    tmp = mkdtempSync(path.join(os.tmpdir(), 'gt-edge-tmp-'));
    process.env.TMPDIR = tmp;
    bot = await startBot();
  });

  afterAll(async () => {
    await bot.close();
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });

  it('refuses a gzip body that inflates to 600 MB with 4xx, and keeps serving', async () => {
    const started = Date.now();
    const gzip = createGzip({ level: 9 });
    const res = await post(`${bot.url}/api/messages`, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, zeros(600 * 1024 * 1024).pipe(gzip));
    expect(res.status).toBe(415);
    expect(res.sentBytes).toBeLessThan(700 * 1024);
    expect(await healthz(bot.url)).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('refuses a 20 MB multipart upload with 4xx and leaves no file in the temp folder', async () => {
    const boundary = 'golden-thread-edge-test';
    const body = concat(
      `--${boundary}\r\nContent-Disposition: form-data; name="notes"\r\n\r\n`,
      zeros(15 * 1024 * 1024),
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      zeros(20 * 1024 * 1024),
      `\r\n--${boundary}--\r\n`,
    );
    const res = await post(`${bot.url}/api/messages`, { 'content-type': `multipart/form-data; boundary=${boundary}` }, body);
    expect(res.status).toBe(415);
    expect(readdirSync(tmp)).toEqual([]);
    expect(await healthz(bot.url)).toBe(200);
  }, 30_000);

  it.each([
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', 415],
    ['text', { 'content-type': 'text/plain' }, '{"type":"message"}', 415],
    ['no content type', {}, '{"type":"message"}', 415],
    ['octet-stream', { 'content-type': 'application/octet-stream' }, 'xx', 415],
    ['deflate', { 'content-type': 'application/json', 'content-encoding': 'deflate' }, 'xx', 415],
    ['JSON that is not JSON', { 'content-type': 'application/json' }, '{"type":', 400],
    ['JSON that is not an activity', { 'content-type': 'application/json' }, '[1,2]', 400],
  ])('refuses %s with %s', async (_name, headers, text, status) => {
    const res = await post(`${bot.url}/api/messages`, headers as Record<string, string>, Readable.from([Buffer.from(text)]));
    expect(res.status).toBe(status);
    expect(res.text.length).toBeLessThan(200);
  });

  it('refuses JSON over 1 MB with 413, whether its length is declared or not', async () => {
    const big = () => concat('{"type":"message","text":"', zeros(2 * 1024 * 1024), '"}');
    const declared = await post(`${bot.url}/api/messages`, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024 + 28) }, big());
    expect(declared.status).toBe(413);
    const chunked = await post(`${bot.url}/api/messages`, { 'content-type': 'application/json' }, big());
    expect(chunked.status).toBe(413);
    expect(await healthz(bot.url)).toBe(200);
  }, 30_000);
});

/** A Bot Framework OpenID metadata host: one published RSA key; counts what it serves. */
async function startMetadataStub(publicKey: KeyObject, kid: string) {
  const served: string[] = [];
  const server = http.createServer((req, res) => {
    served.push(req.url ?? '');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') return res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys` }));
    if (req.url === '/v1/keys') return res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', endorsements: ['msteams'] }] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  return { url, served, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function claims(serviceUrl: string) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: serviceUrl, nbf: now - 10, exp: now + 3600 };
}

function message(tenantId: string) {
  return {
    type: 'message',
    id: 'edge-1',
    channelId: 'msteams',
    text: 'help',
    from: { id: '29:edge-user', aadObjectId: '33333333-3333-3333-3333-333333333333' },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: 'a:edge-chat', conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

const productionEnv = (metadataUrl: string, extra: Record<string, string> = {}) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT_ID,
  ALLOWED_TENANTS: TENANT_ID,
  OPENID_METADATA_URL: metadataUrl,
  LOG_LEVEL: 'info',
  ...extra,
});

describe('in production mode, sign-in failures of every kind are a quick, short 401', () => {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let stub: Awaited<ReturnType<typeof startMetadataStub>>;
  let bot: BotUnderTest;
  let stderr: jest.SpyInstance;

  beforeAll(async () => {
    stub = await startMetadataStub(published.publicKey, 'published');
    bot = await startBot(productionEnv(stub.url));
  });

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write');
  });

  afterEach(() => stderr.mockRestore());

  afterAll(async () => {
    await bot.close();
    await stub.close();
  });

  it('lets a token signed with the published key through to the bot', async () => {
    const token = sign(claims(bot.stub.url), published.privateKey, { algorithm: 'RS256', keyid: 'published' });
    // From a tenant that is not allowed, so the bot answers without calling out to Teams.
    const res = await bot.post(message(OTHER_TENANT), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(bot.logs.join('')).toContain('activity from a tenant that is not allowed');
  });

  const forged: [string, (serviceUrl: string) => string][] = [
    ['alg: none', (s) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(s))}.`],
    [
      'HS256 keyed with the published public key',
      (s) => {
        const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'published' })}.${b64(claims(s))}`;
        const secret = published.publicKey.export({ type: 'spki', format: 'pem' });
        return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
      },
    ],
    ['RS256 with a key nobody published', (s) => sign(claims(s), unpublished.privateKey, { algorithm: 'RS256', keyid: 'unpublished' })],
    ['RS256 naming the published key, signed with another', (s) => sign(claims(s), unpublished.privateKey, { algorithm: 'RS256', keyid: 'published' })],
    ['an expired token', (s) => sign({ ...claims(s), nbf: 1, exp: 2 }, published.privateKey, { algorithm: 'RS256', keyid: 'published' })],
    ['a genuine token for another bot', (s) => sign({ ...claims(s), aud: '44444444-4444-4444-4444-444444444444' }, published.privateKey, { algorithm: 'RS256', keyid: 'published' })],
    ['no token', () => ''],
  ];

  it.each(forged)('%s gets 401 within 5 s, with no internal detail and nothing on stderr', async (_name, token) => {
    const started = Date.now();
    const res = await bot.post(message(TENANT_ID), token(bot.stub.url) ? { authorization: `Bearer ${token(bot.stub.url)}` } : {});
    expect(res.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body).toEqual({ error: 'unauthorized' });
    expect(stderr).not.toHaveBeenCalled();
    expect(bot.stub.calls).toHaveLength(0);
  });

  it('fetched the metadata and keys once for all of the above, and logs refusals as structured lines', () => {
    expect(stub.served).toEqual(['/v1/.well-known/openidconfiguration', '/v1/keys']);
    const lines = bot.logs.map((l) => JSON.parse(l) as { msg: string; refused?: number });
    expect(lines.some((l) => l.msg.startsWith('requests refused: Bot Framework sign-in failed'))).toBe(true);
  });
});

describe('when the sign-in metadata host accepts connections and never answers', () => {
  it('refuses requests with 401 within 10 s, all waiting on one outbound connection', async () => {
    const sockets = new Set<net.Socket>();
    let connections = 0;
    const silent = net.createServer((s) => {
      connections++;
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const bot = await startBot(productionEnv(url));
    try {
      const token = sign(claims(bot.stub.url), privateKey, { algorithm: 'RS256', keyid: 'some-key' });
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 8 }, () => bot.post(message(TENANT_ID), { authorization: `Bearer ${token}` })));
      const took = Date.now() - started;
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(401));
      expect(took).toBeLessThan(10_000);
      expect(connections).toBe(1);
      // Straight after a failed fetch, requests are refused at once rather than queueing another.
      const again = Date.now();
      expect((await bot.post(message(TENANT_ID), { authorization: `Bearer ${token}` })).status).toBe(401);
      expect(Date.now() - again).toBeLessThan(1000);
      expect(connections).toBe(1);
      const warnings = bot.logs.filter((l) => l.includes('could not load the Bot Framework signing keys'));
      expect(warnings).toHaveLength(1);
      // eslint-disable-next-line no-console
      console.log(`8 concurrent requests against a silent metadata host: all 401 after ${took} ms, ${connections} outbound connection`);
    } finally {
      await bot.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 20_000);
});

describe('where the server listens', () => {
  const logger = createLogger('silent');
  const serve = async (env: Record<string, string>) => {
    const config = loadConfig({ PORT: '0', PLAYGROUND: 'off', ...env });
    const app = createServer({ config, logger, bot: {} as Bot, storeKind: 'embedded' });
    const address = await listen(app.server, config);
    app.server.close();
    return address.address;
  };

  it('binds local mode to loopback', async () => {
    expect(await serve({})).toBe('127.0.0.1');
  });

  it('opens local mode wider only when HOST says so', async () => {
    expect(await serve({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('listens on every interface in production mode, as Azure App Service expects', async () => {
    const address = await serve({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT_ID, ALLOWED_TENANTS: TENANT_ID });
    expect(['::', '0.0.0.0']).toContain(address);
  });
});
