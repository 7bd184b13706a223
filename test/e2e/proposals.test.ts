import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { actionExecute, meetingEvent, personalConversationId, type From } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import { buildMeeting } from '../support/lxp-fixtures';
import { queryEvery } from '../../src/domain/ports';
import type { Workstream } from '../../src/domain/workstream';
import type { Contribution } from '../../src/domain/contribution';
import type { AgendaProposal, ContributionProposal } from '../../src/domain/proposals';
import { docProblem } from '../../src/storage/doc-schemas';
import { contributionIdFor } from '../../src/commands/contributions';

/**
 * Issue 22, over HTTP against the embedded store and the connector stub: an LXP adds something to the record
 * after a meeting they attended (the chair accepts it with owner and due date, or declines with a reason the LXP
 * is sent), and proposes agenda items the chair sees on the meeting card at the start and takes ("led by Sam");
 * those not taken are carried past the meeting and the LXP is told.
 */

let bot: BotUnderTest;
let clock: MovableClock;
let ws: Workstream;
const { priya, chris, sam, alex, jordan } = people;

const WORDS = 'Nobody asked how carers get home after a night visit';
const TITLES_ALL = ['Peer support on the ward', 'Night buses to the unit'];
const proposalsIn = async () => (await queryEvery(bot.running.deps.stores.proposals, TENANT_ID, [])) as (ContributionProposal | AgendaProposal)[];
const additions = async () => (await proposalsIn()).filter((p): p is ContributionProposal => p.type === 'contribution_proposal');
const proposalIn = async (id: string) => (await proposalsIn()).find((p) => p.id === id)!;
const agendaItems = async () => (await proposalsIn()).filter((p): p is AgendaProposal => p.type === 'agenda_proposal');
const contributions = async () => (await queryEvery(bot.running.deps.stores.contributions, TENANT_ID, [])) as Contribution[];
const audits = async (action: string) => queryEvery(bot.running.deps.stores.audit, TENANT_ID, [{ field: 'action', op: '=', value: action }]);
const inbox = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean);
/** Every card the bot put in someone's personal chat, sent or posted in answer to a press (not updates). */
const posted = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind !== 'update').map((s) => cardOf(s.activity)).filter(Boolean);
const said = (r: { message?: string; card?: unknown }) => r.message ?? cardText(r.card);

/** Runs the due jobs until nothing more is due (a job may queue another). */
async function drain() {
  for (let i = 0; i < 6; i++) if ((await runJobs(bot)).ran === 0) return;
}

/** A button pressed in the meeting chat. */
async function pressInMeeting(who: From, verb: string, data: Record<string, unknown>) {
  const activity = actionExecute({ verb, data, from: who, conversationType: 'groupChat', conversationId: MEETING_CHAT_ID, replyToId: 'card-1' });
  activity.channelData = { ...activity.channelData, meeting: { id: MEETING_ID } };
  const res = await bot.post(activity);
  const body = res.body;
  return { card: body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined, message: typeof body?.value === 'string' ? (body.value as string) : undefined };
}

/** Every Action.Execute of a verb on a card, with its title. */
function buttons(card: unknown, verb: string): { title: string; data: Record<string, unknown> }[] {
  const out: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) out.push({ title: String(o.title), data: o.data as Record<string, unknown> });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

beforeAll(async () => {
  // A Tuesday: nobody's default quiet days get in the way.
  clock = movableClock('2026-03-17T10:00:00.000Z');
  bot = await startBot({}, { clock });
  ws = await programmeWithWorkstream(bot);
  // Yesterday's meeting, as Teams' events leave it: Sam was there, Alex was not.
  await bot.running.deps.stores.meetings.create(
    buildMeeting({
      id: 'm1', tenantId: TENANT_ID, workstreamId: ws.id, chairId: chris.aadObjectId, title: 'Crisis pathway, March', createdAt: '2026-03-16T09:55:00.000Z', startedAt: '2026-03-16T10:00:00.000Z', endedAt: '2026-03-16T11:30:00.000Z',
      attendance: { [sam.aadObjectId]: { name: 'Sam', spans: [{ joinedAt: '2026-03-16T10:01:00.000Z', leftAt: '2026-03-16T11:29:00.000Z' }] } },
    }),
  );
  await drain();
}, 60_000);
afterAll(async () => bot?.close());

