import { ActivityTypes, TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState, type PromptCompletionModel } from '@microsoft/teams-ai';
import { questionsPlanner } from './questions';
import type { BotContext, BotParts } from './bot-context';
import { tenantOf, turnOf, commandText } from './to-domain';
import { saveConversationRef } from './conversation-refs';
import { registerRoutes, scopedTurn } from './adapter';
import { ROUTES } from '../app/routes';
import { createEdgeAdapter } from './auth';

export interface Bot {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  /** The logic for adapter.process: tenant check, then the app's routes. */
  handle(context: TurnContext): Promise<void>;
}

export function createAdapter(bot: BotContext): TeamsAdapter {
  const adapter = createEdgeAdapter(bot.config, bot.logger);
  adapter.onTurnError = async (context, error) => {
    bot.logger.error({ err: { message: error.message, stack: error.stack }, activityId: context.activity.id, conversationId: context.activity.conversation?.id }, 'turn failed');
    const message = 'Sorry, something went wrong on our side. Nothing that was already saved has been lost; please try again in a moment.';
    try {
      if (context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action') {
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message } } });
      } else if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(message);
      }
    } catch {
      // The person may have gone; the log line above is what matters.
    }
  };
  return adapter;
}

/** The Application with the route table registered; `bot` is complete (deps, sender) before any turn arrives. */
export function createBot(bot: BotParts, adapter: TeamsAdapter = createAdapter(bot), opts: { questionsModel?: PromptCompletionModel } = {}): Bot {
  const app = new Application<TurnState>({
    ai: opts.questionsModel ? { planner: questionsPlanner(opts.questionsModel) } : undefined,
    adapter,
    botAppId: bot.config.bot?.appId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });

  app.turn('beforeTurn', async (context) => {
    const { turn, deps } = await scopedTurn(bot, context);
    await saveConversationRef(deps, bot.logger, context, turn);
    return true;
  });

  registerRoutes(app, bot, ROUTES);

  const allowed = new Set(bot.config.allowedTenants);
  return {
    adapter,
    app,
    async handle(context) {
      const tenantId = tenantOf(context);
      if (allowed.size > 0 && !allowed.has(tenantId)) {
        bot.logger.warn({ activityId: context.activity.id, tenantId, conversationId: context.activity.conversation?.id }, 'activity from a tenant that is not allowed; refused');
        return;
      }
      if (!tenantId) {
        bot.logger.warn({ activityId: context.activity.id }, 'activity without a tenant; ignored');
        return;
      }
      const turn = turnOf(context, bot.logger);
      bot.logger.debug({ activityId: turn.activityId, conversationId: turn.conversationId, type: context.activity.type, name: context.activity.name }, 'turn');
      await app.run(context);
    },
  };
}

export { commandText };
