import type { Attendance, OwnMeeting } from '../commands/attendance';
import { formatShortDay } from '../domain/follow-up';
import { plain, renderCard } from './render-card';

const totals = (a: Attendance) => a.rows.reduce((t, r) => ({ meetings: t.meetings + r.meetings, minutes: t.minutes + r.minutes }), { meetings: 0, minutes: 0 });

const RECORDED: Record<OwnMeeting['recorded'], string> = {
  events: 'Present (Teams join and leave times)',
  confirmed: 'Present, confirmed by the chair',
  confirmed_absent: 'Not present, confirmed by the chair',
  none: 'Not recorded',
};

/** The meetings an LXP can flag: as many as one card holds comfortably; a month rarely has more. */
const OWN_SHOWN = 20;

/** Per LXP, for the person who asked (1:1 only: it names people). An LXP also sees each meeting and can flag a mistake. */
export function attendanceCard(a: Attendance, timeZone: string) {
  const t = totals(a);
  const own = a.own.slice(-OWN_SHOWN).map((m) => ({ meetingId: m.meetingId, title: `${plain(m.title)}, ${formatShortDay(m.startedAt, timeZone)}`, recorded: RECORDED[m.recorded] }));
  return renderCard('attendance', {
    title: a.everyone ? `LXP attendance, ${a.period.label}` : `Your attendance, ${a.period.label}`,
    intro: a.rows.length
      ? 'Meetings attended and minutes present, as evidence for involvement payments. Minutes come from Teams join and leave times; a meeting the chair confirmed on the end-of-meeting card counts even without them.'
      : 'No attendance was recorded for this period.',
    rows: a.rows.map((r) => ({ name: plain(r.name), meetings: r.confirmed ? `${r.meetings} (${r.confirmed} confirmed by the chair)` : String(r.meetings), minutes: String(r.minutes) })),
    hasRows: a.rows.length > 0,
    firstColumn: a.byProgramme ? 'Programme' : 'LXP',
    total: `${t.meetings} attendance${t.meetings === 1 ? '' : 's'}, ${t.minutes} minutes in all.`,
    own,
    hasOwn: own.length > 0,
    firstOwn: own.at(-1)?.meetingId ?? '',
  });
}

/** For a shared chat: totals, no names. */
export function attendanceSummary(a: Attendance): string {
  const t = totals(a);
  return `${a.period.label}: ${a.rows.length} LXP${a.rows.length === 1 ? '' : 's'} attended, ${t.meetings} attendance${t.meetings === 1 ? '' : 's'}, ${t.minutes} minutes in all.`;
}
