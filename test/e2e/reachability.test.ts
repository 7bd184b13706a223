import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, people } from '../support/talk';
import { installationUpdate, meetingEvent } from '../harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';

const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };

describe('a person Teams will not let us reach', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  it('is marked unreachable, the chair and programme team are told, and the held check card goes out when they come back', async () => {
    const ws = await programmeWithWorkstream(bot);
    await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris }));
    await as(bot, people.chris).act('meeting_link', { workstreamId: ws.id }, chat);
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: new Date().toISOString() }));
    const meeting = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items[0];
    await as(bot, people.chris).act('log_save', { meetingId: meeting.id, submissionId: 'r1', lxpIds: people.sam.aadObjectId, words: 'Ask us before changing the leaflet', kind: 'suggestion' }, chat);
    await runJobs(bot); // welcomes and anything else already due
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID }));

    bot.stub.failNext({ status: 403, code: 'ConversationBlockedByUser' }, { match: (c) => !!c.conversationId?.includes(people.sam.aadObjectId) && JSON.stringify(c.body).includes('Here is what was recorded') });
    await runJobs(bot);
    await runJobs(bot); // the notices queued by the first run
    const sam = await bot.running.deps.stores.people.get(TENANT_ID, people.sam.aadObjectId);
    expect(sam?.reachability.status).toBe('unreachable');
    const toPriya = bot.stub.sentActivities().filter((s) => s.conversationId.includes(people.priya.aadObjectId)).map((s) => cardText(cardOf(s.activity))).join('\n');
    expect(toPriya).toContain('Sam Okafor');
    const toChris = bot.stub.sentActivities().filter((s) => s.conversationId.includes(people.chris.aadObjectId)).map((s) => cardText(cardOf(s.activity))).join('\n');
    expect(toChris).toContain("could not reach Sam Okafor");
    expect(bot.stub.sentActivities().filter((s) => s.conversationId.includes(people.sam.aadObjectId) && cardText(cardOf(s.activity)).includes('Here is what was recorded'))).toHaveLength(0);

    // The programme team sees who cannot be reached, and why, in setup.
    const setup = await as(bot, people.priya).say('setup');
    expect(cardText(cardOf(setup[0].activity))).toContain('People Golden Thread cannot reach');
    expect(cardText(cardOf(setup[0].activity))).toContain('They have blocked the Golden Thread chat in Teams.');

    // Sam unblocks the bot and says hello: the held card is delivered, once.
    await as(bot, people.sam).say('help');
    await runJobs(bot);
    const checks = bot.stub.sentActivities().filter((s) => s.conversationId.includes(people.sam.aadObjectId) && cardText(cardOf(s.activity)).includes('Here is what was recorded'));
    expect(checks).toHaveLength(1);
    expect((await bot.running.deps.stores.people.get(TENANT_ID, people.sam.aadObjectId))?.reachability.status).toBe('reachable');
  });
});
