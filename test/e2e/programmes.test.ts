import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { TEAM_CHAT_ID, membersOf, setUpProgramme } from '../support/scenario';
import { installationUpdate, meetingEvent, MEETING_CHAT_ID, MEETING_ID, TENANT_ID, type From } from '../harness/activities';

/*
 * Issue 18, step 2: two organisations' programmes in one Microsoft 365 tenant. Each lead starts their own
 * (nobody is told "someone already leads the programme here"), and each sees only theirs: the setup card,
 * the people offered in pickers, the workstreams a link card offers. Someone in both chooses which one.
 */
const bob: From = { id: '29:1-bob', name: 'Bob Hale', aadObjectId: 'aad-bob' };
const dana: From = { id: '29:1-dana', name: 'Dana Whitfield', aadObjectId: 'aad-dana' };
const MATERNITY_CHAT = '19:maternity-team@thread.v2';
const NEW_CHAT = '19:new-meeting@thread.v2';

describe('two programmes in one tenant (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  async function maternityProgramme() {
    const lead = as(bot, bob);
    const claim = await lead.say('setup');
    expect(textOf(claim)).toContain('Start a programme');
    const started = await lead.act('programme_claim', { ...actionData(cardOf(claim[0].activity), 'programme_claim'), name: 'Maternity voices' });
    expect(cardText(started.card)).toContain('You are now the programme lead');
    bot.stub.setMembers(MATERNITY_CHAT, membersOf([bob, dana, people.sam] as never));
    const inChat = { conversationType: 'groupChat' as const, conversationId: MATERNITY_CHAT };
    const editor = await lead.act('workstream_edit', { workstreamId: '' }, inChat);
    const saved = await lead.act('workstream_save', { ...actionData(editor.card, 'workstream_save'), name: 'Birth choices', chairIds: dana.aadObjectId, lxpIds: people.sam.aadObjectId, area1: 'Home births' }, inChat);
    return { editor, saved };
  }

  it('each lead starts and sees only their own programme; someone in both chooses; a link card offers only the presser\'s workstreams', async () => {
    const { saved: mental } = await setUpProgramme(bot);
    const { editor: bobsEditor, saved: maternity } = await maternityProgramme();

    // Each lead's setup card shows their workstreams and people, nothing of the other's.
    expect(cardText(mental.card)).toContain('Crisis pathway');
    expect(cardText(maternity.card)).toContain('Birth choices');
    expect(cardText(maternity.card)).not.toContain('Crisis pathway');
    const priyaSetup = textOf(await as(bot, people.priya).say('setup'));
    expect(priyaSetup).toContain('Crisis pathway');
    expect(priyaSetup).not.toMatch(/Birth choices|Dana Whitfield|Bob Hale/);
    const bobSetup = textOf(await as(bot, bob).say('setup'));
    expect(bobSetup).toContain('Birth choices');
    expect(bobSetup).not.toMatch(/Crisis pathway|Chris Morgan|Alex Rivera|Jordan Lee/);

    // Bob's pickers offer his programme's people and his chat's members (with their email), not Priya's people.
    const offered = cardText(bobsEditor.card);
    expect(offered).toContain('Dana Whitfield');
    expect(offered).toContain(people.sam.email);
    expect(offered).not.toMatch(/Chris Morgan|Alex Rivera|Jordan Lee|Priya Shah/);

    // A card naming Priya's programme, pressed by Bob, acts in Bob's programme, where that workstream does not exist.
    const crisis = actionData(cardOf((await as(bot, people.priya).say('setup'))[0].activity), 'workstream_edit')!;
    const forged = await as(bot, bob).act('workstream_edit', crisis);
    expect(forged.message).toContain('no longer exists');

    // Sam is an LXP in both: setup asks which programme, naming both.
    const choose = textOf(await as(bot, people.sam).say('setup'));
    expect(choose).toContain('Which programme?');
    expect(choose).toContain('Mental health programme');
    expect(choose).toContain('Maternity voices');

    // A link card lists the workstreams of the presser's programmes only.
    bot.stub.setMembers(NEW_CHAT, membersOf([people.chris, bob] as never));
    await bot.post(installationUpdate({ conversationId: NEW_CHAT, from: people.chris }));
    const chrisLink = textOf(await as(bot, people.chris).mention('link', NEW_CHAT));
    expect(chrisLink).toContain('Crisis pathway');
    expect(chrisLink).not.toContain('Birth choices');
    const bobLinkCard = await as(bot, bob).mention('link', NEW_CHAT);
    const bobLink = textOf(bobLinkCard);
    expect(bobLink).toContain('Birth choices');
    expect(bobLink).not.toContain('Crisis pathway');

    // Linked to Bob's workstream, the chat belongs to his programme: Chris (not in it) logs nothing there.
    const choice = (cardOf(bobLinkCard[0].activity).body as any[]).find((b) => b.id === 'workstreamId').choices[0].value as string;
    expect((await as(bot, bob).act('meeting_link', { workstreamId: choice }, { conversationType: 'groupChat', conversationId: NEW_CHAT })).message).toContain('linked to Birth choices');
    const chrisLog = textOf(await as(bot, people.chris).mention('log Sam: something', NEW_CHAT));
    expect(chrisLog).not.toContain('Crisis pathway');
    expect(chrisLog).not.toMatch(/Alex Rivera|Jordan Lee/);
  });
});

