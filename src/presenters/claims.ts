import { ACTIVITIES, ACTIVITY_LABEL, CLAIM_STATUS_LABEL, EXPENSES, EXPENSE_LABEL, formatHours, formatPounds, prefilledMeetingMinutes, type Claim, type ClaimRates } from '../domain/claim';
import { formatDay, formatShortDay } from '../domain/follow-up';
import { minutesPresent, type Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import { plain, renderCard } from './render-card';

export const CLAIM_CARDS = { form: 'claim', review: 'claim-review', mine: 'my-claims' } as const;

const pounds = (pence: number) => `£${formatPounds(pence)}`;
const hours = (minutes: number) => `${formatHours(minutes)} hours`;

/** The programme's rates in one sentence, so the LXP knows what the claim will come to before sending it. */
export function ratesSentence(rates: ClaimRates): string {
  const parts = ACTIVITIES.map((a) => {
    const fixed = rates.fixed[a] ? ` plus ${pounds(rates.fixed[a])}` : '';
    return `${ACTIVITY_LABEL[a].toLowerCase()} ${pounds(rates.hourly[a])} an hour${fixed}`;
  });
  return `Your programme pays ${parts.join(', and ')}. Expenses are paid as claimed, with receipts if the programme team asks.`;
}

function amountSentence(c: Claim): string {
  if (c.paymentDeclined) return 'You chose not to be paid: your time is recorded, nothing is paid.';
  return `This claim comes to ${pounds(c.amounts.total)}.`;
}

export interface ClaimFormInput {
  meeting: Meeting;
  lxpId: string;
  rates: ClaimRates;
  /** The stored claim when it is being answered after a query. */
  claim?: Claim;
  notice?: string;
  timeZone: string;
}

/** The LXP's claim: the meeting time prefilled from attendance, or the claim as sent when the programme team asked a question. */
export function claimFormCard(i: ClaimFormInput) {
  const c = i.claim;
  const present = i.meeting.attendance[i.lxpId];
  const end = new Date(i.meeting.endedAt ?? i.meeting.createdAt);
  const recorded = present ? minutesPresent(present.spans, end) : 0;
  const money = (p: number | undefined) => (p ? formatPounds(p) : '');
  return renderCard(CLAIM_CARDS.form, {
    heading: c ? 'Your claim: answer and send again' : 'Claim for your involvement',
    meeting: plain(i.meeting.title),
    date: formatDay(i.meeting.startedAt ?? i.meeting.createdAt, i.timeZone),
    notice: i.notice ?? '',
    query: c?.status === 'queried' && c.reason ? plain(c.reason) : '',
    present: present?.confirmed?.present && recorded === 0
      ? 'The chair confirmed you were there, so the meeting time starts as the length of the meeting.'
      : `Golden Thread recorded you in the meeting for ${recorded} minute${recorded === 1 ? '' : 's'}; the meeting time starts rounded up to the quarter hour. Change it if it is wrong.`,
    meetingHours: formatHours(c ? c.minutes.meeting : prefilledMeetingMinutes(i.meeting, i.lxpId)),
    preparationHours: c ? formatHours(c.minutes.preparation) : '',
    travel: money(c?.expenses.travel),
    other: money(c?.expenses.other),
    carer: money(c?.expenses.carer),
    note: c ? plain(c.note) : '',
    paymentDeclined: String(c?.paymentDeclined ?? false),
    rates: ratesSentence(c?.rates ?? i.rates),
    amount: c ? `As sent: ${amountSentence(c).charAt(0).toLowerCase()}${amountSentence(c).slice(1)}` : '',
    submitTitle: c ? 'Send again' : 'Send my claim',
    meetingId: i.meeting.id,
    claimId: c?.id ?? '',
  });
}

/** Each figure of a claim with how it was reached, for the programme team. */
export function claimLines(c: Claim): { title: string; value: string }[] {
  const lines = ACTIVITIES.map((a) => {
    const fixed = c.rates.fixed[a] && c.minutes[a] > 0 ? ` plus ${pounds(c.rates.fixed[a])}` : '';
    const pay = c.paymentDeclined ? 'not paid' : `${pounds(c.amounts.activity[a])}`;
    return { title: ACTIVITY_LABEL[a], value: `${hours(c.minutes[a])} at ${pounds(c.rates.hourly[a])} an hour${fixed}: ${pay}` };
  });
  for (const e of EXPENSES) if (c.expenses[e]) lines.push({ title: EXPENSE_LABEL[e], value: pounds(c.expenses[e]) });
  lines.push({ title: 'Total', value: c.paymentDeclined ? 'Payment declined: time only, £0.00' : pounds(c.amounts.total) });
  return lines;
}

export interface ClaimReviewInput {
  claim: Claim;
  names: Names;
  meeting?: Meeting;
  timeZone: string;
}

/** The programme team's card: approve, ask a question or decline, with a reason the LXP sees. */
export function claimReviewCard({ claim: c, names, meeting, timeZone }: ClaimReviewInput) {
  const open = c.status === 'submitted' || c.status === 'queried';
  const a = meeting?.attendance[c.lxpId];
  const recorded = a && meeting ? minutesPresent(a.spans, new Date(meeting.endedAt ?? meeting.createdAt)) : undefined;
  const attendance =
    recorded === undefined ? 'Attendance for this meeting is no longer held.'
    : a?.confirmed?.present ? `The chair confirmed they were there; ${recorded} minutes recorded from Teams.`
    : `Teams recorded them in the meeting for ${recorded} minutes.`;
  return renderCard(CLAIM_CARDS.review, {
    person: plain(names(c.lxpId)),
    meeting: plain(c.meetingTitle),
    date: formatShortDay(c.meetingDate, timeZone),
    state: `${CLAIM_STATUS_LABEL[c.status]}. Sent ${formatShortDay(c.waitingSince, timeZone)}.`,
    escalated: c.escalatedAt && c.status === 'submitted' ? `Waiting since ${formatShortDay(c.waitingSince, timeZone)}: longer than the programme allows.` : '',
    lines: claimLines(c),
    attendance,
    note: c.note ? plain(c.note) : '',
    decided: c.decidedAt ? `${CLAIM_STATUS_LABEL[c.status]} by ${names(c.decidedBy ?? '')} on ${formatShortDay(c.decidedAt, timeZone)}.` : '',
    open,
    canApprove: c.status === 'submitted',
    canQuery: c.status === 'submitted',
    claimId: c.id,
  });
}

export interface MyClaimsInput {
  claims: Claim[];
  /** Meetings they attended and have not claimed for yet. */
  claimable: Meeting[];
  timeZone: string;
  /** Instead of the list's own opening line (a single claim sent to the LXP). */
  intro?: string;
}

/** Every claim and where it stands, newest meeting first, and the meetings still to claim for. */
export function myClaimsCard({ claims, claimable, timeZone, intro }: MyClaimsInput) {
  const sorted = [...claims].sort((a, b) => b.meetingDate.localeCompare(a.meetingDate));
  return renderCard(CLAIM_CARDS.mine, {
    intro: intro ?? (sorted.length ? 'Every claim you have made and where it stands.' : 'You have not made a claim yet. When you have been to a meeting, you can claim for it here.'),
    claims: sorted.map((c) => ({
      meeting: plain(c.meetingTitle),
      date: formatShortDay(c.meetingDate, timeZone),
      figures: `${hours(c.minutes.meeting)} in the meeting, ${hours(c.minutes.preparation)} preparing. ${c.paymentDeclined ? 'Time only: you chose not to be paid.' : `Total ${pounds(c.amounts.total)}.`}`,
      state: c.decidedAt ? `${CLAIM_STATUS_LABEL[c.status]} on ${formatShortDay(c.decidedAt, timeZone)}.` : `${CLAIM_STATUS_LABEL[c.status]}.`,
      reasonLabel: c.status === 'queried' ? 'Their question: ' : 'Why: ',
      reason: c.reason ? plain(c.reason) : '',
      queried: c.status === 'queried',
      claimId: c.id,
    })),
    claimableCount: claimable.length,
    claimable: claimable.map((m) => ({ meeting: plain(m.title), date: formatShortDay(m.startedAt ?? m.createdAt, timeZone), meetingId: m.id })),
  });
}

/** The decision, to the LXP: the claim as `my claims` shows it (status, amount, the team's reason), with the way to answer a question. */
export function claimNoticeCard(c: Claim, timeZone: string) {
  const intro = c.status === 'queried' ? 'The programme team has a question about your claim.' : `The programme team has decided on your claim: ${CLAIM_STATUS_LABEL[c.status].toLowerCase()}.`;
  return myClaimsCard({ claims: [c], claimable: [], timeZone, intro });
}
