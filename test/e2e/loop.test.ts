import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people } from '../support/talk';
import { MEETING_CHAT_ID, TENANT_ID, programmeWithWorkstream } from '../support/scenario';
import { personalConversationId } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import type { Contribution } from '../../src/domain/contribution';

/** Every duration in seconds, so the whole loop runs in a test; the clock is moved by hand so each step is exact. */
const ENV = { FOLLOWUP_AFTER: 'PT2S', REMINDER_EVERY: 'PT2S', ESCALATE_AFTER: 'PT6S', SCHEDULER_INTERVAL: 'PT1S', JOBS_TICK_SECRET: 'loop-secret' };
const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };
const WORDS = 'Crisis lines at night should be answered by people who have been there';

let bot: BotUnderTest;
let clock: MovableClock;

beforeEach(async () => {
  // A Tuesday morning, so nobody's default quiet days get in the way.
  clock = movableClock('2026-03-10T10:00:00.000Z');
  bot = await startBot(ENV, { clock });
});
afterEach(async () => bot.close());

/** The scheduler's tick, over HTTP, as a host that idles processes would call it. */
async function tick(seconds = 0) {
  clock.advance(seconds * 1000);
  const res = await fetch(`${bot.url}/api/jobs/tick`, { method: 'POST', headers: { 'x-jobs-secret': 'loop-secret' } });
  expect(res.status).toBe(200);
}

const titleOf = (card: any): string => {
  const first = card?.body?.[0];
  return first?.text ?? (first?.inlines ?? []).map((i: any) => i.text).join('');
};
/** What one person has been sent 1:1, as card titles (or texts), in order. */
const inbox = (who: { aadObjectId: string }) =>
  bot.stub.sentActivities(personalConversationId(who as any)).filter((s) => s.kind === 'send').map((s) => (cardOf(s.activity) ? titleOf(cardOf(s.activity)) : s.activity.text));
const lastCard = (who: { aadObjectId: string }, title: string) =>
  bot.stub.sentActivities(personalConversationId(who as any)).map((s) => cardOf(s.activity)).filter((c) => c && titleOf(c) === title).at(-1);
