import type { Attendance } from '../commands/attendance';
import { plain, renderCard } from './render-card';

const totals = (a: Attendance) => a.rows.reduce((t, r) => ({ meetings: t.meetings + r.meetings, minutes: t.minutes + r.minutes }), { meetings: 0, minutes: 0 });

/** Per LXP, for the person who asked (1:1 only: it names people). */
export function attendanceCard(a: Attendance) {
  const t = totals(a);
  return renderCard('attendance', {
    title: a.everyone ? `LXP attendance, ${a.period.label}` : `Your attendance, ${a.period.label}`,
    intro: a.rows.length ? 'Meetings attended and minutes present, from Teams join and leave times, as evidence for involvement payments.' : 'No attendance was recorded for this period.',
    rows: a.rows.map((r) => ({ name: plain(r.name), meetings: String(r.meetings), minutes: String(r.minutes) })),
    hasRows: a.rows.length > 0,
    total: `${t.meetings} attendance${t.meetings === 1 ? '' : 's'}, ${t.minutes} minutes in all.`,
  });
}

/** For a shared chat: totals, no names. */
export function attendanceSummary(a: Attendance): string {
  const t = totals(a);
  return `${a.period.label}: ${a.rows.length} LXP${a.rows.length === 1 ? '' : 's'} attended, ${t.meetings} attendance${t.meetings === 1 ? '' : 's'}, ${t.minutes} minutes in all.`;
}
