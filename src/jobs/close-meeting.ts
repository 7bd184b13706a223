import type { JobHandler } from './job-handler';
import { closeMeeting, closesAt, queueClose } from '../commands/meetings';

/**
 * A meeting nobody ended (no meetingEnd from Teams, no "End meeting" from the chair) is closed when
 * closesAt says, exactly as the chair's button would close it. The job has nothing of its own to send: the
 * close queues the minutes, the LXPs' checks and the chair's end-of-meeting card, which says the scheduler
 * closed it. If the meeting's schedule became known after this job was queued, it is queued again for then.
 */
export const closeMeetingHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const meeting = await deps.stores.meetings.get(job.tenantId, job.subjectId);
    if (!meeting || meeting.endedAt) return undefined;
    if (closesAt(deps, meeting) > scheduledAt) {
      await queueClose(deps, meeting);
      return undefined;
    }
    // Ended at its scheduled end when it had one, so nobody still "in" it is counted as present for the extra hour.
    const end = meeting.scheduledEnd && meeting.scheduledEnd > (meeting.startedAt ?? meeting.createdAt) ? meeting.scheduledEnd : undefined;
    await closeMeeting(deps, job.tenantId, meeting.id, 'scheduler', end);
    return undefined;
  },
};
