import type { Contribution } from '../domain/contribution';
import type { Caller, Deps } from './deps';
import { workstreamsOf } from './roles-of';
import { acrossProgrammes } from './personal';

export interface MyContributions {
  items: Contribution[];
  /** More than the page holds: older ones are left out. */
  more: boolean;
  /** How many they withdrew: only the fact is kept, so only the number is shown. */
  withdrawn: number;
  workstreamNames: Record<string, string>;
  /** Across programmes: the name of the programme each contribution (by id) belongs to. */
  programmeNames?: Record<string, string>;
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

/**
 * `my contributions` across every programme the person is in (issue 18): the newest `pageSize` of all of
 * them, each labelled with its programme's name. Each programme is read through its own view.
 */
export async function myContributionsEverywhere(deps: Deps, caller: Caller, pageSize = MY_CONTRIBUTIONS_PAGE): Promise<MyContributions> {
  const each = await acrossProgrammes(deps, caller, (inside) => myContributions(inside, caller, pageSize));
  const all = each
    .flatMap((p) => p.value.items.map((c) => ({ c, programme: p.name })))
    .sort((a, b) => b.c.meetingDate.localeCompare(a.c.meetingDate));
  const kept = all.slice(0, pageSize);
  return {
    items: kept.map((x) => x.c),
    more: all.length > pageSize || each.some((p) => p.value.more),
    withdrawn: each.reduce((n, p) => n + p.value.withdrawn, 0),
    workstreamNames: Object.assign({}, ...each.map((p) => p.value.workstreamNames)),
    programmeNames: Object.fromEntries(kept.map((x) => [x.c.id, x.programme])),
  };
}
