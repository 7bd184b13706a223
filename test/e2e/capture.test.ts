import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { installationUpdate, meetingEvent, participantEvent } from '../harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import type { Workstream } from '../../src/domain/workstream';

const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };
const WORDS = {
  sam: 'Night-time crisis lines need people who have been there',
  alexStory: 'When I was sectioned in 2019 nobody told my family where I was',
  alexAnon: 'The discharge letters use words nobody understands',
};

async function meetingUnderWay(bot: BotUnderTest) {
  const ws = await programmeWithWorkstream(bot);
  bot.stub.setMembers(MEETING_CHAT_ID, [people.chris, people.sam, people.alex, people.jordan].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  bot.stub.setMeeting(MEETING_ID, { details: { id: MEETING_ID, title: 'Crisis pathway monthly' }, organizer: { id: people.chris.id, aadObjectId: people.chris.aadObjectId } });
  await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris, overrides: { channelData: { meeting: { id: MEETING_ID } } } }));
  const linked = await as(bot, people.chris).act('meeting_link', { workstreamId: ws.id }, chat);
  expect(linked.message).toContain('linked to Crisis pathway');
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: '2026-03-09T10:00:00.0000000Z' }));
  await bot.post(participantEvent('join', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: [people.sam, people.alex] }));
  const meeting = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items[0];
  return { ws, meeting };
}

function sentTo(bot: BotUnderTest, conversationPrefix: string) {
  return bot.stub.sentActivities().filter((s) => s.conversationId.includes(conversationPrefix));
}

