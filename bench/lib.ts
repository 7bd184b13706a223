/**
 * Shared by the benchmarks: child processes that answer requests over IPC,
 * percentiles, and the verdict line. Nothing here is used by the bot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** Benchmark 3 leaves the bot's resident memory here for benchmark 4. */
export const FOOTPRINT_FILE = path.join(os.tmpdir(), 'golden-thread-bench', 'footprint.json');

/** Every wait in the benchmarks is bounded by one of these. */
export const READY_TIMEOUT_MS = 60_000;
export const REQUEST_TIMEOUT_MS = 600_000;

export interface IpcMessage {
  id?: number;
  type: string;
  [key: string]: unknown;
}

export class Child {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: any): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(
    readonly proc: ChildProcess,
    readonly info: Record<string, any>,
    readonly logFile: string,
  ) {
    proc.on('message', (m: IpcMessage) => {
      if (m.id === undefined) return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.type === 'error') w.reject(new Error(String(m.message)));
      else w.resolve(m.result);
    });
    proc.once('exit', (code, signal) => {
      for (const [, w] of this.waiting) {
        clearTimeout(w.timer);
        w.reject(new Error(`${path.basename(logFile)} exited (${code ?? signal}) before answering; see ${logFile}`));
      }
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Sends { type, ...args } and waits for the child's answer with the same id. */
  request<T = any>(type: string, args: Record<string, unknown> = {}, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${type} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.proc.send({ id, type, ...args });
    });
  }

  /** Resident set size in bytes, from /proc (the child's own view would add an IPC round trip). */
  rss(): number {
    return vmRss(this.pid);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export function vmRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts `bench/<script>` under ts-node (transpile only) with an IPC channel,
 * and waits for its { type: 'ready', ... } message. Its stdout and stderr go
 * to a log file, named in any error.
 */
export async function spawnChild(script: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<Child> {
  const logFile = path.join(tempDir('gt-bench-log-'), `${path.basename(script, '.ts')}.log`);
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...execArgv, '-r', 'ts-node/register/transpile-only', path.join(ROOT, 'bench', script)], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const info = await new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${script} was not ready within ${READY_TIMEOUT_MS} ms; see ${logFile}`));
    }, READY_TIMEOUT_MS);
    proc.on('message', (m: IpcMessage) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      resolve(m);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready; see ${logFile}`));
    });
  });
  return new Child(proc, info, logFile);
}

/** The child side: answers { id, type } requests with the matching handler's result. */
export function serveIpc(handlers: Record<string, (msg: IpcMessage) => unknown>): void {
  process.on('message', (msg: IpcMessage) => {
    const handler = handlers[msg.type];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no handler for ${msg.type}`);
        return handler(msg);
      })
      .then(
        (result) => process.send?.({ id: msg.id, type: 'result', result }),
        (err: Error) => process.send?.({ id: msg.id, type: 'error', message: err.stack ?? String(err) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

export interface Goal {
  name: string;
  ok: boolean;
  detail: string;
}

/** Prints each goal, then the ratio as the last line; exits 1 when a goal is missed. */
export function verdict(goals: Goal[], ratioLine: string): never {
  for (const g of goals) console.log(`${g.ok ? 'PASS' : 'MISS'} ${g.name}: ${g.detail}`);
  console.log(ratioLine);
  process.exit(goals.every((g) => g.ok) ? 0 : 1);
}

/** Runs `fn`, killing every child it registered, whatever happens. */
export async function withChildren<T>(fn: (track: (c: Child) => Child) => Promise<T>): Promise<T> {
  const children: Child[] = [];
  const track = (c: Child) => {
    children.push(c);
    return c;
  };
  const cleanup = () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    return await fn(track);
  } catch (err) {
    cleanup();
    console.error(err instanceof Error ? err.stack : err);
    console.log('ratio: n/a (the benchmark broke off)');
    process.exit(2);
  } finally {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
  }
}

export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
