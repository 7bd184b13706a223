import { actionData, actionExecute, groupMention, personalMessage, people, type From } from '../harness/activities';
import { cardOf, cardText, type BotUnderTest } from './e2e';

/** A person using the bot the way Teams would deliver it. */
export function as(bot: BotUnderTest, who: From) {
  return {
    /** Types in the personal chat; returns the cards and texts the bot sent back. */
    async say(text: string) {
      const before = bot.stub.sentActivities().length;
      const res = await bot.post(personalMessage({ text, from: who }));
      if (res.status >= 300) throw new Error(`bot answered ${res.status}`);
      return bot.stub.sentActivities().slice(before);
    },
    async mention(text: string, conversationId: string) {
      const before = bot.stub.sentActivities().length;
      const res = await bot.post(groupMention({ text, from: who, conversationId }));
      if (res.status >= 300) throw new Error(`bot answered ${res.status}`);
      return bot.stub.sentActivities().slice(before);
    },
    /** Clicks an Action.Execute button; returns the invoke response (a card or a message). */
    async act(verb: string, data: Record<string, unknown> = {}, opts: { conversationType?: 'personal' | 'groupChat'; conversationId?: string; replyToId?: string } = {}) {
      const res = await bot.post(actionExecute({ verb, data, from: who, conversationType: opts.conversationType ?? 'personal', conversationId: opts.conversationId, replyToId: opts.replyToId ?? 'card-1' }));
      const body = res.body?.value !== undefined ? res.body : res.body;
      return { status: res.status, type: body?.type as string, card: body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined, message: typeof body?.value === 'string' ? (body.value as string) : undefined };
    },
  };
}

export const textOf = (sent: { activity: any }[]) => sent.map((s) => (cardOf(s.activity) ? cardText(cardOf(s.activity)) : s.activity.text ?? '')).join('\n---\n');


export { actionData, people };
