import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import { Journal } from '../../src/storage/cosmos/journal';
import { readLocalData, SNAPSHOT } from '../../src/storage/cosmos/local-data';
import { CONTAINERS } from '../../src/storage/containers';
import { programmeKey } from '../../src/domain/partition';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';

/*
 * The embedded store's own files in DATA_DIR: a journal fsynced before each
 * write is answered, a snapshot compacted from it in the background, and a
 * lock so that one bot at a time uses the folder. What a user would notice
 * when these go wrong is a bot that forgets, or that will not start.
 */

const ROOT = path.join(__dirname, '..', '..');
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'gt-journal-'));
const journals = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('journal-')).sort();
// The raw store is addressed by partition key; 't' is both the tenant and the partition here.
const doc = (id: string, extra: Record<string, unknown> = {}) => ({ id, tenantId: 't', pk: 't', type: 'test', ...extra }) as never;

const open: OpenStore[] = [];
async function openOn(dataDir: string, extra: { compactAfterBytes?: number } = {}): Promise<OpenStore> {
  const store = await openStore({ databaseName: 'gt', dataDir, ...extra });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
});

/** Runs `code` in a fresh Node process with ts-node; resolves with its exit code and output. */
function runNode(code: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += String(c)));
    child.stderr.on('data', (c) => (output += String(c)));
    child.on('exit', (exitCode) => resolve({ code: exitCode, output }));
  });
}

describe('the journal', () => {
  it('shares one fsync among writes made while another is in progress (group commit)', async () => {
    const dir = tempDir();
    const journal = new Journal(dir, 0);
    for (let i = 0; i < 200; i++) journal.append({ c: 'audit', put: { id: `a${i}` }, n: i + 1 });
    await journal.whenDurable();
    expect(journal.rounds).toBe(1);
    expect(journal.whenDurable()).toBeUndefined();
    await journal.close();
    expect(readFileSync(path.join(dir, journals(dir)[0]), 'utf8').trim().split('\n')).toHaveLength(200);
  });

  it('has every acknowledged write on disk the moment it is answered, with no close or flush', async () => {
    const dir = tempDir();
    const store = await openOn(dir);
    await store.stores.counters.create(doc('c1', { n: 1 }));
    await store.stores.counters.replace({ ...(await store.stores.counters.get('t', 'c1'))!, n: 2 } as never);
    await store.stores.counters.create(doc('gone'));
    await store.stores.counters.delete('t', 'gone');
    // What a crash right now would leave: the files as they are.
    const onDisk = await readLocalData(dir);
    expect(onDisk[CONTAINERS.counters.id]).toEqual([expect.objectContaining({ id: 'c1', n: 2 })]);
  });

  it('ignores a last line cut off mid-write, and the start after it goes on normally', async () => {
    const dir = tempDir();
    const first = await openOn(dir);
    await first.stores.counters.create(doc('kept'));
    await first.close();
    const [last] = journals(dir).slice(-1);
    const before = statSync(path.join(dir, last)).size;
    appendFileSync(path.join(dir, last), '{"c":"counters","put":{"id":"torn","tenantId":"t","ty');

    const second = await openOn(dir);
    expect(await second.stores.counters.get('t', 'kept')).toMatchObject({ id: 'kept' });
    expect(await second.stores.counters.get('t', 'torn')).toBeUndefined();
    // The torn bytes are cut, so the next line starts on a line of its own.
    expect(statSync(path.join(dir, last)).size).toBe(before);
    await second.stores.counters.create(doc('after'));
    await second.close();

    const third = await openOn(dir);
    expect((await third.stores.counters.query('t', [])).items.map((d) => d.id).sort()).toEqual(['after', 'kept']);
  });

  it('removes a half-written snapshot and other temporary files at start, and starts from the last whole snapshot', async () => {
    const dir = tempDir();
    const first = await openOn(dir);
    await first.stores.counters.create(doc('c1'));
    await first.flush();
    await first.close();
    writeFileSync(path.join(dir, `${SNAPSHOT}.tmp-4242-9`), '{"snapshot":1,"journal":9,"counters":{}}\n{"c":"counters","put":{"id":"hal');
    writeFileSync(path.join(dir, 'store.json.4242.tmp'), '{"counters":[');

    const second = await openOn(dir);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect((await second.stores.counters.query('t', [])).items.map((d) => d.id)).toEqual(['c1']);
  });

  it('reads the old store.json once into a snapshot, then removes it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'store.json'), JSON.stringify({ counters: [{ id: 'old', tenantId: 't', _rid: 'x', _etag: 'e', _ts: 1 }] }));
    const store = await openOn(dir);
    // A store.json is version-1 data: it is migrated into the tenant's first programme at start.
    expect(await store.stores.counters.get(programmeKey('t', MIGRATED_PROGRAMME_ID), 'old')).toMatchObject({ id: 'old' });
    expect(existsSync(path.join(dir, 'store.json'))).toBe(false);
    expect((await readLocalData(dir)).counters).toEqual([expect.objectContaining({ id: 'old' })]);
  });
});

