import { rawStores } from '../domain/programme-stores';
import type { Deps } from '../commands/deps';
import { updateWithRetry, WriteConflict, type Collection, type Doc } from '../domain/ports';

/**
 * Which scheduler instances are alive, so they can share the tenant's Teams
 * limit (50 requests a second per app per tenant) instead of each taking all
 * of it: with two instances each sends at half the rate.
 *
 * One small document, outside every tenant's partition, holds each
 * instance's last heartbeat. An instance that stops cleanly takes itself off;
 * one that crashed drops out once its heartbeat is older than `ttlMs`, and
 * until then the others send a little under the limit, never over it.
 */
export const INSTANCES_PARTITION = '_system';
export const INSTANCES_ID = 'scheduler-instances';

export interface InstancesDoc extends Doc {
  type: 'instances';
  /** owner → ISO time of its last heartbeat */
  seen: Record<string, string>;
}

// Scheduler bookkeeping belongs to no programme: it lives in the `_system` partition of the raw store.
const registry = (deps: Deps) => rawStores(deps.stores).jobs as unknown as Collection<InstancesDoc>;

/** How many instances are alive (this one included), and this one's place among them, the same for all who read the list. */
export interface Share {
  instances: number;
  index: number;
}

const shareOf = (seen: Record<string, string>, owner: string): Share => {
  const owners = Object.keys(seen).sort();
  return { instances: owners.length, index: Math.max(0, owners.indexOf(owner)) };
};

/** Records this instance as alive at `now` and returns its share. */
export async function heartbeat(deps: Deps, owner: string, now: Date, ttlMs: number): Promise<Share> {
  const at = now.toISOString();
  const alive = (seen: Record<string, string>) =>
    Object.fromEntries(Object.entries(seen).filter(([o, t]) => o === owner || now.getTime() - new Date(t).getTime() <= ttlMs));
  for (;;) {
    const r = await updateWithRetry(registry(deps), INSTANCES_PARTITION, INSTANCES_ID, (d) => ({ ...d, seen: { ...alive(d.seen), [owner]: at } }));
    if (r) return shareOf(r.after.seen, owner);
    try {
      await registry(deps).create({ id: INSTANCES_ID, tenantId: INSTANCES_PARTITION, pk: INSTANCES_PARTITION, type: 'instances', seen: { [owner]: at } });
      return { instances: 1, index: 0 };
    } catch (err) {
      // Another instance created it first: go round and update it.
      if (!(err instanceof WriteConflict)) throw err;
    }
  }
}

/** Takes this instance off the list (a clean stop), so the others take up its share at their next heartbeat. */
export async function leave(deps: Deps, owner: string): Promise<void> {
  await updateWithRetry(registry(deps), INSTANCES_PARTITION, INSTANCES_ID, (d) => {
    if (!(owner in d.seen)) return undefined;
    const seen = { ...d.seen };
    delete seen[owner];
    return { ...d, seen };
  });
}

/** FNV-1a of the id: spreads job ids evenly over the instances, the same way on every instance. */
function bucketOf(id: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * The jobs in `due` that fall to this instance: with several alive, each
 * takes its own share, so they do not race to claim the same jobs (a lost
 * claim is a wasted round trip). When its share is empty it takes them all:
 * an instance that is behind, or has died but not yet dropped off the list,
 * is helped rather than waited for.
 */
export function mine<T extends { id: string }>(due: T[], share: Share | undefined): T[] {
  if (!share || share.instances <= 1) return due;
  const own = due.filter((job) => bucketOf(job.id, share.instances) === share.index);
  return own.length ? own : due;
}
