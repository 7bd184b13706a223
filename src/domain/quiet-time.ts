import type { Preferences } from './person';
import { addDays, atLocal, localDayOf, localHourOf, weekday } from './local-time';

/** Where messages resume after a quiet day: the start of a working morning, the same hour digests go out. */
export const DAY_START_HOUR = 9;

function inQuietHours(hour: number, quiet: [number, number] | undefined): boolean {
  if (!quiet || quiet[0] === quiet[1]) return false;
  const [from, to] = quiet;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

/**
 * The first moment at or after `at` when this person may be messaged: never
 * on a quiet day, never in quiet hours, both on the programme's local clock.
 */
export function nextAllowedTime(at: Date, prefs: Pick<Preferences, 'quietDays' | 'quietHours'>, timeZone: string): Date {
  let t = at;
  // Seven quiet days would mean "never"; a week's search is enough to prove it and stop.
  for (let i = 0; i < 16; i++) {
    const day = localDayOf(t, timeZone);
    if (prefs.quietDays.includes(weekday(day))) {
      t = atLocal(addDays(day, 1), DAY_START_HOUR, timeZone);
      continue;
    }
    const hour = localHourOf(t, timeZone);
    if (inQuietHours(hour, prefs.quietHours)) {
      const [, to] = prefs.quietHours!;
      t = atLocal(hour < to ? day : addDays(day, 1), to, timeZone);
      continue;
    }
    return t;
  }
  return at;
}
