import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { meetingEvent, participantEvent, personalConversationId, type From } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import type { Meeting } from '../../src/domain/meeting';

/**
 * An LXP who attended a meeting and has nothing in its record is told so, 1:1, once, with "Add something to the
 * record" (over HTTP against the embedded store and the connector stub). Attendance is Teams' join events or the
 * chair's "was here" tick; the chair's "not here" wins over events. Nobody who was not there, and nobody who is
 * not an LXP of the workstream, is sent it; an LXP with something recorded gets their ordinary check card.
 */

let bot: BotUnderTest;
let clock: MovableClock;
const { chris, sam, alex, jordan } = people;
const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };
const ALEX_SAID = 'The crisis line should call back within the hour';

const cardsTo = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean);
const nothingCards = (who: From, title: string) => cardsTo(who).filter((c) => cardText(c).startsWith('Nothing was recorded from you in') && cardText(c).includes(title));
const checkCards = (who: From, title: string) => cardsTo(who).filter((c) => cardText(c).includes('Here is what was recorded from you') && cardText(c).includes(title));

async function drain() {
  for (let i = 0; i < 6; i++) if ((await runJobs(bot)).ran === 0) return;
}

/** A meeting of the linked chat starts (Teams' meetingStart) and these people join it (Teams' participant events). */
async function meetingWith(title: string, time: string, joined: From[]): Promise<Meeting> {
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title, time }));
  if (joined.length) await bot.post(participantEvent('join', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: joined }));
  const found = (await bot.running.deps.stores.meetings.query(TENANT_ID, [{ field: 'title', op: '=', value: title }])).items as Meeting[];
  expect(found).toHaveLength(1);
  return found[0];
}
const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
const end = (time: string) => bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time }));

beforeAll(async () => {
  // A Tuesday: nobody's default quiet days get in the way.
  clock = movableClock('2026-03-10T09:00:00.000Z');
  bot = await startBot({}, { clock });
  const ws = await programmeWithWorkstream(bot);
  await drain();
  expect((await as(bot, chris).act('meeting_link', { workstreamId: ws.id }, chat)).message).toContain('linked to Crisis pathway');
}, 60_000);
afterAll(async () => bot?.close());

