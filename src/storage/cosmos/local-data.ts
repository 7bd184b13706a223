import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { JOURNAL_NAME, journalFile, syncDir, type JournalRecord } from './journal';
import type { Captured } from './durable-documents';

/**
 * The files of the embedded store in DATA_DIR:
 *
 *   snapshot.jsonl          every document at one moment; first line
 *                           {"snapshot":1,"journal":G,"counters":{...}}, then {"c":container,"put":doc}
 *   journal-<G>.jsonl       every change since, one line each, a transactional
 *                           batch one line for all its changes (journal.ts);
 *                           the snapshot covers all journals before G
 *   lock                    the pid of the process using the folder
 *   snapshot.jsonl.tmp-*    a snapshot being written (removed at start if left over)
 *   store.json              the old 30-second snapshot; read once, then replaced
 */
export const SNAPSHOT = 'snapshot.jsonl';
export const LEGACY_SNAPSHOT = 'store.json';
const TEMP = /^(snapshot\.jsonl\.tmp-.*|store\.json\..*\.tmp)$/;

/** Hand back to the event loop after this long serializing, so /healthz and turns are not kept waiting. */
const SLICE_MS = 8;
/** Write in chunks of about this many bytes. */
const CHUNK = 1 << 20;

export async function removeTempFiles(dir: string): Promise<string[]> {
  const removed = (await fs.readdir(dir)).filter((name) => TEMP.test(name));
  for (const name of removed) await fs.rm(path.join(dir, name), { force: true });
  return removed;
}

/**
 * Writes `captured` as the snapshot that covers every journal before `gen`:
 * to a temp file in slices of a few milliseconds, fsynced, then renamed over
 * the old one. A crash at any point leaves the old snapshot and journals whole.
 */
