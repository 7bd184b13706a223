/**
 * Benchmark 4: footprint. Time from spawning the bot
 * (`node -r ts-node/register/transpile-only src/index.ts`, PORT, PLAYGROUND=off,
 * a fresh DATA_DIR) to its first healthy /healthz, against the echo bot
 * started the same way; the resident memory of each once healthy; and the
 * bot's resident memory after benchmark 3 (100,000 contributions in its
 * embedded store), which benchmark 3 leaves in $TMPDIR/golden-thread-bench.
 *
 * The issue sets no goal here; these are ours: start-up at most 3 times the
 * echo bot's, and after benchmark 3 at most 2 GiB resident.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { FOOTPRINT_FILE, ROOT, round, tempDir, verdict, vmRss, type Goal } from './lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const START_TIMEOUT_MS = 60_000;
const GOAL_START_RATIO = 3;
const GOAL_RSS_BYTES = 2 * 1024 ** 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `script`, polls /healthz every 10 ms, and returns the time to the first 200 and the RSS then. */
async function startOnce(script: string): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PLAYGROUND: 'off', DATA_DIR: tempDir('gt-bench-data-'), LOG_LEVEL: 'warn', NODE_NO_WARNINGS: '1' },
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (exited) throw new Error(`${script} exited before it was healthy`);
      if (ms > START_TIMEOUT_MS) throw new Error(`${script} was not healthy within ${START_TIMEOUT_MS} ms`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
      if (ok) return { ms: round(Number(process.hrtime.bigint() - started) / 1e6, 0), rss: vmRss(child.pid!) };
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone.catch(() => undefined);
    clearTimeout(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

async function main() {
  const bot: { ms: number; rss: number }[] = [];
  const echo: { ms: number; rss: number }[] = [];
  // Alternated, so a busy moment on a shared machine does not land on one side only.
  for (let i = 0; i < RUNS; i++) {
    echo.push(await startOnce('bench/echo-bot.ts'));
    bot.push(await startOnce('src/index.ts'));
  }
  const botMs = median(bot.map((r) => r.ms));
  const echoMs = median(echo.map((r) => r.ms));
  console.log(`start to healthy /healthz: bot ${bot.map((r) => r.ms).join(', ')} ms (median ${botMs}); echo ${echo.map((r) => r.ms).join(', ')} ms (median ${echoMs})`);
  console.log(`resident memory once healthy: bot ${mb(median(bot.map((r) => r.rss)))}, echo ${mb(median(echo.map((r) => r.rss)))}`);

  const goals: Goal[] = [{ name: `start-up at most ${GOAL_START_RATIO}x the echo bot's (our goal)`, ok: botMs / echoMs <= GOAL_START_RATIO, detail: `${botMs} / ${echoMs} ms = ${round(botMs / echoMs)}` }];
  let after = 'not measured';
  if (existsSync(FOOTPRINT_FILE)) {
    const f = JSON.parse(readFileSync(FOOTPRINT_FILE, 'utf8')) as { at: string; contributions: number; rss: number; heapUsed: number };
    after = `${mb(f.rss)} with ${f.contributions} contributions (heap used ${mb(f.heapUsed)}; benchmark 3 at ${f.at})`;
    console.log(`resident memory of the bot after benchmark 3: ${after}`);
    goals.push({ name: 'after benchmark 3, at most 2 GiB resident (our goal)', ok: f.rss <= GOAL_RSS_BYTES, detail: mb(f.rss) });
  } else {
    console.log(`resident memory after benchmark 3: not measured (run npm run bench:reports first; it writes ${FOOTPRINT_FILE})`);
  }
  verdict(goals, `ratio: start-up bot/echo = ${round(botMs / echoMs)} (goal <= ${GOAL_START_RATIO}); RSS after benchmark 3 = ${after}`);
}

void main();
