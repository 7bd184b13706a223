import { toZonedTime } from 'date-fns-tz';
import { DomainError, notAllowed } from '../domain/errors';
import { minutesPresent } from '../domain/meeting';
import { findPeriod, monthsFrom, type Period } from '../domain/period';
import { can } from '../domain/policy';
import { actorFor, type Caller, type Deps } from './deps';
import { meetingsIn } from './reports';
import { namesFor } from './names';

export interface AttendanceRow {
  personId: string;
  name: string;
  meetings: number;
  minutes: number;
}

export interface Attendance {
  period: Period;
  rows: AttendanceRow[];
  /** True when the caller sees everyone (programme team); false when only themselves. */
  everyone: boolean;
}

/**
 * `attendance <month>`: meetings attended and minutes present per LXP, as
 * evidence for involvement payments. The programme team sees every LXP; an
 * LXP sees only themselves (policy: view_attendance).
 */
export async function attendance(deps: Deps, caller: Caller, text: string): Promise<Attendance> {
  const actor = await actorFor(deps, caller);
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const found = findPeriod(text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim(), now, tz);
  if (found.rest.replace(/\b(for|in|of|the)\b/g, '').trim()) throw new DomainError('invalid_input', 'Name a month, for example "attendance March 2026" or "attendance last month".');
  const period = found.period ?? monthsFrom(toZonedTime(now, tz), 1, tz);
  const everyone = can(actor, 'view_attendance', { type: 'programme' });
  if (!everyone && !can(actor, 'view_attendance', { type: 'person', personId: caller.id })) throw notAllowed('Attendance is for the programme team, and for each LXP about themselves.');
  const totals = new Map<string, { meetings: number; minutes: number }>();
  for (const m of await meetingsIn(deps, caller.tenantId, 'all', period)) {
    const until = m.endedAt ? new Date(m.endedAt) : now;
    for (const [personId, a] of Object.entries(m.attendance)) {
      if (a.spans.length === 0 || (!everyone && personId !== caller.id)) continue;
      const t = totals.get(personId) ?? { meetings: 0, minutes: 0 };
      totals.set(personId, { meetings: t.meetings + 1, minutes: t.minutes + minutesPresent(a.spans, until) });
    }
  }
  const names = await namesFor(deps, caller.tenantId, totals.keys());
  const rows = [...totals].map(([personId, t]) => ({ personId, name: names(personId), ...t })).sort((a, b) => a.name.localeCompare(b.name));
  return { period, rows, everyone };
}
