import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { MEETING_CHAT_ID, TENANT_ID, runJobs } from '../support/scenario';
import { acceptFile, allDocs, uploadTarget } from '../support/privacy';
import { docProblem } from '../../src/storage/doc-schemas';
import { CONTAINERS as STORE_CONTAINERS, type ContainerName } from '../../src/storage/containers';
import { SAID, MATERNITY_CHAT, bob, dana, inPartition, twoProgrammesWithSam } from '../support/two-programmes';
import { chatLinkOf, membershipsOf } from '../../src/commands/memberships';
import { eraseProgramme } from '../../src/commands/close-programme';
import { rawStores } from '../../src/domain/programme-stores';
import { tenantKey } from '../../src/domain/partition';
import type { Stores } from '../../src/domain/stores';
import { equalityId } from '../../src/domain/who-takes-part';
import { personalConversationId } from '../harness/activities';

/*
 * Issue 18: Bob closes Maternity voices. The lead alone may; he gets the file of everything first; only once it
 * is saved does a job erase every document of the programme and the indexes pointing at it, leaving a count in
 * the tenant's audit. Priya's programme in the same tenant is untouched, and the job can be cut short and run
 * again.
 */
// Every container the store has, but the conversation references (per person or chat, not per programme).
const CONTAINERS = (Object.keys(STORE_CONTAINERS) as ContainerName[]).filter((c) => c !== 'conversations');
const SAM_ADDS = 'Quillon birth pool booking';
const SAM_NOTE = 'It should open a week earlier for first babies';

