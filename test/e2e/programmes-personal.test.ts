import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { TEAM_CHAT_ID, TENANT_ID } from '../support/scenario';
import { acceptFile, allDocs, uploadTarget } from '../support/privacy';
import { SAID, inPartition, twoProgrammesWithSam } from '../support/two-programmes';
import { membershipsOf } from '../../src/commands/memberships';
import { rawStores } from '../../src/domain/programme-stores';
import { conversationKey } from '../../src/domain/partition';

/*
 * Issue 18: a person in several programmes. Sam is an LXP in Priya's "Mental health programme" and in Bob's
 * "Maternity voices". His own commands cover both and say which programme each item belongs to; forget me
 * erases him from the one he chooses, or from all, and leaves the other programme's record of him whole.
 */
describe('personal commands across programmes (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => bot.close());

  it('my contributions, attendance and my data show both programmes, labelled; forget me in one leaves the other whole, then in all', async () => {
    const { mental, mentalId, maternityId } = await twoProgrammesWithSam(bot);
    const sam = as(bot, people.sam);

    // my contributions: both, each with its programme and workstream; nothing of Alex's.
    const mine = textOf(await sam.say('my contributions'));
    expect(mine).toContain(SAID.mental);
    expect(mine).toContain(SAID.maternity);
    expect(mine).toContain('(Mental health programme: Crisis pathway)');
    expect(mine).toContain('(Maternity voices: Birth choices)');
    expect(mine).not.toContain(SAID.alex);

    // attendance: a row per programme, and each meeting named with its programme.
    const attended = textOf(await sam.say('attendance'));
    expect(attended).toContain('Programme');
    expect(attended).toMatch(/Maternity voices[\s\S]*Mental health programme|Mental health programme[\s\S]*Maternity voices/);
    expect(attended).toContain('Maternity voices: Monthly meeting');
    expect(attended).toContain('Mental health programme: Monthly meeting');

    // my data: the card has a section per programme; the file holds each programme's part under its name.
    const sent = await sam.say('my data');
    const card = cardText(cardOf(sent[0].activity));
    expect(card).toContain('Maternity voices');
    expect(card).toContain('Mental health programme');
    expect(card).toContain(SAID.maternity);
    expect(card).toContain(SAID.mental);
    const target = await uploadTarget();
    try {
      await bot.post(acceptFile(people.sam, sent[1].activity.attachments[0], target.url));
    } finally {
      await target.close();
    }
    const file = JSON.parse(target.puts[0].toString('utf8'));
    const part = (name: string) => file.programmes.find((p: any) => p.programmeName === name);
    expect(part('Maternity voices').contributions.map((c: any) => c.words)).toEqual([SAID.maternity]);
    expect(part('Mental health programme').contributions.map((c: any) => c.words)).toEqual([SAID.mental]);
    expect(file.outsideProgrammes.programmes.map((p: any) => p.name).sort()).toEqual(['Maternity voices', 'Mental health programme']);
    expect(JSON.stringify(file)).not.toContain(SAID.alex);

    // preferences: each programme keeps its own, so Sam is asked whose, and the card says.
    const which = textOf(await sam.say('preferences'));
    expect(which).toContain('Which programme?');
    expect(which).toMatch(/Maternity voices[\s\S]*Mental health programme/);
    const prefs = await sam.act('programme_choose', { programmeId: maternityId, then: 'preferences' });
    expect(cardText(prefs.card)).toContain('Your preferences in Maternity voices');
    expect(textOf(await sam.say('preferences'))).toContain('Which programme?'); // asked again, not the last one silently

    // The board tab, outside any turn: the programme comes from the viewer's own list (local mode: ?user=).
    const tab = async (query: string) => {
      const res = await fetch(`${bot.url}/tab/board?${query}`);
      return { status: res.status, html: await res.text() };
    };
    const choose = await tab('user=sam');
    expect(choose.html).toContain('Which programme?');
    expect(choose.html).toContain(`programme=${encodeURIComponent(maternityId)}`);
    expect(choose.html).toContain(`programme=${encodeURIComponent(mentalId)}`);
    const samsMaternity = await tab(`user=sam&programme=${maternityId}`);
    expect(samsMaternity.status).toBe(200);
    expect(samsMaternity.html).toContain('Maternity voices: Your thread');
    expect(samsMaternity.html).toContain('Birth choices');
    expect(samsMaternity.html).not.toContain('Crisis pathway');
    expect(samsMaternity.html).toContain(`name="programme" value="${maternityId}"`); // the filter form keeps to it
    const samsMental = await tab(`user=sam&programme=${mentalId}`);
    expect(samsMental.html).toContain('Crisis pathway');
    expect(samsMental.html).not.toContain('Birth choices');
    // Dana is in Maternity voices only: that is her board, and naming Priya's programme is refused with nothing of it.
    const danas = await tab('user=dana');
    expect(danas.status).toBe(200);
    expect(danas.html).toContain('Birth choices');
    const forged = await tab(`user=dana&programme=${mentalId}`);
    expect(forged.status).toBe(403);
    expect(forged.html).not.toContain('Crisis pathway');
    const publish = await fetch(`${bot.url}/tab/board/publish?user=dana&programme=${mentalId}`);
    expect(publish.status).toBe(403);
    expect(await publish.text()).not.toContain('Crisis pathway');

    // forget me: the card asks where, naming both programmes.
    const confirm = cardOf((await sam.say('forget me'))[0].activity);
    const choices = confirm.body.find((b: any) => b.id === 'which').choices.map((c: any) => [c.title, c.value]);
    expect(choices).toEqual([['Only Maternity voices', maternityId], ['Only Mental health programme', mentalId], ['All my programmes', 'all']]);
    const data = actionData(confirm, 'forget_me_confirm')!;
    expect((await sam.act('forget_me_confirm', { ...data, understood: 'true', which: '' })).message).toContain('choose where');
    expect((await sam.act('forget_me_confirm', { ...data, understood: 'true', which: 'pg-someone-elses' })).message).toContain('not in that programme');

    const mentalBefore = JSON.stringify(await Promise.all((['contributions', 'meetings', 'workstreams', 'people'] as const).map((c) => inPartition(bot, mentalId, c))));
    const one = await sam.act('forget_me_confirm', { ...data, understood: 'true', which: maternityId });
    const told = cardText(one.card);
    expect(told).toContain('Golden Thread has forgotten you in Maternity voices');
    expect(told).toContain('Mental health programme still holds its own record of you');

    // Maternity voices: his words and ids are gone from every container of its partition; its audit says where.
    const maternityDocs = JSON.stringify(await Promise.all((['contributions', 'meetings', 'workstreams', 'people', 'audit', 'jobs'] as const).map((c) => inPartition(bot, maternityId, c))));
    for (const trace of [SAID.maternity, people.sam.aadObjectId, people.sam.id, people.sam.name]) expect(maternityDocs).not.toContain(trace);
    const forgotten = (await inPartition(bot, maternityId, 'audit')).filter((a) => a.action === 'person.forgotten');
    expect(forgotten).toEqual([expect.objectContaining({ detail: expect.objectContaining({ where: 'this_programme', contributions: 1 }) })]);
    // Mental health programme: exactly as it was. He can still be reached there, and it is still on his list.
    expect(JSON.stringify(await Promise.all((['contributions', 'meetings', 'workstreams', 'people'] as const).map((c) => inPartition(bot, mentalId, c))))).toBe(mentalBefore);
    expect(Object.keys((await membershipsOf(bot.running.deps, TENANT_ID, people.sam.aadObjectId))!.programmes)).toEqual([mentalId]);
    expect(await rawStores(bot.running.deps.stores).conversations.get(conversationKey(TENANT_ID, people.sam.aadObjectId), people.sam.aadObjectId)).toBeDefined();
    const after = textOf(await sam.say('my contributions'));
    expect(after).toContain(SAID.mental);
    expect(after).not.toContain(SAID.maternity);

    // Then all (one programme left: the card no longer asks where): nothing in any container names him.
    const last = cardOf((await sam.say('forget me'))[0].activity);
    expect(last.body.find((b: any) => b.id === 'which')).toBeUndefined();
    const all = await sam.act('forget_me_confirm', { ...actionData(last, 'forget_me_confirm'), understood: 'true' });
    expect(cardText(all.card)).toContain('Golden Thread has forgotten you');
    const everything = await allDocs(rawStores(bot.running.deps.stores));
    for (const trace of [SAID.mental, SAID.maternity, people.sam.aadObjectId, people.sam.name]) {
      expect({ trace, still: everything.filter(({ doc }) => JSON.stringify(doc).includes(trace)).map(({ container, doc }) => `${container}/${doc.id}`) }).toEqual({ trace, still: [] });
    }
    expect((await inPartition(bot, mentalId, 'audit')).filter((a) => a.action === 'person.forgotten')).toEqual([expect.objectContaining({ detail: expect.objectContaining({ where: 'all_programmes' }) })]);
    // Alex's words in Priya's programme are untouched by either.
    expect(JSON.stringify(await inPartition(bot, mentalId, 'contributions'))).toContain(SAID.alex);

    // Alex, taken off Crisis pathway, has no role left in Priya's programme and no access to it; what was recorded
    // from him there is still his to see and to erase.
    const inTeamChat = { conversationType: 'groupChat' as const, conversationId: TEAM_CHAT_ID };
    await as(bot, people.priya).act('workstream_save', { ...mental.payload, workstreamId: mental.workstream.id, submissionId: '', expectedUpdatedAt: '', lxpIds: '' }, inTeamChat);
    const alex = as(bot, people.alex);
    expect(textOf(await alex.say('setup'))).toContain('Start a programme');
    expect((await tab('user=alex')).html).toContain('You are not in a programme yet');
    expect(textOf(await alex.say('my contributions'))).toContain(`(Mental health programme: Crisis pathway)`);
    const alexForget = cardOf((await alex.say('forget me'))[0].activity);
    expect(cardText(alexForget)).toContain('In Mental health programme');
    expect(cardText((await alex.act('forget_me_confirm', { ...actionData(alexForget, 'forget_me_confirm'), understood: 'true' })).card)).toContain('Golden Thread has forgotten you');
    expect(JSON.stringify(await allDocs(rawStores(bot.running.deps.stores)))).not.toContain(SAID.alex);
    expect(await membershipsOf(bot.running.deps, TENANT_ID, people.alex.aadObjectId)).toBeUndefined();
  });
});
