/**
 * Benchmark 1: card action throughput. The "log a contribution" Action.Execute
 * (verb log_save, a new submissionId each request) against the full bot
 * (embedded store; the connector stub in its own process, answering the
 * updateActivity Teams needs for a group chat), then against the bare echo
 * bot on the same stack, and the echo bot plus one store write (the floor: no
 * log_save can do less). Goal (issue 19): at least 0.3 of the floor's requests
 * per second, and a p99 at most 3 times the floor's, in the same run.
 *
 * Requests are spread over MEETINGS meeting chats so that each meeting ends
 * with tens of contributions, as a busy real one might, rather than one
 * meeting with thousands (the log card lists what the meeting has logged).
 *
 * Then, not part of the goal, the same with the store in a process of its own
 * and STORE_DELAY_MS (5) added to every round trip to it, as an App Service
 * instance sees Cosmos DB in the same region: the full bot, and the echo bot
 * plus one write, against the same (undelayed, storeless) echo bot.
 */
import autocannon from 'autocannon';
import { actionExecute, people } from '../test/harness/activities';
import { round, spawnChild, tempDir, verdict, withChildren, type Child } from './lib';
import { chatId, Driver, meetingChat, programme, workstream } from './setup';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 20);
const STORE_DELAY_MS = Number(process.env.BENCH_STORE_DELAY_MS ?? 5);

interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One log_save body per request: the same meeting rota, a new submission (and activity) id each time. */
function bodies(stubUrl: string, meetings: { id: string; conversationId: string }[]) {
  const templates = meetings.map((m) =>
    JSON.stringify({
      ...actionExecute({
        verb: 'log_save',
        from: people.chris,
        conversationType: 'groupChat',
        conversationId: m.conversationId,
        replyToId: '1700000000001',
        data: { meetingId: m.id, submissionId: '@SUB@', lxpIds: people.sam.aadObjectId, words: 'Night-time crisis lines need people who have been there', kind: 'suggestion', anonymous: 'false', restricted: 'false' },
      }),
      id: 'f:@SUB@',
      serviceUrl: stubUrl,
    }),
  );
  let n = 0;
  const run = `${process.pid}-${Date.now()}`;
  return () => {
    const i = n++;
    return templates[i % templates.length].replace(/@SUB@/g, `bench-${run}-${i}`);
  };
}

async function load(url: string, next: () => string, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: `${url}/api/messages`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: next() }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function measure(name: string, url: string, next: () => string): Promise<Run & { warmOk: number }> {
  const warm = WARMUP_S > 0 ? await load(url, next, WARMUP_S) : undefined;
  const r = { ...(await load(url, next, DURATION_S)), warmOk: warm?.ok ?? 0 };
  console.log(`${name.padEnd(14)} ${round(r.rps, 1)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  (2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`);
  return r;
}

/** A full bot with a programme, a workstream and MEETINGS meeting chats set up over HTTP; `env` picks its store. */
async function fullBot(stub: Child, env: Record<string, string>): Promise<{ bot: Child; meetings: { id: string; conversationId: string }[] }> {
  const bot = await spawnChild('bot-process.ts', { PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'warn', ...env, ...(process.env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS } : {}) });
  const driver = new Driver(bot.info.url, stub.info.url);
  await programme(driver, stub);
  await workstream(driver, 'Bench workstream');
  const { workstreams } = await bot.request('ids');
  for (let i = 0; i < MEETINGS; i++) await meetingChat(driver, stub, i, workstreams[0].id);
  const { meetings } = (await bot.request('ids')) as { meetings: { id: string; conversationId: string }[] };
  const chats = new Set(Array.from({ length: MEETINGS }, (_, i) => chatId(i)));
  const inChats = meetings.filter((m) => chats.has(m.conversationId));
  if (inChats.length !== MEETINGS) throw new Error(`expected ${MEETINGS} meetings, found ${inChats.length}`);
  return { bot, meetings: inChats };
}

