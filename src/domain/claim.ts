import { createHash } from 'node:crypto';
import type { Duration } from 'date-fns';
import { parse as parseDuration, pattern as durationPattern } from 'iso8601-duration';
import { DomainError } from './errors';
import { addLocal } from './follow-up';
import { attended, minutesPresent, type Meeting } from './meeting';
import type { Doc } from './ports';

/**
 * An involvement claim: an LXP asks to be paid for one meeting they attended
 * (their time in it, their preparation, what it cost them to come). Money is
 * held as whole pence and time as whole minutes, so no amount is ever a float.
 */

/** The paid activities: each has its own hourly rate and, if the programme wants one, a fixed fee. */
export const ACTIVITIES = ['meeting', 'preparation'] as const;
export type Activity = (typeof ACTIVITIES)[number];
export const ACTIVITY_LABEL: Record<Activity, string> = { meeting: 'Meeting time', preparation: 'Preparation time' };

export const EXPENSES = ['travel', 'other', 'carer'] as const;
export type Expense = (typeof EXPENSES)[number];
export const EXPENSE_LABEL: Record<Expense, string> = { travel: 'Travel', other: 'Other expenses', carer: 'Carer costs' };

/**
 * What a programme pays, set in setup. `hourly` is pence per hour of each
 * activity; `fixed` is pence per activity done at all (a session fee), paid
 * once when its hours are above zero. Either may be 0.
 */
export interface ClaimRates {
  hourly: Record<Activity, number>;
  fixed: Record<Activity, number>;
}

export const NO_RATES: ClaimRates = { hourly: { meeting: 0, preparation: 0 }, fixed: { meeting: 0, preparation: 0 } };

export interface ClaimAmounts {
  /** Pay for each activity: its hours at its rate, plus its fixed fee. */
  activity: Record<Activity, number>;
  expenses: Record<Expense, number>;
  total: number;
}

export type ClaimStatus = 'submitted' | 'queried' | 'approved' | 'declined';
export const CLAIM_STATUS_LABEL: Record<ClaimStatus, string> = {
  submitted: 'Waiting for the programme team',
  queried: 'The programme team has a question',
  approved: 'Approved',
  declined: 'Declined',
};

export type ClaimEvent =
  /** The LXP answers a query with changed figures or a note; it goes back to the programme team. */
  | { type: 'resubmit'; details: ClaimDetails; rates: ClaimRates }
  | { type: 'query'; reason: string }
  | { type: 'approve'; reason?: string }
  | { type: 'decline'; reason: string }
  /** Told to the programme team once per wait; a resubmission starts a new wait. */
  | { type: 'escalate' }
  /**
   * "Forget me". A claim is a financial record: the amounts, hours and dates
   * stay, the person's id becomes the placeholder and their note is erased.
   */
  | { type: 'forget'; personId: string; placeholder: string };

export interface ClaimHistoryEntry {
  at: string;
  by: string;
  event: ClaimEvent['type'] | 'submit';
  from: ClaimStatus | null;
  to: ClaimStatus;
  /** The reason the LXP is shown for a query, approval or decline. */
  reason?: string;
  /** On a resubmission, what the claim said before: a financial record keeps every figure it ever held. */
  previous?: Pick<ClaimDetails, 'minutes' | 'expenses' | 'paymentDeclined'> & { total: number };
}

/** What the LXP fills in on the claim card. */
export interface ClaimDetails {
  minutes: Record<Activity, number>;
  /** Pence. Must all be 0 when payment is declined: the claim then records time only. */
  expenses: Record<Expense, number>;
  note: string;
  paymentDeclined: boolean;
}

export interface Claim extends Doc, ClaimDetails {
  type: 'claim';
  programmeId: string;
  lxpId: string;
  meetingId: string;
  workstreamId: string;
  meetingTitle: string;
  meetingDate: string;
  /** The rates at the last (re)submission: a later change of rates does not change a claim already made. */
  rates: ClaimRates;
  amounts: ClaimAmounts;
  status: ClaimStatus;
  /** The latest reason given to the LXP (a query, an approval note or a decline). */
  reason?: string;
  decidedBy?: string;
  decidedAt?: string;
  submittedAt: string;
  /** When it last reached the programme team: the first submission or the latest resubmission. */
  waitingSince: string;
  escalatedAt?: string;
  history: ClaimHistoryEntry[];
}