const stored = async (): Promise<Contribution> => (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items[0];

/** Setup over HTTP as setup.test.ts does, then Chris logs what Sam said, owned by Jordan. */
async function contributionLogged(fields: Record<string, string> = {}) {
  const ws = await programmeWithWorkstream(bot);
  await as(bot, people.sam).act('preferences_save', {
    personId: people.sam.aadObjectId, attribution: 'named', quoteInReports: 'false', rhythm: 'as_it_happens', detail: 'detailed', news: 'good_news,not_taken_forward,under_consideration', quietDays: '', revealToOwner: 'false',
  });
  const chris = as(bot, people.chris);
  expect((await chris.act('meeting_link', { workstreamId: ws.id }, chat)).message).toContain('linked to Crisis pathway');
  await chris.act('log_open', {}, chat);
  const logCard = bot.stub.sentActivities(MEETING_CHAT_ID).map((s) => cardOf(s.activity)).find((c) => c && actionData(c, 'log_save'));
  const saved = await chris.act('log_save', {
    ...actionData(logCard, 'log_save'), lxpIds: people.sam.aadObjectId, words: WORDS, kind: 'suggestion', priorityAreaIds: '', ownerId: people.jordan.aadObjectId, dueDate: '', anonymous: 'false', restricted: 'false', ...fields,
  }, chat);
  expect(cardText(saved.card)).toContain('Saved');
  await tick(); // welcome cards and anything else already due
  return ws;
}

const ASK = 'What happened to this contribution?';
const REMIND = 'Reminder: what happened to this contribution?';
const TALK = 'An LXP would like to talk about their feedback';

describe('closing the loop (HTTP, stub connector, durations in seconds)', () => {
  it('contribution → owner asked → a reminder → outcome → "you said, we did" → "I\'d like to talk" → owner and programme team told, each once', async () => {
    await contributionLogged();
    expect(inbox(people.jordan)).toEqual([]);

    await tick(2); // due
    expect(inbox(people.jordan)).toEqual([ASK]);
    const ask = lastCard(people.jordan, ASK);
    expect(cardText(ask)).toContain(WORDS);
    expect(cardText(ask)).toContain('Sam Okafor');

    await tick(2); // first reminder: now overdue
    expect(inbox(people.jordan)).toEqual([ASK, REMIND]);
    expect(await stored()).toMatchObject({ status: 'overdue', reminders: { count: 1 } });

    const reminder = lastCard(people.jordan, REMIND);
    const recorded = await as(bot, people.jordan).act('outcome_record', {
      ...actionData(reminder, 'outcome_record'), status: 'adopted', whatWeDid: 'We asked the crisis line to recruit peer workers for night shifts.', evidenceUrl: 'https://example.org/board-minutes',
    });
    expect(cardText(recorded.card)).toContain('Outcome recorded');

    await tick(); // "you said, we did", as it happens
    expect(inbox(people.sam).filter((t) => t === 'You said, we did')).toHaveLength(1);
    const ysw = lastCard(people.sam, 'You said, we did');
    expect(cardText(ysw)).toContain(WORDS);
    expect(cardText(ysw)).toContain('We did: Adopted');
    expect(cardText(ysw)).toContain('Jordan Lee');
    expect(JSON.stringify(ysw)).toContain('"url":"https://example.org/board-minutes"');
    expect((await stored()).status).toBe('fed_back');

    const answered = await as(bot, people.sam).act('feedback_answer', { ...actionData(ysw, 'feedback_answer'), answer: 'want_to_talk' });
    expect(cardText(answered.card)).toContain('We have told the person who followed it up and the programme team');
    expect(await stored()).toMatchObject({ status: 'closed', answers: [{ by: people.sam.aadObjectId, answer: 'want_to_talk' }] });
    // A second click changes nothing and tells nobody again.
    const again = await as(bot, people.sam).act('feedback_answer', { ...actionData(ysw, 'feedback_answer'), answer: 'want_to_talk' });
    expect(again.message).toContain('already recorded');

    await tick();
    const talk = lastCard(people.priya, TALK);
    expect(cardText(talk)).toContain('Sam Okafor');
    expect(cardText(lastCard(people.jordan, TALK))).toContain(WORDS);

    await tick(30); // long past every reminder and the escalation: the outcome stopped them
    expect(inbox(people.jordan)).toEqual([ASK, REMIND, TALK]);
    expect(inbox(people.sam)).toEqual(['You said, we did']);
    expect(inbox(people.priya).filter((t) => t === TALK || /Overdue/.test(t))).toEqual([TALK]);
    expect(inbox(people.chris)).toEqual([]);
  });

  it('no outcome: reminders every REMINDER_EVERY, then the programme team is told; an anonymous personal story stays hidden from the owner', async () => {
    await contributionLogged({ anonymous: 'true', restricted: 'true' });
    await tick(2);
    const ask = lastCard(people.jordan, ASK);
    expect(cardText(ask)).toContain('An LXP');
    expect(cardText(ask)).not.toContain('Sam Okafor');
    expect(cardText(ask)).not.toContain(WORDS);
    expect(cardText(ask)).toContain('A personal story, shared in confidence.');

    await tick(2);
    await tick(2);
    expect(await stored()).toMatchObject({ status: 'overdue', reminders: { count: 2 } });
    await tick(2); // ESCALATE_AFTER past due, and the third reminder
    await tick(); // the notices queued by the escalation
    expect(inbox(people.jordan)).toEqual([ASK, REMIND, REMIND, REMIND]);
    expect((await stored()).status).toBe('escalated');
    const overdue = inbox(people.priya).filter((t) => /Overdue/.test(t));
    expect(overdue).toHaveLength(1);
    const notice = lastCard(people.priya, overdue[0]);
    expect(cardText(notice)).toContain('Jordan Lee');
    expect(cardText(notice)).toContain(WORDS); // the programme team may read a personal story
    expect(cardText(notice)).not.toContain('Sam Okafor'); // but anonymous stays anonymous

    // Priya nudges Jordan from the notice.
    const nudged = await as(bot, people.priya).act('nudge_owner', actionData(notice, 'nudge_owner')!);
    expect(nudged.message).toContain('Jordan Lee');
    await tick();
    expect(inbox(people.jordan)).toHaveLength(5);
    expect(inbox(people.priya).filter((t) => /Overdue/.test(t))).toHaveLength(1);
  });

  it('a withdrawn contribution gets no follow-ups', async () => {
    await contributionLogged();
    const c = await stored();
    const withdrawn = await as(bot, people.sam).act('check_withdraw', { contributionId: c.id, meetingId: c.meetingId });
    expect(withdrawn.status).toBe(200);
    await tick(2);
    await tick(10);
    expect(inbox(people.jordan)).toEqual([]);
    expect(inbox(people.priya).filter((t) => /Overdue/.test(t))).toEqual([]);
  });
});
