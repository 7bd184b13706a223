import type { Rhythm } from './person';
import { addDays, addMonths, atLocal, dayKey, localDayOf, weekday, type LocalDay } from './local-time';

export type DigestRhythm = Exclude<Rhythm, 'as_it_happens'>;

/** Digests cover whole local weeks (from Monday 09:00) or months (from the 1st, 09:00). */
export const DIGEST_HOUR = 9;

export interface DigestPeriod {
  rhythm: DigestRhythm;
  /** Inclusive. */
  from: Date;
  /** Exclusive; also the moment the digest is due (before quiet days move it). */
  to: Date;
  /** The local date of `to`: with the person and rhythm, names the digest, so scheduling it twice makes one job. */
  key: string;
}

function boundaryDayOnOrBefore(day: LocalDay, rhythm: DigestRhythm): LocalDay {
  if (rhythm === 'monthly') return { ...day, d: 1 };
  return addDays(day, -((weekday(day) + 6) % 7));
}

function step(day: LocalDay, rhythm: DigestRhythm, n: number): LocalDay {
  return rhythm === 'monthly' ? addMonths({ ...day, d: 1 }, n) : addDays(day, 7 * n);
}

/**
 * The period whose digest is the first due strictly after `after`.
 * Boundaries are counted on the local calendar (Monday 09:00, the 1st at
 * 09:00), never by adding 7×24 hours, so a clock change moves nothing.
 */
export function periodEndingAfter(after: Date, rhythm: DigestRhythm, timeZone: string): DigestPeriod {
  let day = boundaryDayOnOrBefore(localDayOf(after, timeZone), rhythm);
  while (atLocal(day, DIGEST_HOUR, timeZone) <= after) day = step(day, rhythm, 1);
  return periodEndingOn(day, rhythm, timeZone);
}

function periodEndingOn(day: LocalDay, rhythm: DigestRhythm, timeZone: string): DigestPeriod {
  return {
    rhythm,
    from: atLocal(step(day, rhythm, -1), DIGEST_HOUR, timeZone),
    to: atLocal(day, DIGEST_HOUR, timeZone),
    key: dayKey(day),
  };
}

/** The period straight after this one: its `from` is this one's `to`, so none is skipped and none overlaps. */
export function nextPeriod(p: DigestPeriod, timeZone: string): DigestPeriod {
  return periodEndingOn(step(localDayOf(p.to, timeZone), p.rhythm, 1), p.rhythm, timeZone);
}