describe('one bot per DATA_DIR', () => {
  it('refuses a second process on the same folder and says why; a lock left by a killed process does not block', async () => {
    const dir = tempDir();
    const store = await openOn(dir);
    await store.stores.counters.create(doc('c1'));
    const tryOpen = `require('./src/storage/cosmos/open-store').openStore({ databaseName: 'gt', dataDir: ${JSON.stringify(dir)} })
      .then((s) => s.stores.counters.get('t', 'c1').then((d) => { console.log('opened', d && d.id); return s.close(); }))
      .catch((e) => { console.error(e.message); process.exit(3); });`;

    const second = await runNode(tryOpen);
    expect(second.code).toBe(3);
    expect(second.output).toContain(`DATA_DIR ${dir} is in use by another Golden Thread (process ${process.pid})`);
    expect(second.output).toMatch(/Stop the other one, or give this one its own folder with DATA_DIR/);

    // The same folder twice in one process is refused too.
    await expect(openStore({ databaseName: 'gt', dataDir: dir })).rejects.toThrow(/is in use by another Golden Thread/);

    await store.close();
    // A lock naming a process that no longer exists, as kill -9 leaves it.
    const dead = await runNode('console.log(process.pid)');
    writeFileSync(path.join(dir, 'lock'), `${Number.parseInt(dead.output, 10)}\n`);
    const third = await runNode(tryOpen);
    expect(third).toEqual({ code: 0, output: 'opened c1\n' });
  }, 60_000);
});

describe('compaction', () => {
  it('writes a point-in-time snapshot while writes go on, and loses none of them', async () => {
    const dir = tempDir();
    const store = await openOn(dir);
    const { contributions, counters } = store.stores;
    const filler = 'x'.repeat(2000);
    for (let i = 0; i < 1500; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => contributions.create(doc(`seed${i + k}`, { filler }))));
    await counters.create(doc('count', { n: 0 }));

    // A contribution and then the counter that counts it, one after the other, throughout the compaction.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      let counter = (await counters.get('t', 'count'))!;
      while (writing || written < 20) {
        written += 1;
        await contributions.create(doc(`live${written}`));
        counter = await counters.replace({ ...counter, n: written } as never);
      }
    })();
    await new Promise((r) => setTimeout(r, 20));
    await store.flush();
    writing = false;
    await writer;

    // The snapshot alone: every counted contribution is in it, and at most one not yet counted.
    const lines = readFileSync(path.join(dir, SNAPSHOT), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { c: string; put: { id: string; n?: number } });
    const live = lines.filter((l) => l.c === CONTAINERS.contributions.id && l.put.id.startsWith('live')).length;
    const counted = lines.find((l) => l.c === CONTAINERS.counters.id)!.put.n!;
    expect(live - counted).toBeGreaterThanOrEqual(0);
    expect(live - counted).toBeLessThanOrEqual(1);
    expect(lines.filter((l) => l.c === CONTAINERS.contributions.id && l.put.id.startsWith('seed'))).toHaveLength(1500);
    // The journals the snapshot covers are gone; the writes after it are in the new one.
    expect(journals(dir).length).toBe(1);

    await store.close();
    const again = await openOn(dir);
    expect((await again.stores.counters.get('t', 'count'))).toMatchObject({ n: written });
    const all = (await again.stores.contributions.query('t', [], { pageSize: 5000 })).items;
    expect(all).toHaveLength(1500 + written);
    // New documents after a restart do not collide with the restored ones.
    await again.stores.contributions.create(doc('new-after-restart'));
    expect(await again.stores.contributions.get('t', `live${written}`)).toBeDefined();
  }, 60_000);

  it('starts by itself once the journal outgrows its threshold', async () => {
    const dir = tempDir();
    const store = await openOn(dir, { compactAfterBytes: 50_000 });
    for (let i = 0; i < 100; i++) await store.stores.audit.create(doc(`a${i}`, { note: 'y'.repeat(1000) }));
    for (let i = 0; i < 50 && !existsSync(path.join(dir, SNAPSHOT)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(path.join(dir, SNAPSHOT))).toBe(true);
    await store.close();
    expect((await readLocalData(dir))[CONTAINERS.audit.id]).toHaveLength(100);
  });
});
