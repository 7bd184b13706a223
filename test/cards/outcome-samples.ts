/*
 * Samples for the closing-the-loop cards (ask-owner, you-said-we-did,
 * digest, answer-notice), in the shape of SAMPLES in ./samples.ts: spread
 * OUTCOME_SAMPLES into SAMPLES to validate them with the other cards.
 */
import { transition, type Contribution, type Outcome } from '../../src/domain/contribution';
import { answerNoticeData, askOwnerCard, digestCard, feedbackItem, youSaidWeDidCard } from '../../src/presenters/outcome';
import { renderCard } from '../../src/presenters/render-card';
import type { SampleBuilder, World } from './samples';

const DECIDED_AT = new Date('2026-03-23T14:00:00Z');
const typed = (w: World, s: string) => (w.typed ? `${s} ${w.typed}` : s);
const byKind = (w: World, kind: Contribution['kind']) => w.contributions.find((c) => c.kind === kind)!;
const owners = (w: World) => ['priya', 'jordan', 'dana'].map((id) => ({ id, name: w.names(id) }));

function withOutcome(w: World, c: Contribution, o: Partial<Outcome>): Contribution {
  const outcome: Outcome = { status: 'adopted', whatWeDid: typed(w, 'We recruited two peer supporters for the night shift, starting in May.'), decidedBy: 'chris', decidedAt: DECIDED_AT.toISOString(), ...o };
  return transition(c, { type: 'record_outcome', outcome, followUpAfterDue: '2026-04-06T09:00:00.000Z' }, 'chris', DECIDED_AT);
}

const adopted = (w: World) => withOutcome(w, byKind(w, 'suggestion'), { evidenceUrl: 'https://example.org/board/2026-03-23' });
const declined = (w: World) => withOutcome(w, byKind(w, 'challenge'), { status: 'not_taken_forward', reason: typed(w, 'The shared record system will not be ready before 2027.'), whatWeDid: typed(w, 'We raised it with the digital team.') });
const pending = (w: World) => withOutcome(w, byKind(w, 'suggestion'), { status: 'under_consideration', newDueAt: '2026-04-20T09:00:00.000Z', whatWeDid: typed(w, 'Costed; waiting for the budget decision.') });
const item = (w: World, c: Contribution, lxpId: string, detail: 'brief' | 'detailed', via: 'card' | 'digest' = 'card', answered?: 'helpful') =>
  feedbackItem({ contribution: c, outcome: c.outcomes[c.outcomes.length - 1], lxpId, names: w.names, detail, timeZone: w.timeZone, via, answered });
const ask = (w: World, c: Contribution, variant: 'ask' | 'reminder', reveal = false) =>
  askOwnerCard({ contribution: c, names: w.names, viewer: { id: c.ownerId, programme: false }, reveal, owners: owners(w), variant, workstream: w.workstream.name, now: DECIDED_AT, timeZone: w.timeZone });

export const OUTCOME_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'ask-owner': {
    'asked at the due date': (w) => ask(w, byKind(w, 'suggestion'), 'ask'),
    'a reminder about a personal story (hidden from the owner)': (w) => ask(w, byKind(w, 'personal_experience'), 'reminder'),
    'anonymous, the LXP lets the owner see': (w) => ask(w, byKind(w, 'challenge'), 'reminder', true),
    'asked again after "still under consideration"': (w) => ask(w, pending(w), 'ask'),
  },
  'you-said-we-did': {
    'detailed, adopted, with evidence': (w) => youSaidWeDidCard(item(w, adopted(w), 'sam', 'detailed')),
    'brief, not taken forward': (w) => youSaidWeDidCard(item(w, declined(w), 'alex', 'brief')),
    'after answering': (w) => youSaidWeDidCard(item(w, adopted(w), 'sam', 'detailed', 'card', 'helpful'), 'Thank you for telling us.'),
  },
  digest: {
    'a week with two outcomes': (w) => digestCard('weekly', new Date('2026-03-23T09:00:00Z'), new Date('2026-03-30T08:00:00Z'), [item(w, adopted(w), 'sam', 'detailed', 'digest'), item(w, pending(w), 'sam', 'detailed', 'digest')], w.timeZone),
  },
  'answer-notice': {
    'to the owner: anonymous stays anonymous': (w) =>
      renderCard('answer-notice', answerNoticeData({ contribution: declined(w), answer: 'does_not_reflect', who: 'An LXP', viewer: { id: 'chris', programme: false }, audience: 'owner', timeZone: w.timeZone })),
    'to the programme team: wants to talk': (w) =>
      renderCard('answer-notice', answerNoticeData({ contribution: adopted(w), answer: 'want_to_talk', who: w.names('sam'), viewer: { id: 'jordan', programme: true }, audience: 'team', timeZone: w.timeZone })),
  },
};
