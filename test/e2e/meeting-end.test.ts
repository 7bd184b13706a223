import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { actionExecute, groupMention, loadActivity, meetingEvent, personalConversationId, type From } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import type { Workstream } from '../../src/domain/workstream';
import { exportAttendance } from '../../src/commands/attendance';

/**
 * Issue 21: the loop runs when Teams sends no meeting events. Every test here posts activities to the real
 * server over HTTP and answers its outgoing calls with the connector stub; none sends meetingStart, and only
 * the "late meetingEnd" test sends meetingEnd, after the chair has ended the meeting.
 */

/** A plain group chat (not a meeting's): how many small groups meet. */
const GROUP_CHAT = '19:c2FtYWxleGNocmlz@thread.v2';
/** A channel meeting's thread, and the channel it is in, as channel-meeting-mention.json has them. */
const CHANNEL = '19:Q3Jpc2lzUGF0aHdheQ@thread.tacv2';
const THREAD = `${CHANNEL};messageid=1741082400000`;
const CHANNEL_MEETING_ID = 'MCMxOTpRM0pwYzJselVHRjBhSGRoZVFAdGhyZWFkLnRhY3YyIzE3NDEwODI0MDAwMDA=';
const CHANNEL_DATA = loadActivity('channel-meeting-mention').channelData;

const SAM = 'Crisis cafés should stay open until midnight';
const ALEX = 'Ask people who used the service to write the leaflet';

let bot: BotUnderTest;
let clock: MovableClock;

async function start(env: Record<string, string> = {}) {
  // A Tuesday morning, so nobody's default quiet days get in the way.
  clock = movableClock('2026-03-10T10:00:00.000Z');
  bot = await startBot({ JOBS_TICK_SECRET: 'end-secret', ...env }, { clock });
}
afterEach(async () => bot?.close());

type Where = { kind: 'group' } | { kind: 'meeting' } | { kind: 'channel' };

/** Someone mentions the bot in a chat: a plain group chat has no channelData.meeting; a channel meeting's thread has team, channel and meeting. */
async function mention(who: From, text: string, where: Where) {
  let activity;
  if (where.kind === 'channel') {
    activity = loadActivity('channel-meeting-mention', {
      from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
      text: `<at>Golden Thread</at> ${text}`,
    });
    activity.attachments = [];
  } else {
    activity = groupMention({ text, from: who, conversationId: where.kind === 'group' ? GROUP_CHAT : MEETING_CHAT_ID, meetingId: where.kind === 'meeting' ? MEETING_ID : undefined });
    if (where.kind === 'group') delete activity.channelData.meeting;
  }
  const res = await bot.post(activity);
  expect(res.status).toBeLessThan(300);
}

/** A card button pressed in that chat; returns the invoke response. */
async function press(who: From, verb: string, data: Record<string, unknown>, where: Where) {
  const conversationId = where.kind === 'group' ? GROUP_CHAT : where.kind === 'channel' ? THREAD : MEETING_CHAT_ID;
  const activity = actionExecute({ verb, data, from: who, conversationType: where.kind === 'channel' ? 'channel' : 'groupChat', conversationId, replyToId: 'card-1' });
  if (where.kind === 'group') delete activity.channelData.meeting;
  if (where.kind === 'meeting') activity.channelData.meeting = { id: MEETING_ID };
  if (where.kind === 'channel') activity.channelData = { ...CHANNEL_DATA };
  const res = await bot.post(activity);
  const body = res.body;
  return { status: res.status, card: body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined, message: typeof body?.value === 'string' ? (body.value as string) : undefined };
}

const chatOf = (where: Where) => (where.kind === 'group' ? GROUP_CHAT : where.kind === 'channel' ? THREAD : MEETING_CHAT_ID);
const cardsIn = (conversationId: string) => bot.stub.sentActivities(conversationId).filter((s) => s.kind !== 'update').map((s) => cardOf(s.activity)).filter(Boolean);
const minutesIn = (conversationId: string) => cardsIn(conversationId).filter((c) => cardText(c).includes('Lived-experience contributions'));
const inbox = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean);
const checksFor = (who: From) => inbox(who).filter((c) => cardText(c).includes('Here is what was recorded from you'));
const endCards = (who: From) => inbox(who).filter((c) => cardText(c).includes('Meeting ended:'));

