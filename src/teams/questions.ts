import * as path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { ActionPlanner, OpenAIModel, PromptManager, type Application, type PromptCompletionModel, type TurnState } from '@microsoft/teams-ai';
import type { Config } from '../config';
import type { CommandRoute } from '../app/route';

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
 * Plain-English questions call the same use cases as the typed commands
 * (those routes with a `question` in src/app/routes.ts), so the same report
 * functions and the same permission checks answer them.
 */
export function registerQuestionActions(app: Application<TurnState>, commands: CommandRoute[], run: (context: TurnContext, route: CommandRoute, args: string) => Promise<void>): void {
  const param = (p: Record<string, unknown> | undefined, key?: string) => (key && typeof p?.[key] === 'string' ? (p[key] as string).slice(0, 200) : '');
  for (const route of commands) {
    const q = route.question;
    if (!q) continue;
    app.ai.action(q.action, async (context: TurnContext, _state, p?: Record<string, unknown>) => {
      await run(context, route, param(p, q.param));
      return 'The answer was sent to the user as a card.';
    });
  }
}

/** The model type, so code outside src/teams need not import teams-ai. */
export type QuestionsModel = PromptCompletionModel;
