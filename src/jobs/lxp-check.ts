import type { JobHandler, JobPlan } from './job-handler';
import { contributionsOfMeeting } from '../commands/contributions';
import { namesFor } from '../commands/names';
import { checkParts, lxpCheckCard } from '../presenters/meeting';
import type { Contribution } from '../domain/contribution';
import type { Deps } from '../commands/deps';
import type { Job } from '../domain/job';
import { updateWithRetry } from '../domain/ports';
import { scheduleJob } from './schedule';
import { getWorkstream } from '../commands/setup';
import { DomainError } from '../domain/errors';
import { addLocal } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import { checkMayProposeContribution } from '../domain/proposals';
import { nothingRecordedCard } from '../presenters/nothing-recorded';
import { whyUnreachable } from './unreachable';

/**
 * The part of the LXP's contributions this job sends: the one in its payload (0 for the first job), or the next
 * after it that still has something to check. A part whose items were all withdrawn meanwhile is passed over.
 */
async function partToSend(deps: Deps, job: Job): Promise<{ index: number; of: number; all: Contribution[]; shown: Contribution[] } | undefined> {
  const all = await contributionsOfMeeting(deps, job.tenantId, String(job.payload.meetingId ?? ''));
  const parts = checkParts(all, job.subjectId);
  for (let index = Number(job.payload.part ?? 0); index < parts.length; index++) {
    if (parts[index].some((c) => c.status !== 'withdrawn')) return { index, of: parts.length, all, shown: parts[index] };
  }
  return undefined;
}

/**
 * Nothing of theirs was ever in the record: "Nothing was recorded from you", with "Add something to the record", when
 * they are still an LXP of the workstream, attended (the chair's "not here" wins over Teams' events) and can
 * still add to the meeting (LOG_GRACE); otherwise nothing is sent.
 */
async function nothingRecorded(deps: Deps, job: Job, meeting: Meeting, at: Date): Promise<JobPlan | undefined> {
  // Something of theirs was recorded since it was queued (by the chair, or from the transcript): their check says so.
  // Withdrawn since counts too: they were sent a check card for it, which "nothing was recorded" would contradict.
  const all = await contributionsOfMeeting(deps, job.tenantId, meeting.id);
  if (all.some((c) => c.lxpIds.includes(job.subjectId))) return undefined;
  // They have already used "Add something to the record" for this meeting (the day's wait after a transcribed one).
  const added = await deps.stores.proposals.query(job.tenantId, [{ field: 'type', op: '=', value: 'contribution_proposal' }, { field: 'meetingId', op: '=', value: meeting.id }, { field: 'lxpId', op: '=', value: job.subjectId }], { pageSize: 1 });
  if (added.items.length) return undefined;
  const workstream = meeting.workstreamId ? await getWorkstream(deps, job.tenantId, meeting.workstreamId).catch(() => undefined) : undefined;
  const { logGrace, timeZone } = deps.settings;
  try {
    checkMayProposeContribution(meeting, workstream, job.subjectId, at, logGrace, timeZone);
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
  const card = nothingRecordedCard({ meeting, until: addLocal(new Date(meeting.endedAt!), logGrace, timeZone), timeZone });
  return { to: { kind: 'person', personId: job.subjectId }, message: { card, summary: `Nothing was recorded from you in ${meeting.title}` } };
}

/**
 * After a meeting: "Here is what was recorded from you", 1:1 to each LXP, built from current data. An LXP with
 * more than one message's worth (checkParts) gets them one message after another: each sent part schedules the
 * next, so they arrive in order, and scheduling it twice makes one job.
 */
export const lxpCheckHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const meeting = await deps.stores.meetings.get(job.tenantId, String(job.payload.meetingId ?? ''));
    if (!meeting) return undefined;
    if (job.payload.nothingRecorded) return nothingRecorded(deps, job, meeting, scheduledAt);
    const part = await partToSend(deps, job);
    if (!part) return undefined;
    const names = await namesFor(deps, job.tenantId, part.shown.flatMap((c) => c.lxpIds));
    const card = lxpCheckCard(meeting, part.all, { id: job.subjectId, programme: false }, names, deps.settings.timeZone, '', part.index);
    const summary = part.of > 1 ? `What was recorded from you in ${meeting.title} (part ${part.index + 1} of ${part.of})` : `What was recorded from you in ${meeting.title}`;
    return { to: { kind: 'person', personId: job.subjectId }, message: { card, summary } };
  },
  async sent(deps, job) {
    if (job.payload.nothingRecorded) return;
    const meetingId = String(job.payload.meetingId ?? '');
    const now = deps.clock.now();
    await updateWithRetry(deps.stores.meetings, job.tenantId, meetingId, (m) => (m.checksSentAt ? undefined : { ...m, checksSentAt: now.toISOString() }));
    const part = await partToSend(deps, job);
    if (part && part.index + 1 < part.of) {
      const next = part.index + 1;
      await scheduleJob(deps, { tenantId: job.tenantId, kind: 'lxp_check', subjectId: job.subjectId, key: `${meetingId}:part${next + 1}`, runAt: now, payload: { meetingId, part: next } });
      deps.queue.runSoon();
    }
  },
  /** The record stays unconfirmed; the chair is told who could not be reached (the programme team is told by the scheduler). */
  async unreachable(deps, job, scheduledAt, reason) {
    const meeting = await deps.stores.meetings.get(job.tenantId, String(job.payload.meetingId ?? ''));
    // The job was to say nothing was recorded: nothing stays unconfirmed to tell the chair of.
    if (!meeting?.chairId || job.payload.nothingRecorded) return;
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