/** The latest log card posted in a chat. */
const logCard = (where: Where) => cardsIn(chatOf(where)).filter((c) => actionData(c, 'log_save')).at(-1);

/** The chair saves what the card shows, changing only who said it and the words (every other field as presented). */
async function save(where: Where, who: From, words: string) {
  const card = logCard(where);
  const fields = presented(card);
  const saved = await press(people.chris, 'log_save', { ...fields, ...actionData(card, 'log_save'), lxpIds: who.aadObjectId, words }, where);
  expect(cardText(saved.card)).toContain('Saved');
}

/** Every input's value as the card presents it. */
function presented(card: any): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id) out[n.id] = n.value ?? '';
    Object.values(n).forEach(walk);
  };
  walk([card?.body, card?.actions]);
  return out;
}

async function linked(where: Where): Promise<Workstream> {
  const ws = await programmeWithWorkstream(bot);
  await runJobs(bot); // welcome cards
  const linkedIt = await press(people.chris, 'meeting_link', { workstreamId: ws.id }, where);
  expect(linkedIt.message).toContain('linked to Crisis pathway');
  return ws;
}

/** Runs the due jobs until nothing more is due (each sent part may queue the next). */
async function drain() {
  for (let i = 0; i < 6; i++) {
    const r = await runJobs(bot);
    if (r.ran === 0) return;
  }
}

describe('a group chat with no meeting events works as sessions', () => {
  it('log two contributions, the chair ends the session: minutes posted once, both LXPs asked once, the chair told', async () => {
    await start();
    const where: Where = { kind: 'group' };
    await linked(where);

    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);
    await mention(people.chris, 'log', where);
    await save(where, people.alex, ALEX);
    const meetings = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
    expect(meetings).toHaveLength(1);
    expect(meetings[0].title).toMatch(/^Crisis pathway session, /);

    // The log card carries the button; Alex (an LXP) may not press it.
    const card = logCard(where);
    expect(actionData(card, 'meeting_end')).toBeTruthy();
    expect((await press(people.alex, 'meeting_end', actionData(card, 'meeting_end')!, where)).message).toMatch(/Only the chairs/);
    const ended = await press(people.chris, 'meeting_end', actionData(card, 'meeting_end')!, where);
    expect(ended.message).toContain('Meeting ended. The minutes are being posted here');
    await drain();

    const minutes = minutesIn(GROUP_CHAT);
    expect(minutes).toHaveLength(1);
    expect(cardText(minutes[0])).toContain('2 contributions from Lived Experience Practitioners');
    expect(cardText(minutes[0])).toContain(SAM);
    expect(checksFor(people.sam)).toHaveLength(1);
    expect(checksFor(people.alex)).toHaveLength(1);
    expect(cardText(checksFor(people.sam)[0])).toContain(SAM);
    const told = endCards(people.chris);
    expect(told).toHaveLength(1);
    expect(cardText(told[0])).toContain('Chris Morgan ended it');
    expect(cardText(told[0])).toContain('with 2 contributions from LXPs');

    // The next `log` opens the next session rather than adding to the ended one.
    clock.advance(1_000);
    await mention(people.chris, 'log', where);
    expect((await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items).toHaveLength(2);
  });

  it('the chair presses End twice, then types "end meeting", then Teams\' meetingEnd arrives late: minutes and checks go out once', async () => {
    await start();
    const where: Where = { kind: 'meeting' };
    await linked(where);
    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);

    const data = actionData(logCard(where), 'meeting_end')!;
    const [first, second] = await Promise.all([press(people.chris, 'meeting_end', data, where), press(people.chris, 'meeting_end', data, where)]);
    expect([first.message, second.message].filter((m) => m?.startsWith('Meeting ended.'))).toHaveLength(1);
    expect([first.message, second.message].filter((m) => m?.startsWith('This meeting already ended'))).toHaveLength(1);
    await drain();
    await mention(people.chris, 'end meeting', where);
    expect(bot.stub.sentActivities(MEETING_CHAT_ID).at(-1)?.activity.text).toMatch(/already ended/);
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID }));
    await drain();
    clock.advance(60_000);
    await drain();

    expect(minutesIn(MEETING_CHAT_ID)).toHaveLength(1);
    expect(checksFor(people.sam)).toHaveLength(1);
    expect(endCards(people.chris)).toHaveLength(1);
    const [meeting] = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
    expect(meeting.endedBy).toEqual({ personId: people.chris.aadObjectId });
  });

  it('a log of more than 2,000 characters says how much was left out', async () => {
    await start();
    const where: Where = { kind: 'group' };
    await linked(where);
    await mention(people.chris, `log Sam: ${'a'.repeat(2345)}`, where);
    const text = cardText(logCard(where));
    expect(text).toContain('What you typed was 2,345 characters; the box holds 2,000, so the last 345 were left out.');
  });
});