/*
 * Issue 18, step 3: managing people. Roles are read from the programme on every request, so taking someone
 * off a workstream or handing over the lead ends their access at their next press, and the audit says who did it.
 */
describe('removing people and handing over the lead (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };

  it('a chair taken off the workstream cannot save from an old log card; a lead who handed over can no longer export', async () => {
    const { workstream, payload } = await setUpProgramme(bot);
    const chris = as(bot, people.chris);
    const priya = as(bot, people.priya);
    bot.stub.setMembers(MEETING_CHAT_ID, membersOf([people.chris, people.sam, people.alex, people.jordan]));
    await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris }));
    expect((await chris.act('meeting_link', { workstreamId: workstream.id }, chat)).message).toContain('linked to Crisis pathway');
    await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: bot.running.deps.clock.now().toISOString() }));
    const logCard = cardOf((await chris.mention('log Sam: Crisis cafés should open later', MEETING_CHAT_ID))[0].activity);
    const save = { ...actionData(logCard, 'log_save'), kind: 'suggestion', anonymous: 'false', restricted: 'false', lxpIds: people.sam.aadObjectId, words: 'Crisis cafés should open later', ownerId: people.jordan.aadObjectId };

    // Priya makes Jordan the chair instead of Chris (from the team chat, where the card was made).
    const inTeamChat = { conversationType: 'groupChat' as const, conversationId: TEAM_CHAT_ID };
    const edited = await priya.act('workstream_save', { ...payload, workstreamId: workstream.id, submissionId: '', expectedUpdatedAt: '', chairIds: people.jordan.aadObjectId, staffIds: '' }, inTeamChat);
    expect(cardText(edited.card)).toContain('Jordan Lee');

    // Chris's old log card: Save is refused, and nothing was recorded.
    const refused = await chris.act('log_save', save, chat);
    expect(refused.message).toMatch(/Only/);
    const saved = await bot.running.deps.stores.contributions.query(TENANT_ID, []);
    expect(saved.items).toHaveLength(0);

    // Priya hands the lead to Jordan: audited, and her next export is refused; Jordan's works.
    const setupCard = cardOf((await priya.say('setup'))[0].activity);
    expect(actionData(setupCard, 'programme_lead_handover')).toBeDefined();
    const handed = await priya.act('programme_lead_handover', { ...actionData(setupCard, 'programme_lead_handover'), newLeadId: people.jordan.aadObjectId });
    expect(handed.message).toContain('Jordan Lee now leads the programme');
    expect(textOf(await priya.say('export'))).toMatch(/Exports are for the programme team/);
    expect(textOf(await as(bot, people.jordan).say('export'))).not.toMatch(/Exports are for the programme team/);
    const audit = await bot.running.deps.stores.audit.query(TENANT_ID, [{ field: 'action', op: '=', value: 'programme.lead_handed_over' }]);
    expect(audit.items).toEqual([expect.objectContaining({ actorId: people.priya.aadObjectId, subjectId: people.jordan.aadObjectId })]);
  });
});
