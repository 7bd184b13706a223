import type { Contribution, OutcomeStatus } from './contribution';
import { attended, type Meeting } from './meeting';
import type { Workstream } from './workstream';

/**
 * `my impact`: what one LXP's involvement led to over a period they choose.
 * Every figure is a count over the stored contributions and meetings, so the
 * card, the file they keep and a recount cannot disagree.
 */

/** Where a contribution stands, by its latest outcome; "waiting" when none is recorded yet. */
export type ImpactOutcome = OutcomeStatus | 'waiting';
export const IMPACT_OUTCOMES: ImpactOutcome[] = ['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on', 'waiting'];
/** The outcomes that count as a change the LXP led to. */
export const CHANGE_OUTCOMES: OutcomeStatus[] = ['adopted', 'partly_adopted'];
export const NO_AREA = 'none';

export interface ImpactPeriod {
  from: Date;
  to: Date;
  label: string;
}

export interface ImpactChange {
  contributionId: string;
  workstreamId: string;
  meetingTitle: string;
  meetingDate: string;
  outcome: 'adopted' | 'partly_adopted';
  /** What the owner said was done; empty for a personal story kept in confidence (`restricted`), which is only counted. */
  whatWeDid: string;
  restricted?: true;
  decidedAt: string;
}

export interface Impact {
  lxpId: string;
  period: ImpactPeriod;
  /** Contributions from this LXP in meetings in the period; withdrawn ones are not counted. */
  contributions: number;
  byOutcome: Record<ImpactOutcome, number>;
  /** Per priority area id (NO_AREA for none); one contribution in two areas counts in each. */
  byArea: Record<string, number>;
  /** Per workstream id. */
  byWorkstream: Record<string, number>;
  changes: ImpactChange[];
  agendaItemsLed: number;
  meetingsAttended: number;
  /** Meeting ids attended, newest first, for the card's list. */
  meetingIds: string[];
}

const inPeriod = (iso: string, p: ImpactPeriod) => {
  const t = Date.parse(iso);
  return t >= p.from.getTime() && t < p.to.getTime();
};

/** The day a meeting counts on: when it started, or was first seen. */
export const meetingDay = (m: Meeting) => m.startedAt ?? m.createdAt;

export function impactOf(lxpId: string, period: ImpactPeriod, contributions: Contribution[], meetings: Meeting[]): Impact {
  const mine = contributions.filter((c) => c.status !== 'withdrawn' && c.lxpIds.includes(lxpId) && inPeriod(c.meetingDate, period));
  const byOutcome = Object.fromEntries(IMPACT_OUTCOMES.map((o) => [o, 0])) as Record<ImpactOutcome, number>;
  const byArea: Record<string, number> = {};
  const byWorkstream: Record<string, number> = {};
  const changes: ImpactChange[] = [];
  let agendaItemsLed = 0;
  for (const c of mine) {
    const latest = c.outcomes[c.outcomes.length - 1];
    byOutcome[latest ? latest.status : 'waiting'] += 1;
    const areas = c.priorityAreaIds.length ? [...new Set(c.priorityAreaIds)] : [NO_AREA];
    for (const a of areas) byArea[a] = (byArea[a] ?? 0) + 1;
    byWorkstream[c.workstreamId] = (byWorkstream[c.workstreamId] ?? 0) + 1;
    if (c.kind === 'led_agenda_item') agendaItemsLed += 1;
    if (latest && (latest.status === 'adopted' || latest.status === 'partly_adopted')) {
      // A personal story kept in confidence is counted, but what was done and where could tell it: neither goes in.
      const told = c.restricted ? { meetingTitle: '', whatWeDid: '', restricted: true as const } : { meetingTitle: c.meetingTitle, whatWeDid: latest.whatWeDid };
      changes.push({ contributionId: c.id, workstreamId: c.workstreamId, meetingDate: c.meetingDate, outcome: latest.status, decidedAt: latest.decidedAt, ...told });
    }
  }
  const present = meetings
    .filter((m) => inPeriod(meetingDay(m), period) && m.attendance[lxpId] !== undefined && attended(m.attendance[lxpId]))
    .sort((a, b) => meetingDay(b).localeCompare(meetingDay(a)));
  changes.sort((a, b) => b.decidedAt.localeCompare(a.decidedAt));
  return {
    lxpId,
    period,
    contributions: mine.length,
    byOutcome,
    byArea,
    byWorkstream,
    changes,
    agendaItemsLed,
    meetingsAttended: new Set(present.map((m) => m.id)).size,
    meetingIds: [...new Set(present.map((m) => m.id))],
  };
}

/** Priority area names across the LXP's workstreams, for the card and the file: "Name (Workstream)" when two workstreams share a name. */
export function areaNames(workstreams: Workstream[]): Record<string, string> {
  const out: Record<string, string> = { [NO_AREA]: 'No priority area' };
  const seen = new Map<string, number>();
  for (const w of workstreams) for (const a of w.priorityAreas) seen.set(a.name.toLowerCase(), (seen.get(a.name.toLowerCase()) ?? 0) + 1);
  for (const w of workstreams) {
    for (const a of w.priorityAreas) out[a.id] = (seen.get(a.name.toLowerCase()) ?? 0) > 1 ? `${a.name} (${w.name})` : a.name;
  }
  return out;
}
