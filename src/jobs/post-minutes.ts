import type { JobHandler } from './job-handler';
import { minutesOf } from '../commands/meeting-views';
import { getWorkstream } from '../commands/setup';
import { minutesCards } from '../presenters/meeting';
import { updateWithRetry } from '../domain/ports';
import type { Deps } from '../commands/deps';
import type { Job } from '../domain/job';
import type { Meeting } from '../domain/meeting';
import { scheduleJob } from './schedule';

const meetingIdOf = (job: Job) => String(job.payload.meetingId ?? job.subjectId);

/** The minutes' messages, and every contribution they show (read once for both). */
async function minutesFor(deps: Deps, meeting: Meeting) {
  const workstream = await getWorkstream(deps, meeting.tenantId, meeting.workstreamId!);
  const { contributions, carried, names } = await minutesOf(deps, meeting);
  return { cards: minutesCards(meeting, workstream, contributions, names, deps.settings.timeZone, carried), shown: [...contributions, ...carried].map((c) => c.id) };
}

/**
 * The minutes, posted in the meeting chat (or the channel meeting's thread) once the meeting has ended, however
 * it ended (see closeMeeting). They are built when sent, from current data. Minutes that need several messages
 * go one part per job, each sent part queuing the next, so the parts arrive in order and each once.
 */
export const postMinutesHandler: JobHandler = {
  async plan(deps, job) {
    const meeting = await deps.stores.meetings.get(job.tenantId, meetingIdOf(job));
    if (!meeting?.endedAt || !meeting.workstreamId) return undefined;
    const { cards, shown } = await minutesFor(deps, meeting);
    const part = Number(job.payload.part ?? 0);
    if (part >= cards.length) return undefined;
    const summary = cards.length > 1 ? `Minutes of ${meeting.title} (part ${part + 1} of ${cards.length})` : `Minutes of ${meeting.title}`;
    // What the part shows, so it is updated when one of them changes (issue 20); every part depends on every item.
    const shows = { view: { card: 'minutes' as const, meetingId: meeting.id, part }, contributionIds: shown };
    return { to: { kind: 'chat', conversationId: meeting.conversationId }, message: { card: cards[part], summary }, shows };
  },
  async sent(deps, job, _scheduledAt, result) {
    const meetingId = meetingIdOf(job);
    const part = Number(job.payload.part ?? 0);
    const now = deps.clock.now();
    if (part === 0) {
      // The first message carries the buttons and is the one later updated: its id is kept with the meeting.
      await updateWithRetry(deps.stores.meetings, job.tenantId, meetingId, (m) =>
        m.minutes?.activityId ? undefined : { ...m, minutes: { ...m.minutes, postedAt: m.minutes?.postedAt ?? now.toISOString(), activityId: result.activityId } },
      );
    }
    const meeting = await deps.stores.meetings.get(job.tenantId, meetingId);
    if (!meeting) return;
    const { cards } = await minutesFor(deps, meeting);
    if (part + 1 < cards.length) {
      await scheduleJob(deps, { tenantId: job.tenantId, kind: 'post_minutes', subjectId: meetingId, key: `${meetingId}:part${part + 2}`, runAt: now, payload: { meetingId, part: part + 1 } });
      deps.queue.runSoon();
    }
  },
};