describe('meeting capture (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  it('from install to the LXPs checking what was recorded', async () => {
    const { ws, meeting } = await meetingUnderWay(bot);
    // The meeting-start card names the workstream and the chair.
    const startCard = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).find((c) => c && cardText(c).includes('Aim of this meeting'));
    expect(cardText(startCard)).toContain('Chris Morgan');
    expect(meeting.attendance[people.sam.aadObjectId].spans).toHaveLength(1);

    const chris = as(bot, people.chris);
    const opened = await chris.mention('log Sam: ' + WORDS.sam, MEETING_CHAT_ID);
    const logCard = cardOf(opened[0].activity);
    expect(JSON.stringify(logCard)).toContain(`"value":"${people.sam.aadObjectId}"`);
    expect(cardText(logCard)).toContain('Sam Okafor (in the meeting)');

    const save = (card: any, fields: Record<string, unknown>) => chris.act('log_save', { ...actionData(card, 'log_save'), kind: 'suggestion', anonymous: 'false', restricted: 'false', ...fields }, chat);
    const first = await save(logCard, { lxpIds: people.sam.aadObjectId, words: WORDS.sam, priorityAreaIds: ws.priorityAreas[0].id });
    expect(cardText(first.card)).toContain('Saved');
    // The same card submitted again (a double click) saves once.
    const again = await save(logCard, { lxpIds: people.sam.aadObjectId, words: WORDS.sam });
    expect(cardText(again.card)).toContain('already saved');
    const second = await save(first.card, { lxpIds: people.alex.aadObjectId, words: WORDS.alexStory, kind: 'personal_experience', restricted: 'true' });
    const third = await save(second.card, { lxpIds: people.alex.aadObjectId, words: WORDS.alexAnon, kind: 'challenge', anonymous: 'true' });
    expect(cardText(third.card)).toContain('Logged so far in this meeting: 3');
    expect(JSON.stringify(third.card)).not.toContain(WORDS.alexStory);
    expect(cardText(third.card)).toContain('An LXP: Challenge');

    const stored = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items;
    expect(stored).toHaveLength(3);

    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-09T11:30:00.0000000Z' }));
    // The end queues the minutes (once, however the meeting ends); the scheduler posts them straight away.
    await runJobs(bot);
    const minutes = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).find((c) => c && cardText(c).includes('Lived-experience contributions'));
    const minutesText = cardText(minutes);
    expect(minutesText).toContain('3 contributions from Lived Experience Practitioners');
    expect(minutesText).toContain(`Sam Okafor: Suggestion`);
    expect(minutesText).toContain(WORDS.sam);
    expect(minutesText).toContain('A personal story, shared in confidence.');
    expect(minutesText).not.toContain(WORDS.alexStory);
    expect(minutesText).toContain('An LXP: Challenge');
    expect(minutesText).toContain('Owner Chris Morgan');

    // Each LXP gets their check card 1:1 (sent in the same run as the minutes).
    const samCheck = sentTo(bot, people.sam.aadObjectId).map((s) => cardOf(s.activity)).find((c) => c && cardText(c).includes('Here is what was recorded from you'));
    const alexCheck = sentTo(bot, people.alex.aadObjectId).map((s) => cardOf(s.activity)).find((c) => c && cardText(c).includes('Here is what was recorded from you'));
    expect(cardText(samCheck)).toContain(WORDS.sam);
    expect(cardText(alexCheck)).toContain(WORDS.alexStory); // Alex may read their own restricted story
    expect(cardText(alexCheck)).not.toContain(WORDS.sam);

    const samContribution = stored.find((c) => c.lxpIds.includes(people.sam.aadObjectId))!;
    const story = stored.find((c) => c.restricted)!;
    const confirmed = await as(bot, people.sam).act('check_confirm', actionData(samCheck, 'check_confirm')!);
    expect(cardText(confirmed.card)).toContain('confirmed');
    const withdrawn = await as(bot, people.alex).act('check_withdraw', { contributionId: story.id, meetingId: story.meetingId });
    expect(cardText(withdrawn.card)).toContain('Withdrawn');
    // Sam cannot act on Alex's contribution.
    const meddle = await as(bot, people.sam).act('check_withdraw', { contributionId: stored.find((c) => c.anonymous)!.id });
    expect(meddle.message).toMatch(/Only the person who said this/);

    const after = await bot.running.deps.stores.contributions.get(TENANT_ID, samContribution.id);
    expect(after).toMatchObject({ check: 'confirmed', status: 'awaiting_outcome' });
    expect(await bot.running.deps.stores.contributions.get(TENANT_ID, story.id)).toMatchObject({ status: 'withdrawn', words: '' });

    // The withdrawn words appear in no stored document, in any container.
    await bot.running.store.flush();
    for (const name of Object.keys(bot.running.deps.stores) as (keyof typeof bot.running.deps.stores)[]) {
      const docs = (await bot.running.deps.stores[name].queryAll([], { pageSize: 1000 })).items;
      expect(JSON.stringify(docs)).not.toContain('nobody told my family');
    }
  });

  it('an attendee who is not a chair cannot log, and sees why', async () => {
    const { meeting } = await meetingUnderWay(bot);
    const r = await as(bot, people.jordan).act('log_save', { meetingId: meeting.id, submissionId: 'sub-x', lxpIds: people.sam.aadObjectId, words: 'x', kind: 'suggestion' }, chat);
    expect(r.message).toMatch(/Only the chairs of Crisis pathway or the programme team can log/);
    expect((await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items).toHaveLength(0);
  });

  it('a restricted story never appears in a card sent to anyone but the LXP and the programme team', async () => {
    const { meeting } = await meetingUnderWay(bot);
    const chris = as(bot, people.chris);
    await chris.act('log_save', { meetingId: meeting.id, submissionId: 's1', lxpIds: people.alex.aadObjectId, words: WORDS.alexStory, kind: 'personal_experience', restricted: 'true' }, chat);
    await chris.act('log_save', { meetingId: meeting.id, submissionId: 's2', lxpIds: people.sam.aadObjectId, words: WORDS.sam, kind: 'suggestion' }, chat);
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID }));
    await runJobs(bot);
    const allowed = [people.alex.aadObjectId, people.priya.aadObjectId];
    const leaks = bot.stub.sentActivities().filter((s) => JSON.stringify(s.activity).includes('nobody told my family') && !allowed.some((a) => s.conversationId.includes(a)));
    expect(leaks).toEqual([]);
    // and it did reach Alex
    expect(sentTo(bot, people.alex.aadObjectId).some((s) => JSON.stringify(s.activity).includes('nobody told my family'))).toBe(true);
    void (meeting as unknown as Workstream);
  });

  it('an LXP who spoke many times gets every contribution to check, in messages of six, in order, each inside the size limit', async () => {
    const { meeting } = await meetingUnderWay(bot);
    const chris = as(bot, people.chris);
    const long = (i: number) => `Point ${i + 1}: ${'the crisis line should be answered by someone who has used it. '.repeat(40)}`.slice(0, 2000);
    for (let i = 0; i < 14; i++) {
      await chris.act('log_save', { meetingId: meeting.id, submissionId: `many-${i}`, lxpIds: people.sam.aadObjectId, words: long(i), kind: 'suggestion' }, chat);
    }
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID }));
    const checks = () => sentTo(bot, people.sam.aadObjectId).map((s) => cardOf(s.activity)).filter((c) => c && cardText(c).includes('Here is what was recorded from you'));

    // Each sent part schedules the next: three runs send three messages, and a fourth sends nothing more.
    for (let run = 0; run < 4; run++) await runJobs(bot);
    const cards = checks();
    expect(cards).toHaveLength(3);
    expect(cardText(cards[0])).toContain('You have 14 contributions from this meeting to check. They come in 3 messages; this is part 1 of 3.');
    expect(cardText(cards[1])).toContain('Part 2 of 3.');
    expect(cardText(cards[2])).toContain('Part 3 of 3.');
    const points = cards.map((c) => [...cardText(c).matchAll(/Point (\d+):/g)].map((m) => Number(m[1])));
    // Each point twice on its card: as the record, and in the correction box.
    expect(points.map((p) => [...new Set(p)])).toEqual([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], [13, 14]]);
    for (const card of cards) expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);

    // A button on the second message answers with the second message again, its own six.
    const pressed = await as(bot, people.sam).act('check_confirm', actionData(cards[1], 'check_confirm')!);
    expect(cardText(pressed.card)).toContain('Thank you: confirmed.');
    expect(cardText(pressed.card)).toContain('Part 2 of 3.');
    expect([...new Set([...cardText(pressed.card).matchAll(/Point (\d+):/g)].map((m) => Number(m[1])))]).toEqual([7, 8, 9, 10, 11, 12]);
    const stored = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items;
    expect(stored.filter((c) => c.check === 'confirmed').map((c) => c.words.slice(0, 8))).toEqual(['Point 7:']);

    // A part that is not a number is refused, and changes nothing.
    const odd = await as(bot, people.sam).act('check_confirm', { ...actionData(cards[2], 'check_confirm')!, part: 'second' });
    expect(odd.message).toBe('This card refers to something Golden Thread does not have. Open a fresh card and try again.');
    expect((await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items.filter((c) => c.check === 'confirmed')).toHaveLength(1);
  });

  it('a part whose contributions were all withdrawn before it was sent is passed over, and the next part still comes', async () => {
    const { meeting } = await meetingUnderWay(bot);
    const chris = as(bot, people.chris);
    for (let i = 0; i < 13; i++) {
      await chris.act('log_save', { meetingId: meeting.id, submissionId: `w-${i}`, lxpIds: people.sam.aadObjectId, words: `Point ${i + 1}: short`, kind: 'suggestion' }, chat);
    }
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID }));
    await runJobs(bot);
    const first = sentTo(bot, people.sam.aadObjectId).map((s) => cardOf(s.activity)).filter((c) => c && cardText(c).includes('Here is what was recorded from you'));
    expect(first).toHaveLength(1);
    // Sam withdraws points 7 to 12 (the second part) before it goes out, from "my contributions" or an earlier card.
    const stored = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    for (const c of stored.slice(6, 12)) expect((await as(bot, people.sam).act('check_withdraw', { contributionId: c.id, meetingId: meeting.id })).message ?? '').not.toMatch(/Only/);
    for (let run = 0; run < 3; run++) await runJobs(bot);
    const cards = sentTo(bot, people.sam.aadObjectId).map((s) => cardOf(s.activity)).filter((c) => c && cardText(c).includes('Here is what was recorded from you'));
    expect(cards).toHaveLength(2);
    expect(cardText(cards[1])).toContain('Part 3 of 3.');
    expect(cardText(cards[1])).toContain('Point 13: short');
  });

  it('carries a contribution into a later meeting, and both meetings show the link', async () => {
    const { meeting } = await meetingUnderWay(bot);
    const chris = as(bot, people.chris);
    await chris.act('log_save', { meetingId: meeting.id, submissionId: 'first', lxpIds: people.sam.aadObjectId, words: WORDS.sam, kind: 'suggestion' }, chat);
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-09T11:00:00.0000000Z' }));
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway reference group', time: '2026-03-18T10:00:00.0000000Z' }));
    const later = (await bot.running.deps.stores.meetings.query(TENANT_ID, [{ field: 'title', op: '=', value: 'Crisis pathway reference group' }])).items[0];
    const opened = await chris.act('carry_open', { meetingId: later.id }, chat);
    expect(opened.message).toContain('listed below');
    const list = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).filter(Boolean).at(-1);
    expect(cardText(list)).toContain(WORDS.sam);
    const carried = await chris.act('carry_forward', actionData(list, 'carry_forward')!, chat);
    expect(cardText(carried.card)).toContain('Carried into this meeting');
    // Jordan (staff) may not.
    expect((await as(bot, people.jordan).act('carry_open', { meetingId: later.id }, chat)).message).toMatch(/Only the chairs/);

    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-18T11:00:00.0000000Z' }));
    await runJobs(bot);
    const minutes = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).filter((c) => c && cardText(c).includes('Crisis pathway reference group') && cardText(c).includes('Lived-experience contributions')).at(-1);
    expect(cardText(minutes)).toContain('Carried in from Crisis pathway monthly (Monday 9 March 2026)');
    const first = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items[0];
    expect(first.carriedInto).toEqual([later.id]);
  });
});
