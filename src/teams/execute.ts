import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { DomainError } from '../domain/errors';
import type { CardJson } from '../presenters/render-card';
import type { BotContext } from './bot-context';
import { parsePayload, PayloadError, type Verb, PAYLOADS } from './payloads';
import { replaceCard } from './reply';
import { toTurnRef, type TurnRef } from './to-domain';
import type { z } from 'zod';

export type ExecuteResult = CardJson | string;
export type ExecuteHandler<V extends Verb> = (context: TurnContext, turn: TurnRef, data: z.infer<(typeof PAYLOADS)[V]>) => Promise<ExecuteResult>;

/** A message for the person who caused a problem; never a stack trace. */
export function messageFor(err: unknown): string | undefined {
  if (err instanceof DomainError || err instanceof PayloadError) return err.message;
  return undefined;
}

/**
 * Registers one Action.Execute verb: payload checked first, then the handler;
 * known problems become a short message and change nothing. A returned card
 * replaces the one acted on, for everyone in a shared chat, without
 * `refresh` (which would make teams-ai update the message every time).
 */
export function onExecute<V extends Verb>(app: Application<TurnState>, bot: BotContext, verb: V, handler: ExecuteHandler<V>): void {
  app.adaptiveCards.actionExecute(verb, async (context, _state, raw) => {
    const turn = toTurnRef(context);
    try {
      const data = parsePayload(verb, raw);
      const result = await handler(context, turn, data);
      if (typeof result !== 'string' && turn.conversationType !== 'personal') await replaceCard(context, result);
      return result as string | AdaptiveCard;
    } catch (err) {
      const message = messageFor(err);
      if (message) {
        bot.logger.info({ verb, activityId: turn.activityId, conversationId: turn.conversationId, code: err instanceof DomainError ? err.code : 'invalid_payload' }, 'card action refused');
        return message;
      }
      throw err;
    }
  });
}

/** The same for typed commands: a known problem is answered in plain words. */
export async function answering(context: TurnContext, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const message = messageFor(err);
    if (!message) throw err;
    await context.sendActivity(message);
  }
}
