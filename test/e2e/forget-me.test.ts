import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { TENANT_ID, runJobs } from '../support/scenario';
import { WORDS, acceptFile, allDocs, meetingWithAlex, tracesOfPerson, uploadTarget } from '../support/privacy';
import { buildReport } from '../../src/commands/reports';
import { docProblem } from '../../src/storage/doc-schemas';
import type { ContainerName } from '../../src/storage/containers';
import { personalConversationId } from '../harness/activities';

const priya = { id: people.priya.aadObjectId, tenantId: TENANT_ID, name: people.priya.name };
const alexWords = [WORDS.alexStory, WORDS.alexAnon, WORDS.alexFix];

describe('my data and forget me, end to end', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => bot.close());

  it('my data holds everything a scan finds about Alex; after forget me no container holds their words, name or ids, and reports still count them', async () => {
    const { story, anon } = await meetingWithAlex(bot);
    const alex = as(bot, people.alex);
    const stores = bot.running.deps.stores;

    // What a scan finds about Alex before erasure: every document naming any of their ids, their name or their words.
    const needles = [...tracesOfPerson(people.alex), ...alexWords];
    const about = (await allDocs(stores)).filter(({ doc }) => needles.some((n) => JSON.stringify(doc).includes(n)));
    expect(about.map((d) => d.container)).toEqual(expect.arrayContaining(['people', 'workstreams', 'meetings', 'contributions', 'audit', 'conversations', 'jobs']));

    // my data: a card, then the JSON file through Teams' file consent flow.
    const sent = await alex.say('my data');
    const card = cardOf(sent[0].activity);
    expect(cardText(card)).toContain('Everything Golden Thread holds about you');
    expect(cardText(card)).toContain(WORDS.alexStory); // their own restricted story, to them
    const consent = sent[1].activity.attachments[0];
    expect(consent.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
    expect(consent.name).toMatch(/^golden-thread-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const target = await uploadTarget();
    try {
      // Someone else accepting Alex's card gets nothing.
      await bot.post(acceptFile(people.sam, consent, target.url));
      expect(target.puts).toHaveLength(0);
      const res = await bot.post(acceptFile(people.alex, consent, target.url));
      expect(res.status).toBe(200);
      expect(target.puts).toHaveLength(1);
    } finally {
      await target.close();
    }
    const json = target.puts[0].toString('utf8');
    // One programme's part, labelled with its name (issue 18: my data spans every programme the person is in).
    const whole = JSON.parse(json);
    expect(whole.programmes.map((p: any) => p.programmeName)).toEqual(['Mental health programme']);
    const file = whole.programmes[0];
    for (const { container, doc } of about) expect({ container, id: doc.id, inFile: json.includes(JSON.stringify(doc.id)) }).toEqual({ container, id: doc.id, inFile: true });
    expect(file.person.name).toBe(people.alex.name);
    expect(file.consent).toHaveLength(1);
    expect(file.contributions.find((c: any) => c.id === story.id)).toMatchObject({ words: WORDS.alexStory, restricted: true, relation: ['said', 'acted'] });
    expect(file.contributions.find((c: any) => c.id === anon.id)).toMatchObject({ words: WORDS.alexFix, anonymous: true });
    expect(file.meetings[0]).toMatchObject({ relation: ['attended'], minutesPresent: expect.any(Number) });
    expect(json).not.toContain(WORDS.sam); // Sam's words are Sam's

    const report = async () => (await buildReport(bot.running.deps, priya, 'March 2026')).current;
    const before = await report();
    expect(before.recorded).toBe(3);

    // forget me: the confirmation card first; without the tick nothing happens.
    const confirm = cardOf((await alex.say('forget me'))[0].activity);
    expect(cardText(confirm)).toContain('This cannot be undone');
    const data = actionData(confirm, 'forget_me_confirm')!;
    expect((await alex.act('forget_me_confirm', { ...data, understood: 'false' })).message).toContain('Nothing has been erased');
    expect((await as(bot, people.sam).act('forget_me_confirm', { ...data, understood: 'true' })).message).toContain('made for someone else');
    const done = await alex.act('forget_me_confirm', { ...data, understood: 'true' });
    expect(cardText(done.card)).toContain('Golden Thread has forgotten you');

    // Not in any document of any container.
    const after = await allDocs(stores);
    for (const needle of needles) {
      const still = after.filter(({ doc }) => JSON.stringify(doc).includes(needle)).map(({ container, doc }) => `${container}/${doc.id}`);
      expect({ needle, still }).toEqual({ needle, still: [] });
    }
    expect(after.filter(({ doc }) => JSON.stringify(doc).includes(personalConversationId(people.alex)))).toEqual([]);
    for (const { container, doc } of after) expect({ id: doc.id, problem: docProblem(container as ContainerName, doc) }).toEqual({ id: doc.id, problem: undefined });

    // Reports still count Alex's contributions, unattributed.
    const now = await report();
    expect(now.recorded).toBe(before.recorded);
    expect(now.byKind).toEqual(before.byKind);
    expect(now.restricted).toBe(before.restricted);
    const kept = await stores.contributions.get(TENANT_ID, story.id);
    expect(kept).toMatchObject({ words: '', anonymous: true, lxpIds: [expect.stringMatching(/^forgotten-/)] });
    expect((await stores.audit.query(TENANT_ID, [{ field: 'action', op: '=', value: 'forgotten' }])).items.length).toBeGreaterThan(0);

    // The programme team is told that it happened, and nothing more.
    const sentBefore = bot.stub.sentActivities().length;
    await runJobs(bot);
    const notices = bot.stub.sentActivities().slice(sentBefore).filter((s) => s.conversationId === personalConversationId(people.priya));
    const notice = notices.map((s) => cardText(cardOf(s.activity))).find((t) => t.includes('asked Golden Thread to forget them'));
    expect(notice).toBeDefined();
    for (const needle of needles) expect(notice).not.toContain(needle);
  });
});
