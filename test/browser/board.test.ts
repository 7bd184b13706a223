/*
 * The board tab and the published page in Debian's Chromium (playwright-core),
 * over the demo programme (src/demo/seed.ts) plus one withdrawn contribution
 * whose words were left behind, so the page is seen to drop it by status and
 * not only because withdrawing erases words. Two servers: local mode (the
 * Playground's mock users) and production mode, whose Entra keys come from a
 * stub on loopback. axe-core is injected from node_modules. Nothing leaves
 * the machine: every request to another host is refused and written down.
 * Screenshots go to docs/board/ when UPDATE_SCREENSHOTS=1.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { sign } from 'jsonwebtoken';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { storeDeps } from '../support/job-store';
import { fixedClock } from '../support/memory-collection';
import { seedDemo, DEMO_MORE_LXPS, DEMO_PEOPLE, DEMO_PRIORITIES, DEMO_WORDS, type DemoSeedResult } from '../../src/demo/seed';
import { PLAYGROUND_TENANT } from '../../src/playground';
import { createLogger } from '../../src/logger';
import { SigningKeys } from '../../src/teams/auth';
import { registerWebRoutes } from '../../src/web/routes';
import { loadConfig } from '../../src/config';
import { buildApp } from '../../src/app-factory';
import type { Deps } from '../../src/commands/deps';
import type { Contribution } from '../../src/domain/contribution';
import type { OpenStore } from '../../src/storage/cosmos/open-store';
import { CHROMIUM, CHROMIUM_ARGS } from './playground-ui';

jest.setTimeout(120_000);

const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(__dirname, '..', '..', 'docs', 'board') : fs.mkdtempSync(path.join(os.tmpdir(), 'gt-board-shots-'));
const AXE = require.resolve('axe-core/axe.min.js');
const WITHDRAWN_WORDS = 'Zebra crossings outside the ward should be repainted before winter.';
const APP_ID = '8c2f5b1e-4d3a-4f6b-9a7c-1e2d3f4a5b6c';
const AUDIENCE = `api://goldenthread-app.example/botid-${APP_ID}`;

let deps: Deps;
let store: OpenStore;
let seed: DemoSeedResult;
let local: restify.Server;
let production: restify.Server;
let keysServer: http.Server;
let localUrl: string;
let productionUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];
const entra = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

const listen = async (server: { listen: (port: number, host: string, cb: () => void) => unknown; address: () => unknown }) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A Teams SSO token as Entra issues it for the app's webApplicationInfo resource. */
function ssoToken(oid: string, key = entra.privateKey, over: Record<string, unknown> = {}): string {
  return sign({ aud: AUDIENCE, iss: `https://sts.windows.net/${PLAYGROUND_TENANT}/`, tid: PLAYGROUND_TENANT, oid, name: 'Someone', ...over }, key, { algorithm: 'RS256', keyid: 'entra-1', expiresIn: 3600 });
}

async function entries(p: Page): Promise<string[]> {
  return p.locator('ol.entries > li').allInnerTexts();
}

