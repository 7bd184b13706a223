import type { Recipient } from '../domain/ports';
import type { Deps } from '../commands/deps';
import { agendaStartView, carryAgendaItems, lxpWorkstreams, reviewOf, waitingAgendaItems } from '../commands/proposals';
import { agendaCarriedNotice, agendaNotesCard, proposalReviewCard } from '../presenters/proposals';
import type { JobHandler } from './job-handler';
import { scheduleJob } from './schedule';

/** The review card (or, forLxp, the decision) as it is now, for one reader; undefined once the proposal has gone. */
export async function proposalMessage(deps: Deps, tenantId: string, proposalId: string, personId: string, forLxp: boolean) {
  const p = await deps.stores.proposals.get(tenantId, proposalId);
  if (p?.type !== 'contribution_proposal') return undefined;
  const card = proposalReviewCard({ ...(await reviewOf(deps, tenantId, p, personId)), forLxp });
  const summary = !forLxp ? 'An LXP wants to add to the record' : p.status === 'accepted' ? 'Added to the record' : 'Not added to the record';
  return { p, card, summary, shows: { view: { card: 'proposal' as const, proposalId: p.id, forLxp }, contributionIds: [p.id, ...(p.contributionId ? [p.contributionId] : [])] } };
}

/** The chair's notes card for a meeting's agenda, as it is now; undefined once the meeting has gone. */
export async function agendaNotesMessage(deps: Deps, tenantId: string, meetingId: string) {
  const meeting = await deps.stores.meetings.get(tenantId, meetingId);
  if (!meeting?.workstreamId) return undefined;
  const { waiting, names, anonymous } = await agendaStartView(deps, meeting);
  return { card: agendaNotesCard(meeting, waiting, names, anonymous), summary: `Agenda items for ${meeting.title}`, ids: waiting.map((p) => p.id) };
}

/**
 * An LXP's addition to the record: to the chair, the review card (while it is still with them); to the LXP,
 * the chair's decision with its reason; to the chair at a meeting's start, the notes on its agenda items.
 * Built from the record as it is when sent, and remembered (`shows`) so a change, a withdrawal or forget me
 * draws it again.
 */
export const proposalNoticeHandler: JobHandler = {
  recipient(job) {
    return job.payload.to as Recipient;
  },
  async plan(deps, job) {
    const to = job.payload.to as Recipient;
    if (to.kind !== 'person') return undefined;
    if (job.payload.about === 'agenda_notes') {
      const notes = await agendaNotesMessage(deps, job.tenantId, job.subjectId);
      if (!notes || !notes.ids.length) return undefined;
      return { to, message: { card: notes.card, summary: notes.summary }, shows: { view: { card: 'agenda_notes', meetingId: job.subjectId }, contributionIds: notes.ids } };
    }
    const forLxp = job.payload.about === 'decided';
    const drawn = await proposalMessage(deps, job.tenantId, job.subjectId, to.personId, forLxp);
    if (!drawn) return undefined;
    // To the LXP once decided; to the chair while it is still with them.
    if (forLxp ? to.personId !== drawn.p.lxpId || drawn.p.status === 'pending' : drawn.p.status !== 'pending') return undefined;
    return { to, message: { card: drawn.card, summary: drawn.summary }, shows: drawn.shows };
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
