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

const registry = (deps: Deps) => deps.stores.jobs as unknown as Collection<InstancesDoc>;

/** Records this instance as alive at `now` and returns how many are alive, itself included. */
export async function heartbeat(deps: Deps, owner: string, now: Date, ttlMs: number): Promise<number> {
  const at = now.toISOString();
  const alive = (seen: Record<string, string>) =>
    Object.fromEntries(Object.entries(seen).filter(([o, t]) => o === owner || now.getTime() - new Date(t).getTime() <= ttlMs));
  for (;;) {
    const r = await updateWithRetry(registry(deps), INSTANCES_PARTITION, INSTANCES_ID, (d) => ({ ...d, seen: { ...alive(d.seen), [owner]: at } }));
    if (r) return Object.keys(r.after.seen).length;
    try {
      await registry(deps).create({ id: INSTANCES_ID, tenantId: INSTANCES_PARTITION, type: 'instances', seen: { [owner]: at } });
      return 1;
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
