import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { TEAM_CHAT_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { personalConversationId, personalMessage, type From } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import { buildMeeting } from '../support/lxp-fixtures';
import { queryEvery } from '../../src/domain/ports';
import { recordContribution, transition, type Contribution, type Kind, type OutcomeStatus } from '../../src/domain/contribution';
import type { Meeting } from '../../src/domain/meeting';
import type { Workstream } from '../../src/domain/workstream';
import { rebuildCounters } from '../../src/commands/counters';

/**
 * Issue 22 over HTTP, against the embedded store and the connector stub: an LXP pauses (and the programme team is
 * not told they have been away, while another LXP who did not pause is, once); answers "you said, we did" in their
 * own words, which reach the owner and the programme team as each may read them, and the owner replies once;
 * `my impact` figures equal a count over the stored contributions.
 */

let bot: BotUnderTest;
let clock: MovableClock;
let ws: Workstream;
let ws2: Workstream;
const { priya, chris, sam, alex, jordan } = people;
const DAY = 86_400_000;
const stores = () => bot.running.deps.stores;

const inbox = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean);
const inboxText = (who: From) => inbox(who).map(cardText);
const refusal = (r: { message?: string; card?: unknown }) => r.message ?? cardText(r.card);
const attended = (name: string, day: string) => ({ name, spans: [{ joinedAt: `${day}T10:00:00.000Z`, leftAt: `${day}T11:00:00.000Z` }] });

async function meeting(id: string, w: Workstream, day: string, who: From[]): Promise<Meeting> {
  return stores().meetings.create(
    buildMeeting({ id, tenantId: TENANT_ID, workstreamId: w.id, title: `${w.name} ${day}`, createdAt: `${day}T09:55:00.000Z`, startedAt: `${day}T10:00:00.000Z`, endedAt: `${day}T11:00:00.000Z`, attendance: Object.fromEntries(who.map((p) => [p.aadObjectId, attended(p.name, day)])) }),
  );
}

interface Said {
  w: Workstream;
  m: Meeting;
  lxp: From;
  owner: From;
  words: string;
  kind?: Kind;
  areas?: string[];
  restricted?: boolean;
  anonymous?: boolean;
  outcome?: OutcomeStatus;
  withdrawn?: boolean;
  proposalId?: string;
}

/** A contribution as logging, an outcome and its "you said, we did" leave it (those flows have e2e tests of their own). */
async function said(id: string, s: Said): Promise<Contribution> {
  const at = new Date(s.m.startedAt!);
  let c = recordContribution(
    { id, tenantId: TENANT_ID, workstreamId: s.w.id, meetingId: s.m.id, meetingTitle: s.m.title, meetingDate: s.m.startedAt!, lxpIds: [s.lxp.aadObjectId], words: s.words, kind: s.kind ?? 'suggestion', priorityAreaIds: s.areas ?? [], ownerId: s.owner.aadObjectId, dueAt: new Date(at.getTime() + 14 * DAY).toISOString(), anonymous: !!s.anonymous, restricted: !!s.restricted, ...(s.proposalId ? { proposalId: s.proposalId } : {}) },
    chris.aadObjectId,
    at,
  );
  if (s.outcome) {
    const decidedAt = new Date(at.getTime() + 3 * DAY);
    const outcome = { status: s.outcome, whatWeDid: `Done for ${id}`, decidedBy: s.owner.aadObjectId, decidedAt: decidedAt.toISOString(), ...(s.outcome === 'under_consideration' ? { newDueAt: new Date(at.getTime() + 40 * DAY).toISOString() } : {}), ...(s.outcome === 'not_taken_forward' ? { reason: 'No budget' } : {}) };
    c = transition(c, { type: 'record_outcome', outcome, followUpAfterDue: new Date(at.getTime() + 40 * DAY).toISOString() }, s.owner.aadObjectId, decidedAt);
    c = transition(c, { type: 'feed_back' }, 'golden-thread', decidedAt);
  }
  if (s.withdrawn) c = transition(c, { type: 'withdraw' }, s.lxp.aadObjectId, at);
  return stores().contributions.create(c);
}

