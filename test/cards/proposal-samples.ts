/*
 * Samples for the cards of an LXP's own additions and agenda items (issue 22), in the shape of SAMPLES in
 * test/cards/samples.ts, which spreads PROPOSAL_SAMPLES in: the first variant of each is the one drawn in docs/cards/.
 */
import { proposeAgendaItem, proposeContribution, transitionAgenda, transitionProposal } from '../../src/domain/proposals';
import { meetingStartCard } from '../../src/presenters/meeting';
import { PROPOSAL_CARDS, agendaCarriedNotice, meetingAgenda, proposalReviewCard, proposeAgendaCard, proposeContributionCard } from '../../src/presenters/proposals';
import { renderCard } from '../../src/presenters/render-card';
import { nothingRecordedCard } from '../../src/presenters/nothing-recorded';
import type { SampleBuilder, World } from './samples';

const at = new Date('2026-03-10T12:00:00Z');

function proposals(w: World) {
  const typed = w.typed ? ` ${w.typed}` : '';
  const p = proposeContribution({ submissionId: 's1', tenantId: w.workstream.tenantId, lxpId: 'sam', words: `Nobody asked about carers at night${typed}`, kind: 'suggestion', priorityAreaIds: ['pa-night'], attribution: 'as_chosen', restriction: 'as_kind' }, w.meeting, w.workstream, at);
  const story = proposeContribution({ submissionId: 's2', tenantId: w.workstream.tenantId, lxpId: 'sam', words: `When I was on the ward${typed}`, kind: 'personal_experience', priorityAreaIds: [], attribution: 'as_chosen', restriction: 'as_kind' }, w.meeting, w.workstream, at);
  const declined = transitionProposal(p, { type: 'decline', reason: `Alex said it and it is recorded${typed}` }, 'chris', at);
  const accepted = transitionProposal(p, { type: 'accept', contributionId: 'c-1' }, 'chris', at);
  const item = proposeAgendaItem({ submissionId: 'g1', tenantId: w.workstream.tenantId, lxpId: 'sam', title: `Peer support on the ward${typed}`, note: `Ten minutes is enough${typed}` }, w.workstream, [], at);
  const other = proposeAgendaItem({ submissionId: 'g2', tenantId: w.workstream.tenantId, lxpId: 'alex', title: `Night buses to the unit${typed}` }, w.workstream, [], at);
  const carried = transitionAgenda(item, { type: 'carry', meetingId: 'm0' }, 'system', at);
  const taken = transitionAgenda(other, { type: 'take', meetingId: w.meeting.id, contributionId: 'c-2' }, 'chris', at);
  return { p, story, declined, accepted, item, other, carried, taken };
}

const review = (w: World, proposal: ReturnType<typeof proposals>['p'], extra: { anonymous?: boolean; forLxp?: boolean } = {}) =>
  proposalReviewCard({ proposal, workstream: w.workstream, names: w.names, anonymous: !!extra.anonymous, readerIsProgramme: false, defaultOwnerId: 'chris', defaultDue: '2026-03-23', timeZone: w.timeZone, forLxp: extra.forLxp });

export const PROPOSAL_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'propose-contribution': {
    new: (w) => proposeContributionCard({ meeting: w.meeting, workstream: w.workstream, submissionId: 'sub-1', until: new Date('2026-03-16T11:30:00Z'), timeZone: w.timeZone }),
  },
  'proposal-review': {
    'to the chair': (w) => review(w, proposals(w).p),
    'a restricted story from an anonymous LXP': (w) => review(w, proposals(w).story, { anonymous: true }),
    'declined, as the LXP is told': (w) => review(w, proposals(w).declined, { forLxp: true }),
    'accepted, as the LXP is told': (w) => review(w, proposals(w).accepted, { forLxp: true }),
  },
  'nothing-recorded': {
    'attended, nothing recorded': (w) => nothingRecordedCard({ meeting: w.meeting, until: new Date('2026-03-16T11:00:00Z'), timeZone: w.timeZone }),
  },
  'propose-agenda-item': {
    'with one carried': (w) => proposeAgendaCard({ workstreams: [w.workstream, w.otherWorkstream], waiting: [proposals(w).carried], submissionId: 'sub-2' }),
    'carried past a meeting, as the LXP is told': (w) =>
      renderCard(PROPOSAL_CARDS.agenda, agendaCarriedNotice(proposals(w).carried, w.meeting, { workstreams: [w.workstream], waiting: [proposals(w).carried], submissionId: 'sub-4' }, w.timeZone)),
    'nothing waiting': (w) => proposeAgendaCard({ workstreams: [w.workstream], waiting: [], submissionId: 'sub-3' }),
  },
  'meeting-start': {
    'two agenda items from LXPs, one taken': (w) => {
      const { item, other, taken } = proposals(w);
      return meetingStartCard(w.meeting, w.workstream, w.names, 0, meetingAgenda(w.meeting.id, [item, { ...other, id: 'a-3', title: `Discharge letters${w.typed ? ` ${w.typed}` : ''}` }], [taken], w.names));
    },
  },
};