describe('closing a programme (HTTP, stub connector)', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => bot.close());

  const snapshot = async (programmeId: string, containers = CONTAINERS) => Object.fromEntries(await Promise.all(containers.map(async (c) => [c, await inPartition(bot, programmeId, c)] as const)));
  const counts = (s: Record<string, unknown[]>) => Object.fromEntries(Object.entries(s).map(([c, docs]) => [c, docs.length]));

  it('only the lead closes; the file comes first; then everything is erased, once, even after a crash half-way', async () => {
    const { mentalId, maternityId } = await twoProgrammesWithSam(bot);
    await runJobs(bot);
    // Sam, an LXP of Maternity voices, answers the equality questions and proposes an agenda item for its next meeting.
    const sam = as(bot, people.sam);
    expect(cardText((await sam.act('equality_save', { programmeId: maternityId, age: '45_54', sex: 'prefer_not', carer: '' })).card)).toContain('Saved.');
    const birthChoices = (await inPartition(bot, maternityId, 'workstreams')).find((w) => w.type === 'workstream')!;
    const proposed = await sam.act('agenda_propose', { programmeId: maternityId, submissionId: 'sam-agenda', workstreamId: birthChoices.id, title: SAM_ADDS, note: SAM_NOTE });
    expect(proposed.message).toContain('Proposed');
    const samEquality = equalityId(people.sam.aadObjectId);
    expect((await inPartition(bot, maternityId, 'people')).map((d) => d.id)).toContain(samEquality);
    expect(await inPartition(bot, maternityId, 'proposals')).toHaveLength(1);
    const lead = as(bot, bob);

    // Not the chair, and not from a shared chat.
    expect(textOf(await as(bot, dana).say('close programme'))).toContain('Only the programme lead can close the programme');
    expect(textOf(await lead.mention('close programme', MATERNITY_CHAT))).toContain('type close programme there');

    // The confirmation card says what will happen; without the tick nothing does.
    const card = cardOf((await lead.say('close programme'))[0].activity);
    expect(cardText(card)).toContain('Close Maternity voices?');
    expect(cardText(card)).toContain('Once the file is saved, every record of the programme is erased');
    expect((await lead.act('programme_close', { ...actionData(card, 'programme_close'), understood: 'false' })).message).toContain('Nothing has been erased');
    // The card names its programme: pressed by Priya, who leads only her own, it offers nothing (it used to offer hers).
    expect(actionData(card, 'programme_close')!.programmeId).toBe(maternityId);
    const priyaSaw = bot.stub.sentActivities(personalConversationId(people.priya)).length;
    expect((await as(bot, people.priya).act('programme_close', { ...actionData(card, 'programme_close'), understood: 'true' })).message).toContain('This card is for a programme you are not in');
    expect(bot.stub.sentActivities(personalConversationId(people.priya))).toHaveLength(priyaSaw);

    const offered = async () => {
      const before = bot.stub.sentActivities().length;
      const pressed = await lead.act('programme_close', { ...actionData(card, 'programme_close'), understood: 'true' });
      expect(pressed.message).toContain('erased once the file is saved');
      return bot.stub.sentActivities().slice(before).map((s) => s.activity.attachments?.[0]).find((a: any) => a?.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    };

    // Declined: nothing is erased.
    const first = await offered();
    const before = await snapshot(maternityId);
    await bot.post({ ...acceptFile(bob, first, 'http://127.0.0.1:1/none'), value: { type: 'fileUpload', action: 'decline', context: first.content.acceptContext } });
    await runJobs(bot);
    expect(counts(await snapshot(maternityId))).toEqual(counts(before));

    // Accepted: the file holds everything of Maternity voices and nothing of Priya's programme.
    const consent = await offered();
    expect(consent.name).toMatch(/^golden-thread-maternity-voices-everything-\d{4}-\d{2}-\d{2}\.json$/);
    const target = await uploadTarget();
    try {
      expect((await bot.post(acceptFile(people.sam, consent, target.url))).status).toBe(200);
      expect(target.puts).toHaveLength(0);
      await bot.post(acceptFile(bob, consent, target.url));
    } finally {
      await target.close();
    }
    const file = JSON.parse(target.puts[0].toString('utf8'));
    expect(file.programme.name).toBe('Maternity voices');
    // The export's own file: Sam's row is there, without his words (he did not agree to be quoted).
    expect(file.contributionsCsv).toMatch(/Birth choices,Monthly meeting,.*Sam Okafor,Suggestion/);
    expect(file.contributionsCsv).not.toContain(SAID.maternity);
    expect(file.people.map((p: any) => p.name)).toEqual(expect.arrayContaining([bob.name, dana.name, people.sam.name]));
    expect(file.meetings).toHaveLength(1);
    // Equality answers are never put beside names: no equality record, nor its answers, is in the file.
    expect(file.people.map((p: any) => p.type)).toEqual(file.people.map(() => 'person'));
    expect(JSON.stringify(file)).not.toMatch(/equality-|45_54/);
    // Sam's agenda item is in it, without his words (no meeting has taken it).
    expect(file.proposals).toEqual([expect.objectContaining({ type: 'agenda_proposal', lxpId: people.sam.aadObjectId, status: 'proposed' })]);
    expect(JSON.stringify(file)).not.toMatch(new RegExp(`${SAM_ADDS}|${SAM_NOTE}`));
    expect(file.audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(file)).not.toMatch(new RegExp(`${SAID.mental}|${SAID.alex}|Crisis pathway|${people.priya.name}`));

    // The job is queued, not yet run: a run that dies half-way erases some of it and keeps the counts taken first.
    const held = counts(await snapshot(maternityId));
    expect(held.proposals).toBe(1);
    const mental = await snapshot(mentalId, ['contributions', 'meetings', 'workstreams', 'people', 'audit', 'claims', 'counters', 'shown']);
    let deletes = 0;
    const raw = rawStores(bot.running.deps.stores);
    const crashing = Object.fromEntries(Object.entries(raw).map(([name, c]) => [name, new Proxy(c, {
      get(target, prop) {
        if (prop === 'delete') return async (pk: string, id: string) => {
          if (++deletes > 6) throw new Error('the process died');
          return target.delete(pk, id);
        };
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    })])) as unknown as Stores;
    await expect(eraseProgramme({ ...bot.running.deps, stores: crashing }, TENANT_ID, maternityId, bob.aadObjectId)).rejects.toThrow('the process died');
    const partly = counts(await snapshot(maternityId));
    expect(partly.workstreams).toBeGreaterThan(0);
    expect(Object.values(partly).reduce((a, b) => a + b, 0)).toBeLessThan(Object.values(held).reduce((a, b) => a + b, 0));

    // The job resumes: nothing of the programme is left, the tenant audit holds the counts taken before the crash.
    const sentBefore = bot.stub.sentActivities().length;
    await runJobs(bot);
    for (const c of CONTAINERS) expect({ c, left: (await inPartition(bot, maternityId, c)).length }).toEqual({ c, left: 0 });
    const tenantAudit = async () => (await raw.audit.query(tenantKey(TENANT_ID), [])).items;
    expect(await tenantAudit()).toEqual([expect.objectContaining({ action: 'programme.closed', actorId: bob.aadObjectId, subjectId: maternityId, detail: expect.objectContaining({ counts: held, by: bob.aadObjectId }) })]);
    const notice = bot.stub.sentActivities().slice(sentBefore).filter((s) => s.conversationId === personalConversationId(bob)).map((s) => cardText(cardOf(s.activity))).join('\n');
    expect(notice).toContain('The programme is closed');
    expect(notice).toMatch(/Contribution\s+1/);

    // Run twice: nothing more is erased, counted or sent.
    expect(await eraseProgramme(bot.running.deps, TENANT_ID, maternityId, bob.aadObjectId)).toEqual(expect.objectContaining({ counts: held }));
    const sentAfter = bot.stub.sentActivities().length;
    await runJobs(bot);
    expect(bot.stub.sentActivities().slice(sentAfter).filter((s) => s.conversationId === personalConversationId(bob))).toEqual([]);
    expect(await tenantAudit()).toHaveLength(1);

    // Its members are in no programme; its chat is unlinked; Sam keeps Priya's programme, which is as it was.
    expect(await membershipsOf(bot.running.deps, TENANT_ID, bob.aadObjectId)).toBeUndefined();
    expect(await membershipsOf(bot.running.deps, TENANT_ID, dana.aadObjectId)).toBeUndefined();
    expect(await chatLinkOf(bot.running.deps, TENANT_ID, MATERNITY_CHAT)).toBeUndefined();
    expect(await chatLinkOf(bot.running.deps, TENANT_ID, MEETING_CHAT_ID)).toBeDefined();
    expect(textOf(await as(bot, dana).say('preferences'))).toContain('you are not in one yet');
    expect(textOf(await lead.say('setup'))).toContain('Start a programme');
    // Dana, in no programme now, can still ask to be forgotten: only how to reach her was held.
    const danaForget = cardOf((await as(bot, dana).say('forget me'))[0].activity);
    const forgotten = await as(bot, dana).act('forget_me_confirm', { ...actionData(danaForget, 'forget_me_confirm'), understood: 'true' });
    expect(cardText(forgotten.card)).toContain('You are in no programme');
    expect(JSON.stringify(await allDocs(raw))).not.toContain(dana.aadObjectId);
    const tab = await fetch(`${bot.url}/tab/board?user=dana`);
    expect(await tab.text()).toContain('You are not in a programme yet');
    expect(Object.keys((await membershipsOf(bot.running.deps, TENANT_ID, people.sam.aadObjectId))!.programmes)).toEqual([mentalId]);
    const sams = textOf(await as(bot, people.sam).say('my contributions'));
    expect(sams).toContain(SAID.mental);
    expect(sams).not.toContain(SAID.maternity);
    expect(await snapshot(mentalId, ['contributions', 'meetings', 'workstreams', 'people', 'audit', 'claims', 'counters', 'shown'])).toEqual(mental);
    // What is left (the tenant's audit entry and the finished job among it) is still a valid document of its kind.
    for (const { container, doc } of await allDocs(raw)) expect({ id: doc.id, problem: docProblem(container as ContainerName, doc) }).toEqual({ id: doc.id, problem: undefined });
  });
});