async function seriousProblems(p: Page): Promise<string[]> {
  await p.addScriptTag({ path: AXE });
  const result = (await p.evaluate(() => (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({ resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), as .ci/run does.`);
  fs.mkdirSync(SHOTS, { recursive: true });
  ({ deps, store } = await storeDeps(fixedClock(new Date().toISOString())));
  seed = await seedDemo(deps);
  const crisis = seed.workstreams.find((w) => w.name === 'Crisis pathway')!;
  const sample = (await deps.stores.contributions.query(PLAYGROUND_TENANT, [], { pageSize: 1 })).items[0];
  const withdrawn: Contribution = { ...sample, _etag: undefined, id: 'withdrawn-left-words', workstreamId: crisis.id, lxpIds: [DEMO_PEOPLE.sam.id], words: WITHDRAWN_WORDS, status: 'withdrawn', restricted: false, anonymous: false };
  await deps.stores.contributions.create(withdrawn);

  const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
  local = restify.createServer();
  registerWebRoutes(local, { app: deps, logger });
  localUrl = await listen(local);

  const jwk = { ...createPublicKey(entra.publicKey).export({ format: 'jwk' }), kid: 'entra-1', use: 'sig' };
  keysServer = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(keysServer.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.url === '/keys' ? { keys: [jwk] } : { jwks_uri: `${base}/keys` }));
  });
  const keysUrl = await listen(keysServer);
  production = restify.createServer();
  const keys = new SigningKeys(`${keysUrl}/.well-known/openid-configuration`, { timeoutMs: 2000, logger, name: 'test Entra keys' });
  registerWebRoutes(production, { app: deps, logger, sso: { keys, audiences: [APP_ID, AUDIENCE], allowedTenants: [PLAYGROUND_TENANT] } });
  productionUrl = await listen(production);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // The pages forbid script (CSP); axe is injected by the test, so the test's context lets it run.
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  for (const s of [local, production]) s?.close();
  keysServer?.close();
  await store?.close();
});

afterEach(() => {
  expect(outside).toEqual([]);
});

describe('the board tab (local mode, the Playground users)', () => {
  it('renders the whole programme for the programme team: nothing restricted or withdrawn, anonymous without a name, words only where quoting was allowed', async () => {
    const res = await page.goto(`${localUrl}/tab/board?user=priya`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    await expect(page.locator('h1').innerText()).resolves.toBe('You said, we did');
    const list = await entries(page);
    expect(list).toHaveLength(5);
    const text = await page.locator('body').innerText();
    expect(text).toContain('The whole programme');
    expect(text).toContain(DEMO_WORDS.nightLines);
    for (const hidden of [DEMO_WORDS.voicemail, WITHDRAWN_WORDS, DEMO_WORDS.letters, DEMO_WORDS.peer]) expect(text).not.toContain(hidden);
    const letters = list.find((e) => e.includes('discharge letter template'))!;
    expect(letters).toContain('from An LXP');
    expect(letters).not.toContain('Alex');
    expect(list.filter((e) => e.includes('Words not shared'))).toHaveLength(2);
    await page.screenshot({ path: path.join(SHOTS, 'tab.png'), fullPage: true });
  });

  it('draws the charts, each with its table, for the demo programme', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    const charts = page.locator('figure');
    await expect(charts.count()).resolves.toBe(5);
    for (let i = 0; i < 5; i++) {
      const figure = charts.nth(i);
      await expect(figure.locator('svg[role="img"] > title').count()).resolves.toBe(1);
      await expect(figure.locator('table caption').count()).resolves.toBe(1);
      await expect(figure.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    }
    await expect(page.locator('#contributions-h + svg rect').count()).resolves.toBeGreaterThan(0);
    const counts = await page.locator('figure:has(#contributions-h) tbody td').allInnerTexts();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(5);
    const box = await page.locator('#outcomes-h + svg').boundingBox();
    expect(box!.width).toBeGreaterThan(200);
  });

  it('filters by workstream, status and priority area, from the keyboard and without script', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    await page.selectOption('#f-workstream', { label: 'Community mental health' });
    await page.locator('button[type=submit]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/workstream=/);
    expect(page.url()).toContain('user=priya');
    let list = await entries(page);
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('Two GP surgeries');

    await page.goto(`${localUrl}/tab/board?user=priya&status=not_taken_forward`);
    list = await entries(page);
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('discharge letter template');

    await page.goto(`${localUrl}/tab/board?user=priya`);
    await page.selectOption('#f-area', { label: 'Leaving hospital' });
    await page.click('button[type=submit]');
    await page.waitForURL(/area=/);
    list = await entries(page);
    expect(list).toHaveLength(2);
    await expect(page.locator('#f-area option:checked').innerText()).resolves.toBe('Leaving hospital');

    await page.goto(`${localUrl}/tab/board?user=priya&from=2000-01&to=2000-02`);
    await expect(entries(page)).resolves.toEqual([]);
    await expect(page.locator('main').innerText()).resolves.toContain('Nothing to show here yet.');
  });

  it('filters by programme priority: the contributions whose priority areas are linked to it', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    await page.selectOption('#f-priority', { label: DEMO_PRIORITIES.home.title });
    await page.click('button[type=submit]');
    await page.waitForURL(/priority=/);
    let list = await entries(page);
    expect(list).toHaveLength(1);
    expect(list[0]).toContain('Two GP surgeries');
    await expect(page.locator('#f-priority option:checked').innerText()).resolves.toBe(DEMO_PRIORITIES.home.title);
    await page.selectOption('#f-priority', { label: DEMO_PRIORITIES.leaving.title });
    await page.click('button[type=submit]');
    await page.waitForURL(/priority=/);
    list = await entries(page);
    expect(list).toHaveLength(2);
    expect(list.every((e) => e.includes('Leaving hospital'))).toBe(true);
  });

  it('"who takes part" shows the programme team groups of five or more, hides smaller ones and names nobody; chairs and LXPs do not get it', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    const section = page.locator('section:has(#who-takes-part)');
    const text = await section.innerText();
    for (const name of [...Object.values(DEMO_PEOPLE), ...DEMO_MORE_LXPS].flatMap((p) => p.name.split(' '))) expect(text).not.toContain(name);
    const people = (await section.locator('tbody td:nth-child(2)').allInnerTexts()).map(Number);
    expect(people.length).toBeGreaterThan(0);
    expect(Math.min(...people)).toBeGreaterThanOrEqual(5);
    const age = section.locator('table:has(caption:text-is("Age: taking part and outcomes by group"))');
    await expect(age.locator('tbody th').allInnerTexts()).resolves.toEqual(['25 to 34', '45 to 54']);
    expect(text).toContain('2 groups are not shown');
    expect(text).not.toContain('65 or over');
    for (const who of ['sam', 'chris']) {
      await page.goto(`${localUrl}/tab/board?user=${who}`);
      await expect(page.locator('#who-takes-part').count()).resolves.toBe(0);
      expect(await page.locator('main').innerText()).not.toContain('Who takes part');
    }
  });

  it("a chair's attendance chart follows policy.ts: their own attendance only, not their workstream's", async () => {
    const total = async (user: string) => {
      await page.goto(`${localUrl}/tab/board?user=${user}`);
      return (await page.locator('figure:has(#attendance-h) tbody td').allInnerTexts()).map(Number).reduce((a, b) => a + b, 0);
    };
    expect(await total('priya')).toBeGreaterThan(0);
    expect(await total('chris')).toBe(0);
  });

  it("an LXP's view holds only their own thread, and no way to publish", async () => {
    await page.goto(`${localUrl}/tab/board?user=sam`);
    const text = await page.locator('main').innerText();
    expect(await page.locator('header').innerText()).toContain('Your thread, Sam Okafor');
    expect(await entries(page)).toHaveLength(3);
    for (const own of [DEMO_WORDS.nightLines, DEMO_WORDS.friday, DEMO_WORDS.agenda]) expect(text).toContain(own);
    for (const other of ['Two GP surgeries', 'discharge letter template', 'call-back promise', 'Alex']) expect(text).not.toContain(other);
    await expect(page.locator('a[href*="publish"]').count()).resolves.toBe(0);
    const refused = await fetch(`${localUrl}/tab/board/publish?user=sam`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain(DEMO_WORDS.nightLines);
  });

  it('reflows at 400 % zoom (320 CSS pixels wide) without sideways scrolling', async () => {
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 320, height: 800 });
    await narrow.goto(`${localUrl}/tab/board?user=priya`);
    const [scroll, client] = await narrow.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
    await narrow.close();
  });

  it('axe-core finds no serious or critical problem on the tab', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    expect(await seriousProblems(page)).toEqual([]);
    await page.goto(`${localUrl}/tab/board?user=sam&status=adopted`);
    expect(await seriousProblems(page)).toEqual([]);
  });
});

describe('production mode: Teams single sign-on', () => {
  const demoText = [DEMO_WORDS.nightLines, DEMO_WORDS.friday, 'Sam Okafor', 'Crisis pathway'];

  it.each([
    ['no token', undefined],
    ['a forged token', `Bearer ${ssoToken(DEMO_PEOPLE.priya.id, forger.privateKey)}`],
    ['a token for another app', `Bearer ${ssoToken(DEMO_PEOPLE.priya.id, entra.privateKey, { aud: 'api://elsewhere.example/botid-x' })}`],
    ['not a token', 'Bearer nonsense'],
  ])('%s gets 401 and nothing else', async (_case, authorization) => {
    for (const route of ['/tab/board', '/tab/board/publish', '/tab/board?user=priya', '/tab/board/publish?download=1&user=priya']) {
      const res = await fetch(`${productionUrl}${route}`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      const body = await res.text();
      for (const t of demoText) expect(body).not.toContain(t);
    }
  });

  it('a valid token shows that person their board: the programme team the programme, an LXP their thread', async () => {
    const priya = await fetch(`${productionUrl}/tab/board`, { headers: { authorization: `Bearer ${ssoToken(DEMO_PEOPLE.priya.id)}` } });
    expect(priya.status).toBe(200);
    expect(await priya.text()).toContain('The whole programme');
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${ssoToken(DEMO_PEOPLE.sam.id)}` });
    try {
      await page.goto(`${productionUrl}/tab/board`);
      expect(await entries(page)).toHaveLength(3);
      expect(await page.locator('main').innerText()).not.toContain('Two GP surgeries');
    } finally {
      await page.setExtraHTTPHeaders({});
    }
  });
});

