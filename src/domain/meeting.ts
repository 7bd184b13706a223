import type { Doc } from './ports';

export interface AttendanceSpan {
  joinedAt: string;
  leftAt?: string;
}

/** The chair's word on whether someone was there; it overrides what join and leave events said. */
export interface AttendanceConfirmation {
  present: boolean;
  by: string;
  at: string;
}

/** Who ended a meeting: Teams' meetingEnd event, the scheduler after a meeting was left open, or a person (their id). */
export type EndedBy = 'teams' | 'scheduler' | { personId: string };

export interface Meeting extends Doc {
  type: 'meeting';
  /** The meeting chat's conversation id; the bot posts there. */
  conversationId: string;
  /** Teams' meeting id from channelData.meeting.id, when known. */
  teamsMeetingId?: string;
  workstreamId?: string;
  title: string;
  startedAt?: string;
  /** From the meeting details Teams returns, when it does; a chat session has none. */
  scheduledEnd?: string;
  endedAt?: string;
  endedBy?: EndedBy;
  chairId?: string;
  /** The organiser's Entra object id, from Teams' meeting details. */
  organiserId?: string;
  /** Microsoft Graph's onlineMeeting id (meeting details' msGraphResourceId): where the transcript is read (issue 24). */
  graphMeetingId?: string;
  /** How many messages the chair's suggestions from the transcript took (a count only; nothing of the transcript is kept). */
  suggestionParts?: number;
  aim?: { text: string; by: string; at: string };
  review?: { result: 'met' | 'partly' | 'not_met'; nextSteps: string; by: string; at: string };
  attendance: Record<string, { name: string; spans: AttendanceSpan[]; confirmed?: AttendanceConfirmation }>;
  minutes?: { postedAt: string; activityId?: string; confirmedBy?: string; confirmedAt?: string };
  checksSentAt?: string;
  createdAt: string;
}

/** Minutes present, counting open spans up to `until` (the meeting end, or now). */
export function minutesPresent(spans: AttendanceSpan[], until: Date): number {
  let ms = 0;
  for (const s of spans) {
    const start = Date.parse(s.joinedAt);
    const end = s.leftAt ? Date.parse(s.leftAt) : until.getTime();
    if (end > start) ms += end - start;
  }
  return Math.round(ms / 60000);
}

/** Whether someone counts as having attended: the chair's confirmation when there is one, else any join event. */
export function attended(a: { spans: AttendanceSpan[]; confirmed?: AttendanceConfirmation }): boolean {
  return a.confirmed ? a.confirmed.present : a.spans.length > 0;
}
