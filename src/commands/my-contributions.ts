import type { Contribution } from '../domain/contribution';
import type { Caller, Deps } from './deps';
import { workstreamsOf } from './roles-of';

export interface MyContributions {
  items: Contribution[];
  /** More than the page holds: older ones are left out. */
  more: boolean;
  /** How many they withdrew: only the fact is kept, so only the number is shown. */
  withdrawn: number;
  workstreamNames: Record<string, string>;
}

export const MY_CONTRIBUTIONS_PAGE = 25;

/**
 * `my contributions`: what was recorded from this person, newest meeting
 * first. The query names the caller, so nobody else's contribution can
 * appear whatever their role.
 */
export async function myContributions(deps: Deps, caller: Caller, pageSize = MY_CONTRIBUTIONS_PAGE): Promise<MyContributions> {
  const mine = { field: 'lxpIds', op: 'contains' as const, value: caller.id };
  const page = await deps.stores.contributions.query(caller.tenantId, [mine, { field: 'status', op: '!=', value: 'withdrawn' }], {
    orderBy: { field: 'meetingDate', direction: 'DESC' },
    pageSize,
  });
  const withdrawn = await deps.stores.contributions.query(caller.tenantId, [mine, { field: 'status', op: '=', value: 'withdrawn' }], { pageSize: 1000 });
  const workstreamNames = Object.fromEntries((await workstreamsOf(deps, caller.tenantId)).map((w) => [w.id, w.name]));
  return { items: page.items.filter((c) => c.lxpIds.includes(caller.id)), more: !!page.continuation, withdrawn: withdrawn.items.length, workstreamNames };
}
