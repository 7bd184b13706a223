import type { Deps } from './deps';
import type { Names } from '../domain/person';

/** Looks up display names for a set of ids once, for a presenter. */
export async function namesFor(deps: Deps, tenantId: string, ids: Iterable<string>): Promise<Names> {
  const map = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (!id) continue;
    const p = await deps.stores.people.get(tenantId, id);
    map.set(id, p?.name || 'someone');
  }
  return (id: string) => map.get(id) ?? 'someone';
}