describe('a scheduled meeting whose end never comes', () => {
  it('is closed by the scheduler MEETING_CLOSE_AFTER its scheduled end (from Teams\' meeting details), and the chair is told what was posted', async () => {
    await start({ MEETING_CLOSE_AFTER: 'PT5S', SESSION_CLOSE_AFTER: 'PT30S', SCHEDULER_INTERVAL: 'PT1S' });
    const where: Where = { kind: 'meeting' };
    await linked(where);
    // Teams' meeting details: the meeting is scheduled to end 20 seconds from now.
    bot.stub.setMeeting(MEETING_ID, {
      details: { id: MEETING_ID, title: 'Crisis pathway monthly', type: 'Scheduled', scheduledStartTime: '2026-03-10T10:00:00Z', scheduledEndTime: '2026-03-10T10:00:20Z' },
      organizer: { aadObjectId: people.chris.aadObjectId },
      conversation: { id: MEETING_CHAT_ID, isGroup: true },
    });
    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);
    const [meeting] = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
    expect(meeting).toMatchObject({ title: 'Crisis pathway monthly', scheduledEnd: '2026-03-10T10:00:20.000Z' });

    clock.advance(24_000); // 4 s after the scheduled end: not yet
    await drain();
    expect(minutesIn(MEETING_CHAT_ID)).toHaveLength(0);
    clock.advance(2_000); // 6 s after: closed
    await drain();

    expect(minutesIn(MEETING_CHAT_ID)).toHaveLength(1);
    expect(checksFor(people.sam)).toHaveLength(1);
    const told = endCards(people.chris);
    expect(told).toHaveLength(1);
    expect(cardText(told[0])).toContain('Golden Thread closed it as of its scheduled end');
    expect(cardText(told[0])).toContain('The minutes were posted in the meeting chat, with 1 contribution from LXPs.');
    const closed = await bot.running.deps.stores.meetings.get(TENANT_ID, meeting.id);
    expect(closed).toMatchObject({ endedBy: 'scheduler', endedAt: '2026-03-10T10:00:20.000Z' });
  });

  it('a session with no schedule is closed SESSION_CLOSE_AFTER its start', async () => {
    await start({ SESSION_CLOSE_AFTER: 'PT10S' });
    const where: Where = { kind: 'group' };
    await linked(where);
    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);
    clock.advance(9_000);
    await drain();
    expect(minutesIn(GROUP_CHAT)).toHaveLength(0);
    clock.advance(2_000);
    await drain();
    expect(minutesIn(GROUP_CHAT)).toHaveLength(1);
    expect(checksFor(people.sam)).toHaveLength(1);
  });
});