beforeAll(async () => {
  clock = movableClock('2026-01-05T10:00:00.000Z');
  bot = await startBot({}, { clock });
  ws = await programmeWithWorkstream(bot);
  // A second workstream, set up as the programme team would.
  const inTeamChat = { conversationType: 'groupChat' as const, conversationId: TEAM_CHAT_ID };
  const editor = await as(bot, priya).act('workstream_edit', { workstreamId: '' }, inTeamChat);
  await as(bot, priya).act('workstream_save', { ...actionData(editor.card, 'workstream_save'), name: 'Carers network', chairIds: chris.aadObjectId, lxpIds: sam.aadObjectId, staffIds: jordan.aadObjectId, area1: 'Respite' }, inTeamChat);
  ws2 = ((await queryEvery(stores().workstreams, TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])) as Workstream[]).find((w) => w.name === 'Carers network')!;
  expect(ws2).toBeDefined();
}, 60_000);
afterAll(async () => bot?.close());

describe('stepping back', () => {
  it('an LXP pauses from their personal chat; someone who is not an LXP cannot', async () => {
    await meeting('m-jan', ws, '2026-01-12', [sam, alex]);
    await meeting('m-feb', ws, '2026-02-16', []);
    clock.advance(new Date('2026-02-23T10:00:00.000Z').getTime() - clock.now().getTime());
    const card = cardOf((await as(bot, alex).say('pause'))[0].activity);
    // The card names the programme the pause covers.
    expect(cardText(card)).toContain('Mental health programme: you are not paused.');
    const paused = await as(bot, alex).act('involvement_pause', { ...actionData(card, 'involvement_pause'), stops: 'digests' });
    expect(cardText(paused.card)).toContain('Mental health programme: you paused on Monday 23 February 2026');
    expect((await stores().people.get(TENANT_ID, alex.aadObjectId))!.involvement!.paused!.stops).toEqual(['check_in', 'digests']);
    expect(refusal(await as(bot, jordan).act('involvement_pause', { stops: '' }))).toContain('Pausing is for Lived Experience Practitioners');
    const audits = await queryEvery(stores().audit, TENANT_ID, [{ field: 'action', op: '=', value: 'person.pause' }]);
    expect(audits.map((a) => a.actorId)).toEqual([alex.aadObjectId]);
  });

  it('set in setup, the programme team is told privately, once, about the LXP who did not pause, and never about the one who did', async () => {
    const saved = await as(bot, priya).act('claim_rates_save', { meetingRate: '20', preparationRate: '15', meetingFee: '', preparationFee: '', waitDays: '7', awayWeeks: '4' });
    expect(cardText(saved.card)).toContain('for 4 weeks, unless they paused');
    expect(refusal(await as(bot, priya).act('claim_rates_save', { meetingRate: '20', preparationRate: '15', waitDays: '7', awayWeeks: 'soon' }))).toContain('how many weeks away');
    for (let i = 0; i < 3; i++) await runJobs(bot);
    const told = () => inboxText(priya).filter((t) => t.includes('An LXP may be stepping back'));
    expect(told()).toHaveLength(1);
    expect(told()[0]).toContain('Sam Okafor has not attended a meeting of Crisis pathway');
    expect(told().some((t) => t.includes('Alex'))).toBe(false);
    // Nobody else hears of it.
    expect([...inboxText(chris), ...inboxText(jordan), ...inboxText(sam), ...inboxText(alex)].some((t) => t.includes('stepping back'))).toBe(false);
    // The next day's look, and a second run of it: still once for this absence.
    clock.advance(DAY + 60_000);
    await runJobs(bot);
    await runJobs(bot);
    expect(told()).toHaveLength(1);
    expect((await stores().people.get(TENANT_ID, sam.aadObjectId))!.involvement!.steppingBackToldAt).toBeDefined();
    expect((await stores().people.get(TENANT_ID, alex.aadObjectId))!.involvement!.steppingBackToldAt).toBeUndefined();
  });

  it('resuming counts an absence from then, so the team is not told the next day', async () => {
    expect((await as(bot, alex).say('resume')).map((s) => s.activity.text).join()).toContain('Welcome back');
    expect((await stores().people.get(TENANT_ID, alex.aadObjectId))!.involvement!.paused).toBeUndefined();
    clock.advance(DAY + 60_000);
    await runJobs(bot);
    await runJobs(bot);
    expect(inboxText(priya).filter((t) => t.includes('An LXP may be stepping back'))).toHaveLength(1);
    expect((await as(bot, alex).say('resume')).map((s) => s.activity.text).join()).toContain('not paused');
  });
});

