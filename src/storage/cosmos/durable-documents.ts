import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import type { Change, Journal, JournalRecord } from './journal';

/**
 * What we rely on inside @vercel/cosmosdb-server 1.0 (lib/account/items.js):
 * each container's documents live in `_data`, a Map from _rid to an Item
 * whose read() gives the document. Every write goes through create/replace/
 * upsert/delete, and all of them end in `_set(newObject)` or `delete()`:
 * a stored document is replaced by a new object, never changed in place
 * (patch deep-copies first). So copying the Map's values is a point-in-time
 * snapshot that costs one array of references.
 */
export interface ServerDocuments {
  _data: Map<string, { read(): Record<string, unknown> }>;
  _ridCount: number;
  _set(data: Record<string, unknown>): Record<string, unknown>;
  delete(idOrRid: string, partition: unknown): void;
  replace(data: Record<string, unknown>, original: Record<string, unknown>): Record<string, unknown>;
  create(data: Record<string, unknown>): Record<string, unknown>;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): Record<string, unknown> | undefined };
  _getPartition(data: Record<string, unknown>): unknown;
}

interface ServerCollections {
  _set(data: Record<string, unknown>): Record<string, unknown>;
  _data: Map<string, { documents: ServerDocuments }>;
}

/** A point-in-time copy: per container, its document counter and its documents (shared, never mutated). */
export type Captured = Map<string, { ridCount: number; docs: Record<string, unknown>[] }>;

const OWNER = Symbol('golden-thread durable store');
const REPLACING = Symbol('golden-thread replacing');
type Tagged = ServerDocuments & { [OWNER]?: { store: DurableDocuments; name: string }; [REPLACING]?: boolean };

/** Which DurableDocuments a request belongs to, so containers it creates are attached to it (several servers may share a process). */
const requestContext = new AsyncLocalStorage<DurableDocuments>();

/** The server's own methods, before installDurableHooks wrapped them; replay and undo call these so nothing is journaled twice. */
let original: { set: ServerDocuments['_set']; delete: ServerDocuments['delete'] } | undefined;

/** A transactional batch being applied: its container, its changes so far, and every document it touched as it was before. */
interface Transaction {
  docs: ServerDocuments;
  changes: Change[];
  before: Map<string, { id: string; pk: unknown; doc: Record<string, unknown> | undefined }>;
}

/** At most one, and only within one synchronous step (atomically), so no other request can write meanwhile. */
let active: Transaction | undefined;

/**
 * The embedded server's documents, made durable: every change a request
 * makes is appended to the journal in the same synchronous step that makes
 * it in memory, and the response waits for the journal's fsync.
 */
export class DurableDocuments {
  readonly containers = new Map<string, ServerDocuments>();
  /** Unset while the data on disk is being replayed: replayed changes are already on disk. */
  journal: Journal | undefined;

  /** Wraps `server`'s request handling: containers created through it belong here, and no response leaves before the changes it could show are on disk. */
  serve(server: Server): void {
    installDurableHooks();
    const [handler] = server.listeners('request') as ((req: unknown, res: unknown) => void)[];
    server.removeListener('request', handler);
    server.on('request', (req, res) => {
      const end = res.end;
      // Reads wait too (only while a write is in flight): a response must not show a change the disk may still lose.
      res.end = ((...args: Parameters<typeof res.end>) => {
        const waiting = this.journal?.whenDurable();
        if (!waiting) return end.apply(res, args);
        waiting.then(
          () => end.apply(res, args),
          (err: Error) => {
            if (res.headersSent) return void res.destroy(err);
            res.removeHeader('etag');
            res.statusCode = 503;
            (end as (chunk: string) => void).call(res, JSON.stringify({ code: 'ServiceUnavailable', message: err.message }));
          },
        );
        return res;
      }) as typeof res.end;
      requestContext.run(this, () => handler(req, res));
    });
  }

  attach(name: string, docs: ServerDocuments): void {
    (docs as Tagged)[OWNER] = { store: this, name };
    this.containers.set(name, docs);
  }

  /** Synchronous, so no write can fall between it and a journal rotate() made in the same step. */
  capture(): Captured {
    const out: Captured = new Map();
    for (const [name, docs] of this.containers) out.set(name, { ridCount: docs._ridCount, docs: Array.from(docs._data.values(), (item) => item.read()) });
    return out;
  }

