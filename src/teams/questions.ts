import * as path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { ActionPlanner, OpenAIModel, PromptManager, type Application, type PromptCompletionModel, type TurnState } from '@microsoft/teams-ai';
import type { Config } from '../config';
import type { BotContext } from './bot-context';
import { onAttendance, onMyContributions, onOverdue, onReport } from './handlers/reports';

export const PROMPTS_DIR = path.resolve(__dirname, '../../prompts');

/** The Azure OpenAI model, with a key or, without one, the app's managed identity. */
export async function azureModel(openAi: NonNullable<Config['openAi']>): Promise<PromptCompletionModel> {
  let azureADTokenProvider: (() => Promise<string>) | undefined;
  if (!openAi.key) {
    const { DefaultAzureCredential, getBearerTokenProvider } = await import('@azure/identity');
    azureADTokenProvider = getBearerTokenProvider(new DefaultAzureCredential(), 'https://cognitiveservices.azure.com/.default');
  }
  return new OpenAIModel({
    azureEndpoint: openAi.endpoint,
    azureDefaultDeployment: openAi.deployment,
    azureApiKey: openAi.key,
    azureADTokenProvider,
    azureApiVersion: '2024-06-01',
  });
}

export function questionsPlanner(model: PromptCompletionModel): ActionPlanner<TurnState> {
  return new ActionPlanner<TurnState>({ model, prompts: new PromptManager({ promptsFolder: PROMPTS_DIR }), defaultPrompt: 'questions' });
}

/**
 * Plain-English questions call the same handlers as the typed commands, so
 * the same report functions and the same permission checks answer them.
 */
export function registerQuestionActions(app: Application<TurnState>, bot: BotContext): void {
  const ai = app.ai;
  const param = (p: Record<string, unknown> | undefined, key: string) => (typeof p?.[key] === 'string' ? (p[key] as string).slice(0, 200) : '');
  const done = 'The answer was sent to the user as a card.';
  ai.action('report', async (context: TurnContext, _state, p?: Record<string, unknown>) => {
    await onReport(bot, context, param(p, 'filter'));
    return done;
  });
  ai.action('overdue', async (context: TurnContext) => {
    await onOverdue(bot, context);
    return done;
  });
  ai.action('my_contributions', async (context: TurnContext) => {
    await onMyContributions(bot, context);
    return done;
  });
  ai.action('attendance', async (context: TurnContext, _state, p?: Record<string, unknown>) => {
    await onAttendance(bot, context, param(p, 'month'));
    return done;
  });
}

/** The model type, so code outside src/teams need not import teams-ai. */
export type QuestionsModel = PromptCompletionModel;
