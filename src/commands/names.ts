import type { Deps } from './deps';
import { queryEvery } from '../domain/ports';
import type { Names } from '../domain/person';

// Ids per query: a log card's handful is one round trip, and an export naming thousands stays well within a query's size limit.
const PER_QUERY = 100;

/** Looks up display names for a set of ids once, for a presenter: one query per hundred people rather than a read each. */
export async function namesFor(deps: Deps, tenantId: string, ids: Iterable<string>): Promise<Names> {
  const wanted = [...new Set(ids)].filter(Boolean);
  const map = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += PER_QUERY) {
    const people = await queryEvery(deps.stores.people, tenantId, [{ field: 'id', op: 'in', value: wanted.slice(i, i + PER_QUERY) }]);
    for (const p of people) if (p.name) map.set(p.id, p.name);
  }
  return (id: string) => map.get(id) ?? 'someone';
}
