import { formatInTimeZone, toZonedTime } from 'date-fns-tz';
import { format } from 'date-fns';
import { CLAIM_STATUS_LABEL, formatHours, formatPounds, type Claim } from './claim';
import { toCsv } from './csv';
import type { Names } from './person';

/** `export claims <month>`: the columns finance reads, in this order. Money is pounds with two decimals, hours decimal. */
export const CLAIMS_CSV_HEADER = [
  'Claim',
  'Person',
  'Meeting',
  'Meeting date',
  'Meeting hours',
  'Preparation hours',
  'Meeting pay (£)',
  'Preparation pay (£)',
  'Travel (£)',
  'Other expenses (£)',
  'Carer costs (£)',
  'Total (£)',
  'Payment declined',
  'Status',
  'Decided by',
  'Decided at',
];

/**
 * The claims of one calendar month, local time, by the date of the meeting
 * claimed for (the month the involvement happened), every status included so
 * finance sees what is still to come.
 */
export function claimsInMonth(claims: Claim[], month: string, timeZone: string): Claim[] {
  return claims.filter((c) => format(toZonedTime(new Date(c.meetingDate), timeZone), 'yyyy-MM') === month).sort((a, b) => a.meetingDate.localeCompare(b.meetingDate) || a.id.localeCompare(b.id));
}

/** One line per claim. A declined payment shows its hours and 0.00 everywhere else; an undecided claim leaves "decided" empty. */
export function claimsCsv(claims: Claim[], names: Names, timeZone: string): string {
  const rows = claims.map((c) => [
    c.id,
    names(c.lxpId),
    c.meetingTitle,
    formatInTimeZone(new Date(c.meetingDate), timeZone, 'yyyy-MM-dd'),
    formatHours(c.minutes.meeting),
    formatHours(c.minutes.preparation),
    formatPounds(c.amounts.activity.meeting),
    formatPounds(c.amounts.activity.preparation),
    formatPounds(c.amounts.expenses.travel),
    formatPounds(c.amounts.expenses.other),
    formatPounds(c.amounts.expenses.carer),
    formatPounds(c.amounts.total),
    c.paymentDeclined ? 'yes' : 'no',
    CLAIM_STATUS_LABEL[c.status],
    c.decidedBy ? names(c.decidedBy) : '',
    c.decidedAt ? formatInTimeZone(new Date(c.decidedAt), timeZone, 'yyyy-MM-dd HH:mm') : '',
  ]);
  return toCsv(CLAIMS_CSV_HEADER, rows);
}

export const claimsCsvFileName = (month: string) => `golden-thread-claims-${month}.csv`;
