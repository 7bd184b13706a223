/*
 * The Teams layer without HTTP: the route table registered by the adapter on
 * a real teams-ai Application, driven with the real activity fixtures, over
 * memory stores and a fixed clock. What the bot sends is captured by a
 * BotAdapter that keeps it; 1:1 sends go to a recording sender.
 */
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { createAdapter, createBot, type Bot } from '../../src/teams/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { AppDeps } from '../../src/app/route';
import type { OutgoingMessage, Recipient, Sender } from '../../src/domain/ports';
import { testDeps } from '../support/memory-collection';
import { actionExecute, groupMention, meetingEvent, people, personalMessage, MEETING_CHAT_ID } from '../harness/activities';
import { cardOf, cardText } from '../support/e2e';
import { inFirstProgramme } from '../support/scenario';

class Capture extends BotAdapter {
  sent: Partial<Activity>[] = [];
  updated: Partial<Activity>[] = [];
  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return activities.map((_, i) => ({ id: `sent-${this.sent.length + i}` }));
  }
  async updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.updated.push(activity);
  }
  async deleteActivity(): Promise<void> {}
  async continueConversation(_ref: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {}
}

let bot: Bot;
let deps: AppDeps;
let privately: { to: Recipient; message: OutgoingMessage }[];
let refuse1to1: boolean;

beforeEach(() => {
  const config = loadConfig({ PLAYGROUND: 'off', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  deps = { ...testDeps(), logger, questions: false };
  privately = [];
  refuse1to1 = false;
  const sender: Sender = {
    async send(_tenantId, to, message) {
      if (refuse1to1) throw new Error('Teams refused');
      privately.push({ to, message });
      return { activityId: 'p1' };
    },
  };
  bot = createBot({ deps, config, logger, sender }, createAdapter({ config, logger }));
});

// Preferences belong to a programme (issue 18): Sam is in the test programme.
const samInProgramme = () => inFirstProgramme(deps, people.sam);

/** Runs one activity through the app; returns what was sent back in the conversation and the invoke response, if any. */
async function run(activity: any) {
  const adapter = new Capture();
  await bot.handle(new TurnContext(adapter, activity));
  const invoke = adapter.sent.find((a) => a.type === 'invokeResponse')?.value as { status: number; body?: any } | undefined;
  return { posted: adapter.sent.filter((a) => a.type !== 'invokeResponse'), updated: adapter.updated, invoke };
}

const texts = (posted: Partial<Activity>[]) => posted.map((a) => (cardOf(a) ? cardText(cardOf(a)) : a.text ?? '')).join('\n---\n');

test('help in a personal chat: one card, made from the help command', async () => {
  const { posted } = await run(personalMessage({ text: 'help', from: people.sam }));
  expect(posted).toHaveLength(1);
  expect(cardText(cardOf(posted[0]))).toContain('Hello Sam Okafor');
});

test('text no command takes: the fallback, last in the table', async () => {
  const { posted } = await run(personalMessage({ text: 'what is the weather', from: people.sam }));
  expect(texts(posted)).toContain("I didn't recognise that");
});

test('a meeting starting in a chat not yet linked: the link card, built from the fixture without asking Teams over HTTP', async () => {
  const { posted } = await run(meetingEvent('start', { meetingId: 'm-1', title: 'Crisis pathway monthly', time: '2026-03-09T10:00:00Z' }));
  expect(posted).toHaveLength(1);
  expect(cardText(cardOf(posted[0]))).toContain('Which workstream is this meeting part of?');
});

test('a meeting event whose value is the wrong shape is refused at the edge, before any use case', async () => {
  const { posted } = await run(meetingEvent('start', { meetingId: 'm-1', overrides: { value: { Title: 42 } } }));
  expect(posted).toHaveLength(0);
  expect((await deps.stores.meetings.query('00000000-0000-0000-0000-0000000000aa', [])).items).toHaveLength(0);
});

test('preferences in a shared chat: the card goes 1:1 and the chat hears so', async () => {
  await samInProgramme();
  const { posted } = await run(groupMention({ text: 'preferences', from: people.sam, conversationId: MEETING_CHAT_ID }));
  expect(privately).toHaveLength(1);
  expect(privately[0].to).toEqual({ kind: 'person', personId: people.sam.aadObjectId });
  expect(JSON.stringify(privately[0].message)).toContain('preferences_save');
  expect(texts(posted)).toContain('I have sent them to you in our personal chat');
});

test('preferences in a shared chat when Teams will not deliver 1:1: the chat is told how to get them', async () => {
  await samInProgramme();
  refuse1to1 = true;
  const { posted } = await run(groupMention({ text: 'preferences', from: people.sam, conversationId: MEETING_CHAT_ID }));
  expect(texts(posted)).toContain('Open a chat with me');
  expect(texts(posted)).not.toContain('I have sent');
});

test('a card action refused by a command: a short message as the invoke answer, nothing replaced', async () => {
  const { invoke, updated } = await run(actionExecute({ verb: 'workstream_save', from: people.sam, data: { name: 'X' } }));
  expect(invoke?.status).toBe(200);
  expect(invoke?.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  expect(updated).toHaveLength(0);
});

test('a card answer in a shared chat replaces the card pressed, for everyone', async () => {
  const { invoke, updated } = await run(actionExecute({ verb: 'programme_claim', from: people.priya, replyToId: 'card-9' }));
  expect(invoke?.body?.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(updated).toHaveLength(1);
  expect(updated[0].id).toBe('card-9');
});

test.each([
  ['no value', (a: any) => delete a.value],
  ['no verb', (a: any) => delete a.value.action.verb],
])('a card action with %s: HTTP 200 and a short message', async (_what, change) => {
  const activity = actionExecute({ verb: 'log_save', from: people.sam });
  change(activity);
  const { invoke } = await run(activity);
  expect(invoke?.status).toBe(200);
  expect(invoke?.body?.value).toMatch(/could not read that card/);
});
