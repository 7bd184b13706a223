import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { TEAM_CHAT_ID } from '../support/scenario';
import { as, actionData, people } from '../support/talk';
import { installationUpdate, meetingEvent, participantEvent, personalConversationId, type From } from '../harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, runJobs } from '../support/scenario';
import { movableClock, type MovableClock } from '../support/job-store';
import { allDocs } from '../support/privacy';
import { GraphStub, type Behaviour, type Utterance } from '../harness/graph-stub';
import { createGraphTranscripts } from '../../src/teams/graph-transcripts';
import type { Contribution } from '../../src/domain/contribution';
import { collectMyData } from '../../src/commands/my-data';
import type { Workstream } from '../../src/domain/workstream';

/**
 * Issue 24 end to end: activities posted over HTTP to the real server, its Bot Connector calls answered by the
 * connector stub and its Microsoft Graph calls by the Graph stand-in (test/harness/graph-stub.ts), through the
 * real Graph client. Only LXPs matched by Entra object id (GUIDs, as Teams' speaker metadata gives them) can be
 * suggested, so the people here have GUID ids.
 */
const guid = (n: number) => `5d7c0000-0000-4000-8000-00000000000${n}`;
const person = (key: string, name: string, n: number): From => ({ id: `29:1-${key}`, name, aadObjectId: guid(n) });
const morgan = person('morgan', 'Morgan Ellis', 1);
const kai = person('kai', 'Kai Brennan', 2);
/** An LXP who did not agree to have their words suggested. */
const robin = person('robin', 'Robin Hale', 3);
/** Staff: never suggested, even with an id the metadata matches. */
const dee = person('dee', 'Dee Walsh', 4);
const chris = people.chris;
const priya = people.priya;
const GRAPH_MEETING = 'MSo1ZDdjMDAwMC1ncmFwaC1tZWV0aW5nKjA=';
const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };

const SAID = {
  chairOpens: 'Welcome everyone to the crisis pathway meeting, today we look at night time support and the new discharge letters.',
  morgan1: 'The crisis line should answer at night with someone who has used it,',
  morgan2: 'because a script read by a stranger at three in the morning makes people hang up.',
  robin: 'When my brother was admitted nobody rang our family for nine days and we found out from a neighbour.',
  dee: 'The trust has funding for two peer support posts in the emergency department from April this year.',
  morganShort: 'Yes, absolutely agree with that.',
  kai1: 'I waited eleven weeks for a first appointment and nobody told me where I was on the list, so I stopped asking.',
  kai2: 'The discharge letters use words that nobody in my family understood, and they went to the GP before we saw them.',
};
const KAI_FIX = 'I waited eleven weeks for a first appointment and was never told where I was on the waiting list.';

function transcript(): Utterance[] {
  const at = (n: number) => ({ start: n * 20, end: n * 20 + 15 });
  return [
    { speaker: { name: chris.name }, text: SAID.chairOpens, ...at(0) },
    { speaker: { name: morgan.name, id: morgan.aadObjectId }, text: SAID.morgan1, ...at(1) },
    { speaker: { name: morgan.name, id: morgan.aadObjectId }, text: SAID.morgan2, ...at(2) },
    { speaker: { name: robin.name, id: robin.aadObjectId }, text: SAID.robin, ...at(3) },
    { speaker: { name: dee.name, id: dee.aadObjectId }, text: SAID.dee, ...at(4) },
    { speaker: { name: morgan.name, id: morgan.aadObjectId }, text: SAID.morganShort, ...at(5) },
    { speaker: { name: kai.name, id: kai.aadObjectId }, text: SAID.kai1, ...at(6) },
    { speaker: { name: chris.name }, text: 'Thank you Kai, that is really important for the pathway review in the summer.', ...at(7) },
    { speaker: { name: kai.name, id: kai.aadObjectId }, text: SAID.kai2, ...at(8) },
  ];
}

