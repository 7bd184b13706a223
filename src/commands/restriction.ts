import type { Contribution } from '../domain/contribution';
import { DomainError, notAllowed } from '../domain/errors';
import { can } from '../domain/policy';
import { applyEvent } from './contributions';
import { actorFor, type Caller, type Deps } from './deps';

/**
 * A personal story stays restricted (only its LXP and the programme team see
 * the words) until the LXP who shared it lifts that, for this contribution
 * only. Nobody else can, not even the programme team.
 */
export async function liftRestriction(deps: Deps, caller: Caller, contributionId: string): Promise<Contribution> {
  const actor = await actorFor(deps, caller);
  const { after } = await applyEvent(deps, caller.tenantId, contributionId, { type: 'lift_restriction' }, caller.id, (c) => {
    if (!can(actor, 'check_contribution', { type: 'contribution', contribution: c })) throw notAllowed('Only the person who shared this story can lift its restriction.');
    if (!c.restricted) throw new DomainError('already_done', 'This contribution is not restricted: it is already shown like other contributions.');
  });
  return after;
}
