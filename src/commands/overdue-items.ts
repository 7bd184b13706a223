import type { Contribution } from '../domain/contribution';
import type { OverdueEntry } from '../domain/report';
import type { Workstream } from '../domain/workstream';

/* What the overdue commands return, apart from them, so presenters/overdue.ts reads these without importing the commands that use it. */

export interface OverdueItem {
  entry: OverdueEntry;
  workstream: Workstream;
  daysOverdue: number;
  /** Whether this viewer may nudge the owner (programme team or a chair of the workstream, and not the owner). */
  canNudge: boolean;
}

/** An item a card shows: with the contribution itself, words and all. */
export interface ShownOverdue extends OverdueItem {
  contribution: Contribution;
}
