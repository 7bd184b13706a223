import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import type { BotContext } from './bot-context';
import { onHelp } from './handlers/help';
import { commandText } from './to-domain';

/** Typed commands, first word(s) → handler. Matched in order; the catch-all is last. */
type CommandHandler = (bot: BotContext, context: Parameters<Parameters<Application<TurnState>['message']>[1]>[0], args: string) => Promise<void>;

const COMMANDS: Array<[RegExp, CommandHandler]> = [
  [/^help\b/i, (bot, ctx) => onHelp(bot, ctx)],
];

/** Every route, in one place, in order, catch-all last. */
export function routeCommands(bot: BotContext, app: Application<TurnState>): void {
  app.activity(ActivityTypes.Message, async (context) => {
    const text = commandText(context);
    for (const [pattern, handler] of COMMANDS) {
      const m = pattern.exec(text);
      if (m) {
        await handler(bot, context, text.slice(m[0].length).trim());
        return;
      }
    }
    await context.sendActivity("I didn't recognise that. Type **help** to see what I can do for you.");
  });
}