  /** Applies a change read back from disk, keeping its _rid, _etag and _ts; a batch's changes all together. */
  apply(record: JournalRecord): boolean {
    if ('tx' in record) return record.tx.map((change) => this.apply(change)).every(Boolean);
    const docs = this.containers.get(record.c);
    if (!docs || !original) return false;
    if ('put' in record) {
      const pk = docs._getPartition(record.put);
      const old = docs._item('/id', record.put.id, pk).read();
      if (old) original.delete.call(docs, old.id as string, pk);
      original.set.call(docs, record.put);
      docs._ridCount = Math.max(docs._ridCount, record.n);
    } else {
      if (docs._item('/id', record.del, record.pk).read()) original.delete.call(docs, record.del, record.pk);
    }
    return true;
  }
}

function journalOf(docs: Tagged): { journal: Journal; name: string } | undefined {
  const owner = docs[OWNER];
  return owner?.store.journal ? { journal: owner.store.journal, name: owner.name } : undefined;
}

/** Journals a change now, or, inside a batch, keeps it for the batch's one line. */
function record(docs: Tagged, change: (container: string) => Change): void {
  const target = journalOf(docs);
  if (!target) return;
  if (active?.docs === docs) active.changes.push(change(target.name));
  else target.journal.append(change(target.name));
}

/** Inside a batch, notes how a document was before the batch first wrote it. */
function remember(docs: ServerDocuments, id: string, pk: unknown): void {
  if (active?.docs !== docs) return;
  const key = JSON.stringify([pk ?? null, id]);
  if (!active.before.has(key)) active.before.set(key, { id, pk, doc: docs._item('/id', id, pk).read() });
}

/**
 * Runs `change`, synchronous writes to one container, all or nothing: when
 * it returns true its writes go to the journal as one line (replayed whole,
 * or not at all if a crash tears it); when it returns false or throws, every
 * document it touched is put back as it was (system fields and the
 * container's document counter too) and nothing is journaled. Being
 * synchronous, no other request sees a part of it.
 */
export function atomically(docs: ServerDocuments, change: () => boolean): boolean {
  installDurableHooks();
  if (active) throw new Error('transactional batches cannot nest');
  const tx: Transaction = { docs, changes: [], before: new Map() };
  const ridCount = docs._ridCount;
  let commit = false;
  active = tx;
  try {
    commit = change();
  } finally {
    active = undefined;
    if (!commit) undo(tx, ridCount);
  }
  const target = journalOf(docs as Tagged);
  if (commit && target && tx.changes.length > 0) target.journal.append({ tx: tx.changes });
  return commit;
}

function undo(tx: Transaction, ridCount: number): void {
  const { set, delete: del } = original!;
  for (const { id, pk, doc } of tx.before.values()) {
    if (tx.docs._item('/id', id, pk).read()) del.call(tx.docs, id, pk);
    if (doc) set.call(tx.docs, doc);
  }
  tx.docs._ridCount = ridCount;
}

function serverModule<T>(file: string): { default: { prototype: T } } {
  const server = require.resolve('@vercel/cosmosdb-server');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(require.resolve(`@vercel/cosmosdb-server/lib/account/${file}`, { paths: [server] })) as { default: { prototype: T } };
}

/** Idempotent. Wraps the server's document writes; containers of servers no DurableDocuments serves are left as they were. */
export function installDurableHooks(): void {
  if (original) return;
  const documents = serverModule<Tagged>('documents').default.prototype;
  const collections = serverModule<ServerCollections>('collections').default.prototype;
  original = { set: documents._set, delete: documents.delete };
  const { set, delete: del } = original;
  const { replace } = documents;
  const collectionSet = collections._set;

  documents._set = function (this: Tagged, data) {
    remember(this, data.id as string, this._getPartition(data));
    const stored = set.call(this, data);
    record(this, (c) => ({ c, put: stored, n: this._ridCount }));
    return stored;
  };
  // replace() is delete() then _set() of the same id: journal it as the one put, so a torn line cannot leave only the delete.
  documents.replace = function (this: Tagged, data, previous) {
    this[REPLACING] = true;
    try {
      return replace.call(this, data, previous);
    } finally {
      this[REPLACING] = false;
    }
  };
  documents.delete = function (this: Tagged, idOrRid, partition) {
    const doc = this._item('/id', idOrRid, partition).read();
    if (doc) remember(this, doc.id as string, this._getPartition(doc));
    del.call(this, idOrRid, partition);
    if (doc && !this[REPLACING]) record(this, (c) => ({ c, del: doc.id as string, pk: this._getPartition(doc) }));
  };
  collections._set = function (this: ServerCollections, data) {
    const stored = collectionSet.call(this, data);
    const store = requestContext.getStore();
    const created = this._data.get(stored._rid as string);
    if (store && created) store.attach(stored.id as string, created.documents);
    return stored;
  };
}
