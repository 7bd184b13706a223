import { UnreachableError } from '../../src/domain/ports';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createAdapter } from '../../src/teams/app';
import { createTeamsSender, type TeamsSenderOptions } from '../../src/teams/proactive';
import { ConnectorStub } from '../harness/connector-stub';
import { TENANT, addPerson, heardFromChat, storeDeps } from '../support/job-store';
import type { Deps } from '../../src/commands/deps';
import type { OpenStore } from '../../src/storage/cosmos/open-store';

const CHAT = '19:meeting_abc@thread.v2';
let stub: ConnectorStub;
let deps: Deps;
let store: OpenStore;

beforeAll(async () => {
  stub = await ConnectorStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  ({ deps, store } = await storeDeps({ now: () => new Date() }));
  await heardFromChat(deps, CHAT, stub.url);
});
afterEach(async () => {
  await store.close();
});

function sender(overrides: Partial<TeamsSenderOptions> = {}) {
  const config = loadConfig({ PLAYGROUND: 'off' });
  const logger = createLogger('silent');
  const adapter = createAdapter({ config, logger });
  return createTeamsSender(adapter, deps, { appId: '', sendRate: 7, tenantRate: 50, logger, ...overrides });
}

const toChat = { kind: 'chat', conversationId: CHAT } as const;
const sends = () => stub.calls.filter((c) => c.kind === 'send');

