import { formatDay } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import { plain, renderCard } from './render-card';

export interface NothingRecordedView {
  meeting: Meeting;
  /** The end of LOG_GRACE: until when they can add to the meeting. */
  until: Date;
  timeZone: string;
}

/**
 * 1:1 to an LXP who attended a meeting and has nothing in its record: said plainly, blaming nobody, with the way
 * to add something ("Add something to the record" opens the same card as on the check card).
 */
export function nothingRecordedCard(v: NothingRecordedView) {
  return renderCard('nothing-recorded', {
    meeting: plain(v.meeting.title),
    meetingId: v.meeting.id,
    date: formatDay(v.meeting.startedAt ?? v.meeting.createdAt, v.timeZone),
    until: formatDay(v.until, v.timeZone),
  });
}
