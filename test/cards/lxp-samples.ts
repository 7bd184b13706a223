/*
 * Samples for the cards issue 22 wires here (answers in the LXP's own words, the owner's reply, my impact,
 * pausing), in the shape of SAMPLES in test/cards/samples.ts, which spreads LXP_SAMPLES in: the first
 * variant of each new card is the one drawn in docs/cards/.
 */
import { transition, type Contribution } from '../../src/domain/contribution';
import { answerNoticeData, answerReplyData, feedbackItem, youSaidWeDidCard } from '../../src/presenters/outcome';
import { renderCard } from '../../src/presenters/render-card';
import { areaNames, impactOf } from '../../src/domain/impact';
import { myImpactCard } from '../../src/presenters/impact';
import { pauseCard } from '../../src/presenters/involvement';
import type { SampleBuilder, World } from './samples';

const AT = new Date('2026-03-25T10:00:00Z');
const typed = (w: World, s: string) => (w.typed ? `${s} ${w.typed}` : s);

/** Sam answers the adopted contribution in their own words; `restricted` makes it a story kept in confidence. */
function answered(w: World, restricted = false, reply = false): Contribution {
  const c = transition({ ...w.adopted, restricted }, { type: 'respond', answer: 'disagree_decision', words: typed(w, 'Putting the number on page one is good, but nobody answers the line after midnight.') }, 'sam', AT);
  if (!reply) return c;
  return transition(c, { type: 'reply', answeredAt: AT.toISOString(), words: typed(w, 'You are right: we are adding night cover from June and will tell you when it starts.') }, c.ownerId, new Date(AT.getTime() + 3_600_000));
}
const exchange = (c: Contribution) => c.answers[c.answers.length - 1];

const notice = (w: World, c: Contribution, audience: 'owner' | 'team', mayRead: boolean, canReply: boolean) =>
  renderCard(
    'answer-notice',
    answerNoticeData({
      contribution: c, answer: 'disagree_decision', who: w.names('sam'), viewer: { id: audience === 'owner' ? c.ownerId : 'jordan', programme: audience === 'team' },
      audience, timeZone: w.timeZone, own: { exchange: exchange(c), mayRead, canReply, names: w.names },
    }),
  );

export const LXP_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'you-said-we-did': {
    'after disagreeing, in their own words': (w) => {
      const c = answered(w);
      const item = feedbackItem({ contribution: c, outcome: c.outcomes[c.outcomes.length - 1], lxpId: 'sam', names: w.names, detail: 'detailed', timeZone: w.timeZone, via: 'card', answered: 'disagree_decision', answeredWords: exchange(c).words });
      return youSaidWeDidCard(item, 'Thank you. We have told the person who followed it up and the programme team.');
    },
  },
  'answer-notice': {
    'to the owner: their own words, with a reply box': (w) => notice(w, answered(w), 'owner', true, true),
    'to the owner of a story kept in confidence: no words, no reply': (w) => notice(w, answered(w, true), 'owner', false, false),
    'to the owner, after replying': (w) => notice(w, answered(w, false, true), 'owner', true, true),
    'to the programme team: the words of a story kept in confidence': (w) => notice(w, answered(w, true), 'team', true, false),
  },
  'answer-reply': {
    'the owner replied': (w) => {
      const c = answered(w, false, true);
      return renderCard('answer-reply', answerReplyData({ contribution: c, exchange: exchange(c), ownerName: w.names(c.ownerId), timeZone: w.timeZone }));
    },
  },
  'my-impact': {
    // Sam, over the world's months, in two programmes (the second has nothing from them yet).
    'two programmes': (w) => {
      const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z'), label: 'January to March 2026' };
      const all = [...w.contributions, ...w.carriedIn, w.adopted, w.notTakenForward, w.underConsideration];
      const impact = impactOf('sam', period, all, [w.meeting, w.reviewedMeeting]);
      return myImpactCard([
        { programme: typed(w, 'Mental health programme'), impact, areaNames: areaNames([w.workstream, w.otherWorkstream]), timeZone: w.timeZone },
        { programme: 'Carers programme', impact: impactOf('sam', period, [], []), areaNames: {}, timeZone: w.timeZone },
      ]);
    },
  },
  pause: {
    'paused, with digests stopped too': (w) => pauseCard([{ programme: 'North Trust', involvement: { since: '2026-01-05T10:00:00.000Z', paused: { at: AT.toISOString(), stops: ['check_in', 'digests'] } } }], w.timeZone),
    'not paused': (w) => pauseCard([{ programme: 'North Trust' }], w.timeZone),
    'paused in two programmes': (w) => pauseCard([{ programme: 'Carers programme', involvement: { since: '2026-01-05T10:00:00.000Z', paused: { at: AT.toISOString(), stops: ['check_in'] } } }, { programme: 'North Trust', involvement: { since: '2026-01-05T10:00:00.000Z', paused: { at: AT.toISOString(), stops: ['check_in'] } } }], w.timeZone),
  },
};