describe('answers in their own words', () => {
  let open: Contribution;
  let story: Contribution;
  let anon: Contribution;
  const WORDS = 'Good that the number is on page one, but nobody answers the line after midnight.';
  const STORY_WORDS = 'It was the night nurse who sat with me that made the difference.';

  beforeAll(async () => {
    const m = await meeting('m-answers', ws, '2026-02-02', [sam, alex]);
    open = await said('c-open', { w: ws, m, lxp: sam, owner: chris, words: 'Put the crisis line on discharge letters', outcome: 'adopted' });
    story = await said('c-story', { w: ws, m, lxp: sam, owner: jordan, words: 'When I rang at 2am nobody came', kind: 'personal_experience', restricted: true, outcome: 'partly_adopted' });
    anon = await said('c-anon', { w: ws, m, lxp: alex, owner: chris, words: 'Carers are never asked', anonymous: true, outcome: 'not_taken_forward' });
    await rebuildCounters(bot.running.deps, TENANT_ID);
  });

  it('"you said, we did" offers a labelled box and a fourth answer; the words are kept and counted, the audit has none of them', async () => {
    const res = await as(bot, sam).act('feedback_answer', { contributionId: open.id, answer: 'disagree_decision', via: 'card', [`words_${open.id}`]: WORDS });
    expect(cardText(res.card)).toContain('You answered: I disagree with the decision.');
    expect(cardText(res.card)).toContain(WORDS);
    const stored = (await stores().contributions.get(TENANT_ID, open.id))!;
    expect(stored.answers).toEqual([{ by: sam.aadObjectId, answer: 'disagree_decision', at: clock.now().toISOString(), words: WORDS }]);
    expect(stored.history.map((h) => h.event)).toEqual(['record', 'record_outcome', 'feed_back', 'respond']);
    const audit = await queryEvery(stores().audit, TENANT_ID, [{ field: 'subjectId', op: '=', value: open.id }]);
    expect(audit.map((a) => a.action)).toEqual(['contribution.respond']);
    expect(JSON.stringify(audit)).not.toContain('midnight');
    // Too long is refused and nothing is recorded.
    expect(refusal(await as(bot, sam).act('feedback_answer', { contributionId: open.id, answer: 'helpful', [`words_${open.id}`]: 'x'.repeat(1001) }))).toContain('keep them to 1,000');
    expect((await stores().contributions.get(TENANT_ID, open.id))!.answers).toHaveLength(1);
  });

  it('the owner and the programme team read the words; the owner may reply, someone else may not', async () => {
    await runJobs(bot);
    const toOwner = inbox(chris).find((c) => cardText(c).includes(WORDS));
    expect(toOwner).toBeDefined();
    expect(cardText(toOwner)).toContain('An LXP disagrees with the decision');
    expect(cardText(toOwner)).toContain('Sam Okafor');
    expect(inboxText(priya).some((t) => t.includes(WORDS))).toBe(true);
    const reply = actionData(toOwner, 'answer_reply')!;
    expect(reply).toBeDefined();
    expect(refusal(await as(bot, jordan).act('answer_reply', { ...reply, words: 'Not mine to answer' }))).toContain('Only the owner of this contribution can reply');
    expect(refusal(await as(bot, sam).act('answer_reply', { ...reply, words: 'Replying to myself' }))).toContain('Only the owner of this contribution can reply');
    expect((await stores().contributions.get(TENANT_ID, open.id))!.answers[0].reply).toBeUndefined();
  });

  it('the owner replies once; the LXP receives it; a second reply is refused; the exchange is in the history', async () => {
    const toOwner = inbox(chris).find((c) => cardText(c).includes(WORDS));
    const reply = actionData(toOwner, 'answer_reply')!;
    const REPLY = 'You are right. Night cover starts in June; I will tell you the day it does.';
    const res = await as(bot, chris).act('answer_reply', { ...reply, words: REPLY });
    expect(cardText(res.card)).toContain(REPLY);
    expect(actionData(res.card, 'answer_reply')).toBeUndefined();
    expect(refusal(await as(bot, chris).act('answer_reply', { ...reply, words: 'And another thing' }))).toContain('already replied');
    await runJobs(bot);
    const got = inboxText(sam).filter((t) => t.includes('A reply to what you wrote'));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(REPLY);
    expect(got[0]).toContain(WORDS);
    const stored = (await stores().contributions.get(TENANT_ID, open.id))!;
    expect(stored.answers[0].reply).toEqual({ by: chris.aadObjectId, words: REPLY, at: clock.now().toISOString() });
    expect(stored.history.map((h) => h.event)).toEqual(['record', 'record_outcome', 'feed_back', 'respond', 'reply']);
    const audit = await queryEvery(stores().audit, TENANT_ID, [{ field: 'action', op: '=', value: 'contribution.reply' }]);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('June');
  });

  it('the owner of a story kept in confidence is told of the answer, not the words, and cannot reply; the team reads them', async () => {
    await as(bot, sam).act('feedback_answer', { contributionId: story.id, answer: 'want_to_talk', via: 'card', [`words_${story.id}`]: STORY_WORDS });
    await runJobs(bot);
    const toOwner = inbox(jordan).find((c) => cardText(c).includes('would like to talk'));
    expect(toOwner).toBeDefined();
    expect(cardText(toOwner)).not.toContain(STORY_WORDS);
    expect(cardText(toOwner)).toContain('went to the programme team only');
    expect(actionData(toOwner, 'answer_reply')).toBeUndefined();
    const answeredAt = (await stores().contributions.get(TENANT_ID, story.id))!.answers[0].at;
    expect(refusal(await as(bot, jordan).act('answer_reply', { contributionId: story.id, answeredAt, words: 'Let us talk' }))).toContain('programme team only');
    expect(inboxText(priya).some((t) => t.includes(STORY_WORDS))).toBe(true);
  });

  it('an anonymous LXP stays "an LXP" to the owner; the report counts the answers, the words and the reply', async () => {
    await as(bot, alex).act('feedback_answer', { contributionId: anon.id, answer: 'helpful', via: 'card', [`words_${anon.id}`]: 'Thank you for explaining why.' });
    await runJobs(bot);
    const toOwner = inbox(chris).find((c) => cardText(c).includes('Thank you for explaining why.'));
    expect(toOwner).toBeDefined();
    expect(cardText(toOwner)).toContain('An LXP');
    expect(cardText(toOwner)).not.toContain('Alex');
    const counters = await queryEvery(stores().counters, TENANT_ID, [{ field: 'workstreamId', op: '=', value: ws.id }]);
    const sum = (k: string) => counters.reduce((s, c) => s + (((c as { counts?: Record<string, number> }).counts ?? {})[k] ?? 0), 0);
    expect([sum('answer:disagree_decision'), sum('answer:want_to_talk'), sum('answer:helpful'), sum('answer:words'), sum('answer:replied')]).toEqual([1, 1, 1, 3, 1]);
    const report = await as(bot, priya).say('report Crisis pathway February 2026');
    const text = report.map((s) => cardText(cardOf(s.activity))).join('\n');
    expect(text).toContain('I disagree with the decision');
    expect(text).toContain('Answered in their own words');
  });

  it('my data lists the words; forget me erases them', async () => {
    const mine = await as(bot, alex).say('my data');
    expect(cardText(cardOf(mine[0].activity))).toContain('1, 1 in your own words');
    expect((await stores().contributions.get(TENANT_ID, anon.id))!.answers[0].words).toBe('Thank you for explaining why.');
    const confirm = cardOf((await as(bot, alex).say('forget me'))[0].activity);
    const done = await as(bot, alex).act('forget_me_confirm', { ...actionData(confirm, 'forget_me_confirm'), understood: 'true' });
    expect(cardText(done.card)).toContain('Golden Thread has forgotten you');
    const after = (await stores().contributions.get(TENANT_ID, anon.id))!;
    expect(after.answers).toHaveLength(1);
    expect(after.answers[0].words).toBeUndefined();
    expect(JSON.stringify(after)).not.toContain('explaining why');
    // Sam's exchange with the owner is untouched.
    expect((await stores().contributions.get(TENANT_ID, open.id))!.answers[0].words).toBe(WORDS);
  });

  it('forget me and a withdrawal draw the notices and the reply again: no chat keeps the words', async () => {
    /** Every message of someone's personal chat as it reads now (after the updates Teams took). */
    const now = (who: From) => [...bot.stub.currentMessages(personalConversationId(who)).values()].map((m) => JSON.stringify(m.activity));
    await runJobs(bot);
    // Alex was forgotten just now: the owner's and the team's notices of their answer no longer hold their words.
    expect([...now(chris), ...now(priya)].filter((t) => t.includes('explaining why'))).toEqual([]);
    expect(now(sam).some((t) => t.includes('Night cover starts in June'))).toBe(true);
    await as(bot, sam).act('check_withdraw', { contributionId: open.id });
    await runJobs(bot);
    for (const who of [chris, priya, sam]) expect(now(who).filter((t) => t.includes('nobody answers the line') || t.includes('Night cover starts in June'))).toEqual([]);
    const stored = (await stores().contributions.get(TENANT_ID, open.id))!;
    expect(stored.status).toBe('withdrawn');
    expect(stored.answers[0]).toMatchObject({ by: sam.aadObjectId, answer: 'disagree_decision', reply: { by: chris.aadObjectId, words: '' } });
    expect(JSON.stringify(stored)).not.toMatch(/nobody answers the line|Night cover/);
  });
});

