import type { Recipient } from '../domain/ports';
import type { ContributionProposal } from '../domain/proposals';
import { carryAgendaItems, lxpWorkstreams, reviewOf, waitingAgendaItems } from '../commands/proposals';
import { agendaCarriedNotice, proposalReviewCard } from '../presenters/proposals';
import type { JobHandler } from './job-handler';
import { scheduleJob } from './schedule';

/**
 * An LXP's addition to the record: to the chair, the review card (while it is still with them); to the LXP,
 * the chair's decision with its reason. Built from the proposal as it is when sent.
 */
export const proposalNoticeHandler: JobHandler = {
  recipient(job) {
    return job.payload.to as Recipient;
  },
  async plan(deps, job) {
    const doc = await deps.stores.proposals.get(job.tenantId, job.subjectId);
    const to = job.payload.to as Recipient;
    if (doc?.type !== 'contribution_proposal' || to.kind !== 'person') return undefined;
    const p: ContributionProposal = doc;
    if (job.payload.about === 'decided') {
      if (to.personId !== p.lxpId || p.status === 'pending') return undefined;
      const card = proposalReviewCard({ ...(await reviewOf(deps, job.tenantId, p, to.personId)), forLxp: true });
      return { to, message: { card, summary: p.status === 'accepted' ? 'Added to the record' : 'Not added to the record' } };
    }
    // Decided (or withdrawn) since: nothing to ask the chair any more.
    if (p.status !== 'pending') return undefined;
    const card = proposalReviewCard(await reviewOf(deps, job.tenantId, p, to.personId));
    return { to, message: { card, summary: 'An LXP wants to add to the record' } };
  },
};

/**
 * At a meeting's end: agenda items offered there and not taken are carried past it (once), and each LXP is
 * told, one notice per item and meeting, so a second run sends nothing more.
 */
export const agendaCarryHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const carried = await carryAgendaItems(deps, job.tenantId, job.subjectId);
    const meeting = await deps.stores.meetings.get(job.tenantId, job.subjectId);
    if (!meeting) return undefined;
    for (const p of carried) {
      const lxp = { id: p.lxpId, tenantId: job.tenantId, name: '' };
      const view = { workstreams: await lxpWorkstreams(deps, lxp), waiting: await waitingAgendaItems(deps, lxp), submissionId: `carried:${p.id}:${meeting.id}` };
      await scheduleJob(deps, {
        tenantId: job.tenantId,
        kind: 'notify',
        subjectId: p.lxpId,
        key: `agenda-carried:${p.id}:${meeting.id}`,
        runAt: scheduledAt,
        payload: { to: { kind: 'person', personId: p.lxpId }, template: 'propose-agenda-item', summary: 'Your agenda item is carried to the next meeting', data: agendaCarriedNotice(p, meeting, view, deps.settings.timeZone) },
      });
    }
    if (carried.length) deps.queue.runSoon();
    return undefined;
  },
};
