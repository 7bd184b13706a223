import { addMonths, differenceInCalendarMonths, format, isValid, parse, startOfMonth, startOfQuarter, startOfYear } from 'date-fns';
import { fromZonedTime, toZonedTime } from 'date-fns-tz';
import { DomainError } from './errors';

/**
 * A stretch of time [from, to) for a report. `months` is set when the period
 * is whole calendar months (local time): then the monthly counters answer it;
 * otherwise the contributions themselves are read.
 */
export interface Period {
  from: Date;
  to: Date;
  label: string;
  months?: { first: string; count: number };
}

const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE_FORMATS = ['d MMMM yyyy', 'd MMM yyyy', 'd MMMM', 'd MMM', 'MMMM yyyy', 'MMM yyyy', 'MMMM', 'MMM', 'yyyy-MM-dd', 'yyyy'];

/** Whole local months starting at `localStart` (a wall-clock Date from toZonedTime). */
export function monthsFrom(localStart: Date, count: number, timeZone: string, label?: string): Period {
  const start = startOfMonth(localStart);
  const end = addMonths(start, count);
  return {
    from: fromZonedTime(start, timeZone),
    to: fromZonedTime(end, timeZone),
    label: label ?? monthsLabel(start, count),
    months: { first: format(start, 'yyyy-MM'), count },
  };
}

function monthsLabel(start: Date, count: number): string {
  if (count === 1) return format(start, 'MMMM yyyy');
  if (count === 12 && start.getMonth() === 0) return format(start, 'yyyy');
  if (count === 3 && start.getMonth() % 3 === 0) return `${format(start, 'QQQ yyyy')} (${format(start, 'MMMM')} to ${format(addMonths(start, 2), 'MMMM')})`;
  return `${format(start, 'MMMM yyyy')} to ${format(addMonths(start, count - 1), 'MMMM yyyy')}`;
}

function parseLocalDate(text: string, localNow: Date): Date | undefined {
  const t = text.trim().replace(/\b(\d{1,2})(st|nd|rd|th)\b/i, '$1');
  for (const f of DATE_FORMATS) {
    const d = parse(t, f, localNow);
    if (isValid(d)) {
      // "March" alone means the last March, not one still to come.
      if (!/y/.test(f) && d > localNow) d.setFullYear(d.getFullYear() - 1);
      return d;
    }
  }
  return undefined;
}

type Rule = [RegExp, (m: RegExpExecArray, localNow: Date, tz: string) => Period];

const RULES: Rule[] = [
  [/\b(this|last|previous) month\b/, (m, now, tz) => monthsFrom(addMonths(now, m[1] === 'this' ? 0 : -1), 1, tz)],
  [/\b(this|last|previous) quarter\b/, (m, now, tz) => monthsFrom(addMonths(startOfQuarter(now), m[1] === 'this' ? 0 : -3), 3, tz)],
  [/\b(this|last|previous) year\b/, (m, now, tz) => monthsFrom(addMonths(startOfYear(now), m[1] === 'this' ? 0 : -12), 12, tz)],
  [/\b(?:the )?(?:last|past) (\d{1,2}) months\b/, (m, now, tz) => monthsFrom(addMonths(now, 1 - Number(m[1])), Number(m[1]), tz, `the last ${m[1]} months`)],
  [/\bq([1-4]) (\d{4})\b/, (m, _now, tz) => monthsFrom(new Date(Number(m[2]), (Number(m[1]) - 1) * 3, 1), 3, tz)],
  [new RegExp(`\\bsince (\\d{1,2}(?:st|nd|rd|th)? ${MONTH}(?: \\d{4})?|${MONTH}(?: \\d{4})?|\\d{4}-\\d{2}-\\d{2})\\b`), (m, now, tz) => since(m[1], now, tz)],
  [new RegExp(`\\b${MONTH} (\\d{4})\\b`), (m, now, tz) => monthsFrom(parseLocalDate(`${m[1]} ${m[2]}`, now)!, 1, tz)],
  [new RegExp(`\\b${MONTH}\\b`), (m, now, tz) => monthsFrom(parseLocalDate(m[1], now)!, 1, tz)],
  [/\b(20\d{2})\b/, (m, _now, tz) => monthsFrom(new Date(Number(m[1]), 0, 1), 12, tz)],
];

/** "since 1 March": whole months up to this month's end when it starts on the 1st; otherwise up to now. */
function since(text: string, localNow: Date, tz: string): Period {
  const start = parseLocalDate(text, localNow);
  if (!start) throw new DomainError('invalid_input', `I couldn't read "${text}" as a date. Try "since 1 March".`);
  if (start > localNow) throw new DomainError('invalid_input', `${format(start, 'd MMMM yyyy')} is still to come; choose a date in the past.`);
  const label = `since ${format(start, 'd MMMM yyyy')}`;
  if (start.getDate() === 1) return monthsFrom(start, differenceInCalendarMonths(localNow, start) + 1, tz, label);
  return { from: fromZonedTime(start, tz), to: fromZonedTime(localNow, tz), label };
}

/** Finds a period in lower-case text; returns it with the rest of the text, or no period. */
export function findPeriod(text: string, now: Date, timeZone: string): { period?: Period; rest: string } {
  const localNow = toZonedTime(now, timeZone);
  for (const [pattern, make] of RULES) {
    const m = pattern.exec(text);
    if (m) return { period: make(m, localNow, timeZone), rest: (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).trim() };
  }
  return { rest: text };
}

/** When no period is named: this month and the two before it. */
export const defaultPeriod = (now: Date, timeZone: string) => monthsFrom(addMonths(toZonedTime(now, timeZone), -2), 3, timeZone, 'the last 3 months');

/** The period of the same length just before: whole months stay whole months. */
export function previousPeriod(p: Period, timeZone: string): Period {
  if (p.months) {
    const start = toZonedTime(p.from, timeZone);
    return monthsFrom(addMonths(start, -p.months.count), p.months.count, timeZone);
  }
  const length = p.to.getTime() - p.from.getTime();
  const from = new Date(p.from.getTime() - length);
  const f = (d: Date) => format(toZonedTime(d, timeZone), 'd MMMM yyyy');
  return { from, to: p.from, label: `${f(from)} to ${f(new Date(p.from.getTime() - 1))}` };
}

/** The yyyy-MM months a whole-month period covers, for the counters query. */
export function monthKeys(p: Period, timeZone: string): string[] {
  if (!p.months) return [];
  const start = toZonedTime(p.from, timeZone);
  return Array.from({ length: p.months.count }, (_, i) => format(addMonths(start, i), 'yyyy-MM'));
}
