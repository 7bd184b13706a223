import { formatInTimeZone } from 'date-fns-tz';
import { programmeHolding } from '../commands/personal';
import { endMeetingAsChair, type Closed } from '../commands/meetings';
import { closedView, confirmAttendance, flagAttendance } from '../commands/meeting-end';
import { meetingClosedCard } from '../presenters/meeting-closed';
import type { Payload } from './payloads';
import { answer, say, type Out } from './reply';
import type { AppDeps, UseCase } from './route';
import { chatOf, isShared } from './turn';

function told(deps: AppDeps, closed: Closed): string {
  if (closed.first) {
    return 'Meeting ended. The minutes are being posted here, each LXP will be asked to check what was recorded from them, and I have sent you the attendance to confirm.';
  }
  const at = closed.meeting.endedAt ? formatInTimeZone(new Date(closed.meeting.endedAt), deps.settings.timeZone, "HH:mm 'on' d MMMM") : 'earlier';
  return `This meeting already ended (${at}); its minutes were posted then, once. Mention me with "log" to start a new session.`;
}

/** "End meeting and post minutes" on the meeting or log card: exactly what Teams' meetingEnd does, once, whichever comes first. */
export const onEndMeeting: UseCase<Payload<'meeting_end'>> = async (deps, turn, data) => {
  const closed = await endMeetingAsChair(deps, turn.caller, chatOf(turn), data.meetingId);
  return [answer(told(deps, closed))];
};

/** `end meeting` typed in the meeting chat (or the channel meeting's thread). */
export const onEndMeetingTyped: UseCase<string> = async (deps, turn) => {
  if (!isShared(turn)) return [say('Type "end meeting" in the meeting chat, mentioning me, to end that meeting and post its minutes.')];
  const closed = await endMeetingAsChair(deps, turn.caller, chatOf(turn));
  return [say(told(deps, closed))];
};

/** The end-of-meeting card's "Save attendance": recorded as confirmed by the chair; the same card comes back, saying so. */
export const onAttendanceConfirm: UseCase<Payload<'attendance_confirm'>> = async (deps, turn, data) => {
  await confirmAttendance(deps, turn.caller, data.meetingId, data.present);
  const view = await closedView(deps, turn.tenantId, data.meetingId);
  const notice = 'Saved: attendance is recorded as confirmed by you.';
  // The card names LXPs: in a shared chat the presser is told in text rather than the card being shown to all.
  if (!view || isShared(turn)) return [answer(notice)];
  return [answer(meetingClosedCard({ ...view, timeZone: deps.settings.timeZone, notice }))];
};

/** An LXP flags their attendance for a meeting as wrong, from their `attendance` card. */
export const onAttendanceFlag: UseCase<Payload<'attendance_flag'>> = async (deps, turn, data) => {
  // The cross-programme attendance card lists meetings of all the LXP's programmes: act in the one that holds it.
  const inside = await programmeHolding(deps, turn.caller, async (d) => !!(await d.stores.meetings.get(turn.tenantId, data.meetingId)));
  const meeting = await flagAttendance(inside, turn.caller, data.meetingId, data.note ?? '');
  const out: Out = answer(`Thank you. The programme team has been told that your attendance for ${meeting.title} looks wrong.`);
  return [out];
};
