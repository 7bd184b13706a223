/*
 * "You said, we did" as a board anyone in the programme (or, published, the
 * public) may read: what may be shown of each contribution, the filters, and
 * the monthly figures behind the charts. Pure: the caller reads the store and
 * decides whose thread it is (src/web/board-data.ts).
 */
import { formatInTimeZone } from 'date-fns-tz';
import { KIND_LABEL, OUTCOME_LABEL, type Answer, type Contribution, type OutcomeStatus } from './contribution';
import { attended, type Meeting } from './meeting';
import type { Preferences } from './person';
import { ANSWERS, OUTCOME_STATUSES, daysToWeDid, monthOf } from './report';
import type { Workstream } from './workstream';
import { mayQuote } from './attribution';

/** Where an entry is read: inside the programme (the tab) or on a public page (the published file). */
export type Audience = 'programme' | 'public';

/** A board status: the latest outcome's, or still waiting for one. */
export type BoardStatus = OutcomeStatus | 'waiting';
export const BOARD_STATUSES: BoardStatus[] = ['waiting', ...OUTCOME_STATUSES];
export const BOARD_STATUS_LABEL: Record<BoardStatus, string> = { waiting: 'Waiting for an outcome', ...OUTCOME_LABEL };

export const ANONYMOUS_NAME = 'An LXP';
export const WORDS_NOT_SHARED = 'Words not shared';

export interface BoardPerson {
  id: string;
  name: string;
  preferences?: Pick<Preferences, 'quoteInReports'>;
}

export interface BoardEntry {
  id: string;
  meetingDate: string;
  /** yyyy-MM of the meeting, in the programme's time zone. */
  month: string;
  workstreamId: string;
  workstreamName: string;
  priorityAreas: { id: string; name: string }[];
  kind: string;
  /** Names, or "An LXP": never a name on an anonymous contribution. */
  saidBy: string;
  /** Undefined when it may not be quoted: the page says WORDS_NOT_SHARED instead. */
  words?: string;
  status: BoardStatus;
  outcome?: { whatWeDid: string; reason?: string; decidedAt: string };
  /** When it last moved (the latest outcome, else the meeting): the board's order, newest first. */
  latestAt: string;
}

export interface BoardFilter {
  /** Priority area ids (the form's "Priority area"). */
  areaIds?: string[];
  /** Issue 23: a programme priority, and the workstream priority areas linked to it (empty: nothing belongs to it yet). */
  programmePriorityId?: string;
  priorityAreaIds?: string[];
  workstreamId?: string;
  status?: BoardStatus;
  /** yyyy-MM, inclusive, by the meeting's month. */
  fromMonth?: string;
  toMonth?: string;
}

/**
 * Whether a contribution may be on any board: never withdrawn, never a
 * restricted personal story, and never with its words erased but its status
 * not yet caught up (forget me).
 */
export function mayShowOnBoard(c: Pick<Contribution, 'status' | 'restricted'>): boolean {
  return c.status !== 'withdrawn' && !c.restricted;
}

/**
 * What one contribution shows. Words only when every LXP on it chose to be
 * quoted in reports. Names: never on an anonymous one; on a public page only
 * when every LXP also chose to be quoted, since a name on a website is a
 * quote of its own.
 */
export function boardEntry(c: Contribution, ctx: { people: Map<string, BoardPerson>; workstreams: Map<string, Workstream>; timeZone: string; audience: Audience }): BoardEntry {
  const lxps = c.lxpIds.map((id) => ctx.people.get(id));
  const quotable = mayQuote(lxps);
  const named = !c.anonymous && lxps.every((p) => !!p) && (ctx.audience === 'programme' || quotable);
  const ws = ctx.workstreams.get(c.workstreamId);
  const areas = new Map((ws?.priorityAreas ?? []).map((a) => [a.id, a.name]));
  const latest = c.outcomes[c.outcomes.length - 1];
  return {
    id: c.id,
    meetingDate: c.meetingDate,
    month: monthOf(c, ctx.timeZone),
    workstreamId: c.workstreamId,
    workstreamName: ws?.name ?? 'A workstream',
    priorityAreas: c.priorityAreaIds.filter((id) => areas.has(id)).map((id) => ({ id, name: areas.get(id)! })),
    kind: KIND_LABEL[c.kind],
    saidBy: named ? joinNames(lxps.map((p) => p!.name)) : ANONYMOUS_NAME,
    words: quotable && c.words ? c.words : undefined,
    status: latest ? latest.status : 'waiting',
    outcome: latest && { whatWeDid: latest.whatWeDid, reason: latest.reason, decidedAt: latest.decidedAt },
    latestAt: latest?.decidedAt ?? c.meetingDate,
  };
}

const joinNames = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** The filter with its programme priority read as the areas linked to it; one that is not (or no longer) confirmed is left out. */
export function withProgrammePriority(f: BoardFilter, priorities: readonly { id: string; areaIds: string[] }[]): BoardFilter {
  const p = f.programmePriorityId ? priorities.find((x) => x.id === f.programmePriorityId) : undefined;
  return { ...f, programmePriorityId: p?.id, priorityAreaIds: p ? [...p.areaIds] : undefined };
}

