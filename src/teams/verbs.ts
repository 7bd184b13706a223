import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotContext } from './bot-context';
import { onHelp } from './handlers/help';
import { onPreferences, onSetup, registerSetup } from './handlers/setup';
import { onLink, onLog, registerMeeting } from './handlers/meeting';
import { onAttendance, onExport, onMyContributions, onOverdue, onReport, registerReports } from './handlers/reports';
import { registerOutcomes } from './handlers/outcomes';
import { onAudit, onForgetMe, onMyData, registerPrivacy } from './handlers/privacy';
import { commandText } from './to-domain';
import { registerQuestionActions } from './questions';

type CommandHandler = (bot: BotContext, context: TurnContext, args: string) => Promise<void>;

/** Typed commands, matched in order on the text after the bot's mention. */
export const COMMANDS: Array<[RegExp, CommandHandler]> = [
  [/^help\b/i, (bot, ctx) => onHelp(bot, ctx)],
  [/^setup\b/i, (bot, ctx) => onSetup(bot, ctx)],
  [/^preferences\b/i, (bot, ctx) => onPreferences(bot, ctx)],
  [/^link\b/i, (bot, ctx) => onLink(bot, ctx)],
  [/^log\b/i, (bot, ctx, args) => onLog(bot, ctx, args)],
  [/^report\b/i, (bot, ctx, args) => onReport(bot, ctx, args)],
  [/^overdue\b/i, (bot, ctx) => onOverdue(bot, ctx)],
  [/^my contributions\b/i, (bot, ctx) => onMyContributions(bot, ctx)],
  [/^attendance\b/i, (bot, ctx, args) => onAttendance(bot, ctx, args)],
  [/^export\b/i, (bot, ctx, args) => onExport(bot, ctx, args)],
  [/^my data\b/i, (bot, ctx) => onMyData(bot, ctx)],
  [/^forget me\b/i, (bot, ctx) => onForgetMe(bot, ctx)],
  [/^audit\b/i, (bot, ctx, args) => onAudit(bot, ctx, args)],
];

/** Every route, in one place, in order: events and card verbs first, typed commands, then the catch-all. */
export function routeCommands(bot: BotContext, app: Application<TurnState>, opts: { questions: boolean } = { questions: false }): void {
  registerMeeting(app, bot);
  registerSetup(app, bot);
  registerPrivacy(app, bot);
  registerReports(app, bot);
  registerOutcomes(app, bot);

  if (opts.questions) registerQuestionActions(app, bot);

  app.activity(ActivityTypes.Message, async (context, state) => {
    const text = commandText(context);
    for (const [pattern, handler] of COMMANDS) {
      const m = pattern.exec(text);
      if (m) {
        await handler(bot, context, text.slice(m[0].length).trim());
        return;
      }
    }
    if (opts.questions && text) {
      // A plain-English question: the planner answers through the same handlers, and so the same permission checks.
      state.temp.input = text;
      await app.ai.run(context, state);
      return;
    }
    await context.sendActivity("I didn't recognise that. Type help to see what I can do for you.");
  });
}
