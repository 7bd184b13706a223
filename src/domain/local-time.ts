import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

/**
 * Calendar arithmetic on the programme's local calendar, done on plain
 * year/month/day numbers, so neither the programme's clock changes nor the
 * host's own time zone can shift a wall-clock time.
 */
export interface LocalDay {
  y: number;
  m: number;
  d: number;
}

export function localDayOf(at: Date, timeZone: string): LocalDay {
  const [y, m, d] = formatInTimeZone(at, timeZone, 'yyyy-MM-dd').split('-').map(Number);
  return { y, m, d };
}

export function localHourOf(at: Date, timeZone: string): number {
  return Number(formatInTimeZone(at, timeZone, 'H'));
}

/** 0 = Sunday … 6 = Saturday, as Preferences.quietDays counts them. */
export function weekday(day: LocalDay): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

export function addDays(day: LocalDay, days: number): LocalDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function addMonths(day: LocalDay, months: number): LocalDay {
  const t = new Date(Date.UTC(day.y, day.m - 1 + months, 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: day.d };
}

export function dayKey(day: LocalDay): string {
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

export function compareDays(a: LocalDay, b: LocalDay): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** The instant a local wall-clock time happens in the time zone. */
export function atLocal(day: LocalDay, hour: number, timeZone: string): Date {
  return fromZonedTime(`${dayKey(day)}T${String(hour).padStart(2, '0')}:00:00`, timeZone);
}