describe('withdrawing what came from an addition or an agenda item', () => {
  it('erases the LXP\'s words where they proposed it, and the agenda item\'s title, keeping the fact', async () => {
    const m = await meeting('m-proposed', ws, '2026-02-09', [sam]);
    const at = '2026-02-09T12:00:00.000Z';
    const ADDED = 'The leaflet should say the line is free from mobiles';
    const TITLE = 'Peer support on the night shift';
    await stores().proposals.create({ id: 'p-added', tenantId: TENANT_ID, type: 'contribution_proposal', lxpId: sam.aadObjectId, meetingId: m.id, workstreamId: ws.id, meetingTitle: m.title, meetingDate: m.startedAt!, words: ADDED, kind: 'suggestion', priorityAreaIds: [], attribution: 'as_chosen', restriction: 'as_kind', status: 'accepted', proposedAt: at, decidedBy: chris.aadObjectId, decidedAt: at, contributionId: 'c-added', history: [] });
    await stores().proposals.create({ id: 'a-led', tenantId: TENANT_ID, type: 'agenda_proposal', lxpId: sam.aadObjectId, workstreamId: ws.id, title: TITLE, note: 'Ten minutes', status: 'taken', proposedAt: at, carriedPast: [], taken: { meetingId: m.id, by: chris.aadObjectId, at, contributionId: 'c-led' }, history: [] });
    await said('c-added', { w: ws, m, lxp: sam, owner: chris, words: ADDED, proposalId: 'p-added' });
    await said('c-led', { w: ws, m, lxp: sam, owner: chris, words: TITLE, kind: 'led_agenda_item', proposalId: 'a-led' });
    for (const id of ['c-added', 'c-led']) expect(refusal(await as(bot, sam).act('check_withdraw', { contributionId: id }))).not.toMatch(/went wrong|not allowed/i);
    const added = (await stores().proposals.get(TENANT_ID, 'p-added'))!;
    const led = (await stores().proposals.get(TENANT_ID, 'a-led'))!;
    expect(added).toMatchObject({ status: 'accepted', contributionId: 'c-added' });
    expect(led).toMatchObject({ status: 'taken', title: '', note: '' });
    expect(JSON.stringify([added, led])).not.toMatch(/leaflet|night shift|Ten minutes/);
    expect((await stores().contributions.get(TENANT_ID, 'c-added'))!.status).toBe('withdrawn');
  });
});

