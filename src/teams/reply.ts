import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { CardJson } from '../presenters/render-card';

export function cardActivity(card: CardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

export async function sendCard(context: TurnContext, card: CardJson): Promise<string | undefined> {
  const r = await context.sendActivity(cardActivity(card));
  return r?.id;
}

/** Replaces the card the person acted on, for everyone in the chat (no `refresh`, so no refresh loop). */
export async function replaceCard(context: TurnContext, card: CardJson): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  await context.updateActivity({ ...cardActivity(card), id });
}