describe("the bot's own server", () => {
  it.each([
    ['local mode: the Playground user sees the tab', {}, undefined, 200],
    ['production mode: a forged token gets 401', { MicrosoftAppId: APP_ID, MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: 'x', ALLOWED_TENANTS: PLAYGROUND_TENANT, BOT_DOMAIN: 'goldenthread-app.example' }, 'forged', 401],
    ['production mode: a valid token gets the page', { MicrosoftAppId: APP_ID, MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: 'x', ALLOWED_TENANTS: PLAYGROUND_TENANT, BOT_DOMAIN: 'goldenthread-app.example' }, 'valid', 200],
  ])('%s', async (_case, env, token, status) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-board-app-'));
    const keysUrl = `http://127.0.0.1:${(keysServer.address() as AddressInfo).port}`;
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, PLAYGROUND: 'off', LOG_LEVEL: 'silent', ENTRA_METADATA_URL: `${keysUrl}/.well-known/openid-configuration`, ...env });
    const running = await buildApp(config, createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() })));
    try {
      const url = await listen(running.app.server);
      const authorization = token && `Bearer ${ssoToken(DEMO_PEOPLE.priya.id, token === 'forged' ? forger.privateKey : entra.privateKey)}`;
      const res = await fetch(`${url}/tab/board`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(status);
      const body = await res.text();
      expect(body).toContain(status === 200 ? 'You said, we did' : 'Sign in needed');
    } finally {
      running.app.server.close();
      await running.store.close();
    }
  });
});

