import type { Doc } from './ports';

/** Per-workstream, per-month figures kept up to date with each state change, so reports never read every contribution. */
export interface Counter extends Doc {
  type: 'counter';
  workstreamId: string;
  month: string;
  counts: Record<string, number>;
}
