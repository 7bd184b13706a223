import { differenceInCalendarDays } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import type { Doc } from './ports';
import { KINDS, type Answer, type Contribution, type Kind, type OutcomeStatus } from './contribution';
import { minutesPresent, type Meeting } from './meeting';
import { answerCounts } from './proposals';

/** Per-workstream, per-month figures kept up to date with each state change, so reports never read every contribution. */
/**
 * One overdue contribution, as the overdue list needs it to choose and sort
 * what a person may see: kept beside the counters, in step with every state
 * change, so the list reads the few open items rather than every contribution.
 * The words stay on the contribution; only the items shown are read from there.
 */
export interface OverdueEntry extends Doc {
  type: 'overdue';
  /** The contribution's version (history length) this entry was written from; an older one never overwrites it. */
  version?: number;
  /** Left by a contribution that stopped being overdue, so a late write of an older version cannot bring the entry back. */
  cleared?: true;
  contributionId: string;
  workstreamId: string;
  ownerId: string;
  lxpIds: string[];
  dueAt: string;
  meetingDate: string;
  priorityAreaIds: string[];
  status: 'overdue' | 'escalated';
}

/**
 * How many overdue items one card lists, most overdue first. Teams refuses a
 * bot message over about 100 KB (UTF-16; 80 KB advised), and each item can
 * carry up to 2,000 characters of someone's words: 15 stays under that.
 */
export const OVERDUE_SHOWN = 15;

/** Whether a stored entry says what `wanted` says (the store's own fields, such as the etag, aside). */
export function sameOverdueEntry(wanted: OverdueEntry, stored: OverdueEntry): boolean {
  return (Object.keys(wanted) as (keyof OverdueEntry)[]).every((k) => JSON.stringify(wanted[k]) === JSON.stringify(stored[k]));
}

export const overdueEntryId = (contributionId: string) => `overdue:${contributionId}`;

/** The entry a contribution should have in the overdue index, or undefined when it is not overdue. */
export function overdueEntryOf(c: Contribution): OverdueEntry | undefined {
  if (c.status !== 'overdue' && c.status !== 'escalated') return undefined;
  return {
    id: overdueEntryId(c.id), tenantId: c.tenantId, type: 'overdue', contributionId: c.id, workstreamId: c.workstreamId, ownerId: c.ownerId,
    lxpIds: [...c.lxpIds], dueAt: c.dueAt, meetingDate: c.meetingDate, priorityAreaIds: [...c.priorityAreaIds], status: c.status,
  };
}

export interface Counter extends Doc {
  type: 'counter';
  workstreamId: string;
  /** yyyy-MM of the meeting, in the programme's time zone. */
  month: string;
  counts: Counts;
  /** The last version of each contribution whose change this counter took (docs/whole-writes.md): taking it again adds nothing. */
  applied?: Record<string, number>;
}

/**
 * Keys: recorded, kind:<kind>, area:<id>, restricted, withOutcome,
 * outcome:<latest status>, overdue, answer:<answer>, answer:words, answer:replied, weDid:n, weDid:sum,
 * weDid:d:<days> (a per-day histogram, so a median needs no contributions),
 * withdrawn (kept for checking only: no figure shows it).
 */
export type Counts = Record<string, number>;

export const OUTCOME_STATUSES: OutcomeStatus[] = ['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on'];
export const ANSWERS: Answer[] = ['helpful', 'want_to_talk', 'does_not_reflect', 'disagree_decision'];
/** A decision is "we did"; still under consideration or passed on is not, yet. */
const DECISIONS: OutcomeStatus[] = ['adopted', 'partly_adopted', 'not_taken_forward'];
/** The histogram's last bucket holds everything from this many days on. */
export const LAST_DAY_BUCKET = 366;

export const counterId = (workstreamId: string, month: string) => `ctr-${workstreamId}-${month}`;
export const monthOf = (c: Pick<Contribution, 'meetingDate'>, timeZone: string) => formatInTimeZone(new Date(c.meetingDate), timeZone, 'yyyy-MM');

/** Calendar days on the local clock from the meeting to the first decision, if there is one. */
export function daysToWeDid(c: Contribution, timeZone: string): number | undefined {
  const decided = c.outcomes.find((o) => DECISIONS.includes(o.status));
  if (!decided) return undefined;
  const local = (iso: string) => new Date(`${formatInTimeZone(new Date(iso), timeZone, 'yyyy-MM-dd')}T00:00:00Z`);
  return Math.max(0, differenceInCalendarDays(local(decided.decidedAt), local(c.meetingDate)));
}

