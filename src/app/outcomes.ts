import { recordOutcome } from '../commands/outcomes';
import { answerFeedback, replyToAnswer } from '../commands/feedback';
import { answerNoticeCard } from '../commands/answer-notice';
import { namesFor } from '../commands/names';
import { canApply, OUTCOME_LABEL } from '../domain/contribution';
import { formatDay } from '../domain/follow-up';
import { preferencesOf } from '../domain/news';
import { feedbackItem, youSaidWeDidCard } from '../presenters/outcome';
import { noticeCard } from '../presenters/setup';
import type { Payload } from './payloads';
import { answer } from './reply';
import type { UseCase } from './route';

/** The owner records what happened. */
export const onOutcomeRecord: UseCase<Payload<'outcome_record'>> = async (deps, turn, data) => {
  const { contribution: c, outcome } = await recordOutcome(deps, turn.caller, data);
  const next = canApply(c, 'record_outcome')
    ? `It stays open: ${c.ownerId === turn.caller.id ? 'you' : 'the new owner'} will be asked again on ${formatDay(c.dueAt, deps.settings.timeZone)}.`
    : 'Nothing more is needed from you for this one.';
  return [answer(noticeCard('Outcome recorded', `Thank you. Recorded as "${OUTCOME_LABEL[outcome.status]}". The LXP will hear "you said, we did" as they chose. ${next}`))];
};

/** The LXP answers "you said, we did". */
export const onFeedbackAnswer: UseCase<Payload<'feedback_answer'>> = async (deps, turn, data) => {
  const c = await answerFeedback(deps, turn.caller, data);
  const told = data.answer === 'helpful' && !data.words ? 'Thank you for telling us.' : 'Thank you. We have told the person who followed it up and the programme team.';
  if (data.via === 'digest') return [answer(told)];
  const outcome = c.outcomes[c.outcomes.length - 1];
  const prefs = preferencesOf(await deps.stores.people.get(turn.tenantId, turn.caller.id));
  const names = await namesFor(deps, turn.tenantId, [outcome.decidedBy, outcome.newOwnerId ?? '']);
  const item = feedbackItem({ contribution: c, outcome, lxpId: turn.caller.id, names, detail: prefs.detail, timeZone: deps.settings.timeZone, via: 'card', answered: data.answer, answeredWords: data.words });
  return [answer(youSaidWeDidCard(item, told))];
};

/** The owner replies once to what an LXP wrote; the card they pressed is drawn again with their reply on it. */
export const onAnswerReply: UseCase<Payload<'answer_reply'>> = async (deps, turn, data) => {
  const { contribution, exchange } = await replyToAnswer(deps, turn.caller, data);
  const card = await answerNoticeCard(deps, contribution, { lxpId: exchange.by, answer: exchange.answer, audience: 'owner', to: { kind: 'person', personId: turn.caller.id }, answeredAt: exchange.at });
  const sent = 'Your reply is sent to the LXP. An owner replies once.';
  return card ? [answer(card), { to: 'here', content: { text: sent } }] : [answer(sent)];
};