describe('a channel meeting', () => {
  it('links, logs, ends and posts the minutes in the meeting\'s thread; the link card is not posted in General; the next thread needs no link', async () => {
    await start();
    const ws = await programmeWithWorkstream(bot);
    await runJobs(bot);
    // Added to the team: General gets a hello, not the link card.
    await bot.post(loadActivity('team-installation-update-add'));
    const general = bot.stub.sentActivities('19:TFhQUHJvZ3JhbW1l@thread.tacv2');
    expect(general.map((s) => cardOf(s.activity))).toEqual(general.map(() => undefined));
    expect(general.map((s) => s.activity.text).join('\n')).toContain('"link" in the meeting\'s thread');

    const where: Where = { kind: 'channel' };
    await mention(people.chris, 'link', where);
    expect(cardsIn(THREAD).some((c) => actionData(c, 'meeting_link'))).toBe(true);
    expect((await press(people.chris, 'meeting_link', { workstreamId: ws.id }, where)).message).toContain('linked to Crisis pathway');
    expect(((await bot.running.deps.stores.workstreams.get(TENANT_ID, ws.id)) as Workstream).chatIds).toContain(CHANNEL);

    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);
    await mention(people.chris, 'log', where);
    await save(where, people.alex, ALEX);
    const [meeting] = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
    expect(meeting).toMatchObject({ conversationId: THREAD, teamsMeetingId: CHANNEL_MEETING_ID });

    await mention(people.chris, 'end meeting', where);
    await drain();
    const minutes = minutesIn(THREAD);
    expect(minutes).toHaveLength(1);
    expect(cardText(minutes[0])).toContain('2 contributions from Lived Experience Practitioners');
    expect(minutesIn(CHANNEL)).toHaveLength(0);
    expect(checksFor(people.sam)).toHaveLength(1);
    expect(checksFor(people.alex)).toHaveLength(1);

    // Another meeting in the same channel has its own thread, already linked through the channel.
    // From the chair: the log card goes only to those who can log (issue 18).
    const { id, name, aadObjectId } = people.chris;
    const next = loadActivity('channel-meeting-mention', { from: { id, name, aadObjectId }, conversation: { id: `${CHANNEL};messageid=1741687200000` }, text: '<at>Golden Thread</at> log' });
    next.attachments = [];
    next.channelData.meeting = { id: 'MCMxOTpRM0pwYzJselVHRjBhSGRoZVFAdGhyZWFkLnRhY3YyIzE3NDE2ODcyMDAwMDA=' };
    await bot.post(next);
    expect(cardsIn(`${CHANNEL};messageid=1741687200000`).some((c) => actionData(c, 'log_save'))).toBe(true);
  });
});

describe('attendance the chair confirms', () => {
  it('appears in attendance <month> marked as confirmed; the LXP sees it and can flag a mistake to the programme team', async () => {
    await start();
    const where: Where = { kind: 'group' };
    await linked(where);
    await mention(people.chris, `log Sam: ${SAM}`, where);
    await save(where, people.sam, SAM);
    await mention(people.chris, 'end meeting', where);
    await drain();

    // No join or leave events: nobody is ticked. Chris ticks Sam (who joined by phone) and saves.
    const [card] = endCards(people.chris);
    expect(presented(card).present).toBe('');
    const saved = await as(bot, people.chris).act('attendance_confirm', { ...actionData(card, 'attendance_confirm'), present: people.sam.aadObjectId });
    expect(cardText(saved.card)).toContain('Saved: attendance is recorded as confirmed by you.');
    expect(presented(saved.card).present).toBe(people.sam.aadObjectId);
    // Only a chair (or the programme team) may.
    expect((await as(bot, people.sam).act('attendance_confirm', { ...actionData(card, 'attendance_confirm'), present: people.sam.aadObjectId })).message).toMatch(/Only the chairs/);

    const forPriya = await as(bot, people.priya).say('attendance March 2026');
    const table = cardText(cardOf(forPriya.at(-1)!.activity));
    expect(table).toContain('Sam Okafor');
    expect(table).toContain('1 (1 confirmed by the chair)');
    expect(table).not.toContain('Alex Rivera');

    // The export: offered as a file over HTTP; the file marks the row as confirmed by the chair.
    const offer = await as(bot, people.priya).say('export attendance March 2026');
    const consent = offer.map((s) => s.activity.attachments?.[0]).find((a) => a?.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    expect(consent?.content.description).toContain('2 attendance records: attendance, March 2026. Attendance the chair confirmed is marked as such.');
    const file = await exportAttendance(bot.running.deps, { id: people.priya.aadObjectId, tenantId: TENANT_ID, name: 'Priya Shah' }, 'March 2026');
    const [header, ...rows] = file.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header).toBe('Meeting,Workstream,Meeting date,LXP,Present,Minutes present,Recorded from,Confirmed by,Confirmed on');
    // Alex was left unticked: recorded as not present, also on the chair's word.
    expect(rows.sort()).toEqual([
      '"Crisis pathway session, 10 Mar 2026",Crisis pathway,2026-03-10,Alex Rivera,no,0,,the chair (Chris Morgan),2026-03-10',
      '"Crisis pathway session, 10 Mar 2026",Crisis pathway,2026-03-10,Sam Okafor,yes,0,,the chair (Chris Morgan),2026-03-10',
    ]);

    const forSam = await as(bot, people.sam).say('attendance March 2026');
    const own = cardOf(forSam.at(-1)!.activity);
    expect(cardText(own)).toContain('Present, confirmed by the chair');
    const flagged = await as(bot, people.sam).act('attendance_flag', { ...actionData(own, 'attendance_flag'), meetingId: presented(own).meetingId, note: 'I left after 20 minutes' });
    expect(flagged.message).toContain('The programme team has been told');
    await drain();
    const notice = inbox(people.priya).filter((c) => cardText(c).includes('An LXP says their attendance is wrong'));
    expect(notice).toHaveLength(1);
    expect(cardText(notice[0])).toContain('I left after 20 minutes');
  });
});

