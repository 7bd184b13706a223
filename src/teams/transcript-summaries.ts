import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Memory } from '@microsoft/teams-ai';
import { questionsPlanner, type QuestionsModel } from './questions';

/** The prompt in prompts/transcript-summary: one line quoted from an LXP's turn. */
export const SUMMARY_PROMPT = 'transcript-summary';

/**
 * Asks the model behind plain-English questions (Azure OpenAI, through the same
 * planner and prompts folder) for a one-line quote of an LXP's words. The
 * answer is only a candidate: `withSummaries` in src/domain/transcript.ts keeps
 * it only when it quotes the words. The words go to the model and nowhere else.
 *
 * Suggestions are made when a meeting ends, often with no turn in hand (Teams'
 * meetingEnd event, the scheduler's close), so a quiet context stands in: the
 * prompt does not stream, and nothing is sent through it.
 */
export function summaryAsker(model: QuestionsModel, context: TurnContext = quietContext()): (words: string) => Promise<string | undefined> {
  const planner = questionsPlanner(model);
  return async (words) => {
    const memory = new TempMemory({ 'temp.input': words });
    const res = await planner.completePrompt<string>(context, memory, SUMMARY_PROMPT);
    return res.status === 'success' && typeof res.message?.content === 'string' ? res.message.content : undefined;
  };
}

/** The few values the planner reads and writes for one prompt, kept for that call only. */
class TempMemory implements Memory {
  private readonly values: Map<string, unknown>;
  constructor(initial: Record<string, unknown>) {
    this.values = new Map(Object.entries(initial));
  }
  deleteValue(path: string) {
    this.values.delete(path);
  }
  hasValue(path: string) {
    return this.values.has(path);
  }
  getValue<T = unknown>(path: string): T {
    return this.values.get(path) as T;
  }
  setValue(path: string, value: unknown) {
    this.values.set(path, value);
  }
}

class SendsNothing extends BotAdapter {
  async sendActivities(): Promise<ResourceResponse[]> {
    throw new Error('A transcript summary sends nothing.');
  }
  async updateActivity(): Promise<void> {
    throw new Error('A transcript summary sends nothing.');
  }
  async deleteActivity(): Promise<void> {
    throw new Error('A transcript summary sends nothing.');
  }
  async continueConversation(_ref: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {
    throw new Error('A transcript summary sends nothing.');
  }
}

function quietContext(): TurnContext {
  return new TurnContext(new SendsNothing(), { type: 'event', name: 'golden-thread/transcript-summary' } as Partial<Activity>);
}
