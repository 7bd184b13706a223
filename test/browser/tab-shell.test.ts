/*
 * The tab as Teams opens it, in Debian's Chromium (playwright-core), under
 * the pages' own content security policy (no bypass): GET /tab, the shell,
 * asks Teams for a single sign-on token and loads the board with it. Teams
 * is stood in for by a stub served in place of /tab/static/teams-js.js (the
 * same calls, answered here); its token is signed with a test key whose JWKS
 * the Entra metadata stub on loopback serves. axe-core is served from our own
 * host the same way, so the policy lets it run. Nothing leaves the machine.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as restify from 'restify';
import { sign } from 'jsonwebtoken';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { storeDeps } from '../support/job-store';
import { fixedClock } from '../support/memory-collection';
import { seedDemo, DEMO_PEOPLE, DEMO_WORDS } from '../../src/demo/seed';
import { PLAYGROUND_TENANT } from '../../src/playground';
import { createLogger } from '../../src/logger';
import { SigningKeys } from '../../src/teams/auth';
import { registerWebRoutes, TEAMS_ORIGIN_LIST } from '../../src/web/routes';
import type { OpenStore } from '../../src/storage/cosmos/open-store';
import { CHROMIUM, CHROMIUM_ARGS } from './playground-ui';

jest.setTimeout(120_000);

const APP_ID = '8c2f5b1e-4d3a-4f6b-9a7c-1e2d3f4a5b6c';
const AUDIENCE = `api://goldenthread-app.example/botid-${APP_ID}`;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const entra = pair();
const forger = pair();

let store: OpenStore;
let local: restify.Server;
let production: restify.Server;
let keysServer: http.Server;
let localUrl: string;
let productionUrl: string;
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];
const policyViolations: string[] = [];
/** The token the stubbed Teams hands out, set by each test. */
let teamsToken = '';

const listen = async (server: { listen: (port: number, host: string, cb: () => void) => unknown; address: () => unknown }) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

function ssoToken(oid: string, key = entra.privateKey): string {
  return sign({ aud: AUDIENCE, iss: `https://sts.windows.net/${PLAYGROUND_TENANT}/`, tid: PLAYGROUND_TENANT, oid, name: 'Someone' }, key, { algorithm: 'RS256', keyid: 'entra-1', expiresIn: 3600 });
}

/** The calls the shell and the configuration page make of teams-js, recorded in window.teamsCalls. */
const teamsStub = (token: string) => `
window.teamsCalls = [];
window.microsoftTeams = {
  app: { initialize: function () { teamsCalls.push(['app.initialize']); return Promise.resolve(); } },
  authentication: { getAuthToken: function () { teamsCalls.push(['authentication.getAuthToken']); return Promise.resolve(${JSON.stringify(token)}); } },
  pages: { config: {
    registerOnSaveHandler: function (handler) { teamsCalls.push(['pages.config.registerOnSaveHandler']); window.teamsSave = handler; },
    setValidityState: function (valid) { teamsCalls.push(['pages.config.setValidityState', valid]); },
    setConfig: function (config) { teamsCalls.push(['pages.config.setConfig', config]); return Promise.resolve(); }
  } }
};`;

async function newPage(): Promise<{ page: Page; boardRequests: Request[] }> {
  const page = await context.newPage();
  const boardRequests: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/tab/board')) boardRequests.push(r);
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) policyViolations.push(m.text());
  });
  return { page, boardRequests };
}

const entries = (p: Page) => p.locator('ol.entries > li').allInnerTexts();