let bot: BotUnderTest;
let graph: GraphStub;
let clock: MovableClock;
let waits: number[];

async function start() {
  // A Monday morning, so nobody's default quiet days hold a message back.
  clock = movableClock('2026-03-09T09:00:00.000Z');
  graph = await GraphStub.start();
  waits = [];
  const credential = { getToken: async () => ({ token: 'graph-test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  bot = await startBot({}, { clock, transcripts: (logger) => createGraphTranscripts({ credential, logger, baseUrl: graph.url, sleep: async (ms) => void waits.push(ms) }) });
}
afterEach(async () => {
  await bot?.close();
  await graph?.close();
});

const inbox = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean);
const suggestionCardsFor = (who: From) => inbox(who).filter((c) => actionData(c, 'suggestions_save'));
const notesFor = (who: From) => inbox(who).filter((c) => cardText(c).startsWith('Suggested contributions from the transcript') && !actionData(c, 'suggestions_save'));
const checksFor = (who: From) => inbox(who).filter((c) => cardText(c).includes('Here is what was recorded from you'));

/** Runs due jobs until nothing more is due. */
async function drain() {
  for (let i = 0; i < 8; i++) if ((await runJobs(bot)).ran === 0) return;
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
  walk(card?.body);
  return out;
}

async function agree(who: From, yes: boolean) {
  const saved = await as(bot, who).act('preferences_save', { attribution: 'named', rhythm: 'as_it_happens', detail: 'detailed', news: 'good_news,not_taken_forward,under_consideration', quietDays: '', quietHours: 'none', transcriptSuggestions: String(yes) });
  expect(cardText(saved.card)).toContain(yes ? 'your words may be suggested to the chair' : 'your words are never suggested');
}

/** The programme, a workstream with three LXPs and a member of staff, the switch on, two LXPs agreeing; a meeting Teams transcribed, ended. */
async function transcribedMeeting(behaviour?: Behaviour): Promise<Workstream> {
  const lead = as(bot, priya);
  await lead.say('setup');
  await lead.act('programme_claim');
  for (const p of [chris, morgan, kai, robin, dee]) await as(bot, p).say('help');
  // Picked from the programme team chat's members (issue 18: pickers offer the programme's people and the chat's members).
  bot.stub.setMembers(TEAM_CHAT_ID, [priya, chris, morgan, kai, robin, dee].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  const inTeamChat = { conversationType: 'groupChat' as const, conversationId: TEAM_CHAT_ID };
  const editor = await lead.act('workstream_edit', { workstreamId: '' }, inTeamChat);
  await lead.act('workstream_save', {
    ...actionData(editor.card, 'workstream_save'),
    name: 'Crisis pathway', chairIds: chris.aadObjectId, lxpIds: [morgan, kai, robin].map((p) => p.aadObjectId).join(','), staffIds: dee.aadObjectId, area1: 'Crisis care at night',
  }, inTeamChat);
  const [ws] = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])).items as Workstream[];

  // Only the lead switches it on; the card says where it stands.
  expect((await as(bot, chris).act('transcripts_switch', { on: 'true' })).message).toContain('Only the programme lead');
  const on = await lead.act('transcripts_switch', { on: 'true' });
  expect(cardText(on.card)).toContain('On. When a meeting Teams transcribed ends');

  await agree(morgan, true);
  await agree(kai, true);
  await agree(robin, false);
  await drain(); // welcome cards
  bot.stub.reset();

  bot.stub.setMembers(MEETING_CHAT_ID, [chris, morgan, kai, robin, dee].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  bot.stub.setMeeting(MEETING_ID, { details: { id: MEETING_ID, title: 'Crisis pathway monthly', msGraphResourceId: GRAPH_MEETING }, organizer: { id: chris.id, aadObjectId: chris.aadObjectId } });
  graph.serve({ organiserId: chris.aadObjectId, onlineMeetingId: GRAPH_MEETING, transcripts: [{ utterances: transcript() }], behaviour });
  await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: chris, overrides: { channelData: { meeting: { id: MEETING_ID } } } }));
  await as(bot, chris).act('meeting_link', { workstreamId: ws.id }, chat);
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: '2026-03-09T10:00:00.0000000Z' }));
  await bot.post(participantEvent('join', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: [morgan, kai, robin, dee] }));
  clock.advance(90 * 60_000);
  await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-09T10:30:00.0000000Z' }));
  await drain(); // minutes, the chair's end-of-meeting card
  expect(graph.calls).toHaveLength(0);
  clock.advance(5 * 60_000);
  await drain();
  return ws;
}

