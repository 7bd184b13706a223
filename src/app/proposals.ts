import { randomUUID } from 'node:crypto';
import {
  acceptProposal, agendaStartView, declineProposal, queueAgendaNotes, lxpWorkstreams, proposalForm, proposeAgendaItem, proposeContribution, reviewOf, takeAgendaItem, waitingAgendaItems, withdrawProposal,
} from '../commands/proposals';
import { getWorkstream } from '../commands/setup';
import { getMeeting } from '../commands/meeting-record';
import type { Meeting } from '../domain/meeting';
import type { Shows } from '../domain/shown';
import type { CardJson } from '../presenters/render-card';
import { meetingStartCard } from '../presenters/meeting';
import { meetingAgenda, proposalReviewCard, proposeAgendaCard, proposeContributionCard } from '../presenters/proposals';
import type { Payload } from './payloads';
import { answer, say, show, toAsker } from './reply';
import type { AppDeps, UseCase } from './route';
import { isShared, type Turn } from './turn';

/**
 * Issue 22: the LXP adds something to the record after a meeting (the chair accepts or declines it), and proposes
 * agenda items the chair sees and takes at the start of the next meeting.
 */

const tz = (deps: AppDeps) => deps.settings.timeZone;

async function proposeCard(deps: AppDeps, turn: Turn, meetingId?: string) {
  const { meeting, workstream, until } = await proposalForm(deps, turn.caller, meetingId);
  return proposeContributionCard({ meeting, workstream, until, submissionId: randomUUID(), timeZone: tz(deps) });
}

/** `add to the record`: the card for the latest meeting the LXP attended and may still add to; private, so 1:1. */
export const onAddToRecord: UseCase<string> = async (deps, turn) => [
  toAsker(isShared(turn), await proposeCard(deps, turn), 'Add something to the record', 'add to the record', 'What you add goes to the chair first: I have sent the card to you in our personal chat.'),
];

/** "Add something to the record" on the LXP's check card after a meeting. */
export const onProposalOpen: UseCase<Payload<'proposal_open'>> = async (deps, turn, data) => [answer(await proposeCard(deps, turn, data.meetingId))];

/** Sent: said where they pressed, and their card of it follows, with "Take it back" while it is with the chair (redrawn as it changes). */
export const onProposalSubmit: UseCase<Payload<'proposal_submit'>> = async (deps, turn, data) => {
  const { proposal, alreadySaved } = await proposeContribution(deps, turn.caller, data);
  if (alreadySaved) return [answer('This was already sent to the chair; it is saved once.')];
  const card = proposalReviewCard({ ...(await reviewOf(deps, turn.tenantId, proposal, turn.caller.id)), forLxp: true });
  return [answer('Sent to the chair. You will be told when they add it to the record, or why not.'), show(card, { view: { card: 'proposal', proposalId: proposal.id, forLxp: true }, contributionIds: [proposal.id] })];
};

/** The LXP takes back their own addition (while with the chair) or agenda item (while waiting). */
export const onProposalWithdraw: UseCase<Payload<'proposal_withdraw'>> = async (deps, turn, data) => {
  const { item, alreadyDone } = await withdrawProposal(deps, turn.caller, data.proposalId);
  const what = item.type === 'contribution_proposal' ? 'The chair no longer sees it, and what you wrote is erased.' : 'It is no longer on the agenda, and what you wrote is erased.';
  return [answer(alreadyDone ? `You had already taken this back. ${what}` : `Taken back. ${what}`)];
};

