import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { installationUpdate, meetingEvent, participantEvent, personalConversationId } from '../harness/activities';
import type { Contribution } from '../../src/domain/contribution';
import type { Job } from '../../src/domain/job';

/**
 * Issue 20, as people would try it: the LXP's choices hold wherever their words are shown. Alex's default is
 * anonymous; Sam shares a story, corrects one item, withdraws another, then types "forget me". What the meeting
 * chat and the owner's chat show at the end is read from the connector stub: each message's last version.
 */
const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };
const WORDS = {
  alex: 'Crisis teams should text before they visit',
  samStory: 'The night I waited nine hours in A&E nobody spoke to me',
  samOld: 'Discharge letters are written for doctors not for us',
  samNew: 'Discharge letters should be in plain English, agreed with the person',
  samGone: 'Peer workers should be on every crisis team at night',
};

async function scenario(bot: BotUnderTest, before?: { beforeChanges?: () => void }) {
  const ws = await programmeWithWorkstream(bot);
  const chris = as(bot, people.chris);
  const alex = as(bot, people.alex);
  const sam = as(bot, people.sam);

  // Alex chooses "an LXP, without my name" in preferences.
  const prefs = cardOf((await alex.say('preferences'))[0].activity);
  await alex.act('preferences_save', { ...actionData(prefs, 'preferences_save'), attribution: 'anonymous', rhythm: 'as_it_happens', detail: 'detailed', news: 'good_news', quietDays: '' });

  bot.stub.setMembers(MEETING_CHAT_ID, [people.chris, people.sam, people.alex].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris, overrides: { channelData: { meeting: { id: MEETING_ID } } } }));
  await chris.act('meeting_link', { workstreamId: ws.id }, chat);
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: '2026-03-09T10:00:00.0000000Z' }));
  await bot.post(participantEvent('join', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: [people.sam, people.alex] }));

  // The chair opens the log card in the chat and saves from it, as Teams would: each save replaces that card.
  const opened = await chris.mention('log', MEETING_CHAT_ID);
  const logCard = cardOf(opened[0].activity);
  const logCardId = bot.stub.calls.find((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === MEETING_CHAT_ID && cardOf(c.body) && cardText(cardOf(c.body)).includes('Log a contribution'))!.responseId!;
  const base = actionData(logCard, 'log_save')!;
  // What the card sends with its choices left as they are: "as each LXP chose", "restricted if it is a personal experience".
  const untouched = { attribution: 'as_chosen', restriction: 'as_kind', anonymous: 'false', restricted: 'false', priorityAreaIds: ws.priorityAreas[0].id };
  const save = (submissionId: string, lxp: typeof people.sam, words: string, extra: Record<string, string> = {}) =>
    chris.act('log_save', { ...base, ...untouched, submissionId, lxpIds: lxp.aadObjectId, words, kind: 'suggestion', ...extra }, { ...chat, replyToId: logCardId });

  await save('alex-1', people.alex, WORDS.alex);
  const refused = await save('alex-2', people.alex, WORDS.alex, { attribution: 'named' });
  await save('sam-story', people.sam, WORDS.samStory, { kind: 'personal_experience' });
  await save('sam-old', people.sam, WORDS.samOld);
  await save('sam-gone', people.sam, WORDS.samGone);

  await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-09T11:30:00.0000000Z' }));
  // Minutes, check cards and (the due dates being past) the owner's cards.
  await runJobs(bot);
  await runJobs(bot);

  const contributions = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items as Contribution[];
  const byWords = (w: string) => contributions.find((c) => c.words === w)!;
  const minutesBefore = currentText(bot, MEETING_CHAT_ID);

  before?.beforeChanges?.();
  const meetingId = byWords(WORDS.samOld).meetingId;
  await sam.act('check_correct', { contributionId: byWords(WORDS.samOld).id, meetingId, [`words_${byWords(WORDS.samOld).id}`]: WORDS.samNew });
  await sam.act('check_withdraw', { contributionId: byWords(WORDS.samGone).id, meetingId });
  await runJobs(bot);
  const afterChecks = currentText(bot, MEETING_CHAT_ID);

  const confirm = cardOf((await sam.say('forget me'))[0].activity);
  await sam.act('forget_me_confirm', { ...actionData(confirm, 'forget_me_confirm'), understood: 'true' });
  await runJobs(bot);
  await runJobs(bot);
  return { refused, contributions, byWords, minutesBefore, afterChecks };
}