describe('with every duration in seconds', () => {
  it('the whole loop, from the first log to "you said, we did", completes within a minute with the card\'s fields left as presented', async () => {
    await start({ FOLLOWUP_AFTER: 'PT15S', REMINDER_EVERY: 'PT10S', ESCALATE_AFTER: 'PT30S', SESSION_CLOSE_AFTER: 'PT20S', MEETING_CLOSE_AFTER: 'PT10S', SCHEDULER_INTERVAL: 'PT1S' });
    const where: Where = { kind: 'group' };
    await linked(where);
    await as(bot, people.sam).act('preferences_save', {
      personId: people.sam.aadObjectId, attribution: 'named', quoteInReports: 'false', rhythm: 'as_it_happens', detail: 'detailed', news: 'good_news,not_taken_forward,under_consideration', quietDays: '', revealToOwner: 'false',
    });
    const began = clock.now().getTime();

    await mention(people.chris, `log Sam: ${SAM}`, where);
    // Every field as the card presents it, the feedback due date included; only who and the words are the chair's.
    const card = logCard(where);
    expect(presented(card).dueDate).toBe('2026-03-10');
    await press(people.chris, 'log_save', { ...presented(card), ...actionData(card, 'log_save'), lxpIds: people.sam.aadObjectId }, where);
    const [c] = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items;
    expect(c.words).toBe(SAM);

    // Nobody ends the session: the scheduler closes it (20 s); the owner (the chair, as presented) is asked when it is due (15 s).
    const second = async () => {
      clock.advance(1_000);
      await drain();
    };
    const asked = () => inbox(people.chris).find((x) => actionData(x, 'outcome_record'));
    while (!asked() && clock.now().getTime() - began < 60_000) await second();
    expect(clock.now().getTime() - began).toBe(15_000);
    await as(bot, people.chris).act('outcome_record', { ...actionData(asked(), 'outcome_record'), status: 'adopted', whatWeDid: 'The cafés now open until midnight on weekdays.' });
    const weDid = () => inbox(people.sam).find((x) => cardText(x).includes('The cafés now open until midnight'));
    while (!(weDid() && checksFor(people.sam).length) && clock.now().getTime() - began < 60_000) await second();
    expect(weDid()).toBeTruthy();
    expect(minutesIn(GROUP_CHAT)).toHaveLength(1);
    expect(checksFor(people.sam)).toHaveLength(1);
    expect(clock.now().getTime() - began).toBeLessThan(60_000);
  });
});
