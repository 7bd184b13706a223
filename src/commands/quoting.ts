import type { Contribution } from '../domain/contribution';
import { mayQuote } from '../domain/attribution';
import { getMany } from '../domain/ports';
import type { Deps } from './deps';

/**
 * The contributions whose words must stay out of a report or an export: those of an LXP who has not said their
 * words may be quoted (preferences' quoteInReports). The rows and figures still count them; only the words go.
 * Read once per report, one query per hundred LXPs.
 */
export async function notQuotable(deps: Deps, tenantId: string, contributions: Contribution[]): Promise<Set<string>> {
  const people = await getMany(deps.stores.people, tenantId, contributions.flatMap((c) => c.lxpIds));
  return new Set(contributions.filter((c) => !mayQuote(c.lxpIds.map((id) => people.get(id)))).map((c) => c.id));
}