const areasOf = (v: string | string[] | undefined) => (v === undefined ? undefined : (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

/** What the chair is told, and the review card again, decided: remembered, so a withdrawal or forget me draws it again. */
async function withReviewCard(deps: AppDeps, turn: Turn, proposalId: string, said: string) {
  const p = await deps.stores.proposals.get(turn.tenantId, proposalId);
  if (p?.type !== 'contribution_proposal') return [answer(said)];
  const card = proposalReviewCard(await reviewOf(deps, turn.tenantId, p, turn.caller.id));
  return [answer(said), show(card, { view: { card: 'proposal', proposalId, forLxp: false }, contributionIds: [proposalId, ...(p.contributionId ? [p.contributionId] : [])] })];
}

/** The chair adds it to the record, choosing owner and due date; the same card comes back, decided. */
export const onProposalAccept: UseCase<Payload<'proposal_accept'>> = async (deps, turn, data) => {
  const r = await acceptProposal(deps, turn.caller, data.proposalId, { ownerId: data.ownerId, dueDate: data.dueDate, priorityAreaIds: areasOf(data.priorityAreaIds) });
  const said = r.alreadyDone ? 'This was already added to the record (once).' : 'Added to the record, marked as added by the LXP. They have been told.';
  return withReviewCard(deps, turn, data.proposalId, said);
};

export const onProposalDecline: UseCase<Payload<'proposal_decline'>> = async (deps, turn, data) => {
  const r = await declineProposal(deps, turn.caller, data.proposalId, data.reason ?? '');
  const said = r.alreadyDone ? 'This was already marked as not added (once). The LXP has been told, with the reason.' : 'Not added. The LXP has been told, with your reason.';
  return withReviewCard(deps, turn, data.proposalId, said);
};

async function agendaCard(deps: AppDeps, turn: Turn) {
  const workstreams = await lxpWorkstreams(deps, turn.caller);
  if (!workstreams.length) return undefined;
  return proposeAgendaCard({ workstreams, waiting: await waitingAgendaItems(deps, turn.caller), submissionId: randomUUID() });
}

/** `propose agenda item`: for an LXP, the card to propose one and what is waiting. */
export const onProposeAgendaTyped: UseCase<string> = async (deps, turn) => {
  const card = await agendaCard(deps, turn);
  if (!card) return [say('Agenda items are proposed by the LXPs of a workstream. The programme team can add you to one.')];
  return [toAsker(isShared(turn), card, 'Propose an agenda item', 'propose agenda item', 'I have sent you the agenda item card in our personal chat.')];
};

export const onAgendaPropose: UseCase<Payload<'agenda_propose'>> = async (deps, turn, data) => {
  const { item, alreadySaved } = await proposeAgendaItem(deps, turn.caller, data);
  const ws = await getWorkstream(deps, turn.tenantId, item.workstreamId);
  const said = alreadySaved ? 'This agenda item was already proposed; it is saved once.' : `Proposed. The chair of ${ws.name} sees it at the start of the next meeting; if it is not taken, it is carried to the one after and you are told.`;
  return [answer(said)];
};

/**
 * The meeting card at the start, with its agenda items (drawn again after one is taken, withdrawn or its LXP
 * forgotten: it is remembered as a `shown` message). The notes on the items go to the chair 1:1, once per meeting.
 */
export async function meetingStartWithAgenda(deps: AppDeps, meeting: Meeting): Promise<[CardJson, Shows]> {
  const { workstream, waiting, taken, names, anonymous, ids } = await agendaStartView(deps, meeting);
  await queueAgendaNotes(deps, meeting, waiting);
  return [meetingStartCard(meeting, workstream, names, 0, meetingAgenda(meeting.id, waiting, taken, names, anonymous)), { view: { card: 'meeting_start', meetingId: meeting.id }, contributionIds: ids }];
}

/** "Take: led by Sam" on the meeting card: "led an agenda item" is recorded for Sam in this meeting, once. */
export const onAgendaTake: UseCase<Payload<'agenda_take'>> = async (deps, turn, data) => {
  await takeAgendaItem(deps, turn.caller, data.meetingId, data.proposalId);
  return [answer(...(await meetingStartWithAgenda(deps, await getMeeting(deps, turn.tenantId, data.meetingId))))];
};
