import type { Duration } from 'date-fns';
import { addLocal } from './follow-up';
import { attended, type Meeting } from './meeting';

/**
 * "Stepping back": an LXP who has not attended any meeting of their
 * workstreams for a programme-set time. The programme team is told
 * privately, once per absence, so someone can check in. An LXP who paused
 * their involvement is never flagged.
 */
export interface Involvement {
  /** Set by the LXP; while paused nobody is told and the follow-ups they chose stop. */
  paused?: { at: string; stops: ('follow_ups' | 'digests' | 'check_in')[] };
  /** When the programme team was last told; a new absence starts after the next meeting attended. */
  steppingBackToldAt?: string;
  /** When they became an LXP of their first workstream in the programme, or last resumed: an absence is never counted from before it. */
  since: string;
  /** When they last paused, changed what a pause stops, or resumed: the audit entry of that change is named by it. */
  changedAt?: string;
}

export type PauseStop = NonNullable<Involvement['paused']>['stops'][number];
/** What an LXP may choose to stop while paused; the stepping-back check-in always stops. */
export const PAUSE_CHOICES: PauseStop[] = ['follow_ups', 'digests'];

/** Whether the person paused this (a missing record is not paused). */
export const pausedFor = (involvement: Involvement | undefined, stop: PauseStop): boolean => !!involvement?.paused?.stops.includes(stop);

/** The last meeting of these workstreams they attended (a join or the chair's confirmation), by its start. */
export function lastAttended(lxpId: string, workstreamIds: string[], meetings: Meeting[]): string | undefined {
  let last: string | undefined;
  for (const m of meetings) {
    if (!m.workstreamId || !workstreamIds.includes(m.workstreamId)) continue;
    const a = m.attendance[lxpId];
    const day = m.startedAt ?? m.createdAt;
    if (a && attended(a) && (!last || day > last)) last = day;
  }
  return last;
}

/**
 * Whether to tell the programme team now: not paused, `after` has passed
 * since they last attended (or since they joined), at least one meeting of
 * their workstreams happened in that time (a workstream that has not met is
 * not their absence), and they were not already told about this absence.
 */
export function shouldTellSteppingBack(lxpId: string, workstreamIds: string[], meetings: Meeting[], involvement: Involvement, after: Duration, now: Date, timeZone: string): boolean {
  if (involvement.paused) return false;
  const from = [lastAttended(lxpId, workstreamIds, meetings), involvement.since].filter((x): x is string => !!x).sort().at(-1)!;
  if (addLocal(new Date(from), after, timeZone) > now) return false;
  const missed = meetings.some((m) => m.workstreamId && workstreamIds.includes(m.workstreamId) && (m.startedAt ?? m.createdAt) > from && (m.startedAt ?? m.createdAt) <= now.toISOString());
  if (!missed) return false;
  return !involvement.steppingBackToldAt || involvement.steppingBackToldAt < from;
}