describe('after a meeting', () => {
  let march: Meeting;

  it('Sam attended with nothing recorded: one "nothing was recorded" card, however often the end arrives; Alex, with something recorded, gets the check card instead', async () => {
    setClock('2026-03-10T10:00:00.000Z');
    march = await meetingWith('Crisis pathway, March', '2026-03-10T10:00:00.0000000Z', [sam, alex, chris, jordan]);
    const saved = await as(bot, chris).act('log_save', { meetingId: march.id, submissionId: 'alex-1', lxpIds: alex.aadObjectId, words: ALEX_SAID, kind: 'suggestion' }, chat);
    expect(cardText(saved.card)).toContain('Saved');
    setClock('2026-03-10T11:30:00.000Z');
    await end('2026-03-10T11:30:00.0000000Z');
    await end('2026-03-10T11:30:00.0000000Z');
    await drain();
    await end('2026-03-10T11:30:00.0000000Z');
    await drain();

    const [card] = nothingCards(sam, 'Crisis pathway, March');
    expect(nothingCards(sam, 'Crisis pathway, March')).toHaveLength(1);
    expect(cardText(card)).toContain('Tuesday 10 March 2026');
    expect(cardText(card)).toContain('You can add until Tuesday 17 March 2026');
    expect(checkCards(sam, 'Crisis pathway, March')).toHaveLength(0);
    // Alex has something to check, and gets just that.
    expect(checkCards(alex, 'Crisis pathway, March')).toHaveLength(1);
    expect(cardText(checkCards(alex, 'Crisis pathway, March')[0])).toContain(ALEX_SAID);
    expect(nothingCards(alex, 'Crisis pathway, March')).toHaveLength(0);
    // The chair and staff were there too, but are not LXPs of the workstream.
    for (const who of [chris, jordan]) expect(cardsTo(who).filter((c) => cardText(c).startsWith('Nothing was recorded from you'))).toHaveLength(0);
  });

  it('its button opens the add-to-the-record card for that meeting, and what Sam writes goes to the chair', async () => {
    const [card] = nothingCards(sam, 'Crisis pathway, March');
    const data = actionData(card, 'proposal_open');
    expect(data).toMatchObject({ meetingId: march.id });
    const opened = await as(bot, sam).act('proposal_open', data!);
    expect(cardText(opened.card)).toContain('Add something to the record');
    expect(cardText(opened.card)).toContain('Crisis pathway, March');
    const submit = actionData(opened.card, 'proposal_submit');
    expect(submit).toMatchObject({ meetingId: march.id });
    const sent = await as(bot, sam).act('proposal_submit', { ...submit, words: 'Night buses stop before the unit closes', kind: 'suggestion', attribution: 'as_chosen', restriction: 'as_kind' });
    expect(sent.message).toContain('Sent to the chair');
  });

  it('an LXP who did not attend gets nothing; one the chair ticks "was here" afterwards gets one card, once', async () => {
    setClock('2026-03-11T10:00:00.000Z');
    const april = await meetingWith('Crisis pathway, extra', '2026-03-11T10:00:00.0000000Z', [alex]);
    setClock('2026-03-11T11:00:00.000Z');
    await end('2026-03-11T11:00:00.0000000Z');
    await drain();
    expect(nothingCards(alex, 'Crisis pathway, extra')).toHaveLength(1);
    expect(cardsTo(sam).filter((c) => cardText(c).includes('Crisis pathway, extra'))).toHaveLength(0);

    // Sam was there, off camera: the chair says so on the end-of-meeting card (and, pressed twice, it is still one message).
    for (let i = 0; i < 2; i++) {
      expect((await as(bot, chris).act('attendance_confirm', { meetingId: april.id, present: sam.aadObjectId })).status).toBe(200);
      await drain();
    }
    expect(nothingCards(sam, 'Crisis pathway, extra')).toHaveLength(1);
    expect(nothingCards(alex, 'Crisis pathway, extra')).toHaveLength(1);
  });

  it('the chair\'s "not here" wins over Teams\' join events; after LOG_GRACE a "was here" tick sends nothing', async () => {
    setClock('2026-03-12T10:00:00.000Z');
    const late = await meetingWith('Crisis pathway, late', '2026-03-12T10:00:00.0000000Z', [alex]);
    setClock('2026-03-12T11:00:00.000Z');
    await end('2026-03-12T11:00:00.0000000Z');
    // Before the checks go out, the chair records Alex as not there (Alex's device joined; Alex did not).
    await as(bot, chris).act('attendance_confirm', { meetingId: late.id, present: '' });
    await drain();
    expect(cardsTo(alex).filter((c) => cardText(c).includes('Crisis pathway, late'))).toHaveLength(0);

    setClock('2026-03-20T11:00:00.000Z'); // past the 7 days to add to it
    await as(bot, chris).act('attendance_confirm', { meetingId: late.id, present: sam.aadObjectId });
    await drain();
    expect(cardsTo(sam).filter((c) => cardText(c).includes('Crisis pathway, late'))).toHaveLength(0);
  });

  it('an LXP who was sent their check card and withdrew what it showed is not then told nothing was recorded from them (a "was here" tick afterwards)', async () => {
    setClock('2026-03-24T10:00:00.000Z');
    const taken = await meetingWith('Crisis pathway, taken back', '2026-03-24T10:00:00.0000000Z', [sam]);
    await as(bot, chris).act('log_save', { meetingId: taken.id, submissionId: 'sam-tb', lxpIds: sam.aadObjectId, words: 'Discharge letters arrive after the appointment', kind: 'challenge' }, chat);
    setClock('2026-03-24T11:00:00.000Z');
    await end('2026-03-24T11:00:00.0000000Z');
    await drain();
    expect(checkCards(sam, 'Crisis pathway, taken back')).toHaveLength(1);
    const [mine] = (await bot.running.deps.stores.contributions.query(TENANT_ID, [{ field: 'meetingId', op: '=', value: taken.id }])).items;
    expect((await as(bot, sam).act('check_withdraw', { contributionId: mine.id, meetingId: taken.id })).status).toBe(200);
    await drain();
    expect((await as(bot, chris).act('attendance_confirm', { meetingId: taken.id, present: sam.aadObjectId })).status).toBe(200);
    await drain();
    expect(nothingCards(sam, 'Crisis pathway, taken back')).toHaveLength(0);
  });
});
