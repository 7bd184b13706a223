/**
 * Where a log_save turn spends its CPU (issue 19). Drives N log_save turns through the whole app
 * (HTTP → teams-ai → route → save → the card that replaces the pressed one) with the embedded store
 * journalling to a temporary DATA_DIR, as bench/bot-process.ts does, and profiles them with node:inspector.
 * Prints CPU ms per turn and a self-time table grouped by package / source file, as shares (%), since the
 * machine may be shared. The connector stub and the client's fetch run in this process too; they are
 * shown on lines of their own (test/harness, undici) and left out of "bot" shares.
 * `npx ts-node --transpile-only bench/log-save-profile.ts` (LOG_SAVE_N=400, LOG_SAVE_CONCURRENCY=10, LOG_SAVE_MEETINGS=20,
 * LOG_SAVE_PROFILE_OUT=file.cpuprofile to keep the raw profile). Not part of `npm run bench`.
 */
import { promises as fs } from 'node:fs';
import type { Database } from '@azure/cosmos';
import * as os from 'node:os';
import { startBot } from '../test/support/e2e';
import { as, people } from '../test/support/talk';
import { installationUpdate, meetingEvent } from '../test/harness/activities';
import { TENANT_ID, programmeWithWorkstream } from '../test/support/scenario';
import { chatId, teamsMeetingId } from './setup';
import { createProfiler } from './profiler';
import { memoryStores } from '../test/support/memory-collection';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }

/** Package (node_modules/<pkg>), our own file (src/...), or the engine's own bucket (GC, program, idle). */
function bucket(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = url.match(/\/(src|test|bench)\/.*$/);
  return m ? m[0].slice(1) : url;
}

/** The part of the system a package or file belongs to. */
function kind(owner: string): string {
  if (/^@azure\/|^@typespec\/|cosmos-collection|programme-stores/.test(owner)) return 'store client (@azure/cosmos SDK, its HTTP pipeline, our Collection over it)';
  if (/cosmosdb-server|cosmosdb-query|raw-body|src\/storage\/cosmos\//.test(owner)) return 'store server (embedded: routing, query engine, journal and fsync)';
  if (/^botbuilder|^botframework|^@microsoft\/|^restify|^jsonwebtoken|^jwks|^src\/teams\/|^src\/server/.test(owner)) return 'Teams stack (restify, botbuilder, teams-ai, src/teams)';
  if (/^src\/|^zod$|^date-fns|^adaptivecards|^pino|^ajv/.test(owner)) return 'app (routes, commands, domain, presenters, zod, date-fns, card templating)';
  if (/^test\/|^bench\/|undici/.test(owner)) return 'load driver and connector stub (not the bot)';
  return 'engine and Node (GC, microtasks, other node:*)';
}

function table(profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }, top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const b = bucket(n.callFrame.url, n.callFrame.functionName);
    groups.set(b, (groups.get(b) ?? 0) + us);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${b}:${n.callFrame.lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + us);
  }
  // Each sample also goes to the nearest frame on its stack that belongs to a package or to our code, so
  // Node's own http/buffer/crypto work counts for whoever asked for it (node:* alone when nothing did).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map<string, number>();
  for (const [id, us] of selfUs) {
    let x: number | undefined = id;
    let owner = bucket(byId.get(id)!.callFrame.url, byId.get(id)!.callFrame.functionName);
    while (x !== undefined) {
      const f = byId.get(x)!.callFrame;
      if (f.url && !f.url.startsWith('node:')) { owner = bucket(f.url, f.functionName); break; }
      x = parent.get(x);
    }
    owners.set(owner, (owners.get(owner) ?? 0) + us);
  }
  // The profiler's own start/stop and idle time are not the turn's.
  const skip = (k: string) => k.startsWith('(idle)') || k.startsWith('node:inspector') || k.startsWith('post node:inspector') || k.includes('bench/profiler.ts');
  const busy = [...groups].filter(([k]) => !skip(k)).reduce((a, [, b]) => a + b, 0);
  const fmt = (m: Map<string, number>) =>
    [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  const kinds = new Map<string, number>();
  for (const [owner, us] of owners) if (!skip(owner)) kinds.set(kind(owner), (kinds.get(kind(owner)) ?? 0) + us);
  return { groups: fmt(groups), owners: fmt(owners), kinds: fmt(kinds), fns: fmt(fns), busyMs: busy / 1000 };
}

/**
 * CPU per store round trip of each kind, through @azure/cosmos and the embedded server (journal and fsync
 * included for writes), `concurrency` at a time as the turns above: what each of a log_save's calls costs here.
 */
