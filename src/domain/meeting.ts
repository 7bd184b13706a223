import type { Doc } from './ports';

export interface AttendanceSpan {
  joinedAt: string;
  leftAt?: string;
}

export interface Meeting extends Doc {
  type: 'meeting';
  /** The meeting chat's conversation id; the bot posts there. */
  conversationId: string;
  /** Teams' meeting id from channelData.meeting.id, when known. */
  teamsMeetingId?: string;
  workstreamId?: string;
  title: string;
  startedAt?: string;
  endedAt?: string;
  chairId?: string;
  organiserId?: string;
  aim?: { text: string; by: string; at: string };
  review?: { result: 'met' | 'partly' | 'not_met'; nextSteps: string; by: string; at: string };
  attendance: Record<string, { name: string; spans: AttendanceSpan[] }>;
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
