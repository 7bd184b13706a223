import type { JobHandler } from './job-handler';
import { chairOf, closedView } from '../commands/meeting-end';
import { meetingClosedCard } from '../presenters/meeting-closed';

/**
 * The chair's end-of-meeting card, 1:1, once per meeting: how it ended, what was posted, who was asked to
 * check, and the LXPs' attendance to confirm. When the scheduler closed the meeting, this is how the chair hears.
 */
export const meetingClosedHandler: JobHandler = {
  async plan(deps, job) {
    const view = await closedView(deps, job.tenantId, String(job.payload.meetingId ?? job.subjectId));
    const chair = view && chairOf(view.meeting, view.workstream);
    if (!view || !chair) return undefined;
    const card = meetingClosedCard({ ...view, timeZone: deps.settings.timeZone });
    // It names LXPs (attendance, who was asked to check): remembered so a change to what they said, or `forget me`, draws it again.
    const shows = { view: { card: 'meeting_closed' as const, meetingId: view.meeting.id }, contributionIds: view.contributionIds };
    return { to: { kind: 'person', personId: chair }, message: { card, summary: `Meeting ended: ${view.meeting.title}` }, shows };
  },
};
