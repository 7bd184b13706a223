import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** One change to one container, as the journal and the snapshot record it. */
export type Change =
  /** `put` is the stored document with its system fields; `n` is the container's document counter after it. */
  | { c: string; put: Record<string, unknown>; n: number }
  | { c: string; del: string; pk?: unknown };

/**
 * A line of the journal: one change, or the changes of one transactional
 * batch (`tx`). A batch is one line so that a crash leaves all of it or,
 * with the line torn, none of it.
 */
export type JournalRecord = Change | { tx: Change[] };

export const journalFile = (gen: number) => `journal-${String(gen).padStart(8, '0')}.jsonl`;
export const JOURNAL_NAME = /^journal-(\d{8})\.jsonl$/;

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The append-only journal of the embedded store: one JSON line per change,
 * in the order the changes were made in memory.
 *
 * Group commit: `append` only queues a line. One loop writes everything
 * queued and calls fdatasync once for it; lines queued meanwhile wait for the
 * next round, so any number of concurrent writes share one fsync. The
 * embedded server holds each HTTP response until `whenDurable()` says every
 * line queued before it is on disk.
 *
 * `rotate()` starts a new file (a new generation) for everything appended
 * after it, so a snapshot taken at the same moment covers exactly the older
 * files, which can then be deleted.
 *
 * After a failed write or fsync the journal refuses everything: a change the
 * disk may not hold is never reported as saved.
 */
export class Journal {
  private queue: { gen: number; line: string }[] = [];
  private seq = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private draining: Promise<void> | undefined;
  private files = new Map<number, fs.FileHandle>();
  private failure: Error | undefined;
  private closed = false;
  /** Rounds of write + fdatasync so far; each covers every line queued when it began. */
  rounds = 0;
  /** Bytes appended since the last rotate(), written or not. */
  bytesSinceRotate: number;

  constructor(
    private readonly dir: string,
    private gen: number,
    initialBytes = 0,
    /** Called after each round of writes; open-store uses it to start a compaction. */
    private readonly afterWrite?: () => void,
  ) {
    this.bytesSinceRotate = initialBytes;
  }

  get generation(): number {
    return this.gen;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  append(record: JournalRecord): void {
    if (this.closed) throw new Error('the local store is closed');
    const line = `${JSON.stringify(record)}\n`;
    this.queue.push({ gen: this.gen, line });
    this.seq += 1;
    this.bytesSinceRotate += Buffer.byteLength(line);
    this.draining ??= this.drain();
  }

  /** Undefined when nothing appended so far is waiting for the disk (the common case for reads). */
  whenDurable(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable === this.seq) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.seq, resolve, reject }));
  }

  /** Everything appended from now on goes to a new file; returns its generation. */
  rotate(): number {
    this.gen += 1;
    this.bytesSinceRotate = 0;
    return this.gen;
  }

  /** Deletes the files a snapshot of generation `gen` has made unnecessary. */
  async dropBefore(gen: number): Promise<void> {
    for (const name of await fs.readdir(this.dir)) {
      const m = JOURNAL_NAME.exec(name);
      if (m && Number(m[1]) < gen && !this.files.has(Number(m[1]))) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
    for (const fh of this.files.values()) await fh.close();
    this.files.clear();
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    // Start after the current task, so every line appended in it goes in the first round.
    await Promise.resolve();
    try {
      while (this.queue.length > 0 && !this.failure) {
        const batch = this.queue;
        this.queue = [];
        const upTo = this.seq;
        // Generations only grow along the queue: write each one's lines to its own file, oldest first.
        let start = 0;
        while (start < batch.length) {
          const gen = batch[start].gen;
          let end = start;
          while (end < batch.length && batch[end].gen === gen) end += 1;
          const fh = await this.file(gen);
          await fh.write(batch.slice(start, end).map((e) => e.line).join(''));
          await fh.datasync();
          start = end;
        }
        await this.closeOlderThan(this.gen);
        this.rounds += 1;
        this.durable = upTo;
        while (this.waiters.length > 0 && this.waiters[0].seq <= upTo) this.waiters.shift()!.resolve();
        this.afterWrite?.();
      }
    } catch (err) {
      this.failure = new Error(`the local store could not write to ${this.dir}: ${(err as Error).message}`);
    } finally {
      if (this.failure) for (const w of this.waiters.splice(0)) w.reject(this.failure);
      this.draining = undefined;
      // Lines appended while the last round was being released start the next one.
      if (this.queue.length > 0 && !this.failure) this.draining = this.drain();
    }
  }

  private async file(gen: number): Promise<fs.FileHandle> {
    let fh = this.files.get(gen);
    if (!fh) {
      fh = await fs.open(path.join(this.dir, journalFile(gen)), 'a');
      this.files.set(gen, fh);
      // The new file's name must be on disk too, or an fsynced line could vanish with it.
      await syncDir(this.dir);
    }
    return fh;
  }

  private async closeOlderThan(gen: number): Promise<void> {
    for (const [g, fh] of this.files) {
      if (g < gen) {
        this.files.delete(g);
        await fh.close();
      }
    }
  }
}

/** fsync on a directory makes a create, rename or delete in it durable (Linux, macOS); Windows cannot open one, and needs no call. */
export async function syncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw err;
  } finally {
    await fh?.close();
  }
}