export async function writeSnapshot(dir: string, gen: number, captured: Captured): Promise<number> {
  const file = path.join(dir, SNAPSHOT);
  const tmp = `${file}.tmp-${process.pid}-${gen}`;
  const fh = await fs.open(tmp, 'w');
  let bytes = 0;
  try {
    const counters = Object.fromEntries([...captured].map(([name, c]) => [name, c.ridCount]));
    let chunk = `${JSON.stringify({ snapshot: 1, journal: gen, counters })}\n`;
    let sliceStart = performance.now();
    for (const [name, { docs }] of captured) {
      const prefix = `{"c":${JSON.stringify(name)},"put":`;
      for (const doc of docs) {
        chunk += `${prefix}${JSON.stringify(doc)}}\n`;
        if (chunk.length >= CHUNK) {
          bytes += await writeAll(fh, chunk);
          chunk = '';
        }
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    }
    bytes += await writeAll(fh, chunk);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await fs.rename(tmp, file);
  await syncDir(dir);
  return bytes;
}

async function writeAll(fh: fs.FileHandle, text: string): Promise<number> {
  if (!text) return 0;
  const buffer = Buffer.from(text);
  await fh.write(buffer);
  return buffer.length;
}

export interface Replayed {
  /** The generation the journal should append to next. */
  gen: number;
  snapshotBytes: number;
  journalBytes: number;
  /** True when the data came from the old store.json, which should be replaced by a snapshot now. */
  legacy: boolean;
  /** Lines cut off at the end of a journal (a write the crash interrupted, never acknowledged). */
  tornLines: number;
}

export interface ReplayTarget {
  /** Container document counters from the snapshot. */
  counters(counters: Record<string, number>): void;
  apply(record: JournalRecord): void;
  /** A document from the old store.json: stored as new, with fresh system fields. */
  legacy(container: string, doc: Record<string, unknown>): void;
}

/**
 * Reads DATA_DIR into `target`: the snapshot, then each journal from the
 * snapshot's generation on, in order. An incomplete last line of a journal
 * (the process died while writing it, so its write was never acknowledged)
 * is dropped and cut from the file. Any other line that does not parse
 * is damage, not a crash, and stops the start with the file and line named.
 */
export async function replayLocalData(dir: string, target: ReplayTarget, { repair = true } = {}): Promise<Replayed> {
  const snapshotFile = path.join(dir, SNAPSHOT);
  let gen = 0;
  let snapshotBytes = 0;
  let legacy = false;
  const snapshotStat = await fs.stat(snapshotFile).catch(() => undefined);
  if (snapshotStat) {
    snapshotBytes = snapshotStat.size;
    let first = true;
    await eachLine(snapshotFile, (line, n) => {
      const value = parseLine(line, snapshotFile, n);
      if (first) {
        first = false;
        gen = (value as { journal: number }).journal;
        target.counters((value as { counters: Record<string, number> }).counters);
      } else {
        target.apply(value as JournalRecord);
      }
    });
  } else {
    const old = await fs.readFile(path.join(dir, LEGACY_SNAPSHOT), 'utf8').catch(() => undefined);
    if (old !== undefined) {
      legacy = true;
      for (const [container, docs] of Object.entries(JSON.parse(old) as Record<string, Record<string, unknown>[]>)) {
        for (const doc of docs) target.legacy(container, doc);
      }
    }
  }

  const journals = (await fs.readdir(dir))
    .map((name) => JOURNAL_NAME.exec(name))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .filter((g) => g >= gen)
    .sort((a, b) => a - b);
  let journalBytes = 0;
  let tornLines = 0;
  for (const g of journals) {
    const file = path.join(dir, journalFile(g));
    const { records, goodBytes, torn } = await readJournal(file);
    for (const r of records) target.apply(r);
    if (torn) {
      tornLines += 1;
      if (repair) await fs.truncate(file, goodBytes);
    }
    journalBytes += goodBytes;
    gen = g;
  }
  return { gen, snapshotBytes, journalBytes, legacy, tornLines };
}

async function readJournal(file: string): Promise<{ records: JournalRecord[]; goodBytes: number; torn: boolean }> {
  const text = await fs.readFile(file);
  const records: JournalRecord[] = [];
  let offset = 0;
  let line = 1;
  while (offset < text.length) {
    const nl = text.indexOf(0x0a, offset);
    if (nl === -1) return { records, goodBytes: offset, torn: true };
    const body = text.subarray(offset, nl).toString('utf8');
    let record: JournalRecord;
    try {
      record = JSON.parse(body) as JournalRecord;
    } catch {
      // A torn write can only be the last line: what follows a bad line means the file was damaged.
      if (nl === text.length - 1) return { records, goodBytes: offset, torn: true };
      throw new Error(`${file} is damaged at line ${line}; move it aside to start without the changes it holds`);
    }
    records.push(record);
    offset = nl + 1;
    line += 1;
  }
  return { records, goodBytes: offset, torn: false };
}

async function eachLine(file: string, fn: (line: string, n: number) => void): Promise<void> {
  const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line) fn(line, n);
  }
}

function parseLine(line: string, file: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${file} is damaged at line ${n}; move it aside to start from the journal alone`);
  }
}

/** Every document DATA_DIR holds, by container, read without starting a store (tests, support). */
export async function readLocalData(dir: string): Promise<Record<string, Record<string, unknown>[]>> {
  const containers = new Map<string, Map<string, Record<string, unknown>>>();
  const of = (c: string) => containers.get(c) ?? containers.set(c, new Map()).get(c)!;
  // Version-2 containers are partitioned by pk, version-1 ones by tenantId (src/storage/containers.ts).
  const key = (doc: Record<string, unknown>, pk?: unknown) => `${JSON.stringify(pk ?? doc.pk ?? doc.tenantId ?? null)}/${String(doc.id)}`;
  await replayLocalData(dir, {
    counters: () => undefined,
    apply: (r) => {
      for (const change of 'tx' in r ? r.tx : [r]) {
        if ('put' in change) of(change.c).set(key(change.put), change.put);
        else of(change.c).delete(key({ id: change.del }, change.pk));
      }
    },
    legacy: (c, doc) => of(c).set(key(doc), doc),
  }, { repair: false });
  return Object.fromEntries([...containers].map(([c, docs]) => [c, [...docs.values()]]));
}
