/*
 * Golden Thread as a person sees it: the bot with the demo data (DEMO seed),
 * the Microsoft 365 Agents Playground (Microsoft's emulator of the Teams
 * client) bound to 127.0.0.1, and Debian's Chromium driven by playwright-core
 * typing and clicking in it. Meeting events, which the Playground cannot
 * send, are posted to the bot directly in the shapes Teams uses, with the
 * Playground's connector as their serviceUrl, so the bot's answers appear in
 * the Playground's group chat. Screenshots go to docs/playground/.
 *
 * Nothing may leave the machine: the Playground process runs with its
 * telemetry off and record-outgoing.cjs preloaded (every outside DNS lookup,
 * TCP connection or UDP datagram is refused and written down), and every
 * request the page makes goes through keepPageLocal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { buildApp, type Running } from '../../src/app-factory';
import { runDueJobs } from '../../src/jobs/scheduler';
import { startPlayground, PLAYGROUND_CHATS } from '../../src/playground';
import { seedDemo, DEMO_WORDS, type DemoSeedResult } from '../../src/demo/seed';
import { asSamActivity } from '../../src/demo/guide';
import { forgetKnownRefs } from '../../src/teams/conversation-refs';
import { meetingEvent, participantEvent, people, TENANT_ID } from '../harness/activities';
import { CHATS, CHROMIUM, CHROMIUM_ARGS, cardWith, choose, freePort, keepPageLocal, mention, openChat, reportRow, say, screenshotCard, sendCustomActivity } from './playground-ui';

// The README's screenshots are refreshed only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree as it was.
const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(__dirname, '..', '..', 'docs', 'playground') : fs.mkdtempSync(path.join(os.tmpdir(), 'gt-shots-'));
const RECORDER = path.join(__dirname, 'record-outgoing.cjs');
/**
 * The Playground's page (its bundled Fluent UI) asks Microsoft's Office CDN for
 * the Segoe UI font files and a "flair" animation script. Those requests are
 * answered locally with a 404 (never fetched; the page falls back to local
 * fonts) and are the only outside requests the page may make.
 */
const PLAYGROUND_CDN_ASSETS = /^https:\/\/res-1\.cdn\.office\.net\/files\/fabric-cdn-prod_[\d.]+\/assets\/(fonts\/[\w/-]+\.woff2?|animations\/flair\/flair\.min\.js)$/;
const WORDS = 'Crisis cafés should stay open until midnight';
const MEETING_ID = 'MCMxOTpkZW1vLWNyaXNpcy1wYXRod2F5LXJlZmVyZW5jZSMw';

jest.setTimeout(120_000);

let dataDir: string;
let running: Running;
let seed: DemoSeedResult;
let botUrl: string;
let playground: Awaited<ReturnType<typeof startPlayground>>;
let context: BrowserContext;
let page: Page;
let outsideRequests: string[];
let outgoingLog: string;
let profile: string;
const logs: string[] = [];

/** An event as Teams sends it, to the bot, with the Playground's connector as serviceUrl: the bot's answer lands in the Playground. */
async function postToBot(activity: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...activity, serviceUrl: `${playground.url}/_connector` }),
  });
  expect(res.status).toBeLessThan(300);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), as .ci/run does.`);
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-browser-'));
  outgoingLog = path.join(dataDir, 'outgoing.jsonl');
  forgetKnownRefs();
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'info' });
  const logger = createLogger(config.logLevel, new Writable({ write: (c, _e, cb) => (logs.push(c.toString()), cb()) }));
  running = await buildApp(config, logger);
  seed = await seedDemo(running.deps);
  await new Promise<void>((resolve) => running.app.server.listen(0, '127.0.0.1', resolve));
  const botPort = (running.app.server.address() as AddressInfo).port;
  botUrl = `http://127.0.0.1:${botPort}`;

  const started = Date.now();
  playground = await startPlayground(config, botPort, logger, await freePort(), { preload: [RECORDER], env: { GT_OUTGOING_LOG: outgoingLog } });
  await playground.ready;
  logs.push(`playground ready in ${Date.now() - started} ms\n`);

  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 1000 } });
  outsideRequests = await keepPageLocal(context);
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(playground.url);
  // Room for the cards: the Playground's log panel is for developers.
  await page.getByRole('button', { name: 'Hide log panel' }).click();
}, 180_000);

