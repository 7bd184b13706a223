import type { Collection, Doc } from '../domain/ports';
import type { Stores } from '../domain/stores';
import { mentions, type PersonTraces } from '../domain/forget';
import { rawStores } from '../domain/programme-stores';
import { personKey } from '../domain/partition';
import { MEMBERSHIPS_ID } from '../domain/programme';

export type StoreName = keyof Stores;

/**
 * Every document of one programme, in every container, that mentions a person.
 * `my data` and `forget me` read the whole tenant partition rather than
 * querying known fields: ids also sit in nested arrays (history, answers),
 * in object keys (attendance) and inside other ids (job ids), and a field
 * added next month must not be missed. Both are rare, single-partition
 * reads. Matches are collected before anyone changes them, because paging
 * through a container while deleting from it can skip documents.
 */
export async function findMentions(stores: Stores, tenantId: string, who: PersonTraces): Promise<Map<StoreName, Doc[]>> {
  const found = new Map<StoreName, Doc[]>();
  for (const [name, collection] of Object.entries(stores) as [StoreName, Collection<Doc>][]) {
    if (name === 'conversations') {
      // One partition per reference: only the person's own 1:1 references name them (chat references keep no speaker).
      const own = await Promise.all(who.ids.map((id) => collection.get(tenantId, id)));
      found.set(name, own.filter((d): d is Doc => !!d && mentions(d, who)));
      continue;
    }
    const docs: Doc[] = [];
    let continuation: string | undefined;
    do {
      const page = await collection.query(tenantId, [], { pageSize: 200, continuation });
      for (const d of page.items) if (mentions(d, who)) docs.push(d);
      continuation = page.continuation;
    } while (continuation);
    if (name === 'people') {
      // Their index of programmes lives in the person's own partition (src/domain/programme.ts).
      for (const id of who.ids) {
        const index = await rawStores(stores).people.get(personKey(tenantId, id), MEMBERSHIPS_ID);
        if (index) docs.push(index);
      }
    }
    found.set(name, docs);
  }
  return found;
}