describe('the published page', () => {
  let file: string;

  beforeAll(async () => {
    const res = await fetch(`${localUrl}/tab/board/publish?user=priya&download=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="you-said-we-did.html"/);
    file = await res.text();
  });

  it('is previewed first in the tab, with a link to download it', async () => {
    await page.goto(`${localUrl}/tab/board?user=priya`);
    await page.click('text=Publish the board: see the page first');
    await page.waitForURL(/\/tab\/board\/publish/);
    await expect(page.locator('.banner').innerText()).resolves.toContain('Preview.');
    await expect(page.locator('a[download]').getAttribute('href')).resolves.toMatch(/download=1/);
    expect(await seriousProblems(page)).toEqual([]);
  });

  it('holds only what the LXPs allowed to be public, and asks no other host for anything', () => {
    expect(file).toContain(DEMO_WORDS.nightLines.replace(/&/g, '&#38;'));
    expect(file).toContain('Sam Okafor');
    // Restricted, withdrawn, and the words of anyone who did not allow quoting (Alex); Alex is never named.
    for (const never of [DEMO_WORDS.voicemail, 'sat on the kitchen floor', WITHDRAWN_WORDS, 'Zebra crossings', DEMO_WORDS.letters, DEMO_WORDS.peer, 'Alex', 'Rivera']) {
      expect(file).not.toContain(never);
    }
    expect(file).not.toMatch(/\b(src|href|action)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(file).not.toMatch(/url\(/i);
    expect(file).not.toMatch(/<script|<link|<iframe|<img|@import/i);
    expect(file).not.toContain('Preview.');
  });

  it('opened on its own, makes no request at all and passes axe-core', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-published-'));
    const at = path.join(dir, 'you-said-we-did.html');
    fs.writeFileSync(at, file);
    const own = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } });
    const requests: string[] = [];
    own.on('request', (r) => requests.push(r.url()));
    const p = await own.newPage();
    await p.goto(`file://${at}`);
    await p.waitForLoadState('networkidle');
    expect(requests).toEqual([`file://${at}`]);
    await expect(p.locator('ol.entries > li').count()).resolves.toBe(5);
    await expect(p.locator('text=Words not shared').count()).resolves.toBe(2);
    await expect(p.locator('svg[role="img"]').count()).resolves.toBe(5);
    await p.screenshot({ path: path.join(SHOTS, 'published.png'), fullPage: true });
    expect(await seriousProblems(p)).toEqual([]);
    await own.close();
  });
});
