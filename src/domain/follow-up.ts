import { add, isWeekend, type Duration } from 'date-fns';
import { fromZonedTime, toZonedTime, formatInTimeZone } from 'date-fns-tz';

/** Local hour at which due-date work happens, so people are asked during the working day. */
export const WORKING_HOUR = 10;

/**
 * Wall-clock arithmetic in the programme's time zone: "14 days after the
 * meeting" is 14 calendar days on the local clock, whatever the clock change.
 */
export function addLocal(at: Date, duration: Duration, timeZone: string): Date {
  const local = toZonedTime(at, timeZone);
  return fromZonedTime(add(local, duration), timeZone);
}

/** The next working day (Monday to Friday) on or after `at`, at the working hour, local time. */
export function onWorkingDay(at: Date, timeZone: string): Date {
  let local = toZonedTime(at, timeZone);
  while (isWeekend(local)) local = add(local, { days: 1 });
  local.setHours(WORKING_HOUR, 0, 0, 0);
  return fromZonedTime(local, timeZone);
}

/** Feedback due: meeting date + FOLLOWUP_AFTER, landing on a working day. Second-scale durations (tests, demos) are kept exact. */
export function feedbackDue(meetingAt: Date, followUpAfter: Duration, timeZone: string): Date {
  // A pure function of its arguments, asked twice per logged contribution (the save and the card after it)
  // and again for every contribution of the same meeting; the time-zone arithmetic is about 80 µs a call.
  const key = `${meetingAt.getTime()}|${timeZone}|${JSON.stringify(followUpAfter)}`;
  const known = dueMemo.get(key);
  if (known !== undefined) return new Date(known);
  const raw = addLocal(meetingAt, followUpAfter, timeZone);
  const onlyTime = !followUpAfter.years && !followUpAfter.months && !followUpAfter.weeks && !followUpAfter.days;
  const due = onlyTime ? raw : onWorkingDay(raw, timeZone);
  if (dueMemo.size >= 1000) dueMemo.clear();
  dueMemo.set(key, due.getTime());
  return due;
}
const dueMemo = new Map<string, number>();

export function formatDay(at: Date | string, timeZone: string): string {
  return formatInTimeZone(typeof at === 'string' ? new Date(at) : at, timeZone, 'EEEE d MMMM yyyy');
}

export function formatShortDay(at: Date | string, timeZone: string): string {
  return formatInTimeZone(typeof at === 'string' ? new Date(at) : at, timeZone, 'd MMM yyyy');
}

export function localDate(at: Date | string, timeZone: string): string {
  return formatInTimeZone(typeof at === 'string' ? new Date(at) : at, timeZone, 'yyyy-MM-dd');
}