/** The text of every message in a conversation as it reads now (the last version after updates). */
function currentText(bot: BotUnderTest, conversationId: string): string[] {
  return [...bot.stub.currentMessages(conversationId).values()].map(({ activity }) => (cardOf(activity) ? cardText(cardOf(activity)) : String(activity?.text ?? '')));
}

async function refreshJobs(bot: BotUnderTest): Promise<Job[]> {
  return (await bot.running.deps.stores.jobs.query(TENANT_ID, [{ field: 'kind', op: '=', value: 'refresh_message' }])).items;
}

function expectNothingLeft(bot: BotUnderTest) {
  const owner = personalConversationId(people.chris);
  for (const conversationId of [MEETING_CHAT_ID, owner]) {
    const texts = currentText(bot, conversationId);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      for (const gone of [WORDS.samGone, WORDS.samOld, WORDS.samNew, WORDS.samStory, people.sam.name]) expect({ conversationId, text, has: text.includes(gone) }).toEqual({ conversationId, text, has: false });
      // The log card's "Who said it" lists the workstream's LXPs to choose from; what Alex said is never under his name.
      expect(text).not.toContain(`${people.alex.name}: `);
    }
  }
}

describe("issue 20: the LXP's choices hold wherever their words are shown", () => {
  it('defaults apply, the chair cannot name Alex, and after a correction, a withdrawal and forget me no message shows what it should not', async () => {
    const bot = await startBot();
    try {
      const r = await scenario(bot);
      expect(r.refused.message).toContain('Alex Rivera asked to be recorded as "an LXP"');
      expect(r.contributions.filter((c) => c.words === WORDS.alex)).toHaveLength(1);
      expect(r.byWords(WORDS.alex).anonymous).toBe(true);
      expect(r.byWords(WORDS.samStory).restricted).toBe(true);

      // The minutes as posted: Alex anonymous, Sam's story in confidence, nobody has checked yet.
      const minutes = r.minutesBefore.find((t) => t.includes('Lived-experience contributions'))!;
      expect(minutes).toContain(WORDS.alex);
      expect(minutes).not.toContain(people.alex.name);
      expect(minutes).toContain('An LXP: Suggestion');
      expect(minutes).not.toContain(WORDS.samStory);
      expect(minutes).toContain('A personal story, shared in confidence.');
      expect(minutes).toContain('Waiting for Sam Okafor to check.');
      expect(minutes).toContain('Waiting for the LXP to check.');

      // After Sam's check: the minutes say so, the withdrawn item is a count, the old wording is gone.
      const updated = r.afterChecks.find((t) => t.includes('Lived-experience contributions'))!;
      expect(updated).toContain('Checked by Sam Okafor: this is their wording.');
      expect(updated).toContain(WORDS.samNew);
      expect(updated).toContain('1 contribution was withdrawn by the person who said it.');
      for (const t of r.afterChecks) {
        expect(t).not.toContain(WORDS.samGone);
        expect(t).not.toContain(WORDS.samOld);
      }

      expectNothingLeft(bot);
      const jobs = await refreshJobs(bot);
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.every((j) => j.status === 'done' && !j.lastError)).toBe(true);
    } finally {
      await bot.close();
    }
  });

  it('with Teams answering 429 to the first updates, every update still arrives, once', async () => {
    const bot = await startBot();
    try {
      await scenario(bot, { beforeChanges: () => bot.stub.failNext({ status: 429, retryAfterSeconds: 0 }, { times: 3, match: (c) => c.method === 'PUT' }) });
      expect(bot.stub.calls.filter((c) => c.kind === 'update' && c.status === 429)).toHaveLength(3);
      expectNothingLeft(bot);
      const jobs = await refreshJobs(bot);
      expect(jobs.every((j) => j.status === 'done' && !j.lastError)).toBe(true);
      // One accepted update per job: none lost to the 429s, none sent twice.
      const refreshed = bot.stub.calls.filter((c) => c.kind === 'update' && c.status < 300 && c.body?.channelData?.goldenThread?.key?.startsWith('refresh_message:'));
      expect(refreshed.map((c) => c.body.channelData.goldenThread.key).sort()).toEqual(jobs.map((j) => j.id).sort());
    } finally {
      await bot.close();
    }
  });
});
