import { formatInTimeZone } from 'date-fns-tz';
import { attended, type Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import type { Workstream } from '../domain/workstream';
import { plain, renderCard } from './render-card';

export interface MeetingClosedView {
  meeting: Meeting;
  workstream: Workstream;
  /** Contributions in the minutes (withdrawn ones left out). */
  contributions: number;
  /** LXPs asked to check what was recorded from them. */
  checked: string[];
  names: Names;
  timeZone: string;
  notice?: string;
}

function howItEnded(m: Meeting, names: Names, timeZone: string): string {
  const at = m.endedAt ? formatInTimeZone(new Date(m.endedAt), timeZone, "HH:mm 'on' d MMMM") : 'just now';
  const by = m.endedBy;
  if (by === 'teams') return `Teams said the meeting ended at ${at}.`;
  if (by === 'scheduler') {
    return m.scheduledEnd
      ? `Nobody ended it in Teams or with "End meeting", so Golden Thread closed it as of its scheduled end (${at}).`
      : `Nobody ended it with "End meeting", so Golden Thread closed it at ${at}.`;
  }
  return by ? `${names(by.personId)} ended it at ${at}.` : `It ended at ${at}.`;
}

/**
 * What the chair (1:1) is told when a meeting ends, however it ended: what was posted, who was asked to check,
 * and the workstream's LXPs with "was here" ticked from Teams' join and leave events (or the chair's earlier
 * answer), to confirm or correct: people who joined by phone or as guests send no events.
 */
export function meetingClosedCard(v: MeetingClosedView) {
  const { meeting: m } = v;
  const present = v.workstream.lxpIds.filter((id) => m.attendance[id] && attended(m.attendance[id]));
  const confirmed = v.workstream.lxpIds.some((id) => m.attendance[id]?.confirmed);
  const n = v.contributions;
  return renderCard('meeting-closed', {
    meeting: plain(m.title),
    meetingId: m.id,
    workstream: plain(v.workstream.name),
    notice: v.notice ?? '',
    how: howItEnded(m, v.names, v.timeZone),
    posted: `The minutes were posted in the meeting chat, with ${n ? `${n} contribution${n === 1 ? '' : 's'} from LXPs` : 'no contributions from LXPs'}.`,
    checks: v.checked.length ? `Asked to check what was recorded from them: ${v.checked.map((id) => plain(v.names(id))).join(', ')}.` : 'No LXP had anything to check.',
    attendanceIntro: v.workstream.lxpIds.length === 0
      ? `${plain(v.workstream.name)} has no LXPs.`
      : confirmed
        ? 'Attendance as you confirmed it. Change the ticks and save again if it is wrong.'
        : 'Ticked from what Teams said about people joining and leaving; people who joined by phone or as guests, or a chat with no meeting events, are not ticked. Tick everyone who was here and save: it is recorded as confirmed by you, for involvement payments.',
    hasLxps: v.workstream.lxpIds.length > 0,
    present: present.join(','),
    lxps: v.workstream.lxpIds.map((id) => ({ id, name: plain(v.names(id)) })),
  });
}