async function seriousProblems(p: Page): Promise<string[]> {
  await p.addScriptTag({ url: '/tab/static/axe-for-tests.js' });
  const result = (await p.evaluate(() => (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({ resultTypes: ['violations'] }))) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), as .ci/run does.`);
  let deps;
  ({ deps, store } = await storeDeps(fixedClock(new Date().toISOString())));
  await seedDemo(deps);
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
  context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    // The real library asks for Microsoft's list of Teams hosts; offline here, so it uses its own copy.
    if (url.href === TEAMS_ORIGIN_LIST) return route.abort();
    if (url.hostname !== '127.0.0.1') {
      outside.push(url.href);
      return route.abort();
    }
    if (url.pathname === '/tab/static/teams-js.js') return route.fulfill({ contentType: 'text/javascript', body: teamsStub(teamsToken) });
    if (url.pathname === '/tab/static/axe-for-tests.js') return route.fulfill({ contentType: 'text/javascript', body: AXE });
    return route.continue();
  });
});

afterAll(async () => {
  await browser?.close();
  for (const s of [local, production]) s?.close();
  keysServer?.close();
  await store?.close();
});

afterEach(() => {
  expect(outside).toEqual([]);
  expect(policyViolations).toEqual([]);
});

describe('the tab in Teams (production mode): the shell gets the token from Teams', () => {
  it('renders the board with the token Teams gives, sending it only as a Bearer header', async () => {
    teamsToken = ssoToken(DEMO_PEOPLE.priya.id);
    const { page, boardRequests } = await newPage();
    const res = await page.goto(`${productionUrl}/tab`);
    const policy = res!.headers()['content-security-policy'];
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).toContain(`connect-src 'self' ${TEAMS_ORIGIN_LIST};`);
    // No other host anywhere in the policy but the Teams hosts that may frame the tab.
    expect(policy.replace(TEAMS_ORIGIN_LIST, '')).not.toMatch(/https?:\/\/(?!teams\.microsoft|\*\.)/);
    await page.locator('ol.entries > li').first().waitFor();
    expect(await entries(page)).toHaveLength(5);
    expect(await page.locator('header').innerText()).toContain('The whole programme');
    expect(await page.title()).toBe('You said, we did: Golden Thread');
    const calls = await page.evaluate(() => (window as unknown as { teamsCalls: unknown[][] }).teamsCalls.map((c) => c[0]));
    expect(calls).toEqual(['app.initialize', 'authentication.getAuthToken']);
    expect(boardRequests.map((r) => [new URL(r.url()).pathname, r.headers().authorization])).toEqual([['/tab/board', `Bearer ${teamsToken}`]]);
    // The token is never written where it could outlive the page.
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length, location.href])).toEqual(['', 0, 0, `${productionUrl}/tab`]);
    await page.close();
  });

  it('keeps the filters working: each one fetches the board again with a fresh token, and the address keeps them', async () => {
    teamsToken = ssoToken(DEMO_PEOPLE.priya.id);
    const { page, boardRequests } = await newPage();
    await page.goto(`${productionUrl}/tab`);
    await page.locator('ol.entries > li').first().waitFor();
    await page.selectOption('#f-workstream', { label: 'Community mental health' });
    await page.locator('button[type=submit]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tab\?workstream=/);
    await expect(page.locator('ol.entries > li').count()).resolves.toBe(1);
    expect((await entries(page))[0]).toContain('Two GP surgeries');
    await expect(page.locator('#f-workstream option:checked').innerText()).resolves.toBe('Community mental health');
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');

    await page.selectOption('#f-workstream', { index: 0 });
    await page.selectOption('#f-status', 'not_taken_forward');
    await page.click('button[type=submit]');
    await page.waitForURL(/status=not_taken_forward/);
    await expect(page.locator('ol.entries > li').count()).resolves.toBe(1);
    expect((await entries(page))[0]).toContain('discharge letter template');

    await page.click('text=Clear the filters');
    await page.waitForURL(`${productionUrl}/tab`);
    await expect(page.locator('ol.entries > li').count()).resolves.toBe(5);

    // Reloading the tab with filters in the address shows the same board.
    await page.goto(`${productionUrl}/tab?status=not_taken_forward`);
    await page.locator('ol.entries > li').first().waitFor();
    expect(await entries(page)).toHaveLength(1);
    expect(boardRequests.every((r) => r.headers().authorization === `Bearer ${teamsToken}`)).toBe(true);
    expect(boardRequests.length).toBe(5);
    await page.close();
  });

  it("an LXP's token shows only their own thread, and no way to publish", async () => {
    teamsToken = ssoToken(DEMO_PEOPLE.sam.id);
    const { page } = await newPage();
    await page.goto(`${productionUrl}/tab`);
    await page.locator('ol.entries > li').first().waitFor();
    expect(await entries(page)).toHaveLength(3);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Your thread, Someone'); // the name the token carries
    expect(text).toContain(DEMO_WORDS.nightLines);
    for (const other of ['Two GP surgeries', 'discharge letter template']) expect(text).not.toContain(other);
    await expect(page.locator('a[href*="publish"]').count()).resolves.toBe(0);
    await page.close();
  });

  it('the programme team previews the page to publish and downloads it, with the token', async () => {
    teamsToken = ssoToken(DEMO_PEOPLE.priya.id);
    const { page } = await newPage();
    await page.goto(`${productionUrl}/tab`);
    await page.click('text=Publish the board: see the page first');
    await page.locator('.banner').waitFor();
    await expect(page.locator('.banner').innerText()).resolves.toContain('Preview.');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    expect(download.suggestedFilename()).toBe('you-said-we-did.html');
    const file = fs.readFileSync((await download.path())!, 'utf8');
    expect(file).toContain(DEMO_WORDS.nightLines.replace(/&/g, '&#38;'));
    expect(file).not.toMatch(/<script/i);
    expect(file).not.toContain('Preview.');
    await page.click('text=Back to the board');
    await page.waitForURL(`${productionUrl}/tab`);
    await expect(page.locator('ol.entries > li').count()).resolves.toBe(5);
    await page.close();
  });

  it.each([
    ['a forged token', () => ssoToken(DEMO_PEOPLE.priya.id, forger.privateKey)],
    ['not a token', () => 'nonsense'],
  ])('%s from Teams shows nothing of the board', async (_case, token) => {
    teamsToken = token();
    const { page, boardRequests } = await newPage();
    await page.goto(`${productionUrl}/tab`);
    await page.locator('h1', { hasText: 'Sign in needed' }).waitFor();
    const statuses = await Promise.all(boardRequests.map(async (r) => (await r.response())?.status()));
    expect(statuses).toEqual([401]);
    const text = await page.locator('body').innerText();
    for (const t of [DEMO_WORDS.nightLines, 'Sam Okafor', 'Crisis pathway', 'Outcomes']) expect(text).not.toContain(t);
    await expect(page.locator('ol.entries > li').count()).resolves.toBe(0);
    await page.close();
  });

  it('Teams failing to give a token says so, and nothing is fetched', async () => {
    teamsToken = '';
    const { page, boardRequests } = await newPage();
    await page.route('**/tab/static/teams-js.js*', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: `${teamsStub('')}\nmicrosoftTeams.authentication.getAuthToken = function () { return Promise.reject(new Error('resourceRequiresConsent')); };` }),
    );
    await page.goto(`${productionUrl}/tab`);
    await expect(page.locator('#status').innerText()).resolves.toMatch(/Teams could not sign you in/);
    expect(boardRequests).toEqual([]);
    await page.close();
  });

  it('axe-core finds no serious or critical problem on the board as the shell shows it', async () => {
    teamsToken = ssoToken(DEMO_PEOPLE.priya.id);
    const { page } = await newPage();
    await page.goto(`${productionUrl}/tab`);
    await page.locator('ol.entries > li').first().waitFor();
    expect(await seriousProblems(page)).toEqual([]);
    await page.close();
  });
});

describe("the channel tab's configuration page", () => {
  it('is valid at once and saves the board as the tab', async () => {
    const { page } = await newPage();
    const res = await page.goto(`${productionUrl}/tab/configure`);
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    await page.waitForFunction(() => (window as unknown as { teamsSave?: unknown }).teamsSave);
    const saved = await page.evaluate(
      () => new Promise((resolve) => (window as unknown as { teamsSave: (e: unknown) => void }).teamsSave({ notifySuccess: () => resolve('saved'), notifyFailure: (why: string) => resolve(`failed: ${why}`) })),
    );
    expect(saved).toBe('saved');
    const calls = await page.evaluate(() => (window as unknown as { teamsCalls: unknown[][] }).teamsCalls);
    expect(calls).toEqual([
      ['app.initialize'],
      ['pages.config.registerOnSaveHandler'],
      ['pages.config.setValidityState', true],
      ['pages.config.setConfig', { entityId: 'board', contentUrl: `${productionUrl}/tab`, websiteUrl: `${productionUrl}/tab`, suggestedDisplayName: 'You said, we did' }],
    ]);
    expect(await seriousProblems(page)).toEqual([]);
    await page.close();
  });
});

describe('the files served, and local mode', () => {
  it('/tab goes straight to the board for a Playground user (?user= kept)', async () => {
    const { page } = await newPage();
    await page.goto(`${localUrl}/tab?user=sam`);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/tab/board?user=sam');
    expect(await entries(page)).toHaveLength(3);
    await page.close();
  });

  it('the real Teams JS library runs under the policy; opened outside Teams, the shell says where to open it', async () => {
    const { page, boardRequests } = await newPage();
    await page.route('**/tab/static/teams-js.js*', (route) => route.continue());
    await page.goto(`${productionUrl}/tab`);
    await expect(page.evaluate(() => typeof (window as unknown as { microsoftTeams?: { authentication?: { getAuthToken?: unknown } } }).microsoftTeams?.authentication?.getAuthToken)).resolves.toBe('function');
    await page.waitForFunction(() => /inside Microsoft Teams/.test(document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 15_000 });
    expect(boardRequests).toEqual([]);
    await page.close();
  });

  it('serves the Teams JS library and the shell script from our host, cached for a year, and nothing else', async () => {
    const shell = await (await fetch(`${productionUrl}/tab`)).text();
    const sources = [...shell.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1].replace(/&#38;/g, '&'));
    expect(sources.map((s) => s.replace(/\?v=[0-9a-f]{12}$/, ''))).toEqual(['/tab/static/teams-js.js', '/tab/static/tab.js']);
    const library = await fetch(`${productionUrl}${sources[0]}`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(library.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await library.text();
    expect(body).toContain('microsoftTeams');
    expect(body).not.toContain('sourceMappingURL');
    expect((await fetch(`${productionUrl}/tab/static/../../package.json`)).status).toBe(404);
    expect((await fetch(`${productionUrl}/tab/static/other.js`)).status).toBe(404);
  });
});