export const MAX_NOTE_LENGTH = 1000;
export const MAX_REASON_LENGTH = 1000;
/** Hours one activity may claim for one meeting; more is almost certainly a typo (minutes typed as hours). */
export const MAX_MINUTES_PER_ACTIVITY = 24 * 60;
/** £1,000 per expense line for one meeting; anything larger goes to the programme team outside the bot. */
export const MAX_EXPENSE_PENCE = 100_000;

/** One claim per LXP per meeting: the id is the claim, so a second submission (a double press, a retry, a second card) saves once. */
export function claimIdFor(tenantId: string, programmeId: string, lxpId: string, meetingId: string): string {
  return `claim-${createHash('sha256').update([tenantId, programmeId, lxpId, meetingId].join('\n')).digest('hex').slice(0, 24)}`;
}

/**
 * Pay for some minutes at a rate in pence per hour, rounded to the nearest
 * penny with halves rounded up (never down against the LXP). Each activity is
 * rounded on its own and the total is the sum of the rounded lines, so the
 * lines of a claim and of the finance CSV always add up to its total.
 */
export function payFor(minutes: number, pencePerHour: number): number {
  return Math.floor((minutes * pencePerHour + 30) / 60);
}

export function amountsFor(details: Pick<ClaimDetails, 'minutes' | 'expenses' | 'paymentDeclined'>, rates: ClaimRates): ClaimAmounts {
  const zero = { meeting: 0, preparation: 0 };
  if (details.paymentDeclined) return { activity: zero, expenses: { travel: 0, other: 0, carer: 0 }, total: 0 };
  const activity = { ...zero };
  for (const a of ACTIVITIES) {
    const m = details.minutes[a];
    activity[a] = m > 0 ? payFor(m, rates.hourly[a]) + rates.fixed[a] : 0;
  }
  const expenses = { ...details.expenses };
  const total = ACTIVITIES.reduce((s, a) => s + activity[a], 0) + EXPENSES.reduce((s, e) => s + expenses[e], 0);
  return { activity, expenses, total };
}

const isWhole = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** Checks what the LXP typed; every problem is said in words they can act on. */
export function checkDetails(d: ClaimDetails): ClaimDetails {
  for (const a of ACTIVITIES) {
    if (!isWhole(d.minutes[a])) throw new DomainError('invalid_input', `${ACTIVITY_LABEL[a]} must be a number of hours, 0 or more.`);
    if (d.minutes[a] > MAX_MINUTES_PER_ACTIVITY) throw new DomainError('invalid_input', `${ACTIVITY_LABEL[a]} is more than 24 hours for one meeting. Check the number of hours.`);
  }
  if (d.minutes.meeting + d.minutes.preparation === 0) throw new DomainError('invalid_input', 'Say how long the meeting, or your preparation, took.');
  for (const e of EXPENSES) {
    if (!isWhole(d.expenses[e])) throw new DomainError('invalid_input', `${EXPENSE_LABEL[e]} must be an amount in pounds and pence, 0 or more.`);
    if (d.expenses[e] > MAX_EXPENSE_PENCE) throw new DomainError('invalid_input', `${EXPENSE_LABEL[e]} is more than £1,000. Ask the programme team how to claim a large cost.`);
  }
  if (d.paymentDeclined && EXPENSES.some((e) => d.expenses[e] > 0)) {
    throw new DomainError('invalid_input', 'You chose not to be paid, so this claim records your time only. Clear the expenses, or untick "I do not want to be paid".');
  }
  const note = d.note.trim();
  if (note.length > MAX_NOTE_LENGTH) throw new DomainError('invalid_input', `The note is ${note.length} characters; keep it to ${MAX_NOTE_LENGTH}.`);
  return { ...d, note };
}

/** Hours typed on the card ("1.5", "2") as whole minutes; empty is 0. */
export function minutesFromHours(text: string | undefined, label: string): number {
  const t = (text ?? '').trim();
  if (!t) return 0;
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(t)) throw new DomainError('invalid_input', `${label}: write the hours as a number, like 1.5 for an hour and a half.`);
  return Math.round(Number(t) * 60);
}