export function matchesFilter(e: Pick<BoardEntry, 'priorityAreas' | 'workstreamId' | 'status' | 'month'>, f: BoardFilter, useStatus = true): boolean {
  if (f.areaIds?.length && !e.priorityAreas.some((a) => f.areaIds!.includes(a.id))) return false;
  if (f.priorityAreaIds && !e.priorityAreas.some((a) => f.priorityAreaIds!.includes(a.id))) return false;
  if (f.workstreamId && e.workstreamId !== f.workstreamId) return false;
  if (useStatus && f.status && e.status !== f.status) return false;
  if (f.fromMonth && e.month < f.fromMonth) return false;
  if (f.toMonth && e.month > f.toMonth) return false;
  return true;
}

export interface BoardInput {
  /** Already limited to the viewer's thread (or the programme); anything not fit to show is dropped here. */
  contributions: Contribution[];
  meetings: Meeting[];
  people: BoardPerson[];
  workstreams: Workstream[];
  timeZone: string;
  audience: Audience;
  /** Attendance counts only these people (an LXP's own thread: just them); default, each workstream's LXPs. */
  attendeeIds?: string[];
}

export interface MonthFigures {
  month: string;
  contributions: number;
  outcomes: Record<OutcomeStatus, number>;
  /** Undefined when nothing from that month has been decided yet. */
  medianDaysToWeDid?: number;
  answers: Record<Answer, number>;
  /** LXP attendances: one per LXP per meeting they attended. */
  attendance: number;
}

export interface Board {
  entries: BoardEntry[];
  /** Every month from the first to the last with anything in it, so gaps show as zero. */
  months: MonthFigures[];
}

/** The board for a filter: entries newest first, and the monthly figures for the same workstream, areas and period (the status filter narrows only the list). */
export function buildBoard(input: BoardInput, filter: BoardFilter = {}): Board {
  const people = new Map(input.people.map((p) => [p.id, p]));
  const workstreams = new Map(input.workstreams.map((w) => [w.id, w]));
  const ctx = { people, workstreams, timeZone: input.timeZone, audience: input.audience };
  const shown = input.contributions.filter(mayShowOnBoard).map((c) => ({ c, e: boardEntry(c, ctx) }));
  const entries = shown
    .filter(({ e }) => matchesFilter(e, filter))
    .map(({ e }) => e)
    .sort((a, b) => b.latestAt.localeCompare(a.latestAt) || b.meetingDate.localeCompare(a.meetingDate) || a.id.localeCompare(b.id));
  const counted = shown.filter(({ e }) => matchesFilter(e, filter, false)).map(({ c }) => c);
  return { entries, months: monthlyFigures(counted, input, filter) };
}

function monthlyFigures(contributions: Contribution[], input: BoardInput, filter: BoardFilter): MonthFigures[] {
  const byMonth = new Map<string, MonthFigures & { days: number[] }>();
  const month = (m: string) => {
    let f = byMonth.get(m);
    if (!f) {
      f = { month: m, contributions: 0, outcomes: zeros(OUTCOME_STATUSES), answers: zeros(ANSWERS), attendance: 0, days: [] };
      byMonth.set(m, f);
    }
    return f;
  };
  for (const c of contributions) {
    const f = month(monthOf(c, input.timeZone));
    f.contributions++;
    const latest = c.outcomes[c.outcomes.length - 1];
    if (latest) f.outcomes[latest.status]++;
    const days = daysToWeDid(c, input.timeZone);
    if (days !== undefined) f.days.push(days);
    // Each LXP's latest answer counts once, as in the reports.
    const last = new Map<string, Answer>();
    for (const a of c.answers) last.set(a.by, a.answer);
    for (const a of last.values()) f.answers[a]++;
  }
  const workstreams = new Map(input.workstreams.map((w) => [w.id, w]));
  for (const m of input.meetings) {
    if (!m.startedAt || !m.workstreamId) continue;
    const key = formatInTimeZone(new Date(m.startedAt), input.timeZone, 'yyyy-MM');
    if (!matchesFilter({ priorityAreas: [], workstreamId: m.workstreamId, status: 'waiting', month: key }, { ...filter, areaIds: undefined, priorityAreaIds: undefined, status: undefined })) continue;
    const lxps = input.attendeeIds ?? workstreams.get(m.workstreamId)?.lxpIds ?? [];
    const count = lxps.filter((id) => m.attendance[id] && attended(m.attendance[id])).length;
    if (count) month(key).attendance += count;
  }
  const keys = [...byMonth.keys()].sort();
  if (!keys.length) return [];
  return monthRange(keys[0], keys[keys.length - 1]).map((k) => {
    const { days, ...f } = byMonth.get(k) ?? { ...month(k) };
    return { ...f, medianDaysToWeDid: median(days) };
  });
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** yyyy-MM months from `first` to `last`, inclusive. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number);
  for (let key = first; key <= last && out.length < 600; key = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(key);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** The fewest people a "who takes part" group may have and still be shown. */
export const MIN_GROUP_SIZE = 5;

/**
 * "Who takes part": groups of fewer than MIN_GROUP_SIZE people are hidden.
 * When exactly one group would be hidden, the next smallest goes too, so
 * the hidden one cannot be worked out from a total and the others.
 * "Prefer not to say" is a group like any other.
 */
export function hideSmallGroups<T extends { group: string; people: number }>(groups: T[], min = MIN_GROUP_SIZE): { shown: T[]; hidden: number } {
  const small = groups.filter((g) => g.people > 0 && g.people < min);
  let shown = groups.filter((g) => g.people >= min);
  let hidden = small.length;
  if (hidden === 1 && shown.length) {
    const smallest = shown.reduce((a, b) => (b.people < a.people ? b : a));
    shown = shown.filter((g) => g !== smallest);
    hidden++;
  }
  return { shown, hidden };
}
