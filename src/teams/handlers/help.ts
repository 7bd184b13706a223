import type { TurnContext } from 'botbuilder';
import { help } from '../../commands/help';
import { renderCard } from '../../presenters/render-card';
import type { BotContext } from '../bot-context';
import { sendCard } from '../reply';
import { toTurnRef } from '../to-domain';

export async function onHelp(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  const result = await help(bot.deps, turn.caller, { plainEnglish: !!bot.questions });
  await sendCard(context, renderCard('help', result));
}
