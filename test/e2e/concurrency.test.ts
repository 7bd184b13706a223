import { startBot, cardText, type BotUnderTest } from '../support/e2e';
import { as, people } from '../support/talk';
import { installationUpdate, meetingEvent } from '../harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream } from '../support/scenario';

/**
 * A meeting chat is many people acting on cards at once. Turn state with
 * etags failed 70% of such turns; domain data lives in Cosmos with its own
 * conditional writes, so all of these must succeed.
 */
describe('concurrent card actions in one conversation', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  it('20 contributions saved at the same moment in one meeting chat all succeed', async () => {
    const ws = await programmeWithWorkstream(bot);
    await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris }));
    await as(bot, people.chris).act('meeting_link', { workstreamId: ws.id }, { conversationType: 'groupChat', conversationId: MEETING_CHAT_ID });
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Busy meeting', time: '2026-03-09T10:00:00Z' }));
    const meeting = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items[0];

    const chris = as(bot, people.chris);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        chris.act('log_save', { meetingId: meeting.id, submissionId: `concurrent-${i}`, lxpIds: i % 2 ? people.sam.aadObjectId : people.alex.aadObjectId, words: `Point number ${i}`, kind: 'suggestion' }, { conversationType: 'groupChat', conversationId: MEETING_CHAT_ID }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.filter((r) => !r.card || !cardText(r.card).includes('Saved'))).toEqual([]);
    const stored = (await bot.running.deps.stores.contributions.query(TENANT_ID, [], { pageSize: 100 })).items;
    expect(stored.map((c) => c.words).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `Point number ${i}`).sort());
  });
});