afterAll(async () => {
  // For a failed run: the bot's log and the Playground's own log stay in the data directory.
  if (dataDir) fs.writeFileSync(path.join(dataDir, 'bot.log'), logs.join(''));
  await context?.close().catch(() => undefined);
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  if (playground) {
    const exited = new Promise((r) => playground.child.once('exit', r));
    playground.stop();
    if (playground.child.exitCode === null) await exited;
  }
  running?.app.server.close();
  await running?.store.close();
});

describe('Golden Thread in the Agents Playground, in Chromium', () => {
  it('the demo data is there for the Playground\'s users', () => {
    expect(seed).toMatchObject({ seeded: true, contributions: 6 });
    expect(seed.workstreams.map((w) => w.name)).toEqual(['Crisis pathway', 'Community mental health']);
    expect(seed.workstreams[0].chatIds).toContain(PLAYGROUND_CHATS.group);
  });

  it('help: Priya, the programme lead, sees the help card in her personal chat', async () => {
    await openChat(page, CHATS.personal);
    await say(page, 'help');
    const card = await cardWith(page, 'Type one of these to me');
    const text = await card.innerText();
    expect(text).toContain('Hello Priya Shah. You are programme lead.');
    for (const command of ['setup', 'log', 'report', 'overdue', 'export', 'preferences', 'my data', 'forget me']) expect(text).toMatch(new RegExp(`^${command}$`, 'm'));
    await page.screenshot({ path: path.join(SHOTS, 'help.png') });
  });

  it('a meeting in the group chat: the start card, "@Golden Thread log Sam: ...", the card filled and saved, the minutes', async () => {
    // Teams would send these when the meeting starts and Sam and Alex join.
    await postToBot(meetingEvent('start', { conversationId: PLAYGROUND_CHATS.group, meetingId: MEETING_ID, title: 'Crisis pathway reference group', time: new Date().toISOString() }));
    await postToBot(participantEvent('join', { conversationId: PLAYGROUND_CHATS.group, meetingId: MEETING_ID, members: [people.sam, people.alex] }));

    await openChat(page, CHATS.group);
    const start = await cardWith(page, 'Aim of this meeting');
    expect(await start.innerText()).toMatch(/Crisis pathway reference group[\s\S]*Workstream: Crisis pathway[\s\S]*Chair: Chris Morgan/);

    await mention(page, 'Golden Thread', `log Sam: ${WORDS}`);
    const card = await cardWith(page, 'Log a contribution');
    // Prefilled from what was typed.
    await expect(card.getByRole('combobox', { name: /^Who said it/ }).inputValue()).resolves.toBe('Sam Okafor (in the meeting)');
    await expect(card.getByRole('textbox', { name: /^What they said/ }).inputValue()).resolves.toBe(WORDS);
    await choose(page, card, /^Kind/, ['Challenge']);
    await choose(page, card, /^Priority areas/, ['Crisis care at night'], true);
    // Who is named follows each LXP's own choice unless the chair picks otherwise.
    await expect(card.getByRole('combobox', { name: /^Anonymous/ }).inputValue()).resolves.toBe('As each LXP chose in their preferences');
    await screenshotCard(page, card, path.join(SHOTS, 'log-contribution.png'));
    // The chat as the chair sees it: the mention, then the card it opened.
    await page.getByText(`log Sam: ${WORDS}`).last().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(SHOTS, 'group-chat.png') });

    await card.getByRole('button', { name: 'Save contribution' }).click();
    // Action.Execute: the card is replaced in place by the bot's answer.
    const saved = await cardWith(page, 'Saved. You can log another below.');
    const savedText = await saved.innerText();
    expect(savedText).toContain('Logged so far in this meeting: 1');
    expect(savedText).toContain('Sam Okafor: Challenge');
    expect(savedText).toContain(WORDS);
    await screenshotCard(page, saved, path.join(SHOTS, 'log-saved.png'));

    const stored = (await running.deps.stores.contributions.query(TENANT_ID, [{ field: 'words', op: '=', value: WORDS }])).items;
    expect(stored).toHaveLength(1);
    const crisis = seed.workstreams[0];
    expect(stored[0]).toMatchObject({
      lxpIds: [people.sam.aadObjectId], kind: 'challenge', recordedBy: people.priya.aadObjectId, workstreamId: crisis.id, meetingTitle: 'Crisis pathway reference group',
      priorityAreaIds: [crisis.priorityAreas.find((a) => a.name === 'Crisis care at night')!.id], anonymous: false, restricted: false, status: 'awaiting_outcome',
    });

    // The meeting ends: the minutes are posted in the chat, with Sam's words.
    await postToBot(meetingEvent('end', { conversationId: PLAYGROUND_CHATS.group, meetingId: MEETING_ID, time: new Date().toISOString() }));
    // The end queues the minutes; this bot has no scheduler running, so the test runs what is due, as a tick would.
    await runDueJobs(running.deps, { ...running.jobs, scheduledAt: new Date() });
    const minutes = await cardWith(page, 'Lived-experience contributions');
    const minutesText = await minutes.innerText();
    expect(minutesText).toContain('Crisis pathway reference group');
    expect(minutesText).toContain(WORDS);
    expect(minutesText).toContain('Sam Okafor');
    await screenshotCard(page, minutes, path.join(SHOTS, 'minutes.png'));
  });

  it('my contributions: Sam (an LXP) sees only what was recorded from him, through the Playground\'s "Custom activity"', async () => {
    await openChat(page, CHATS.personal);
    await sendCustomActivity(page, asSamActivity('my contributions', `${playground.url}/_connector`));
    const card = await cardWith(page, 'What was recorded from you');
    const text = await card.innerText();
    expect(text).toContain(WORDS);
    expect(text).toContain(DEMO_WORDS.nightLines);
    expect(text).toContain(DEMO_WORDS.friday);
    expect(text).toContain(DEMO_WORDS.agenda);
    expect(text).toContain('Where it stands: Overdue.');
    expect(text).toContain('Where it stands: Closed.');
    expect(text).toContain('The crisis line is recruiting four peer workers for night shifts');
    // Alex's words, and Alex's personal story, are not Sam's to see.
    for (const notHis of [DEMO_WORDS.voicemail, DEMO_WORDS.letters, DEMO_WORDS.peer]) expect(text).not.toContain(notHis);
    expect(text.match(/Where it stands:/g)).toHaveLength(4);
    await screenshotCard(page, card, path.join(SHOTS, 'my-contributions.png'));
  });

  it('report: Priya sees the programme\'s figures, the demo data plus the contribution just logged', async () => {
    await openChat(page, CHATS.personal);
    await say(page, 'report');
    const card = await cardWith(page, /Overdue now, with owners/);
    const text = await card.innerText();
    expect(text).toContain('All workstreams');
    // [this period, before, change]: six seeded contributions and the one above; two seeded meetings and today's.
    expect(reportRow(text, 'Contributions recorded')).toEqual(['7', '0', '+7']);
    expect(reportRow(text, 'Challenge')).toEqual(['2', '0', '+2']);
    expect(reportRow(text, 'Personal stories (restricted)')).toEqual(['1', '0', '+1']);
    expect(reportRow(text, 'Crisis care at night')).toEqual(['3', '0', '+3']);
    expect(reportRow(text, 'With an outcome')?.[0]).toBe('5 of 7 (71%)');
    expect(reportRow(text, 'Adopted')).toEqual(['2', '0', '+2']);
    expect(reportRow(text, 'Overdue now')).toEqual(['1', '0', '+1']);
    expect(reportRow(text, 'This was helpful')).toEqual(['1', '0', '+1']);
    expect(reportRow(text, 'Meetings held')).toEqual(['3', '0', '+3']);
    expect(reportRow(text, 'LXP attendances (one per LXP per meeting)')).toEqual(['5', '0', '+5']);
    expect(text).toMatch(/Question from Sam Okafor\. Owner Jordan Lee\. Feedback was due .*: \d+ days overdue\./);
    await screenshotCard(page, card, path.join(SHOTS, 'report.png'));
  });

  it('nothing reached outside the machine: not the Playground process, not the page', async () => {
    expect(fs.existsSync(outgoingLog)).toBe(true); // the recorder was loaded
    const attempts = fs.readFileSync(outgoingLog, 'utf8').trim();
    expect(attempts).toBe('');
    expect(outsideRequests.filter((u) => !PLAYGROUND_CDN_ASSETS.test(u))).toEqual([]);
  });

  it('the recorder does see an attempt to go outside (so an empty record means something)', () => {
    const probe = path.join(dataDir, 'probe.jsonl');
    const r = spawnSync(process.execPath, ['-r', RECORDER, '-e', "require('https').get('https://example.org/').on('error', () => {}); require('dns').lookup('telemetry.example.com', () => {})"], {
      env: { ...process.env, GT_OUTGOING_LOG: probe },
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const hosts = fs.readFileSync(probe, 'utf8').trim().split('\n').map((l) => JSON.parse(l).host);
    expect(hosts).toEqual(expect.arrayContaining(['example.org', 'telemetry.example.com']));
  });
});