describe('my own contribution', () => {
  let form: Record<string, unknown>;

  it('an LXP who was not in the meeting is refused and nothing is stored', async () => {
    const refused = await as(bot, alex).act('proposal_submit', { meetingId: 'm1', submissionId: 'alex-1', words: 'I would have said this', kind: 'suggestion', attribution: 'as_chosen', restriction: 'as_kind' });
    expect(said(refused)).toContain('no record of you at "Crisis pathway, March"');
    expect(await proposalsIn()).toEqual([]);
    expect(await audits('proposal.submit')).toHaveLength(0);
    const typed = await as(bot, alex).say('add to the record');
    expect(cardText(cardOf(typed[0].activity)) || typed[0].activity.text).toContain('no meeting you attended that you can still add to');
  });

  it('Sam types "add to the record", sends it to the chair; a second press of the same card saves once', async () => {
    const [sent] = await as(bot, sam).say('add to the record');
    const card = cardOf(sent.activity);
    expect(cardText(card)).toContain('Crisis pathway, March');
    form = { ...actionData(card, 'proposal_submit'), words: WORDS, kind: 'suggestion', priorityAreaIds: ws.priorityAreas[2].id, attribution: 'as_chosen', restriction: 'as_kind' };
    const first = await as(bot, sam).act('proposal_submit', form);
    expect(first.message).toContain('Sent to the chair');
    expect(buttons(posted(sam).at(-1), 'proposal_withdraw')).toHaveLength(1);
    const again = await as(bot, sam).act('proposal_submit', { ...form, words: 'changed my mind' });
    expect(again.message).toContain('already sent to the chair; it is saved once');
    const stored = await additions();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ lxpId: sam.aadObjectId, meetingId: 'm1', words: WORDS, status: 'pending' });
    const audit = await audits('proposal.submit');
    expect(audit).toHaveLength(1);
    // Ids, never words.
    expect(JSON.stringify(audit)).not.toContain('carers');
    // A second thing, from the check card's button: the chair will decline this one.
    const opened = await as(bot, sam).act('proposal_open', { meetingId: 'm1' });
    const second = await as(bot, sam).act('proposal_submit', { ...actionData(opened.card, 'proposal_submit'), words: 'The leaflet should be in Polish too', kind: 'suggestion', attribution: 'as_chosen', restriction: 'as_kind' });
    expect(second.message).toContain('Sent to the chair');
    expect(await additions()).toHaveLength(2);
  });

  it('Sam takes back a third addition before the chair decides: its words are erased, audited once, the chair\'s card drawn again', async () => {
    await drain();
    const sentBefore = inbox(chris).length;
    const opened = await as(bot, sam).act('proposal_open', { meetingId: 'm1' });
    const sent = await as(bot, sam).act('proposal_submit', { ...actionData(opened.card, 'proposal_submit'), words: 'Second thoughts about the crisis line', kind: 'suggestion', attribution: 'as_chosen', restriction: 'as_kind' });
    await drain();
    expect(inbox(chris).slice(sentBefore).filter((c) => cardText(c).includes('Second thoughts about the crisis line'))).toHaveLength(1);
    expect(sent.message).toContain('Sent to the chair');
    const back = buttons(posted(sam).at(-1), 'proposal_withdraw')[0].data;
    // Nobody else can take it back, not even the chair.
    expect(said(await as(bot, chris).act('proposal_withdraw', back))).toContain('Only the LXP who proposed this can take it back');
    const updates = () => bot.stub.sentActivities(personalConversationId(chris)).filter((s) => s.kind === 'update').map((s) => cardText(cardOf(s.activity)));
    const before = updates().length;
    expect(said(await as(bot, sam).act('proposal_withdraw', back))).toContain('Taken back. The chair no longer sees it');
    expect(said(await as(bot, sam).act('proposal_withdraw', back))).toContain('already taken this back');
    expect(await proposalIn(String(back.proposalId))).toMatchObject({ status: 'withdrawn', words: '' });
    expect(await audits('proposal.withdraw')).toHaveLength(1);
    await drain();
    const redrawn = updates().slice(before);
    expect(redrawn.some((t) => t.includes('Withdrawn by the person who wrote it.'))).toBe(true);
    expect(redrawn.every((t) => !t.includes('Second thoughts'))).toBe(true);
    // Its card no longer offers the chair anything to press.
    expect(said(await as(bot, chris).act('proposal_accept', back))).toMatch(/withdrew this/);
  });

  it('the chair is sent the review card; staff cannot add it', async () => {
    await drain();
    const reviews = inbox(chris).filter((c) => cardText(c).includes('An LXP wants to add to the record'));
    // The two Sam sent, and the one Sam took back (sent before it was).
    expect(reviews).toHaveLength(3);
    expect(reviews.some((c) => cardText(c).includes(WORDS))).toBe(true);
    const [p] = (await additions()).filter((a) => a.words === WORDS);
    const refused = await as(bot, jordan).act('proposal_accept', { proposalId: p.id });
    expect(said(refused)).toContain('Only the chairs of Crisis pathway or the programme team');
    expect((await additions()).map((a) => a.status).sort()).toEqual(['pending', 'pending', 'withdrawn']);
    expect((await contributions()).filter((c) => c.meetingId === 'm1')).toHaveLength(0);
  });

  it('the chair accepts after LOG_GRACE (it was sent in time), choosing owner and due date; the LXP is told and it shows as added by them', async () => {
    clock.advance(8 * 24 * 3600_000); // 25 March: past the 7 days a chair has to log
    // Sam's card pressed again now: still "already sent", not "too late".
    expect((await as(bot, sam).act('proposal_submit', form)).message).toContain('already sent to the chair; it is saved once');
    const [p] = (await additions()).filter((a) => a.words === WORDS);
    // An accept the log refuses (a due date already past) logs nothing and lets go of the addition: it can still be declined.
    const refused = await as(bot, chris).act('proposal_accept', { proposalId: p.id, ownerId: jordan.aadObjectId, dueDate: '2026-03-01' });
    expect(said(refused)).toMatch(/past|before|after/i);
    expect(await proposalIn(p.id)).toMatchObject({ status: 'pending' });
    expect((await proposalIn(p.id)) as ContributionProposal).not.toHaveProperty('claim');
    const accepted = await as(bot, chris).act('proposal_accept', { proposalId: p.id, ownerId: jordan.aadObjectId, dueDate: '2026-04-20' });
    expect(said(accepted)).toContain('Added to the record');
    const twice = await as(bot, chris).act('proposal_accept', { proposalId: p.id, ownerId: jordan.aadObjectId, dueDate: '2026-04-20' });
    expect(said(twice)).toContain('already added to the record (once)');
    const logged = (await contributions()).filter((c) => c.meetingId === 'm1');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ words: WORDS, lxpIds: [sam.aadObjectId], ownerId: jordan.aadObjectId, addedBy: 'lxp', proposalId: p.id, priorityAreaIds: [ws.priorityAreas[2].id] });
    expect(logged[0].dueAt.slice(0, 10)).toBe('2026-04-20');
    expect(await proposalIn(p.id)).toMatchObject({ status: 'accepted', contributionId: logged[0].id, decidedBy: chris.aadObjectId });
    expect(await audits('proposal.accept')).toHaveLength(1);

    await drain();
    const told = inbox(sam).find((c) => cardText(c).includes('Added to the record') && cardText(c).includes('marked as added by you'));
    expect(told).toBeDefined();
    // Its check card (sent as for anything logged after the meeting) and `my contributions` say it was added by Sam.
    expect(inbox(sam).some((c) => cardText(c).includes('Here is what was recorded from you') && cardText(c).includes('Added by you'))).toBe(true);
    const mine = await as(bot, sam).say('my contributions');
    expect(cardText(cardOf(mine[0].activity))).toContain('Added by you.');
  });

  it('a decline without a reason is refused; with one, the LXP is sent the reason', async () => {
    const [p] = (await additions()).filter((a) => a.words.includes('Polish'));
    const bare = await as(bot, chris).act('proposal_decline', { proposalId: p.id, reason: '' });
    expect(said(bare)).toContain('Give a reason: the LXP sees it');
    expect((await proposalIn(p.id)).status).toBe('pending');
    // An accept under way (it claimed the proposal, logged it and crashed before marking it): a decline now would
    // leave it in the record unannounced, so it is refused and "Add to the record" is the way to finish.
    const stores = bot.running.deps.stores;
    const open = await proposalIn(p.id);
    await stores.proposals.upsert({ ...open, claim: { by: chris.aadObjectId, at: open.proposedAt, contributionId: contributionIdFor(`proposal:${p.id}`) } } as typeof open);
    expect(said(await as(bot, chris).act('proposal_decline', { proposalId: p.id, reason: 'No' }))).toContain('being added to the record. Press "Add to the record" to finish');
    expect((await proposalIn(p.id)).status).toBe('pending');
    await stores.proposals.upsert(open);
    const declined = await as(bot, chris).act('proposal_decline', { proposalId: p.id, reason: 'The leaflet is already being translated; it is on the March action log.' });
    expect(said(declined)).toContain('The LXP has been told');
    expect(await proposalIn(p.id)).toMatchObject({ status: 'declined', decidedBy: chris.aadObjectId });
    const audit = await audits('proposal.decline');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('translated');
    await drain();
    const told = inbox(sam).find((c) => cardText(c).includes('Not added to the record'));
    expect(cardText(told)).toContain('The leaflet is already being translated; it is on the March action log.');
    expect(cardText(told)).toContain('The leaflet should be in Polish too');
    // Only the one accepted became a contribution.
    expect((await contributions()).filter((c) => c.meetingId === 'm1')).toHaveLength(1);
  });

});

