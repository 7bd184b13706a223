import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { TENANT_ID } from '../support/scenario';
import { WORDS, chat, meetingWithAlex } from '../support/privacy';
import { exportContributions, NOT_QUOTED_CELL, RESTRICTED_CELL } from '../../src/commands/export';

const priya = { id: people.priya.aadObjectId, tenantId: TENANT_ID, name: people.priya.name };

describe('restricted stories, lifting a restriction, and the audit of one contribution', () => {
  let bot: BotUnderTest;
  let fx: Awaited<ReturnType<typeof meetingWithAlex>>;
  beforeAll(async () => {
    bot = await startBot();
    fx = await meetingWithAlex(bot);
  });
  afterAll(async () => bot.close());

  it('a restricted story reaches nobody but Alex and the programme team: chat, minutes, exports', async () => {
    const leaks = bot.stub.sentActivities().filter((s) => JSON.stringify(s.activity).includes(WORDS.alexStory)).map((s) => s.conversationId);
    expect(leaks.every((c) => c.includes(people.alex.aadObjectId) || c.includes(people.priya.aadObjectId))).toBe(true);
    const csv = (await exportContributions(bot.running.deps, priya, 'March 2026')).csv;
    expect(csv).not.toContain(WORDS.alexStory);
    expect(csv).toContain(RESTRICTED_CELL);
  });

  it('Alex acting on a check card from a shared chat gets a message, not their own view pasted over the chat card', async () => {
    const r = await as(bot, people.alex).act('check_confirm', { contributionId: fx.story.id, meetingId: fx.meeting.id }, chat);
    expect(r.message).toContain('confirmed');
    const updates = bot.stub.sentActivities().filter((s) => s.kind === 'update' && JSON.stringify(s.activity).includes(WORDS.alexStory));
    expect(updates).toEqual([]);
  });

  it('audit <id>: the programme team sees who did what and when, with names, never the words; anonymous stays anonymous', async () => {
    const sent = await as(bot, people.priya).say(`audit ${fx.anon.id}`);
    const text = cardText(cardOf(sent[0].activity));
    expect(text).toContain('History of a contribution');
    expect(text).toContain('Chris Morgan');
    expect(text).toContain('Recorded it');
    expect(text).toContain('Corrected the wording');
    expect(text).toContain('The LXP (anonymous)');
    expect(text).not.toContain(people.alex.name);
    for (const w of Object.values(WORDS)) expect(JSON.stringify(sent)).not.toContain(w);

    const named = cardText(cardOf((await as(bot, people.priya).say(`audit ${fx.story.id}`))[0].activity));
    expect(named).toMatch(/Alex Rivera\s*: Confirmed it as recorded/);

    expect(textOf(await as(bot, people.sam).say(`audit ${fx.anon.id}`))).toContain('for the programme team');
    expect(textOf(await as(bot, people.priya).say('audit c-does-not-exist'))).toContain("can't find a contribution");
    expect(textOf(await as(bot, people.priya).mention(`audit ${fx.anon.id}`, chat.conversationId))).toContain('personal chat');
  });

  it('Alex lifts the restriction on their story from the my data card; nobody else can', async () => {
    const card = cardOf((await as(bot, people.alex).say('my data'))[0].activity);
    const data = actionData(card, 'lift_restriction')!;
    // The button names the programme the card was sent in (issue 18), and nothing else but the contribution.
    expect(data).toEqual({ contributionId: fx.story.id, programmeId: expect.any(String) });
    expect((await as(bot, people.sam).act('lift_restriction', data)).message).toContain('Only the person who shared this story');
    expect((await as(bot, people.priya).act('lift_restriction', data)).message).toContain('Only the person who shared this story');
    const lifted = await as(bot, people.alex).act('lift_restriction', data);
    expect(cardText(lifted.card)).toContain('now shown like your other contributions');
    expect(await bot.running.deps.stores.contributions.get(TENANT_ID, fx.story.id)).toMatchObject({ restricted: false });
    expect((await as(bot, people.alex).act('lift_restriction', data)).message).toContain('not restricted');
    const csv = (await exportContributions(bot.running.deps, priya, 'March 2026')).csv;
    // No longer a restricted story, but Alex has not agreed to be quoted in reports, so the words stay out (issue 20).
    expect(csv).not.toContain(RESTRICTED_CELL);
    expect(csv).toContain(NOT_QUOTED_CELL);
    expect(csv).not.toContain(WORDS.alexStory);
    const history = cardText(cardOf((await as(bot, people.priya).say(`audit ${fx.story.id}`))[0].activity));
    expect(history).toMatch(/Alex Rivera\s*: Lifted the restriction/);
  });

  it('my data and forget me are only answered in the personal chat', async () => {
    for (const command of ['my data', 'forget me']) {
      expect(textOf(await as(bot, people.sam).mention(command, chat.conversationId))).toContain('personal chat');
    }
    expect((await as(bot, people.sam).act('forget_me_confirm', { personId: people.sam.aadObjectId, understood: 'true' }, chat)).message).toContain('only works in our personal chat');
  });
});
