import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotContext } from '../bot-context';
import { onExecute } from '../execute';
import { recordOutcome } from '../../commands/outcomes';
import { answerFeedback } from '../../commands/feedback';
import { namesFor } from '../../commands/names';
import { canApply, OUTCOME_LABEL } from '../../domain/contribution';
import { formatDay } from '../../domain/follow-up';
import { preferencesOf } from '../../domain/news';
import { feedbackItem, youSaidWeDidCard } from '../../presenters/outcome';
import { noticeCard } from '../../presenters/setup';

/** The owner records what happened; the LXP answers "you said, we did". */
export function registerOutcomes(app: Application<TurnState>, bot: BotContext): void {
  onExecute(app, bot, 'outcome_record', async (_ctx, turn, data) => {
    const { contribution: c, outcome } = await recordOutcome(bot.deps, turn.caller, data);
    const reopened = canApply(c, 'record_outcome');
    const next = reopened
      ? `It stays open: ${c.ownerId === turn.caller.id ? 'you' : 'the new owner'} will be asked again on ${formatDay(c.dueAt, bot.config.timeZone)}.`
      : 'Nothing more is needed from you for this one.';
    return noticeCard('Outcome recorded', `Thank you. Recorded as "${OUTCOME_LABEL[outcome.status]}". The LXP will hear "you said, we did" as they chose. ${next}`);
  });

  onExecute(app, bot, 'feedback_answer', async (_ctx, turn, data) => {
    const c = await answerFeedback(bot.deps, turn.caller, data);
    const told = data.answer === 'helpful' ? 'Thank you for telling us.' : 'Thank you. We have told the person who followed it up and the programme team.';
    if (data.via === 'digest') return told;
    const outcome = c.outcomes[c.outcomes.length - 1];
    const prefs = preferencesOf(await bot.deps.stores.people.get(turn.tenantId, turn.caller.id));
    const names = await namesFor(bot.deps, turn.tenantId, [outcome.decidedBy, outcome.newOwnerId ?? '']);
    const item = feedbackItem({ contribution: c, outcome, lxpId: turn.caller.id, names, detail: prefs.detail, timeZone: bot.config.timeZone, via: 'card', answered: data.answer });
    return youSaidWeDidCard(item, told);
  });
}