describe('agenda items', () => {
  const TITLES = ['Peer support on the ward', 'Night buses to the unit'];
  let startCard: unknown;

  it('Sam proposes two agenda items; a second press of the same card saves once', async () => {
    const [sent] = await as(bot, sam).say('propose agenda item');
    const card = cardOf(sent.activity);
    const data = actionData(card, 'agenda_propose')!;
    const first = await as(bot, sam).act('agenda_propose', { ...data, workstreamId: ws.id, title: TITLES[0], note: 'Ten minutes is enough' });
    expect(first.message).toContain('Proposed. The chair of Crisis pathway sees it at the start of the next meeting');
    const again = await as(bot, sam).act('agenda_propose', { ...data, workstreamId: ws.id, title: TITLES[0] });
    expect(again.message).toContain('already proposed; it is saved once');
    const [next] = await as(bot, sam).say('propose agenda item');
    expect(cardText(cardOf(next.activity))).toContain(TITLES[0]);
    await as(bot, sam).act('agenda_propose', { ...actionData(cardOf(next.activity), 'agenda_propose'), workstreamId: ws.id, title: TITLES[1] });
    expect((await agendaItems()).map((a) => a.title).sort()).toEqual([...TITLES].sort());
    expect(await audits('agenda.propose')).toHaveLength(2);
    // Someone who is not an LXP of the workstream cannot.
    const staff = await as(bot, jordan).act('agenda_propose', { submissionId: 'jordan-1', workstreamId: ws.id, title: 'Budget' });
    expect(said(staff)).toContain('Only the LXPs of Crisis pathway can propose agenda items');
    expect(await agendaItems()).toHaveLength(2);
  });

  it('the next meeting starts: the chair sees both, each with "Take: led by Sam"', async () => {
    const link = await pressInMeeting(chris, 'meeting_link', { workstreamId: ws.id });
    expect(link.message).toContain('linked to Crisis pathway');
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway, April', time: clock.now().toISOString() }));
    startCard = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).filter(Boolean).filter((c) => buttons(c, 'agenda_take').length).at(-1);
    expect(cardText(startCard)).toContain('Agenda items LXPs would like to lead');
    for (const t of TITLES) expect(cardText(startCard)).toContain(t);
    expect(buttons(startCard, 'agenda_take').map((b) => b.title)).toEqual(['Take: led by Sam Okafor', 'Take: led by Sam Okafor']);
    // Sam's note is for the chair: not on the card everyone in the meeting chat sees, sent to the chair 1:1, once.
    expect(cardText(startCard)).not.toContain('Ten minutes is enough');
    await drain();
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway, April', time: clock.now().toISOString() }));
    await drain();
    const notes = inbox(chris).filter((c) => cardText(c).includes('Ten minutes is enough'));
    expect(notes).toHaveLength(1);
    expect(cardText(notes[0])).toContain(`${TITLES[0]} (Sam Okafor)`);
    // Both are remembered as messages showing the items, so a withdrawal or forget me draws them again.
    const shown = await queryEvery(bot.running.deps.stores.shown, TENANT_ID, []);
    const ids = (await agendaItems()).map((a) => a.id);
    for (const card of ['meeting_start', 'agenda_notes']) expect(shown.some((m) => m.view.card === card && ids.every((id) => m.contributionIds.includes(id)))).toBe(true);
  });

  it('someone not a chair cannot take one; the chair takes one and "led an agenda item" is recorded, once, and counted by the report', async () => {
    const first = (await agendaItems()).find((a) => a.title === TITLES[0])!;
    const take = buttons(startCard, 'agenda_take').find((b) => b.data.proposalId === first.id)!;
    for (const who of [alex, jordan]) {
      const refused = await pressInMeeting(who, 'agenda_take', take.data);
      expect(said(refused)).toContain('Only the chairs of Crisis pathway or the programme team can take an agenda item');
    }
    expect((await contributions()).filter((c) => c.kind === 'led_agenda_item')).toHaveLength(0);
    expect((await agendaItems()).every((a) => a.status === 'proposed')).toBe(true);

    const taken = await pressInMeeting(chris, 'agenda_take', take.data);
    expect(cardText(taken.card)).toContain(`Taken: Sam Okafor leads "${TITLES[0]}"`);
    expect(buttons(taken.card, 'agenda_take')).toHaveLength(1);
    await pressInMeeting(chris, 'agenda_take', take.data);
    const led = (await contributions()).filter((c) => c.kind === 'led_agenda_item');
    expect(led).toHaveLength(1);
    expect(led[0]).toMatchObject({ lxpIds: [sam.aadObjectId], words: TITLES[0], addedBy: 'lxp', meetingId: take.data.meetingId });
    expect((await agendaItems()).find((a) => a.title === TITLES[0])).toMatchObject({ status: 'taken', taken: { meetingId: take.data.meetingId, contributionId: led[0].id } });
    expect(await audits('agenda.take')).toHaveLength(1);

    const [report] = await as(bot, priya).say('report');
    expect(cardText(cardOf(report.activity))).toMatch(/Agenda items led by LXPs\s*\n?\s*1\b/);
  });

  it('the meeting ends: the item not taken is carried to the next meeting and Sam is told, once', async () => {
    clock.advance(3600_000);
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: clock.now().toISOString() }));
    await drain();
    const meetingId = String(buttons(startCard, 'agenda_take')[0].data.meetingId);
    expect(meetingId).not.toBe('m1');
    const items = await agendaItems();
    expect(items.find((a) => a.title === TITLES[1])).toMatchObject({ status: 'proposed', carriedPast: [meetingId] });
    expect(items.find((a) => a.title === TITLES[0])!.carriedPast).toEqual([]);
    const told = () => inbox(sam).filter((c) => cardText(c).includes('was not taken at Crisis pathway, April'));
    expect(told()).toHaveLength(1);
    expect(cardText(told()[0])).toContain(`"${TITLES[1]}" was not taken`);
    expect(await audits('agenda.carry')).toHaveLength(1);
    // Sam's check card after the meeting shows the item they led as theirs.
    expect(inbox(sam).some((c) => cardText(c).includes('Your agenda item: the chair took it and you led it.'))).toBe(true);
    // Teams sends the end again, and the jobs run again: nothing more.
    await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: clock.now().toISOString() }));
    clock.advance(60_000);
    await drain();
    expect(told()).toHaveLength(1);
    expect(await audits('agenda.carry')).toHaveLength(1);
  });
});

