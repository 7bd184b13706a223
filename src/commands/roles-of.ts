import type { Deps, Caller } from './deps';
import { getProgramme } from './deps';
import { queryEvery } from '../domain/ports';
import type { Workstream } from '../domain/workstream';

export interface Roles {
  programme: boolean;
  lead: boolean;
  chairOf: Workstream[];
  lxpOf: Workstream[];
  staffOf: Workstream[];
  /** Whether anyone leads the programme in this tenant yet. */
  programmeExists: boolean;
}

export async function workstreamsOf(deps: Deps, tenantId: string): Promise<Workstream[]> {
  const docs = await queryEvery(deps.stores.workstreams, tenantId, [{ field: 'type', op: '=', value: 'workstream' }], {
    orderBy: { field: 'name', direction: 'ASC' },
  });
  return docs as Workstream[];
}

export async function rolesOf(deps: Deps, caller: Caller): Promise<Roles> {
  const [programme, workstreams] = await Promise.all([getProgramme(deps, caller.tenantId), workstreamsOf(deps, caller.tenantId)]);
  return {
    programme: !!programme?.memberIds.includes(caller.id),
    lead: programme?.leadId === caller.id,
    programmeExists: !!programme,
    chairOf: workstreams.filter((w) => w.chairIds.includes(caller.id)),
    lxpOf: workstreams.filter((w) => w.lxpIds.includes(caller.id)),
    staffOf: workstreams.filter((w) => w.staffIds.includes(caller.id)),
  };
}