async function perCall(database: Database, concurrency: number): Promise<string> {
  const { container } = await database.containers.createIfNotExists({ id: 'calibration', partitionKey: { paths: ['/pk'] } });
  const pk = 'tenant|programme';
  const doc = (i: number) => ({ id: `d-${i}`, pk, type: 'contribution', meetingId: `m-${i % 20}`, words: 'A point someone made in the meeting, in their words.', history: [{ at: new Date().toISOString(), to: 'logged', by: 'aad-chris' }] });
  const timed = async (what: string, count: number, one: (i: number) => Promise<unknown>) => {
    let next = 0;
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < count) await one(next++); }));
    const cpu = process.cpuUsage(cpu0);
    return `${what} ${((cpu.user + cpu.system) / 1000 / count).toFixed(2)} ms`;
  };
  await timed('warm-up', 300, (i) => container.items.create(doc(1_000_000 + i)));
  const lines = [
    await timed('create (journalled, fsynced)', 1000, (i) => container.items.create(doc(i))),
    await timed('point read', 1000, (i) => container.item(`d-${i}`, pk).read()),
    await timed('replace (journalled, fsynced)', 1000, (i) => container.item(`d-${i}`, pk).replace(doc(i))),
    await timed('query, one meeting of 65 documents', 300, (i) => container.items.query({ query: 'SELECT * FROM c WHERE c.pk = @pk AND c.meetingId = @m', parameters: [{ name: '@pk', value: pk }, { name: '@m', value: `m-${i % 20}` }] }, { partitionKey: pk }).fetchAll()),
  ];
  return `CPU per store call (${concurrency} at a time, this process): ${lines.join('; ')}`;
}

async function main() {
  const n = Number(process.env.LOG_SAVE_N ?? 400);
  const concurrency = Number(process.env.LOG_SAVE_CONCURRENCY ?? 10);
  const meetings = Number(process.env.LOG_SAVE_MEETINGS ?? 20);
  // LOG_SAVE_STORE=memory: the test suite's in-memory collections instead of the embedded Cosmos DB server (as
  // benchmark 1's ceiling run): where the turn's CPU goes when the store costs next to nothing.
  const memory = process.env.LOG_SAVE_STORE === 'memory';
  const bot = await startBot({ LOG_LEVEL: 'warn' }, memory ? { store: { kind: 'embedded', stores: memoryStores(), database: undefined as never, flush: async () => undefined, close: async () => undefined } } : {});
  const ws = await programmeWithWorkstream(bot);
  const chris = as(bot, people.chris);
  // As benchmark 1 does: requests go to `meetings` meeting chats in turn, so each meeting collects tens of contributions.
  for (let i = 0; i < meetings; i++) {
    const conversationId = chatId(i);
    const meetingId = teamsMeetingId(i);
    await bot.post(installationUpdate({ conversationId, from: people.chris, overrides: { channelData: { meeting: { id: meetingId } } } }));
    await chris.act('meeting_link', { workstreamId: ws.id }, { conversationType: 'groupChat', conversationId });
    await bot.post(meetingEvent('start', { conversationId, meetingId, title: `Bench meeting ${i}`, time: new Date().toISOString() }));
  }
  const all = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
  const chats = Array.from({ length: meetings }, (_, i) => ({ conversationId: chatId(i), meetingId: all.find((m) => m.conversationId === chatId(i))!.id }));
  let failed = 0;
  const save = async (i: number) => {
    const { conversationId, meetingId } = chats[i % meetings];
    const r = await chris.act('log_save', { meetingId, submissionId: `s-${i}`, lxpIds: people.sam.aadObjectId, words: `Point ${i}`, kind: 'suggestion' }, { conversationType: 'groupChat', conversationId });
    if ((r as { status?: number }).status !== undefined && (r as { status: number }).status >= 400) failed++;
  };
  const run = async (from: number, count: number) => {
    let next = from;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < from + count) await save(next++); }));
  };
  await run(100_000, 200); // warm-up: JIT, the month's counter, meetings under way (10 each)
  const profiler = createProfiler();
  const out = process.env.LOG_SAVE_PROFILE_OUT ?? `${os.tmpdir()}/log-save-${process.pid}.cpuprofile`;
  await profiler.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(0, n);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await profiler.stop(out);
  const profile = JSON.parse(await fs.readFile(out, 'utf8'));
  const t = table(profile, 30);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${n} log_save turns over ${meetings} meetings, ${concurrency} at a time, ${failed} failed`);
  console.log(`process CPU ${(cpuMs / n).toFixed(2)} ms per turn (user ${(cpu.user / 1000 / n).toFixed(2)}, system ${(cpu.system / 1000 / n).toFixed(2)}), profiled busy ${(t.busyMs / n).toFixed(2)} ms per turn, wall ${(wall / n).toFixed(2)} ms per turn`);
  console.log('(stub and client are in this process: their shares are under test/harness, undici and part of node:*)');
  console.log(`\nby part (each sample to the nearest package / file on its stack):\n${t.kinds}`);
  console.log(`\nself time by package / file (top 30, % of busy samples):\n${t.groups}`);
  console.log(`\nthe same, Node's own work counted for the nearest package / file that called it (top 30):\n${t.owners}`);
  console.log(`\nself time by function (top 30):\n${t.fns}`);
  console.log(`\nprofile: ${out}`);
  if (!memory) console.log(`\n${await perCall(bot.running.store.database, concurrency)}`);
  await bot.close();
  process.exit(0);
}

void main();