/** Runs `load` and prints the bot process's CPU over it, per answered request (warm-up included, as in `measure`). */
async function withCpu(name: string, bot: Child, load: () => Promise<Run & { warmOk: number }>): Promise<Run & { warmOk: number }> {
  const before = await bot.request<NodeJS.CpuUsage>('cpu');
  const wallBefore = Date.now();
  const run = await load();
  const cpu = await bot.request<NodeJS.CpuUsage>('cpu');
  const cpuMs = (cpu.user - before.user + cpu.system - before.system) / 1000;
  console.log(`${name} process CPU: ${Math.round(cpuMs)} ms in ${Date.now() - wallBefore} ms of wall time (${round(cpuMs / Math.max(1, run.warmOk + run.ok), 1)} ms per answered request)`);
  return run;
}

/** Store round trips (counted by the store process, warm-up included) per answered request, by verb and container. */
function callsPer(counts: Record<string, number>, run: Run & { warmOk: number }): { total: number; by: Record<string, number> } {
  const answered = Math.max(1, run.warmOk + run.ok);
  const by = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, round(v / answered, 2)]));
  return { total: round(Object.values(counts).reduce((a, b) => a + b, 0) / answered, 2), by };
}

async function main() {
  const { full, echo, stored1, stored, perMeeting, ceiling, delayed } = await withChildren(async (track) => {
    const stub = track(await spawnChild('stub-process.ts'));
    const { bot, meetings: inChats } = await fullBot(stub, { DATA_DIR: tempDir('gt-bench-data-') });
    track(bot);
    console.log(`full bot: ${bot.info.url} (pid ${bot.pid}); stub: ${stub.info.url} (pid ${stub.pid}); ${MEETINGS} meetings; ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s each`);

    const echoBot = track(await spawnChild('echo-bot.ts'));
    const next = bodies(stub.info.url, inChats);
    const echo = await withCpu('echo bot', echoBot, () => measure('echo bot', echoBot.info.url, next));
    await echoBot.stop();
    // Not part of the goal: the echo bot plus one document written through @azure/cosmos per request.
    const floorBot = track(await spawnChild('echo-bot.ts', { ECHO_STORE: '1' }));
    const stored1 = await withCpu('echo + 1 write', floorBot, () => measure('echo + 1 write', floorBot.info.url, next));
    await floorBot.stop();
    await stub.request('reset');
    const before = await bot.request<number>('count', { container: 'contributions' });
    const profile = process.env.BENCH_CPU_PROF;
    if (profile) await bot.request('profileStart');
    const full = await withCpu('full bot', bot, () => withCpu('  connector stub', stub, () => measure('full bot', bot.info.url, next)));
    if (profile) console.log(`CPU profile of the full bot under load: ${await bot.request('profileStop', { file: `${profile}/throughput-${Date.now()}.cpuprofile` })}`);
    const stored = (await bot.request<number>('count', { container: 'contributions' })) - before;
    const calls = await stub.request('counts');
    console.log(`stub calls during the full bot's runs: ${JSON.stringify(calls)}`);
    const perMeeting = Math.round((before + stored) / MEETINGS);
    await bot.stop();

    // Not part of the goal: a ceiling. The same bot with the test suite's in-memory collections for its store (no
    // HTTP, no @azure/cosmos, no journal): what log_save reaches when its store calls cost next to nothing.
    const memory = await fullBot(stub, { BENCH_STORE: 'memory' });
    track(memory.bot);
    const ceiling = await withCpu('full bot, memory', memory.bot, () => withCpu('  connector stub', stub, () => measure('full bot, memory', memory.bot.info.url, bodies(stub.info.url, memory.meetings))));
    await memory.bot.stop();

    // The store a network hop away: its own process, STORE_DELAY_MS on every round trip.
    const store = track(await spawnChild('store-process.ts', { STORE_DELAY_MS: String(STORE_DELAY_MS) }));
    const remote = { COSMOS_ENDPOINT: store.info.endpoint as string, COSMOS_KEY: store.info.key as string };
    console.log(`store ${STORE_DELAY_MS} ms away: ${store.info.endpoint} (pid ${store.pid})`);
    const remoteEcho = track(await spawnChild('echo-bot.ts', { ECHO_STORE: '1', ...remote }));
    await store.request('reset');
    const delayed1 = await measure(`echo + 1 write, ${STORE_DELAY_MS} ms`, remoteEcho.info.url, next);
    const floorCalls = callsPer(await store.request('counts'), delayed1);
    await remoteEcho.stop();
    const remoteBot = await fullBot(stub, { ...remote, COSMOS_DATABASE: 'bench-delayed' });
    track(remoteBot.bot);
    await store.request('reset');
    const delayedFull = await measure(`full bot, ${STORE_DELAY_MS} ms`, remoteBot.bot.info.url, bodies(stub.info.url, remoteBot.meetings));
    const fullCalls = callsPer(await store.request('counts'), delayedFull);
    console.log(`store round trips per answered request, ${STORE_DELAY_MS} ms away: echo + 1 write ${floorCalls.total} ${JSON.stringify(floorCalls.by)}; full bot ${fullCalls.total} ${JSON.stringify(fullCalls.by)}`);
    return { full, echo, stored1, stored, perMeeting, ceiling, delayed: { full: delayedFull, stored1: delayed1 } };
  });

  const rpsRatio = full.rps / echo.rps;
  const p99Ratio = full.p99 / Math.max(1, echo.p99);
  console.log(
    `echo + 1 write: ${round(stored1.rps, 1)} req/s = ${round(stored1.rps / echo.rps)} of the echo bot's; a log_save stores the words before it answers, so no log_save can beat this`,
  );
  console.log(`contributions stored by the full bot: ${stored} for ${full.warmOk + full.ok} answered requests (warm-up and measured run; about ${perMeeting} per meeting by the end)`);
  console.log(
    `ceiling (not part of the goal): the full bot with an in-memory store ${round(ceiling.rps, 1)} req/s = ${round(ceiling.rps / stored1.rps)} of echo + 1 write, p99 ${ceiling.p99} ms = ${round(ceiling.p99 / Math.max(1, stored1.p99))} of its p99`,
  );
  const delayedRatio = delayed.full.rps / echo.rps;
  const delayed1Ratio = delayed.stored1.rps / echo.rps;
  console.log(
    `store ${STORE_DELAY_MS} ms away (own process, not part of the goal): full bot ${round(delayed.full.rps, 1)} req/s = ${round(delayedRatio)} of the echo bot's, p99 ${delayed.full.p99} ms; ` +
      `echo + 1 write ${round(delayed.stored1.rps, 1)} req/s = ${round(delayed1Ratio)}; full/(echo + 1 write) = ${round(delayed.full.rps / delayed.stored1.rps)}`,
  );
  // Issue 19's goal: log_save against the floor (the echo bot plus one write), in the same run.
  const floorRatio = full.rps / stored1.rps;
  const floorP99 = full.p99 / Math.max(1, stored1.p99);
  verdict(
    [
      { name: 'no failed requests', ok: full.non2xx + full.errors + full.timeouts === 0 && echo.non2xx + echo.errors + echo.timeouts === 0, detail: `full ${full.non2xx + full.errors + full.timeouts}, echo ${echo.non2xx + echo.errors + echo.timeouts}` },
      { name: 'req/s at least 0.3 of echo + 1 write', ok: floorRatio >= 0.3, detail: `${round(full.rps, 1)} / ${round(stored1.rps, 1)} = ${round(floorRatio)}` },
      { name: 'p99 at most 3x that of echo + 1 write', ok: floorP99 <= 3, detail: `${full.p99} ms / ${stored1.p99} ms = ${round(floorP99)}` },
    ],
    `ratio: req/s full/(echo + 1 write) = ${round(floorRatio)} (goal >= 0.3); p99 full/(echo + 1 write) = ${round(floorP99)} (goal <= 3); req/s full/echo = ${round(rpsRatio)}; p99 full/echo = ${round(p99Ratio)}; ` +
      `(echo + 1 write)/echo = ${round(stored1.rps / echo.rps)}; store ${STORE_DELAY_MS} ms away: full/echo = ${round(delayedRatio)}, (echo + 1 write)/echo = ${round(delayed1Ratio)}, ` +
      `full/(echo + 1 write) = ${round(delayed.full.rps / delayed.stored1.rps)}, p99 ${delayed.full.p99} / ${delayed.stored1.p99} ms`,
  );
}

void main();