/** Pounds typed on the card ("12.40", "£3", "7.5") as whole pence, without passing through a float multiply; empty is 0. */
export function penceFromPounds(text: string | undefined, label: string): number {
  const t = (text ?? '').trim().replace(/^£/, '').replace(/,/g, '');
  if (!t) return 0;
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) throw new DomainError('invalid_input', `${label}: write an amount in pounds and pence, like 12.40.`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

export function formatPounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const p = Math.abs(pence);
  return `${sign}${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

/** Minutes as decimal hours with two places ("1.50"), for the CSV and cards; exact for whole quarter hours. */
export function formatHours(minutes: number): string {
  return formatPounds(Math.round((minutes * 100) / 60));
}

/**
 * Whether this LXP may claim for this meeting: it has ended, and they
 * attended (a join event, or the chair confirmed they were there; the
 * chair's "not there" overrides a join).
 */
export function checkClaimable(meeting: Meeting, lxpId: string): void {
  if (!meeting.endedAt) throw new DomainError('too_late', 'You can claim for this meeting once it has ended.');
  const a = meeting.attendance[lxpId];
  if (!a || !attended(a)) {
    throw new DomainError('not_allowed', `Golden Thread has no record of you at "${meeting.title}". If you were there, ask the chair to confirm your attendance, then claim again.`);
  }
}

/**
 * The meeting time the claim card starts with: the minutes present, rounded
 * up to the next quarter hour (people are paid for the session, not the
 * minute they joined). When the chair confirmed someone who has no join
 * events (a chat without meeting events, a phone dial-in), the meeting's own
 * length. The LXP can change it; the programme team sees both.
 */
export function prefilledMeetingMinutes(meeting: Meeting, lxpId: string): number {
  const a = meeting.attendance[lxpId];
  if (!a || !attended(a)) return 0;
  const end = new Date(meeting.endedAt ?? meeting.scheduledEnd ?? meeting.createdAt);
  let minutes = minutesPresent(a.spans, end);
  if (minutes === 0 && a.confirmed?.present) {
    const start = Date.parse(meeting.startedAt ?? meeting.createdAt);
    minutes = Math.max(0, Math.round((end.getTime() - start) / 60000));
  }
  return Math.ceil(minutes / 15) * 15;
}

export interface NewClaim {
  tenantId: string;
  programmeId: string;
  lxpId: string;
  meeting: Meeting;
  details: ClaimDetails;
  rates: ClaimRates;
}

/**
 * The first submission. With `existing` (the stored claim of the same id),
 * nothing new is made: the stored one is returned, so a second press saves
 * once. A queried claim is changed through `resubmit`, not a new claim.
 */
export function submitClaim(input: NewClaim, existing: Claim | undefined, at: Date): { claim: Claim; alreadySaved: boolean } {
  if (existing) return { claim: existing, alreadySaved: true };
  const { meeting, lxpId } = input;
  if (!meeting.workstreamId) throw new DomainError('not_found', 'This meeting is not linked to a workstream, so it cannot be claimed for yet.');
  checkClaimable(meeting, lxpId);
  const details = checkDetails(input.details);
  const when = at.toISOString();
  return {
    alreadySaved: false,
    claim: {
      id: claimIdFor(input.tenantId, input.programmeId, lxpId, meeting.id),
      tenantId: input.tenantId,
      programmeId: input.programmeId,
      type: 'claim',
      lxpId,
      meetingId: meeting.id,
      workstreamId: meeting.workstreamId,
      meetingTitle: meeting.title,
      meetingDate: meeting.startedAt ?? meeting.createdAt,
      ...details,
      rates: input.rates,
      amounts: amountsFor(details, input.rates),
      status: 'submitted',
      submittedAt: when,
      waitingSince: when,
      history: [{ at: when, by: lxpId, event: 'submit', from: null, to: 'submitted' }],
    },
  };
}

/**
 * The one transition table: for each event, the states it may happen in and
 * the state it leads to ('same' keeps the status). Nothing else assigns `status`.
 */
const TABLE: Record<ClaimEvent['type'], Partial<Record<ClaimStatus, ClaimStatus | 'same'>>> = {
  resubmit: { queried: 'submitted' },
  query: { submitted: 'queried' },
  approve: { submitted: 'approved' },
  // A queried claim nobody answers can still be closed.
  decline: { submitted: 'declined', queried: 'declined' },
  escalate: { submitted: 'same' },
  forget: { submitted: 'same', queried: 'same', approved: 'same', declined: 'same' },
};

export function canApplyClaim(c: Claim, event: ClaimEvent['type']): boolean {
  return TABLE[event][c.status] !== undefined;
}

const REFUSAL: Record<ClaimStatus, string> = {
  submitted: 'This claim is waiting for the programme team; it can be changed only if they ask a question about it.',
  queried: 'The programme team has asked a question about this claim; it waits for the LXP to answer.',
  approved: 'This claim has already been approved.',
  declined: 'This claim has already been declined.',
};

function reasonOf(text: string | undefined, required: boolean, what: string): string | undefined {
  const r = (text ?? '').trim();
  if (required && !r) throw new DomainError('invalid_input', `Give a reason: the LXP sees it with the ${what}.`);
  if (r.length > MAX_REASON_LENGTH) throw new DomainError('invalid_input', `The reason is ${r.length} characters; keep it to ${MAX_REASON_LENGTH}.`);
  return r || undefined;
}

/** Applies one event; returns a new claim with a history entry, never mutating its input. */
export function transitionClaim(c: Claim, event: ClaimEvent, by: string, at: Date): Claim {
  const rule = TABLE[event.type][c.status];
  if (rule === undefined) {
    if (event.type === 'escalate') throw new DomainError('already_done', 'This claim is not waiting for the programme team.');
    throw new DomainError(c.status === 'approved' || c.status === 'declined' ? 'already_done' : 'stale', REFUSAL[c.status]);
  }
  const when = at.toISOString();
  const to = rule === 'same' ? c.status : rule;
  let next: Claim = { ...c };
  let reason: string | undefined;
  let previous: ClaimHistoryEntry['previous'];
  switch (event.type) {
    case 'resubmit': {
      const details = checkDetails(event.details);
      previous = { minutes: c.minutes, expenses: c.expenses, paymentDeclined: c.paymentDeclined, total: c.amounts.total };
      next = { ...next, ...details, rates: event.rates, amounts: amountsFor(details, event.rates), waitingSince: when, escalatedAt: undefined, reason: undefined };
      break;
    }
    case 'query':
      reason = reasonOf(event.reason, true, 'question');
      next.reason = reason;
      break;
    case 'approve':
      reason = reasonOf(event.reason, false, 'approval');
      next = { ...next, reason, decidedBy: by, decidedAt: when };
      break;
    case 'decline':
      reason = reasonOf(event.reason, true, 'decline');
      next = { ...next, reason, decidedBy: by, decidedAt: when };
      break;
    case 'escalate':
      if (c.escalatedAt) throw new DomainError('already_done', 'The programme team has already been told about this claim.');
      next.escalatedAt = when;
      break;
    case 'forget':
      return forgetInClaim(c, event.personId, event.placeholder, by, when);
  }
  const entry: ClaimHistoryEntry = { at: when, by, event: event.type, from: c.status, to };
  if (reason) entry.reason = reason;
  if (previous) entry.previous = previous;
  return { ...next, status: to, history: [...c.history, entry] };
}

/** What "forget me" leaves of a claim: every amount, hour, status and date; the person only as the placeholder; no note. */
function forgetInClaim(c: Claim, personId: string, placeholder: string, by: string, when: string): Claim {
  const swap = (id: string) => (id === personId ? placeholder : id);
  return {
    ...c,
    lxpId: swap(c.lxpId),
    decidedBy: c.decidedBy === undefined ? undefined : swap(c.decidedBy),
    note: c.lxpId === personId ? '' : c.note,
    history: [...c.history.map((h) => ({ ...h, by: swap(h.by) })), { at: when, by: swap(by), event: 'forget', from: c.status, to: c.status }],
  };
}

/** What "forget me" says about claims, so the card and the README say the same. */
export const FORGET_CLAIMS_NOTE =
  'Your involvement claims are financial records, so they are kept: the hours, amounts, status and dates stay, with your name replaced and your notes erased.';

/** A programme-set ISO 8601 duration (P5D, PT2S), refused in words the programme team can act on. */
export function programmeDuration(iso: string, what: string): Duration {
  const anchored = new RegExp(`^${durationPattern.source}$`);
  const t = iso.trim();
  if (!anchored.test(t) || t === 'P' || t.endsWith('T')) {
    throw new DomainError('invalid_input', `"${iso}" is not a length of time Golden Thread understands for ${what}. Write it like P10D for ten days or P2W for two weeks.`);
  }
  const d = parseDuration(t) as Duration;
  if (!Object.values(d).some((v) => typeof v === 'number' && v > 0)) throw new DomainError('invalid_input', `${what} must be longer than zero.`);
  return d;
}

/**
 * Whether a claim has waited too long for the programme team: still
 * submitted, not yet escalated in this wait, and `waitFor` (the programme's
 * setting) has passed since it reached them. Queried claims wait for the LXP,
 * so they are never escalated.
 */
export function claimNeedsEscalation(c: Claim, waitFor: Duration, now: Date, timeZone: string): boolean {
  if (c.status !== 'submitted' || c.escalatedAt) return false;
  return addLocal(new Date(c.waitingSince), waitFor, timeZone) <= now;
}
