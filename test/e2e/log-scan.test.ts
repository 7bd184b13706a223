import { startBot, type BotUnderTest } from '../support/e2e';
import { as, people } from '../support/talk';
import { TENANT_ID, runJobs } from '../support/scenario';
import { WORDS, chat, meetingWithAlex } from '../support/privacy';

/**
 * Nothing a person said, and nobody's name, reaches the logs: a whole
 * meeting (capture, minutes, checks, a correction, preferences), then my
 * data, audit and forget me, at debug level, with the captured pino output
 * scanned line by line.
 */
describe('logs carry ids, never words or names', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot({ LOG_LEVEL: 'debug' });
  });
  afterAll(async () => bot.close());

  it('after a full meeting and the privacy commands, no log line holds a contribution’s words or a person’s name', async () => {
    const fx = await meetingWithAlex(bot);
    await as(bot, people.chris).mention(`log Sam: ${WORDS.sam} again`, chat.conversationId);
    await as(bot, people.alex).act('check_correct', { contributionId: fx.story.id, [`words_${fx.story.id}`]: '' }); // refused: empty
    await as(bot, people.sam).act('check_withdraw', { contributionId: fx.story.id }); // refused: not Sam's
    await as(bot, people.alex).say('my data');
    await as(bot, people.priya).say(`audit ${fx.anon.id}`);
    await as(bot, people.sam).say(`tell everyone ${WORDS.sam}`); // not a command: still not logged
    const confirm = await as(bot, people.alex).act('forget_me_confirm', { personId: people.alex.aadObjectId, understood: 'true' });
    expect(confirm.card).toBeDefined();
    await runJobs(bot);

    const contributions = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items;
    const words = [...Object.values(WORDS), ...contributions.map((c) => c.words).filter(Boolean)];
    const names = Object.values(people).map((p) => p.name);
    expect(bot.logs.length).toBeGreaterThan(25); // one line per turn at debug, and every refusal
    const leaks = bot.logs.flatMap((line) => [...words, ...names].filter((needle) => line.includes(needle)).map((needle) => ({ needle, line: line.slice(0, 300) })));
    expect(leaks).toEqual([]);
  });
});