/**
 * What one contribution adds to its month's counter. A withdrawn one adds
 * only "withdrawn", so it drops out of every figure; counters and the
 * contributions fallback both sum this, so they cannot disagree.
 */
export function countsOf(c: Contribution, timeZone: string): Counts {
  if (c.status === 'withdrawn') return { withdrawn: 1 };
  const out: Counts = { recorded: 1, [`kind:${c.kind}`]: 1 };
  for (const a of new Set(c.priorityAreaIds)) out[`area:${a}`] = 1;
  if (c.restricted) out.restricted = 1;
  if (c.status === 'overdue' || c.status === 'escalated') out.overdue = 1;
  const latest = c.outcomes[c.outcomes.length - 1];
  if (latest) {
    out.withOutcome = 1;
    out[`outcome:${latest.status}`] = 1;
  }
  // Each LXP's latest answer counts once: a changed mind is not a second answer.
  // Issue 22: with it, how many of those latest answers had their own words, and how many the owner replied to.
  Object.assign(out, answerCounts(c.answers));
  const days = daysToWeDid(c, timeZone);
  if (days !== undefined) {
    out['weDid:n'] = 1;
    out['weDid:sum'] = days;
    out[`weDid:d:${Math.min(days, LAST_DAY_BUCKET)}`] = 1;
  }
  return out;
}

/** a + sign × b, dropping zeros so stored counters stay small. */
export function addCounts(a: Counts, b: Counts, sign = 1): Counts {
  const out: Counts = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const next = (out[k] ?? 0) + sign * v;
    if (next === 0) delete out[k];
    else out[k] = next;
  }
  return out;
}

export const sumCounts = (all: Counts[]) => all.reduce((acc, c) => addCounts(acc, c), {} as Counts);

/** The median of the per-day histogram; the mean of the two middle values when the count is even. */
export function medianDays(counts: Counts): number | undefined {
  const buckets = Object.entries(counts)
    .filter(([k]) => k.startsWith('weDid:d:'))
    .map(([k, n]) => [Number(k.slice(8)), n] as const)
    .sort((x, y) => x[0] - y[0]);
  const n = buckets.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return undefined;
  const at = (rank: number) => {
    let seen = 0;
    for (const [day, c] of buckets) {
      seen += c;
      if (seen > rank) return day;
    }
    return buckets[buckets.length - 1][0];
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

export interface MeetingFigures {
  held: number;
  aimStated: number;
  aimReviewed: number;
  /** One per LXP per meeting they were in. */
  lxpAttendances: number;
  lxpMinutes: number;
}

export function meetingFigures(meetings: Meeting[], now: Date): MeetingFigures {
  const out: MeetingFigures = { held: 0, aimStated: 0, aimReviewed: 0, lxpAttendances: 0, lxpMinutes: 0 };
  for (const m of meetings) {
    out.held++;
    if (m.aim) out.aimStated++;
    if (m.review) out.aimReviewed++;
    for (const a of Object.values(m.attendance)) {
      if (a.spans.length === 0) continue;
      out.lxpAttendances++;
      out.lxpMinutes += minutesPresent(a.spans, m.endedAt ? new Date(m.endedAt) : now);
    }
  }
  return out;
}

export interface Figures {
  recorded: number;
  byKind: Record<Kind, number>;
  byArea: Record<string, number>;
  withOutcome: number;
  outcomes: Record<OutcomeStatus, number>;
  medianDaysToWeDid?: number;
  overdueNow: number;
  answers: Record<Answer, number>;
  /** Latest answers that had the LXP's own words, and those the owner replied to. */
  answerWords: number;
  answerReplies: number;
  ledAgendaItems: number;
  restricted: number;
  meetings: MeetingFigures;
}

export function figuresFrom(counts: Counts, meetings: MeetingFigures): Figures {
  const n = (k: string) => counts[k] ?? 0;
  const byArea: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (k.startsWith('area:') && v) byArea[k.slice(5)] = v;
  return {
    recorded: n('recorded'),
    byKind: Object.fromEntries(KINDS.map((k) => [k, n(`kind:${k}`)])) as Record<Kind, number>,
    byArea,
    withOutcome: n('withOutcome'),
    outcomes: Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, n(`outcome:${s}`)])) as Record<OutcomeStatus, number>,
    medianDaysToWeDid: medianDays(counts),
    overdueNow: n('overdue'),
    answers: Object.fromEntries(ANSWERS.map((a) => [a, n(`answer:${a}`)])) as Record<Answer, number>,
    answerWords: n('answer:words'),
    answerReplies: n('answer:replied'),
    ledAgendaItems: n('kind:led_agenda_item'),
    restricted: n('restricted'),
    meetings,
  };
}
