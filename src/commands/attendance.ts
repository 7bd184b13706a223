import { toZonedTime } from 'date-fns-tz';
import { DomainError, notAllowed } from '../domain/errors';
import { attended, minutesPresent } from '../domain/meeting';
import { getMany } from '../domain/ports';
import type { Workstream } from '../domain/workstream';
import { attendanceOf } from './meeting-end';
import { findPeriod, monthsFrom, type Period } from '../domain/period';
import { can } from '../domain/policy';
import { actorFor, type Caller, type Deps } from './deps';
import { toCsv } from '../domain/csv';
import { localDate } from '../domain/follow-up';
import type { ExportFile } from './export';
import type { Meeting } from '../domain/meeting';
import { meetingsIn } from './reports';
import { namesFor } from './names';
import { acrossProgrammes } from './personal';

export interface AttendanceRow {
  personId: string;
  name: string;
  meetings: number;
  minutes: number;
  /** Of those meetings, how many the chair confirmed (on the end-of-meeting card) rather than Teams' join and leave events alone. */
  confirmed: number;
}

/** One meeting of the LXP's workstreams, as they see their own attendance, so they can flag a mistake. */
export interface OwnMeeting {
  meetingId: string;
  title: string;
  startedAt: string;
  recorded: ReturnType<typeof attendanceOf>;
}

export interface Attendance {
  period: Period;
  rows: AttendanceRow[];
  /** True when the caller sees everyone (programme team); false when only themselves. */
  everyone: boolean;
  /** For an LXP asking about themselves: every meeting of their workstreams in the period, attended or not. */
  own: OwnMeeting[];
  /** Their own attendance across their programmes (issue 18): one row per programme, named by it. */
  byProgramme?: boolean;
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
  const totals = new Map<string, { meetings: number; minutes: number; confirmed: number }>();
  const meetings = await meetingsIn(deps, caller.tenantId, 'all', period);
  for (const m of meetings) {
    const until = m.endedAt ? new Date(m.endedAt) : now;
    for (const [personId, a] of Object.entries(m.attendance)) {
      // The chair's word decides whether someone was there; minutes come only from Teams' join and leave times.
      if (!attended(a) || (!everyone && personId !== caller.id)) continue;
      const t = totals.get(personId) ?? { meetings: 0, minutes: 0, confirmed: 0 };
      totals.set(personId, { meetings: t.meetings + 1, minutes: t.minutes + minutesPresent(a.spans, until), confirmed: t.confirmed + (a.confirmed ? 1 : 0) });
    }
  }
  const names = await namesFor(deps, caller.tenantId, totals.keys());
  const rows = [...totals].map(([personId, t]) => ({ personId, name: names(personId), ...t })).sort((a, b) => a.name.localeCompare(b.name));
  return { period, rows, everyone, own: everyone ? [] : await ownMeetings(deps, caller, meetings) };
}

/**
 * `attendance` for someone asking about themselves, across every programme they are in (issue 18): a row per
 * programme, labelled with its name, and each programme's meetings of their workstreams with the programme's
 * name in front. The programme team of the turn's programme gets that programme's view for everyone instead.
 */
export async function myAttendance(deps: Deps, caller: Caller, text: string): Promise<Attendance> {
  const here = await attendance(deps, caller, text);
  if (here.everyone) return here;
  const each = await acrossProgrammes(deps, caller, (inside) => attendance(inside, caller, text));
  const rows = each.flatMap((p) => p.value.rows.filter((r) => r.personId === caller.id).map((r) => ({ ...r, name: p.name })));
  const own = each.flatMap((p) => p.value.own.map((m) => ({ ...m, title: `${p.name}: ${m.title}` })));
  return { period: here.period, rows, everyone: false, own: own.sort((a, b) => a.startedAt.localeCompare(b.startedAt)), byProgramme: true };
}

async function ownMeetings(deps: Deps, caller: Caller, meetings: Meeting[]): Promise<OwnMeeting[]> {
  const workstreams = await getMany(deps.stores.workstreams, caller.tenantId, meetings.map((m) => m.workstreamId ?? ''));
  return meetings
    .filter((m) => m.attendance[caller.id] || (workstreams.get(m.workstreamId ?? '') as Workstream | undefined)?.lxpIds?.includes(caller.id))
    .sort((a, b) => (a.startedAt ?? a.createdAt).localeCompare(b.startedAt ?? b.createdAt))
    .map((m) => ({ meetingId: m.id, title: m.title, startedAt: m.startedAt ?? m.createdAt, recorded: attendanceOf(m, caller.id) }));
}

export const ATTENDANCE_EXPORT_HEADER = ['Meeting', 'Workstream', 'Meeting date', 'LXP', 'Present', 'Minutes present', 'Recorded from', 'Confirmed by', 'Confirmed on'];

/**
 * `export attendance <month>` (programme team): one row per LXP per meeting that recorded anything about them,
 * for involvement payments. A row the chair confirmed says so and by whom; the chair's word decides "Present".
 */
export async function exportAttendance(deps: Deps, caller: Caller, text: string): Promise<ExportFile> {
  const a = await attendance(deps, caller, text);
  if (!a.everyone) throw notAllowed('The attendance export is for the programme team. Type attendance to see your own.');
  const tz = deps.settings.timeZone;
  const meetings = (await meetingsIn(deps, caller.tenantId, 'all', a.period)).sort((x, y) => (x.startedAt ?? x.createdAt).localeCompare(y.startedAt ?? y.createdAt));
  const workstreams = await getMany(deps.stores.workstreams, caller.tenantId, meetings.map((m) => m.workstreamId ?? ''));
  const people = meetings.flatMap((m) => Object.entries(m.attendance).flatMap(([id, e]) => [id, e.confirmed?.by ?? '']));
  const names = await namesFor(deps, caller.tenantId, people);
  const rows = meetings.flatMap((m) =>
    Object.entries(m.attendance).map(([id, e]) => [
      m.title,
      (workstreams.get(m.workstreamId ?? '') as Workstream | undefined)?.name ?? '',
      localDate(m.startedAt ?? m.createdAt, tz),
      names(id),
      attended(e) ? 'yes' : 'no',
      String(minutesPresent(e.spans, m.endedAt ? new Date(m.endedAt) : deps.clock.now())),
      e.spans.length ? 'Teams join and leave times' : '',
      e.confirmed ? `the chair (${names(e.confirmed.by)})` : '',
      e.confirmed ? localDate(e.confirmed.at, tz) : '',
    ]),
  );
  const slug = a.period.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return { filename: `golden-thread-attendance-${slug}.csv`, csv: toCsv(ATTENDANCE_EXPORT_HEADER, rows), rows: rows.length, label: `attendance, ${a.period.label}` };
}