/** The sentences Graph served that appear in `text`. */
const leaked = (text: string, sentences: string[]) => sentences.filter((s) => text.includes(s));

describe('suggested contributions from the transcript (HTTP, connector and Graph stubs)', () => {
  it('only consenting LXPs are suggested; the chair saves two; both are asked to check; one corrects; nothing unsaved is kept anywhere', async () => {
    await start();
    await transcribedMeeting();

    // Graph was asked as the documented path says, with the bot's token, once per file.
    expect(graph.calls.map((c) => `${c.status} ${c.path.split('/transcripts')[1] ?? ''}`)).toEqual(expect.arrayContaining(['200 ']));
    expect(graph.calls.every((c) => c.auth === 'Bearer graph-test-token' && c.path.startsWith(`/v1.0/users/${chris.aadObjectId}/onlineMeetings/${encodeURIComponent(GRAPH_MEETING)}/transcripts`))).toBe(true);

    const [card, ...more] = suggestionCardsFor(chris);
    expect(more).toHaveLength(0);
    const text = cardText(card);
    const fields = presented(card);
    const words = Object.entries(fields).filter(([k]) => k.startsWith('words_')).map(([, v]) => v);
    // Morgan's two cues joined into one turn; Kai's two turns; nothing of Robin (no consent), Dee (staff), the chair, or a short turn.
    expect(words).toEqual([`${SAID.morgan1} ${SAID.morgan2}`, SAID.kai1, SAID.kai2]);
    expect(text).toContain(morgan.name);
    expect(text).toContain(kai.name);
    for (const not of [robin.name, dee.name, SAID.robin, SAID.dee, SAID.chairOpens, SAID.morganShort]) expect(text + words.join(' ')).not.toContain(not);
    // Nothing else went to anyone but the chair.
    for (const p of [morgan, kai, robin, dee, priya]) expect(inbox(p)).toHaveLength(0);

    // The chair ticks Morgan's turn and Kai's first; Kai's second is left.
    const ids = Object.keys(fields).filter((k) => k.startsWith('words_')).map((k) => k.slice('words_'.length));
    const [morganId, kaiId] = ids;
    const save = { ...fields, ...actionData(card, 'suggestions_save'), [`pick_${morganId}`]: 'true', [`pick_${kaiId}`]: 'true' };
    const saved = await as(bot, chris).act('suggestions_save', save);
    const savedText = cardText(saved.card);
    expect(savedText).toContain('Saved 2 contributions from the transcript');
    expect(savedText).toContain('The rest were not kept');
    expect(JSON.stringify(saved.card)).not.toContain(SAID.kai2);
    // Pressed again (a retry, a double click): nothing saved twice.
    expect(cardText((await as(bot, chris).act('suggestions_save', save)).card)).toContain('2 had already been saved');

    const contributions = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items as Contribution[];
    expect(contributions.map((c) => [c.lxpIds, c.words, c.source]).sort()).toEqual(
      [[[kai.aadObjectId], SAID.kai1, 'transcript'], [[morgan.aadObjectId], `${SAID.morgan1} ${SAID.morgan2}`, 'transcript']].sort(),
    );
    const recorded = (await bot.running.deps.stores.audit.query(TENANT_ID, [{ field: 'action', op: '=', value: 'contribution.recorded' }])).items;
    expect(recorded.map((a) => a.detail?.source)).toEqual(['transcript', 'transcript']);

    // Both LXPs get their check card, which says where the words came from; Kai corrects them.
    await drain();
    for (const p of [morgan, kai]) {
      expect(checksFor(p)).toHaveLength(1);
      expect(cardText(checksFor(p)[0])).toContain('Taken from the meeting transcript by the chair');
    }
    const kaiContribution = contributions.find((c) => c.lxpIds.includes(kai.aadObjectId))!;
    const corrected = await as(bot, kai).act('check_correct', { contributionId: kaiContribution.id, meetingId: kaiContribution.meetingId, [`words_${kaiContribution.id}`]: KAI_FIX });
    expect(cardText(corrected.card)).toContain(KAI_FIX);
    expect((await bot.running.deps.stores.contributions.get(TENANT_ID, kaiContribution.id))?.words).toBe(KAI_FIX);
    // `my data` marks it as taken from the transcript and holds the agreement, in the preferences and the consent record.
    const mine = await collectMyData(bot.running.deps, { id: kai.aadObjectId, tenantId: TENANT_ID, name: kai.name });
    expect(mine.contributions.map((c) => c.source)).toEqual(['transcript']);
    expect(mine.preferences?.transcriptSuggestions).toBe(true);
    expect(mine.consent.at(-1)?.choices.transcriptSuggestions).toBe(true);
    await drain();

    // The scan: what the chair did not save is nowhere but the chair's suggestion card.
    const savedWords = [`${SAID.morgan1} ${SAID.morgan2}`, SAID.kai1].join(' ');
    const unsaved = graph.servedText().filter((s) => !savedWords.includes(s));
    expect(unsaved).toEqual([SAID.chairOpens, SAID.robin, SAID.dee, SAID.morganShort, expect.stringContaining('Thank you Kai'), SAID.kai2]);
    const store = JSON.stringify(await allDocs(bot.running.deps.stores));
    expect(leaked(store, unsaved)).toEqual([]);
    expect(leaked(bot.logs.join('\n'), graph.servedText())).toEqual([]);
    const otherMessages = bot.stub.calls.filter((c) => !(c.body && actionData(cardOf(c.body), 'suggestions_save')));
    expect(leaked(JSON.stringify(otherMessages.map((c) => c.body)), unsaved)).toEqual([]);
    expect(leaked(JSON.stringify(saved.card), unsaved)).toEqual([]);
  });

  it('"nothing was recorded from you" waits a day after a transcribed meeting, and goes only to those who attended and the chair saved nothing for', async () => {
    await start();
    await transcribedMeeting();
    const nothingFor = (who: From) => inbox(who).filter((c) => cardText(c).startsWith('Nothing was recorded from you in'));
    const [card] = suggestionCardsFor(chris);
    const fields = presented(card);
    const [morganId] = Object.keys(fields).filter((k) => k.startsWith('words_')).map((k) => k.slice('words_'.length));
    // An hour after the end the chair saves Morgan's turn only.
    clock.advance(60 * 60_000);
    await as(bot, chris).act('suggestions_save', { ...fields, ...actionData(card, 'suggestions_save'), [`pick_${morganId}`]: 'true' });
    await drain();
    expect(checksFor(morgan)).toHaveLength(1);
    for (const p of [morgan, kai, robin]) expect(nothingFor(p)).toHaveLength(0);
    // Kai adds something to the record themselves meanwhile (typing it); Robin does not.
    const [meeting] = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items;
    const form = await as(bot, kai).act('proposal_open', { meetingId: meeting.id });
    const sent = await as(bot, kai).act('proposal_submit', { ...actionData(form.card, 'proposal_submit'), words: 'Letters should come to us before the GP', kind: 'suggestion', attribution: 'as_chosen', restriction: 'as_kind' });
    expect(sent.message).toContain('Sent to the chair');
    // A day after the end: Robin, who was there and has nothing in the record, is told; Morgan (saved) and Kai (who
    // added something already) are not; nor is Dee (staff).
    clock.advance(23 * 60 * 60_000);
    await drain();
    expect(nothingFor(kai)).toHaveLength(0);
    expect(nothingFor(robin)).toHaveLength(1);
    expect(actionData(nothingFor(robin)[0], 'proposal_open')).toMatchObject({ meetingId: expect.any(String) });
    expect(nothingFor(morgan)).toHaveLength(0);
    expect(inbox(dee)).toHaveLength(0);
    expect(checksFor(morgan)).toHaveLength(1);
  });

  it('an LXP who stops agreeing before the chair saves is not saved; the lead switching it off is audited', async () => {
    await start();
    await transcribedMeeting();
    const [card] = suggestionCardsFor(chris);
    const fields = presented(card);
    const [morganId] = Object.keys(fields).filter((k) => k.startsWith('words_')).map((k) => k.slice('words_'.length));
    await agree(morgan, false);
    const saved = await as(bot, chris).act('suggestions_save', { ...fields, ...actionData(card, 'suggestions_save'), [`pick_${morganId}`]: 'true' });
    expect(cardText(saved.card)).toContain(`Not saved: ${morgan.name}, who no longer agrees`);
    expect((await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items).toHaveLength(0);

    // The lead switches it off: the next meeting fetches nothing.
    await as(bot, priya).act('transcripts_switch', { on: 'false' });
    const audit = (await bot.running.deps.stores.audit.query(TENANT_ID, [{ field: 'action', op: '=', value: 'programme.transcript_suggestions' }])).items;
    expect(audit.map((a) => a.detail?.on)).toEqual([true, false]);
  });

  const failures: [string, Behaviour, RegExp][] = [
    ['no transcript (after looking again twice)', { kind: 'empty' }, /Teams has no transcript of this meeting/],
    ['403: the permission was not granted', { kind: 'forbidden' }, /may not read this meeting's transcript/],
    ['403: transcripts turned off for the tenant', { kind: 'forbidden', turnedOff: true }, /may not read this meeting's transcript/],
    ['429 with Retry-After, still busy after waiting', { kind: 'throttled', times: 10, retryAfter: '2' }, /too busy to hand over the transcript/],
  ];
  it.each(failures)('%s: the chair gets a short note and nothing is stored', async (_name, behaviour, note) => {
    await start();
    await transcribedMeeting(behaviour);
    if (behaviour.kind === 'empty') {
      // Teams may publish the transcript late: looked at again after 10 and 30 more minutes, then the note.
      expect(notesFor(chris)).toHaveLength(0);
      clock.advance(10 * 60_000);
      await drain();
      expect(notesFor(chris)).toHaveLength(0);
      clock.advance(30 * 60_000);
      await drain();
      expect(graph.calls.filter((c) => c.path.endsWith('/transcripts'))).toHaveLength(3);
    }
    if (behaviour.kind === 'throttled') expect(waits).toEqual([2000, 2000]);
    const notes = notesFor(chris);
    expect(notes).toHaveLength(1);
    expect(cardText(notes[0])).toMatch(note);
    expect(cardText(notes[0])).toContain('Nothing was stored. You can still log contributions by hand');
    expect(suggestionCardsFor(chris)).toHaveLength(0);
    expect((await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items).toHaveLength(0);
    const store = JSON.stringify(await allDocs(bot.running.deps.stores));
    expect(leaked(store, graph.servedText())).toEqual([]);
    expect(leaked(bot.logs.join('\n'), graph.servedText())).toEqual([]);
    // Run again: the note is not sent twice.
    clock.advance(60 * 60_000);
    await drain();
    expect(notesFor(chris)).toHaveLength(1);
  });
});
