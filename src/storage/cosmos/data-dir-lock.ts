import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const LOCK_FILE = 'lock';

export class DataDirInUse extends Error {
  constructor(dir: string, pid: number) {
    super(
      `DATA_DIR ${dir} is in use by another Golden Thread (process ${pid}). Two bots on one folder would overwrite each other's data. ` +
        `Stop the other one, or give this one its own folder with DATA_DIR. If process ${pid} is not a Golden Thread, delete ${path.join(dir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirInUse';
  }
}

/** Folders this process holds: a lock naming our own pid is then ours, not left over from an earlier run that had the same pid (pid 1 in a container). */
const held = new Set<string>();

/**
 * Takes DATA_DIR for this process: creates `lock` exclusively, with our pid
 * in it. A lock whose process is gone (kill -9, power cut) is taken over at
 * once. proper-lockfile was the alternative, but it tells a stale lock by an
 * mtime it refreshes on a timer, so a restart after kill -9 would be refused
 * (or wait) for at least five seconds; a pid check knows straight away.
 * Returns the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      held.add(file);
      return async () => {
        held.delete(file);
        // Only our own lock: never remove one another process took over.
        if ((await readPid(file)) === process.pid) await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = await readPid(file);
    if (pid !== undefined && (pid === process.pid ? held.has(file) : alive(pid))) throw new DataDirInUse(dir, pid);
    if (pid === undefined && (await youngerThan(file, 2000))) {
      // Another process may have created it a moment ago and not yet written its pid.
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    // Stale, or empty because its process died while creating it: remove it and try again.
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not lock DATA_DIR ${dir}: ${file} keeps reappearing`);
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function youngerThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  return !!stat && Date.now() - stat.mtimeMs < ms;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
