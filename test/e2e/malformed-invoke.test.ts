import { startMemoryBot } from '../support/memory-bot';
import type { BotUnderTest } from '../support/e2e';
import { actionExecute, people } from '../harness/activities';

// Issue 16: a card action Teams could never send from our cards still gets a clear answer, never 501 or an empty body.
describe('malformed card actions', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startMemoryBot({ LOG_LEVEL: 'silent' });
  });
  afterAll(async () => bot.close());

  const invoke = (change: (a: any) => void) => {
    const a = actionExecute({ verb: 'log_save', from: people.sam, conversationType: 'personal' });
    change(a);
    return bot.post(a);
  };

  it.each([
    ['no value', (a: any) => delete a.value],
    ['a value that is not an object', (a: any) => (a.value = 'log_save')],
    ['no action', (a: any) => (a.value = {})],
    ['an action with no verb', (a: any) => delete a.value.action.verb],
    ['an action whose verb is not text', (a: any) => (a.value.action.verb = 42)],
    ['a verb Golden Thread does not have', (a: any) => (a.value.action.verb = 'no_such_verb')],
    ['an action that is not Action.Execute', (a: any) => (a.value.action.type = 'Action.Submit')],
  ])('%s: HTTP 200 with a short message', async (_what, change) => {
    const res = await invoke(change);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(res.body.value).toMatch(/card/i);
  });
});