describe('Teams sender', () => {
  it('sends a card to a stored chat, with the idempotency key in channelData', async () => {
    const r = await sender().send(TENANT, toChat, { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, summary: 'Hello' }, { key: 'job-1' });
    expect(r.activityId).toMatch(/^\d+$/);
    const [sent] = stub.sentActivities(CHAT);
    expect(sent.activity.channelData).toEqual({ goldenThread: { key: 'job-1' } });
    expect(sent.activity.summary).toBe('Hello');
    expect(sent.activity.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('uses references read ahead for a run once each, and a person with none still gets a chat opened', async () => {
    const chats = ['19:a@thread.v2', '19:b@thread.v2'];
    for (const c of chats) await heardFromChat(deps, c, stub.url);
    await addPerson(deps, 'aad-new', 'New Person', '29:1-new');
    const s = sender();
    const conversations = deps.stores.conversations;
    let reads = 0;
    const get = conversations.get.bind(conversations);
    // Reads of the chats' own references once read ahead (each is a point read of its own partition, made by prepare).
    conversations.get = (scope, id) => (id.startsWith('chat:') && reads++, get(scope, id));
    try {
      await s.prepare!(TENANT, [...chats.map((c) => ({ kind: 'chat', conversationId: c }) as const), { kind: 'person', personId: 'aad-new' }]);
      reads = 0;
      for (const c of chats) await s.send(TENANT, { kind: 'chat', conversationId: c }, { text: 'hi' });
      expect(reads).toBe(0);
      // Read ahead as having no chat: one is opened, as it would be without reading ahead.
      await s.send(TENANT, { kind: 'person', personId: 'aad-new' }, { text: 'welcome' });
      expect(stub.calls.filter((c) => c.kind === 'createConversation')).toHaveLength(1);
      // Used once: the next send to the same chat reads the reference again.
      await s.send(TENANT, { kind: 'chat', conversationId: chats[0] }, { text: 'again' });
      expect(reads).toBe(1);
      expect(chats.map((c) => stub.sentActivities(c).length)).toEqual([2, 1]);
    } finally {
      conversations.get = get;
    }
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    stub.failNext({ status: 429, retryAfterSeconds: 1 });
    await sender().send(TENANT, toChat, { text: 'hi' });
    const [first, second] = sends();
    expect([first.status, second.status]).toEqual([429, 200]);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect(sends()).toHaveLength(2);
  });

  it('is the only one retrying: with one try allowed, a 429 means exactly one request (botbuilder would have made four)', async () => {
    stub.failNext({ status: 429, retryAfterSeconds: 1 }, { times: 4 });
    await expect(sender({ retry: { maxTries: 1, baseDelayMs: 10, maxDelayMs: 10 } }).send(TENANT, toChat, { text: 'hi' })).rejects.toMatchObject({ statusCode: 429 });
    expect(sends()).toHaveLength(1);
  });

  it('retries 503 and 412 with backoff, but not 500', async () => {
    stub.failNext({ status: 503 });
    stub.failNext({ status: 412 });
    const quick = sender({ retry: { maxTries: 5, baseDelayMs: 20, maxDelayMs: 100 } });
    await quick.send(TENANT, toChat, { text: 'hi' });
    expect(sends().map((c) => c.status)).toEqual([503, 412, 200]);
    stub.reset();
    stub.failNext({ status: 500 });
    await expect(quick.send(TENANT, toChat, { text: 'hi' })).rejects.toMatchObject({ statusCode: 500 });
    expect(sends()).toHaveLength(1);
  });

  it('turns 403 ConversationBlockedByUser into UnreachableError without retrying', async () => {
    stub.failNext({ status: 403, code: 'ConversationBlockedByUser' });
    const err = await sender().send(TENANT, toChat, { text: 'hi' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.reason).toBe('blocked');
    expect(sends()).toHaveLength(1);
  });

  it('calls beforeAttempt before every request, and sends nothing when it throws', async () => {
    stub.failNext({ status: 503 });
    const attempts: number[] = [];
    const quick = sender({ retry: { maxTries: 5, baseDelayMs: 10, maxDelayMs: 10 } });
    await quick.send(TENANT, toChat, { text: 'hi' }, { beforeAttempt: async (n) => void attempts.push(n) });
    expect(attempts).toEqual([1, 2]);
    stub.reset();
    await expect(quick.send(TENANT, toChat, { text: 'hi' }, { beforeAttempt: async () => Promise.reject(new Error('lease lost')) })).rejects.toThrow('lease lost');
    expect(sends()).toHaveLength(0);
  });

  it('keeps to 7 sends a second in one conversation', async () => {
    const s = sender();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.send(TENANT, toChat, { text: `n${i}` })));
    const at = sends().map((c) => c.at);
    expect(at).toHaveLength(20);
    // Any 8 consecutive sends span at least a second (a little slack for the stub's own clock reading).
    for (let i = 7; i < at.length; i++) expect(at[i] - at[i - 7]).toBeGreaterThanOrEqual(980);
    expect(at[19] - at[0]).toBeGreaterThanOrEqual(1980);
  });

  it('opens a 1:1 chat for a person with a Teams id and no chat yet, and keeps the reference', async () => {
    await addPerson(deps, 'aad-sam', 'Sam Okafor', '29:1-sam');
    await sender().send(TENANT, { kind: 'person', personId: 'aad-sam' }, { text: 'hello Sam' });
    const create = stub.calls.find((c) => c.kind === 'createConversation')!;
    expect(create.body).toMatchObject({ isGroup: false, members: [{ id: '29:1-sam' }], tenantId: TENANT });
    expect(stub.sentActivities('a:29:1-sam')).toHaveLength(1);
    const ref = await deps.stores.conversations.get(TENANT, 'aad-sam');
    expect(ref).toMatchObject({ kind: 'person', reference: { conversation: { id: 'a:29:1-sam' } } });
  });

  it('says a person without a chat or Teams id cannot be reached, and one who has not installed the app is not_installed', async () => {
    await addPerson(deps, 'aad-nobody', 'No Body');
    await expect(sender().send(TENANT, { kind: 'person', personId: 'aad-nobody' }, { text: 'x' })).rejects.toMatchObject({ name: 'UnreachableError', reason: 'no_conversation' });
    await addPerson(deps, 'aad-alex', 'Alex Rivera', '29:1-alex');
    stub.failNext({ status: 403, code: 'Forbidden' });
    await expect(sender().send(TENANT, { kind: 'person', personId: 'aad-alex' }, { text: 'x' })).rejects.toMatchObject({ reason: 'not_installed' });
    expect(sends()).toHaveLength(0);
  });
});