describe('my data and forget me', () => {
  it('my data counts what Sam added and proposed; forget me erases the words and keeps the counts', async () => {
    const [card] = await as(bot, sam).say('my data');
    expect(cardText(cardOf(card.activity))).toContain('3 additions, 2 agenda items');
    const updated = (who: string) => bot.stub.sentActivities(who).filter((s) => s.kind === 'update').length;
    const were = { chris: updated(personalConversationId(chris)), chat: updated(MEETING_CHAT_ID) };
    const [confirm] = await as(bot, sam).say('forget me');
    const data = actionData(cardOf(confirm.activity), 'forget_me_confirm')!;
    await as(bot, sam).act('forget_me_confirm', { ...data, understood: 'true' });
    const left = await proposalsIn();
    expect(left).toHaveLength(5);
    // What Sam left waiting is withdrawn: the chair is not offered an empty agenda item, and it is not carried on.
    expect(left.filter((p) => p.status === 'pending' || p.status === 'proposed')).toEqual([]);
    for (const p of left) {
      expect(JSON.stringify(p)).not.toContain(sam.aadObjectId);
      if (p.type === 'contribution_proposal') expect(p.words).toBe('');
      else expect([p.title, p.note]).toEqual(['', '']);
    }
    // The chair's review cards and agenda notes, and the meeting card, are drawn again without Sam's words or name.
    await drain();
    const redrawn = [...bot.stub.sentActivities(personalConversationId(chris)).filter((s) => s.kind === 'update').slice(were.chris), ...bot.stub.sentActivities(MEETING_CHAT_ID).filter((s) => s.kind === 'update').slice(were.chat)];
    const texts = redrawn.map((s) => cardText(cardOf(s.activity)));
    expect(texts.some((t) => t.includes('An LXP wants to add to the record'))).toBe(true);
    expect(texts.some((t) => t.includes('Agenda items for'))).toBe(true);
    expect(texts.some((t) => t.includes('Crisis pathway, April'))).toBe(true);
    for (const t of texts) expect([t.includes('Sam Okafor'), t.includes(WORDS), t.includes('Polish'), t.includes('Ten minutes'), t.includes(TITLES_ALL[1])]).toEqual([false, false, false, false, false]);
    // The agenda item Sam led is still counted.
    expect((await contributions()).filter((c) => c.kind === 'led_agenda_item')).toHaveLength(1);
    // Every stored proposal, before and after forgetting, is a document the schema accepts.
    for (const p of left) expect({ id: p.id, problem: docProblem('proposals', p) }).toEqual({ id: p.id, problem: undefined });
    for (const c of await contributions()) expect({ id: c.id, problem: docProblem('contributions', c) }).toEqual({ id: c.id, problem: undefined });
    for (const m of await queryEvery(bot.running.deps.stores.shown, TENANT_ID, [])) expect({ id: m.id, problem: docProblem('shown', m) }).toEqual({ id: m.id, problem: undefined });
  });
});

describe('retention', () => {
  it('decided proposals and agenda items go once RETENTION has passed; what was left waiting by someone forgotten goes too', async () => {
    clock.advance(6 * 366 * 24 * 3600_000 + 2 * 24 * 3600_000);
    await drain();
    const left = await proposalsIn();
    // Sam's waiting agenda item was withdrawn when Sam was forgotten, so nothing waits any more.
    expect(left.map((p) => p.status)).toEqual([]);
    expect(await audits('proposal.deleted_by_retention')).toHaveLength(5);
    await drain();
    expect(await audits('proposal.deleted_by_retention')).toHaveLength(5);
  });
});
