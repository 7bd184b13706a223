import type { Collection, Doc, Filter, Page, QueryOptions } from './ports';
import type { Stores } from './stores';
import { SYSTEM_KEY, conversationKey, programmeKey } from './partition';
import { DomainError } from './errors';

/**
 * A programme's view of the store: the only way commands and jobs reach
 * data. Each collection keeps the port's shape (`get(tenantId, id)`,
 * `query(tenantId, filters)`), so a command reads as it always did, but every
 * call is turned into the partition `<tenantId>|<programmeId>` and every
 * document written is stamped with that partition and the programme. A
 * command holding this view cannot name another programme's partition, so
 * isolation does not depend on each command remembering a filter.
 *
 * When the view is bound to a tenant (every turn and every job), a call
 * naming another tenant is a bug and throws. Conversation references are
 * per person or chat, not per programme (a person in two programmes has one
 * 1:1 chat), so `conversations` maps each reference to its own partition.
 * The scheduler's bookkeeping (`_system`) passes through unchanged.
 */
export interface ProgrammeScope {
  programmeId: string;
  tenantId?: string;
  /**
   * A person who belongs to no programme yet (src/app/programme-scope.ts): they read an empty programme and
   * cannot write into it, so nothing of theirs is kept anywhere until a programme takes them in.
   */
  readOnly?: string;
}

const VIEW = Symbol('programme view');
interface Viewed {
  [VIEW]?: { raw: Stores; scope: ProgrammeScope };
}

type KeyOf = (tenantId: string, id: string) => string;

class ProgrammeCollection<T extends Doc> implements Collection<T> {
  constructor(
    readonly raw: Collection<T>,
    private readonly scope: ProgrammeScope,
    private readonly keyOf: KeyOf,
    private readonly stampProgramme: boolean,
  ) {}

  private key(tenantId: string, id: string): string {
    if (tenantId === SYSTEM_KEY) return SYSTEM_KEY;
    if (this.scope.tenantId !== undefined && tenantId !== this.scope.tenantId) {
      throw new Error(`programme ${this.scope.programmeId} of tenant ${this.scope.tenantId} was asked for tenant ${tenantId}`);
    }
    return this.keyOf(tenantId, id);
  }

  private stamp(doc: T): T {
    if (this.scope.readOnly && this.stampProgramme) throw new DomainError('not_allowed', this.scope.readOnly);
    const pk = this.key(doc.tenantId, doc.id);
    if (pk === SYSTEM_KEY) return { ...doc, pk };
    return this.stampProgramme ? { ...doc, pk, programmeId: this.scope.programmeId } : { ...doc, pk };
  }

  get(tenantId: string, id: string): Promise<T | undefined> {
    return this.raw.get(this.key(tenantId, id), id);
  }
  create(doc: T): Promise<T> {
    return this.raw.create(this.stamp(doc));
  }
  replace(doc: T): Promise<T> {
    return this.raw.replace(this.stamp(doc));
  }
  upsert(doc: T): Promise<T> {
    return this.raw.upsert(this.stamp(doc));
  }
  delete(tenantId: string, id: string, etag?: string): Promise<void> {
    if (this.scope.readOnly && this.stampProgramme) return Promise.resolve();
    return this.raw.delete(this.key(tenantId, id), id, etag);
  }
  query(tenantId: string, filters: Filter[], options?: QueryOptions): Promise<Page<T>> {
    return this.raw.query(this.key(tenantId, ''), filters, options);
  }
  /** The scheduler's due-jobs query: across every partition by design (it then runs each job in its programme's view). */
  queryAll(filters: Filter[], options?: QueryOptions): Promise<Page<T>> {
    return this.raw.queryAll(filters, options);
  }
}

/** The stores as programme `scope.programmeId` sees them (see above). `stores` may itself be a view: its raw stores are used. */
export function programmeStores(stores: Stores, scope: ProgrammeScope): Stores {
  const raw = rawStores(stores);
  const inProgramme: KeyOf = (tenantId) => programmeKey(tenantId, scope.programmeId);
  const view = Object.fromEntries(
    (Object.entries(raw) as [keyof Stores, Collection<Doc>][]).map(([name, c]) => [
      name,
      name === 'conversations' ? new ProgrammeCollection(c, scope, conversationKey, false) : new ProgrammeCollection(c, scope, inProgramme, true),
    ]),
  ) as unknown as Stores & Viewed;
  Object.defineProperty(view, VIEW, { value: { raw, scope }, enumerable: false });
  return view;
}

/** The stores addressed by partition key (indexes, the migration, the scheduler's due list). */
export function rawStores(stores: Stores): Stores {
  return (stores as Stores & Viewed)[VIEW]?.raw ?? stores;
}

/** The programme a view is bound to, or undefined for raw stores. */
export function scopeOf(stores: Stores): ProgrammeScope | undefined {
  return (stores as Stores & Viewed)[VIEW]?.scope;
}

/** The raw collection under a view's collection (tests read every document of a memory store through it). */
export function rawCollection<T extends Doc>(collection: Collection<T>): Collection<T> {
  return collection instanceof ProgrammeCollection ? (collection.raw as Collection<T>) : collection;
}
