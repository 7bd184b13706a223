import type { Container, SqlParameter } from '@azure/cosmos';
import type { Collection, Doc, Filter, Page, QueryOptions } from '../../domain/ports';
import { WriteConflict } from '../../domain/ports';
import { SCHEMA_VERSION } from '../containers';

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function path(field: string): string {
  if (!FIELD.test(field)) throw new Error(`Unsafe field name in query: ${field}`);
  return `c.${field}`;
}

/** Builds the WHERE clause. The partition key is always in WHERE because the embedded server ignores the partitionKey option. */
export function buildQuery(pk: string | undefined, filters: Filter[], options: QueryOptions = {}) {
  const clauses: string[] = [];
  const parameters: SqlParameter[] = [];
  if (pk !== undefined) {
    clauses.push('c.pk = @pk');
    parameters.push({ name: '@pk', value: pk });
  }
  filters.forEach((f, i) => {
    const p = `@p${i}`;
    const col = path(f.field);
    switch (f.op) {
      case 'contains':
        clauses.push(`ARRAY_CONTAINS(${col}, ${p})`);
        break;
      case 'in':
        clauses.push(`ARRAY_CONTAINS(${p}, ${col})`);
        break;
      case 'defined':
        clauses.push(`IS_DEFINED(${col})`);
        return;
      case 'undefined':
        clauses.push(`NOT IS_DEFINED(${col})`);
        return;
      default:
        clauses.push(`${col} ${f.op} ${p}`);
    }
    parameters.push({ name: p, value: f.value as SqlParameter['value'] });
  });
  let query = 'SELECT * FROM c';
  if (clauses.length) query += ` WHERE ${clauses.join(' AND ')}`;
  if (options.orderBy) query += ` ORDER BY ${path(options.orderBy.field)} ${options.orderBy.direction}`;
  return { query, parameters };
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: number | string; statusCode?: number };
  return typeof e?.code === 'number' ? e.code : e?.statusCode;
}

function strip<T extends Doc>(resource: unknown): T {
  const { _rid, _self, _attachments, _ts, ...rest } = resource as Record<string, unknown>;
  void _rid; void _self; void _attachments; void _ts;
  return rest as unknown as T;
}

/** Every container is partitioned by /pk (src/storage/containers.ts); a document without one is a bug upstream. */
function partitionOf(doc: Doc): string {
  if (!doc.pk) throw new Error(`${doc.id} has no partition key (pk): write it through a programme's view or name its partition`);
  return doc.pk;
}

export class CosmosCollection<T extends Doc> implements Collection<T> {
  constructor(readonly container: Container) {}

  async get(pk: string, id: string): Promise<T | undefined> {
    try {
      const { resource } = await this.container.item(id, pk).read<T & Record<string, unknown>>();
      return resource ? strip<T>(resource) : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async create(doc: T): Promise<T> {
    try {
      const { resource } = await this.container.items.create<T>(this.stamp(doc));
      return strip<T>(resource);
    } catch (err) {
      if (statusOf(err) === 409) throw new WriteConflict('exists', `${doc.id} already exists`);
      throw err;
    }
  }

  async replace(doc: T): Promise<T> {
    const { _etag, ...body } = doc;
    try {
      const { resource } = await this.container
        .item(doc.id, partitionOf(doc))
        .replace<T>(this.stamp(body as T), _etag ? { accessCondition: { type: 'IfMatch', condition: _etag } } : undefined);
      return strip<T>(resource);
    } catch (err) {
      if (statusOf(err) === 412) throw new WriteConflict('etag', `${doc.id} changed since it was read`);
      if (statusOf(err) === 404) throw new WriteConflict('etag', `${doc.id} was deleted since it was read`);
      throw err;
    }
  }

  async upsert(doc: T): Promise<T> {
    const { _etag, ...body } = doc;
    void _etag;
    const { resource } = await this.container.items.upsert<T>(this.stamp(body as T));
    return strip<T>(resource);
  }

  async delete(pk: string, id: string, etag?: string): Promise<void> {
    try {
      await this.container.item(id, pk).delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : undefined);
    } catch (err) {
      if (statusOf(err) === 412) throw new WriteConflict('etag', `${id} changed since it was read`);
      if (statusOf(err) !== 404) throw err;
    }
  }

  query(pk: string, filters: Filter[], options: QueryOptions = {}): Promise<Page<T>> {
    return this.run(buildQuery(pk, filters, options), options, pk);
  }

  queryAll(filters: Filter[], options: QueryOptions = {}): Promise<Page<T>> {
    return this.run(buildQuery(undefined, filters, options), options);
  }

  private async run(spec: ReturnType<typeof buildQuery>, options: QueryOptions, partitionKey?: string): Promise<Page<T>> {
    const iterator = this.container.items.query<T & Record<string, unknown>>(spec, {
      maxItemCount: options.pageSize ?? 100,
      continuationToken: options.continuation,
      ...(partitionKey !== undefined ? { partitionKey } : {}),
    });
    if (partitionKey !== undefined) skipQueryPlan(iterator);
    const page = await iterator.fetchNext();
    return { items: page.resources.map((r) => strip<T>(r)), continuation: page.continuationToken || undefined };
  }

  private stamp(doc: T): T {
    partitionOf(doc);
    return { ...doc, schemaVersion: doc.schemaVersion ?? SCHEMA_VERSION };
  }
}

/**
 * @azure/cosmos 4.x asks the gateway for a query plan beside every page it fetches, in case the query turns out to
 * need one, and uses it only when a cross-partition query is refused without it. A query within one partition (every
 * query but the scheduler's and the migration's) never is, so that second round trip per query is wasted: about
 * a request in six of a card action. The iterator reuses a plan already under way, so one is given it. Checked by
 * test/storage (every query shape, against the embedded server); if an SDK update drops the field, this does nothing.
 */
function skipQueryPlan(iterator: object): void {
  const it = iterator as { queryPlanPromise?: Promise<unknown> };
  if ('queryPlanPromise' in it && it.queryPlanPromise === undefined) it.queryPlanPromise = Promise.resolve(new Error('single-partition query: no plan needed'));
}
