import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { withSummaries, type Suggestion } from '../../src/domain/transcript';
import { PROMPTS_DIR, type QuestionsModel } from '../../src/teams/questions';
import { SUMMARY_PROMPT, summaryAsker } from '../../src/teams/transcript-summaries';

/**
 * One-line summaries through the planner the plain-English questions use, with
 * a scripted model in place of Azure OpenAI (no network). The model answers
 * from a script keyed on the words it was sent; what it saw is recorded.
 */
function scriptedModel(script: (words: string) => string | Error) {
  const seen: { input: string; prompt: string }[] = [];
  const model: QuestionsModel = {
    async completePrompt(_context, memory, _functions, _tokenizer, template) {
      const input = String(memory.getValue('temp.input') ?? '');
      seen.push({ input, prompt: template.name });
      const answer = script(input);
      if (answer instanceof Error) return { status: 'error', error: answer };
      return { status: 'success', message: { role: 'assistant', content: answer } };
    },
  };
  return { model, seen };
}

const SAM = '11111111-1111-4111-8111-111111111111';
const suggestion = (id: string, words: string): Suggestion => ({ id, lxpId: SAM, start: 0, words });

const waiting = suggestion('t1', 'I waited eleven weeks for a first appointment, and nobody told me where I was on the list, so I stopped asking.');
const peer = suggestion('t2', 'Peer workers in the emergency department would change how it feels to arrive in distress at three in the morning.');
const form = suggestion('t3', 'Could the form ask what helps rather than what is wrong, and could we see the summary before it goes to the GP?');
const quiet = suggestion('t4', 'The discharge plan was written without me and the community team did not know I had left the ward.');

describe('one-line summaries from the model (scripted, no network)', () => {
  it('keeps a faithful quote, drops a paraphrase, a second line and a failure, and sends each turn on its own', async () => {
    const { model, seen } = scriptedModel((words) => {
      if (words === waiting.words) return 'I waited eleven weeks … nobody told me where I was on the list';
      if (words === peer.words) return 'Peer support in A&E at night would help people in distress.';
      if (words === form.words) return 'Could the form ask what helps rather than what is wrong\nand share the summary';
      return new Error('The model is unavailable.');
    });
    const out = await withSummaries([waiting, peer, form, quiet], summaryAsker(model));
    expect(out.map((s) => s.summary)).toEqual(['I waited eleven weeks … nobody told me where I was on the list', undefined, undefined, undefined]);
    expect(out.map((s) => s.words)).toEqual([waiting.words, peer.words, form.words, quiet.words]);
    expect(seen.map((s) => s.input)).toEqual([waiting.words, peer.words, form.words, quiet.words]);
    expect(new Set(seen.map((s) => s.prompt))).toEqual(new Set([SUMMARY_PROMPT]));
  });

  it('asks with the prompt kept in prompts/, which tells the model to quote and never paraphrase', async () => {
    const { model, seen } = scriptedModel(() => 'nobody told me where I was');
    await withSummaries([waiting], summaryAsker(model));
    const file = readFileSync(path.join(PROMPTS_DIR, SUMMARY_PROMPT, 'skprompt.txt'), 'utf8');
    expect(file).toMatch(/only their own words/);
    expect(file).toMatch(/Never add, change, reorder or explain a word/);
    const config = JSON.parse(readFileSync(path.join(PROMPTS_DIR, SUMMARY_PROMPT, 'config.json'), 'utf8'));
    expect(config.completion).toMatchObject({ include_history: false, include_input: true, temperature: 0 });
    expect(seen[0].prompt).toBe(SUMMARY_PROMPT);
  });

  it('works on the turns alone when the model gives nothing usable', async () => {
    const { model } = scriptedModel(() => '');
    const out = await withSummaries([waiting, peer], summaryAsker(model));
    expect(out).toEqual([waiting, peer]);
  });
});
