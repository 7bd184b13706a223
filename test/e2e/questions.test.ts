import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, people } from '../support/talk';
import { programmeWithWorkstream } from '../support/scenario';
import type { QuestionsModel } from '../../src/teams/questions';

/**
 * A scripted stand-in for Azure OpenAI: it asks for one tool, then answers in
 * a sentence. It records what it was shown, so the test can check the prompt.
 */
function scriptedModel(tool: string, args: Record<string, unknown>) {
  const seen: string[] = [];
  let turn = 0;
  const model: QuestionsModel = {
    async completePrompt(_context, memory) {
      seen.push(String(memory.getValue('temp.input') ?? ''));
      turn++;
      if (turn % 2 === 1) {
        return { status: 'success', message: { role: 'assistant', content: '', action_calls: [{ id: `call-${turn}`, type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] } };
      }
      return { status: 'success', message: { role: 'assistant', content: 'I have sent you the answer above.' } };
    },
  };
  return { model, seen };
}

describe('plain-English questions (scripted model, no network)', () => {
  let bot: BotUnderTest;
  afterEach(async () => bot.close());

  it('answers "what happened to what the crisis group said in March?" with the real report card', async () => {
    const { model, seen } = scriptedModel('report', { filter: 'Crisis pathway March 2026' });
    bot = await startBot({}, { questionsModel: model });
    await programmeWithWorkstream(bot);
    const sent = await as(bot, people.priya).say('what happened to what the crisis group said in March?');
    expect(seen[0]).toContain('what happened to what the crisis group said in March');
    const cards = sent.map((s) => cardOf(s.activity)).filter(Boolean);
    expect(cards.length).toBeGreaterThan(0);
    expect(cardText(cards[0])).toContain('Crisis pathway');
    expect(sent.map((s) => s.activity.text).join(' ')).toContain('I have sent you the answer above.');
    const help = await as(bot, people.priya).say('help');
    expect(cardText(cardOf(help[0].activity))).toContain('You can also ask me questions in plain English.');
  });

  it('keeps the same permission checks: an LXP asking for the programme report is refused', async () => {
    const { model } = scriptedModel('report', { filter: '' });
    bot = await startBot({}, { questionsModel: model });
    await programmeWithWorkstream(bot);
    const sent = await as(bot, people.sam).say('how is the whole programme doing?');
    const all = sent.map((s) => (cardOf(s.activity) ? cardText(cardOf(s.activity)) : s.activity.text)).join('\n');
    expect(all).toMatch(/programme team|chairs/i);
    expect(all).not.toContain('Contributions recorded');
  });

  it('without a model, unknown text gets the commands hint and help says questions are off', async () => {
    bot = await startBot();
    const sent = await as(bot, people.sam).say('what happened in March?');
    expect(sent[0].activity.text).toContain('Type help');
    const help = await as(bot, people.sam).say('help');
    expect(cardText(cardOf(help[0].activity))).toContain('plain-English questions are not switched on');
  });
});