describe('my impact', () => {
  const period = { from: Date.parse('2026-01-01T00:00:00.000Z'), to: Date.parse('2027-01-01T00:00:00.000Z') };

  beforeAll(async () => {
    const ms = [
      await meeting('m-i1', ws, '2026-01-19', [sam]),
      await meeting('m-i2', ws, '2026-01-26', [sam, alex]),
      await meeting('m-i3', ws2, '2026-02-09', [sam]),
      await meeting('m-i4', ws2, '2026-02-10', [alex]),
      await meeting('m-old', ws, '2025-12-08', [sam]),
    ];
    const outcomes: (OutcomeStatus | undefined)[] = ['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on', undefined];
    const [night, waiting] = ws.priorityAreas.map((a) => a.id);
    const respite = ws2.priorityAreas[0].id;
    for (let i = 0; i < 36; i++) {
      const inWs2 = i % 3 === 0;
      const m = ms[i === 35 ? 4 : inWs2 ? 2 : i % 2];
      await said(`c-i${i}`, {
        w: inWs2 ? ws2 : ws, m, lxp: i % 7 === 0 ? alex : sam, owner: chris, words: `Idea number ${i} in Sam's own words`,
        kind: i % 11 === 0 ? 'led_agenda_item' : 'suggestion', areas: inWs2 ? (i % 2 ? [respite] : []) : i % 4 === 0 ? [night, waiting] : [night],
        outcome: outcomes[i % outcomes.length], withdrawn: i === 8 || i === 20,
      });
    }
  });

  it('the figures equal a count over the stored contributions, across two workstreams, and the file says the same without their words', async () => {
    const all = (await queryEvery(stores().contributions, TENANT_ID, [{ field: 'lxpIds', op: 'contains', value: sam.aadObjectId }])) as Contribution[];
    const counted = all.filter((c) => c.status !== 'withdrawn' && Date.parse(c.meetingDate) >= period.from && Date.parse(c.meetingDate) < period.to);
    const latest = (c: Contribution) => c.outcomes.at(-1)?.status;
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(new Set(counted.map((c) => c.workstreamId)).size).toBe(2);
    const changes = counted.filter((c) => latest(c) === 'adopted' || latest(c) === 'partly_adopted').length;
    const agenda = counted.filter((c) => c.kind === 'led_agenda_item').length;
    const meetings = ((await queryEvery(stores().meetings, TENANT_ID, [{ field: 'type', op: '=', value: 'meeting' }])) as Meeting[]).filter((m) => m.attendance[sam.aadObjectId]?.spans.length && Date.parse(m.startedAt!) >= period.from && Date.parse(m.startedAt!) < period.to).length;
    const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;

    const card = cardOf((await as(bot, sam).say('my impact this year'))[0].activity);
    const text = cardText(card);
    expect(text).toContain('Mental health programme');
    expect(text).toContain(`You attended ${n(meetings, 'meeting')}. ${n(counted.length, 'contribution')} recorded from you, ${n(changes, 'change')} made because of what you said, ${n(agenda, 'agenda item')} led.`);
    const lines = text.split('\n');
    const valueAfter = (title: string) => lines[lines.indexOf(title) + 1];
    expect(valueAfter('Adopted')).toBe(String(counted.filter((c) => latest(c) === 'adopted').length));
    expect(valueAfter('Waiting for an outcome')).toBe(String(counted.filter((c) => !latest(c)).length));
    expect(valueAfter('Respite: ')).toBe(String(counted.filter((c) => c.priorityAreaIds.includes(ws2.priorityAreas[0].id)).length));
    expect(valueAfter('Crisis care at night: ')).toBe(String(counted.filter((c) => c.priorityAreaIds.includes(ws.priorityAreas[0].id)).length));

    // The copy to keep: offered as a file, made on accept, the same figures, none of their own words.
    const offer = await as(bot, sam).act('impact_file', actionData(card, 'impact_file')!);
    expect(offer.message).toContain('Choose Allow');
    const consent = bot.stub.sentActivities(personalConversationId(sam)).map((s) => s.activity.attachments?.[0]).filter((a: any) => a?.contentType === 'application/vnd.microsoft.teams.card.file.consent').at(-1);
    expect(consent.name).toBe('my-impact-2026-01-01-to-2026-12-31.txt');
    const puts: Buffer[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => { puts.push(Buffer.concat(chunks)); res.statusCode = 201; res.end('{}'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/1`;
      // Someone else's accept makes nothing.
      await bot.post(personalMessage({ text: '', from: alex, overrides: { type: 'invoke', name: 'fileConsent/invoke', value: { type: 'fileUpload', action: 'accept', context: consent.content.acceptContext, uploadInfo: { name: consent.name, uploadUrl: url, contentUrl: 'https://x/y.txt', uniqueId: 'u', fileType: 'txt' } } } }));
      expect(puts).toHaveLength(0);
      await bot.post(personalMessage({ text: '', from: sam, overrides: { type: 'invoke', name: 'fileConsent/invoke', value: { type: 'fileUpload', action: 'accept', context: consent.content.acceptContext, uploadInfo: { name: consent.name, uploadUrl: url, contentUrl: 'https://x/y.txt', uniqueId: 'u', fileType: 'txt' } } } }));
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(puts).toHaveLength(1);
    const file = puts[0].toString('utf8');
    expect(file).toContain('== Mental health programme ==');
    expect(file).toContain(`${n(counted.length, 'contribution')} recorded from you`);
    expect(file).toContain(`  Adopted: ${counted.filter((c) => latest(c) === 'adopted').length}\r\n`);
    expect(file).not.toContain("in Sam's own words");
    expect((await queryEvery(stores().audit, TENANT_ID, [{ field: 'action', op: '=', value: 'impact.file' }])).map((a) => a.actorId)).toEqual([sam.aadObjectId]);
  });

  it('a period it cannot read gets a clear message; from a shared chat the card goes 1:1', async () => {
    const bad = await as(bot, sam).say('my impact whenever');
    expect(bad.map((s) => s.activity.text ?? '').join()).toContain('Name a period');
    const shared = await as(bot, sam).mention('my impact', TEAM_CHAT_ID);
    expect(shared.map((s) => s.activity.text ?? '').join()).toContain('sent it to you in our personal chat');
  });

  it('someone in two programmes sees each under its name, without choosing one first', async () => {
    const bob: From = { id: '29:1-bob', name: 'Bob Hale', aadObjectId: 'aad-bob' };
    const claim = await as(bot, bob).say('setup');
    await as(bot, bob).act('programme_claim', { ...actionData(cardOf(claim[0].activity), 'programme_claim'), name: 'Maternity voices' });
    const chat = { conversationType: 'groupChat' as const, conversationId: '19:maternity@thread.v2' };
    bot.stub.setMembers(chat.conversationId, [bob, sam].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
    const editor = await as(bot, bob).act('workstream_edit', { workstreamId: '' }, chat);
    await as(bot, bob).act('workstream_save', { ...actionData(editor.card, 'workstream_save'), name: 'Birth choices', chairIds: bob.aadObjectId, lxpIds: sam.aadObjectId }, chat);
    const text = cardText(cardOf((await as(bot, sam).say('my impact this year'))[0].activity));
    expect(text).toContain('Mental health programme');
    expect(text).toContain('Maternity voices');
    // The new programme holds nothing from Sam yet; the first still shows theirs.
    expect(text).toContain('Nothing was recorded from you in this period');
    expect(text).toMatch(/You attended \d+ meetings?\. \d+ contributions recorded from you/);
  });

  it('a pause covers both programmes, each named on the card; pressed twice it is audited once; a resume whose audit was lost writes it on the next press', async () => {
    const audits = async (action: string) => (await queryEvery(stores().audit, TENANT_ID, [{ field: 'action', op: '=', value: action }])).filter((a) => a.actorId === sam.aadObjectId);
    const card = cardOf((await as(bot, sam).say('pause'))[0].activity);
    expect(cardText(card)).toContain('A pause covers all your programmes: Maternity voices and Mental health programme.');
    const data = { ...actionData(card, 'involvement_pause'), stops: 'follow_ups' };
    const paused = await as(bot, sam).act('involvement_pause', data);
    expect(cardText(paused.card)).toMatch(/Maternity voices: you paused on[^]*Mental health programme: you paused on/);
    await as(bot, sam).act('involvement_pause', data);
    expect(await audits('person.pause')).toHaveLength(1);
    expect((await as(bot, sam).say('resume')).map((m) => m.activity.text).join()).toContain('Welcome back: everything you paused has started again (Maternity voices, Mental health programme)');
    const [resumed] = await audits('person.resume');
    expect(resumed).toBeDefined();
    // As if the instance stopped after the resume was stored and before its audit entry was: the next press writes it, once.
    await stores().audit.delete(TENANT_ID, resumed.id);
    expect((await as(bot, sam).say('resume')).map((m) => m.activity.text).join()).toContain('not paused');
    expect((await audits('person.resume')).map((a) => a.id)).toEqual([resumed.id]);
  });
});
