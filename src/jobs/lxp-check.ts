import type { JobHandler } from './job-handler';
import { contributionsOfMeeting } from '../commands/contributions';
import { namesFor } from '../commands/names';
import { lxpCheckCard } from '../presenters/meeting';
import { updateWithRetry } from '../domain/ports';
import { scheduleJob } from './schedule';
import { whyUnreachable } from './unreachable';

/** After a meeting: "Here is what was recorded from you", 1:1 to each LXP, built from current data. */
export const lxpCheckHandler: JobHandler = {
  async plan(deps, job) {
    const meetingId = String(job.payload.meetingId ?? '');
    const meeting = await deps.stores.meetings.get(job.tenantId, meetingId);
    if (!meeting) return undefined;
    const all = await contributionsOfMeeting(deps, job.tenantId, meetingId);
    const mine = all.filter((c) => c.lxpIds.includes(job.subjectId) && c.status !== 'withdrawn');
    if (mine.length === 0) return undefined;
    const names = await namesFor(deps, job.tenantId, mine.flatMap((c) => c.lxpIds));
    const card = lxpCheckCard(meeting, all, { id: job.subjectId, programme: false }, names, deps.settings.timeZone);
    return { to: { kind: 'person', personId: job.subjectId }, message: { card, summary: `What was recorded from you in ${meeting.title}` } };
  },
  async sent(deps, job) {
    const meetingId = String(job.payload.meetingId ?? '');
    const now = deps.clock.now().toISOString();
    await updateWithRetry(deps.stores.meetings, job.tenantId, meetingId, (m) => (m.checksSentAt ? undefined : { ...m, checksSentAt: now }));
  },
  /** The record stays unconfirmed; the chair is told who could not be reached (the programme team is told by the scheduler). */
  async unreachable(deps, job, scheduledAt, reason) {
    const meeting = await deps.stores.meetings.get(job.tenantId, String(job.payload.meetingId ?? ''));
    if (!meeting?.chairId) return;
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    await scheduleJob(deps, {
      tenantId: job.tenantId,
      kind: 'notify',
      subjectId: job.subjectId,
      key: `check-unreachable:${meeting.id}:${meeting.chairId}`,
      runAt: scheduledAt,
      payload: {
        to: { kind: 'person', personId: meeting.chairId },
        template: 'notice',
        data: {
          title: 'An LXP could not be asked to check their record',
          text: `I could not reach ${person?.name ?? 'an LXP'} to check what was recorded from them in ${meeting.title}: ${whyUnreachable(reason)} Their contributions stay unconfirmed until they can check them.`,
          facts: [],
        },
      },
    });
  },
};
