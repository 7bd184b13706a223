import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotContext } from './bot-context';
import { onHelp } from './handlers/help';
import { onPreferences, onSetup, registerSetup } from './handlers/setup';
import { onLink, onLog, registerMeeting } from './handlers/meeting';
import { commandText } from './to-domain';

type CommandHandler = (bot: BotContext, context: TurnContext, args: string) => Promise<void>;

/** Typed commands, matched in order on the text after the bot's mention. */
export const COMMANDS: Array<[RegExp, CommandHandler]> = [
  [/^help\b/i, (bot, ctx) => onHelp(bot, ctx)],
  [/^setup\b/i, (bot, ctx) => onSetup(bot, ctx)],
  [/^preferences\b/i, (bot, ctx) => onPreferences(bot, ctx)],
  [/^link\b/i, (bot, ctx) => onLink(bot, ctx)],
  [/^log\b/i, (bot, ctx, args) => onLog(bot, ctx, args)],
];

/** Every route, in one place, in order: events and card verbs first, typed commands, then the catch-all. */
export function routeCommands(bot: BotContext, app: Application<TurnState>): void {
  registerMeeting(app, bot);
  registerSetup(app, bot);

  app.activity(ActivityTypes.Message, async (context) => {
    const text = commandText(context);
    for (const [pattern, handler] of COMMANDS) {
      const m = pattern.exec(text);
      if (m) {
        await handler(bot, context, text.slice(m[0].length).trim());
        return;
      }
    }
    await context.sendActivity("I didn't recognise that. Type help to see what I can do for you.");
  });
}
