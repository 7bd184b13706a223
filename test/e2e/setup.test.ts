import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, people, textOf } from '../support/talk';
import { setUpProgramme } from '../support/scenario';
import { TENANT_ID } from '../harness/activities';
import type { Workstream } from '../../src/domain/workstream';

async function setUpWorkstream(bot: BotUnderTest) {
  const steps = await setUpProgramme(bot);
  expect(textOf(steps.claim)).toContain('you will become its programme lead');
  expect(cardText(steps.claimed.card)).toContain('You are now the programme lead');
  return steps;
}

describe('setting up the programme (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(async () => bot.close());

  it('a programme lead sets up a workstream; LXPs record and change their choices; every step is audited', async () => {
    const { saved } = await setUpWorkstream(bot);
    const text = cardText(saved.card);
    expect(text).toContain('Crisis pathway');
    expect(text).toContain('Chris Morgan');
    expect(text).toContain('Sam Okafor, Alex Rivera');
    expect(text).toContain('Crisis care at night; Waiting times; Carers');

    // Each LXP records their choices on the onboarding card.
    for (const lxp of [people.sam, people.alex]) {
      const r = await as(bot, lxp).act('preferences_save', {
        personId: lxp.aadObjectId, attribution: 'named', quoteInReports: 'false', rhythm: 'weekly', detail: 'brief', news: 'good_news,not_taken_forward', quietDays: '0,6', revealToOwner: 'false',
      });
      expect(cardText(r.card)).toContain('Your choices are saved');
    }
    // `preferences` shows Sam's current choices and changes one.
    const prefs = await as(bot, people.sam).say('preferences');
    const prefCard = cardOf(prefs[0].activity);
    expect(JSON.stringify(prefCard)).toContain('"value":"weekly"');
    await as(bot, people.sam).act('preferences_save', {
      personId: people.sam.aadObjectId, attribution: 'anonymous', quoteInReports: 'false', rhythm: 'weekly', detail: 'brief', news: 'good_news,not_taken_forward', quietDays: '0,6', revealToOwner: 'false',
    });
    const sam = await bot.running.deps.stores.people.get(TENANT_ID, people.sam.aadObjectId);
    expect(sam?.preferences?.attribution).toBe('anonymous');
    expect(sam?.consent).toHaveLength(2);
    expect(sam?.consent[0].wordingVersion).toBeTruthy();

    const audit = (await bot.running.deps.stores.audit.query(TENANT_ID, [], { pageSize: 500 })).items;
    const actions = audit.map((a) => `${a.actorId}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining([
      'aad-priya:programme.lead_claimed',
      'aad-priya:workstream.created',
      'aad-sam:consent.recorded',
      'aad-alex:consent.recorded',
      'aad-sam:preferences.changed',
    ]));
    const change = audit.find((a) => a.action === 'preferences.changed');
    expect(change?.detail?.changed).toEqual(['attribution']);
  });

  it('an LXP chooses the hours they want no messages; the card shows the choice; a made-up choice is refused and changes nothing', async () => {
    await setUpWorkstream(bot);
    const sam = as(bot, people.sam);
    const choices = { personId: people.sam.aadObjectId, attribution: 'named', quoteInReports: 'false', rhythm: 'as_it_happens', detail: 'brief', news: 'good_news', quietDays: '0,6', revealToOwner: 'false' };
    const saved = await sam.act('preferences_save', { ...choices, quietHours: 'evenings' });
    expect(cardText(saved.card)).toContain('Saturday and Sunday; 6pm to 9am');
    const stored = async () => (await bot.running.deps.stores.people.get(TENANT_ID, people.sam.aadObjectId))?.preferences;
    expect((await stored())?.quietHours).toEqual([18, 9]);
    const card = cardOf((await sam.say('preferences'))[0].activity);
    const input = JSON.stringify(card).match(/\{[^{}]*"id":"quietHours"[^{}]*/)?.[0] ?? '';
    expect(input).toContain('"value":"evenings"');
    expect(cardText(card)).toContain('Not in the evening or at night (6pm to 9am)');

    const refused = await sam.act('preferences_save', { ...choices, quietHours: 'all_day' });
    expect(refused.message).toMatch(/Choose the hours you do not want messages/);
    expect((await stored())?.quietHours).toEqual([18, 9]);
    await sam.act('preferences_save', { ...choices, quietHours: 'none' });
    expect((await stored())?.quietHours).toBeUndefined();
  });

  it('refuses a sixth priority area with a clear message and keeps the five', async () => {
    await setUpWorkstream(bot);
    const [ws] = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])).items as Workstream[];
    const sam = as(bot, people.sam);
    expect((await sam.act('priority_area_add', { workstreamId: ws.id, areaName: 'Housing' })).card).toBeDefined();
    expect((await sam.act('priority_area_add', { workstreamId: ws.id, areaName: 'Peer support' })).card).toBeDefined();
    const sixth = await sam.act('priority_area_add', { workstreamId: ws.id, areaName: 'Employment' });
    expect(sixth.message).toMatch(/already has 5 priority areas/);
    const after = (await bot.running.deps.stores.workstreams.get(TENANT_ID, ws.id)) as Workstream;
    expect(after.priorityAreas.map((p) => p.name)).toEqual(['Crisis care at night', 'Waiting times', 'Carers', 'Housing', 'Peer support']);
    // Jordan (staff) may not change them.
    const jordan = await as(bot, people.jordan).act('priority_area_add', { workstreamId: ws.id, areaName: 'Other' });
    expect(jordan.message).toMatch(/Only the LXPs and chairs/);
  });

  // Issue 18: one tenant holds many organisations' programmes; a second person starts their own instead of being refused.
  it('a second person starts a programme of their own; the first stays as it was', async () => {
    await as(bot, people.priya).act('programme_claim');
    const alex = await as(bot, people.alex).act('programme_claim', { name: 'Alex trust programme', submissionId: 'alex-1' });
    expect(cardText(alex.card)).toContain('You are now the programme lead');
    const programme = await bot.running.deps.stores.workstreams.get(TENANT_ID, 'programme');
    expect(programme).toMatchObject({ leadId: people.priya.aadObjectId, memberIds: [people.priya.aadObjectId] });
  });

  it('a workstream card submitted twice creates one workstream', async () => {
    const { payload } = await setUpWorkstream(bot);
    await as(bot, people.priya).act('workstream_save', payload);
    const all = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])).items;
    expect(all).toHaveLength(1);
  });

  it('bad card input gets a clear message and changes nothing', async () => {
    await setUpWorkstream(bot);
    const before = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [])).items.length;
    const r = await as(bot, people.priya).act('workstream_save', { name: 'x'.repeat(101), chairIds: people.chris.aadObjectId });
    expect(r.message).toMatch(/too long/);
    const noChair = await as(bot, people.priya).act('workstream_save', { name: 'No chair' });
    expect(noChair.message).toMatch(/at least one chair/);
    const lxp = await as(bot, people.sam).act('workstream_save', { name: 'Mine', chairIds: people.sam.aadObjectId });
    expect(lxp.message).toMatch(/Only the programme team/);
    expect((await bot.running.deps.stores.workstreams.query(TENANT_ID, [])).items.length).toBe(before);
  });
});
