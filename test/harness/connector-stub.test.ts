import * as fs from 'fs';
import * as path from 'path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { ConnectorStub } from './connector-stub';
import {
  MEETING_CHAT_ID,
  MEETING_ID,
  TENANT_ID,
  actionExecute,
  groupMention,
  installationUpdate,
  loadActivity,
  meetingEvent,
  participantEvent,
  people,
  personalMessage,
} from './activities';

// The connector client's default pipeline retries 429 (honouring Retry-After) and 5xx up to 3 times,
// so a failure only reaches the caller when it is injected 4 times in a row.
const ALL_ATTEMPTS = 4;

let stub: ConnectorStub;
let client: ConnectorClient;
// No app id means auth is disabled end to end, so no token is requested from the real AAD.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));

beforeAll(async () => {
  stub = await ConnectorStub.start();
  client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: stub.url });
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

/** Runs `logic` as a bot turn for `activity`, with replies going to the stub. */
const turn = (activity: any, logic: (ctx: TurnContext) => Promise<void>) =>
  adapter.processActivityDirect('', { ...activity, serviceUrl: stub.url }, logic);

describe('ConnectorStub routes', () => {
  it('records a send and decodes conversation ids with : @ ;', async () => {
    const conv = '19:meeting_abc@thread.v2;messageid=17';
    const res = await client.conversations.sendToConversation(conv, { type: 'message', text: 'hi' } as any);
    expect(res.id).toMatch(/^\d+$/);
    expect(stub.calls[0]).toMatchObject({ method: 'POST', kind: 'send', conversationId: conv, status: 200 });
    expect(stub.sentActivities(conv)).toEqual([{ conversationId: conv, kind: 'send', activity: expect.objectContaining({ text: 'hi' }) }]);
  });

  it('records reply, update and delete made through a CloudAdapter turn', async () => {
    const incoming = groupMention({ text: 'help' });
    await turn(incoming, async (ctx) => {
      const sent = await ctx.sendActivity('on it');
      await ctx.updateActivity({ id: sent!.id, type: 'message', text: 'done' });
      await ctx.deleteActivity(sent!.id);
    });
    expect(stub.calls.map((c) => c.kind)).toEqual(['reply', 'update', 'delete']);
    expect(stub.calls[0]).toMatchObject({ conversationId: MEETING_CHAT_ID, activityId: incoming.id });
    expect(stub.sentActivities().map((s) => [s.kind, s.activity.text])).toEqual([
      ['reply', 'on it'],
      ['update', 'done'],
    ]);
  });

  it('creates a conversation with a stable id and records an inline activity as a send', async () => {
    const res = await client.conversations.createConversation({
      isGroup: false,
      bot: { id: '28:golden-thread-bot', name: 'Golden Thread' },
      members: [{ id: people.sam.id, name: people.sam.name }],
      tenantId: TENANT_ID,
      activity: { type: 'message', text: 'Your action was closed' },
    } as any);
    expect(res.id).toBe(`a:${people.sam.id}`);
    expect(res.serviceUrl).toBe(stub.url);
    expect(stub.sentActivities(res.id)).toEqual([
      { conversationId: res.id, kind: 'send', activity: expect.objectContaining({ text: 'Your action was closed' }) },
    ]);
  });

  it('pages members with pageSize and continuationToken, and looks one up by AAD id', async () => {
    const all = Object.values(people).map(({ id, name, aadObjectId, email }) => ({ id, name, aadObjectId, email }));
    stub.setMembers(MEETING_CHAT_ID, all);
    // The SDK types continuationToken as required; the first page legitimately has none.
    const first = await client.conversations.getConversationPagedMembers(MEETING_CHAT_ID, { pageSize: 3 } as any);
    const second = await client.conversations.getConversationPagedMembers(MEETING_CHAT_ID, {
      pageSize: 3,
      continuationToken: first.continuationToken!,
    });
    expect(first.members.map((m) => m.name)).toEqual(['Priya Shah', 'Chris Morgan', 'Sam Okafor']);
    expect(second.members.map((m) => m.name)).toEqual(['Alex Rivera', 'Jordan Lee']);
    expect(second.continuationToken).toBeUndefined();
    expect(stub.calls[1]).toMatchObject({ kind: 'pagedMembers', path: expect.stringContaining('continuationToken=3') });

    const one = await client.conversations.getConversationMember(MEETING_CHAT_ID, 'aad-alex');
    expect(one).toMatchObject({ id: people.alex.id, name: 'Alex Rivera' });
  });

  it('answers meeting participant and meeting info lookups made by TeamsInfo', async () => {
    stub.setParticipant(MEETING_ID, people.chris.aadObjectId, {
      user: { id: people.chris.id, aadObjectId: people.chris.aadObjectId, name: people.chris.name, userRole: 'user' },
      meeting: { role: 'Organizer', inMeeting: true },
      conversation: { id: MEETING_CHAT_ID, conversationType: 'groupChat', isGroup: true },
    });
    stub.setMeeting(MEETING_ID, { details: { id: MEETING_ID, title: 'LXP Programme Board', type: 'Scheduled' } });
    let participant: any;
    let info: any;
    await turn(groupMention({ text: 'help', from: people.chris }), async (ctx) => {
      participant = await TeamsInfo.getMeetingParticipant(ctx);
      info = await TeamsInfo.getMeetingInfo(ctx);
    });
    expect(participant.meeting).toEqual({ role: 'Organizer', inMeeting: true });
    expect(info.details.title).toBe('LXP Programme Board');
    expect(stub.calls[0]).toMatchObject({
      kind: 'participant',
      path: `/v1/meetings/${MEETING_ID}/participants/aad-chris?tenantId=${TENANT_ID}`,
    });
  });

  it('answers unknown routes with 404 recorded as other', async () => {
    const res = await fetch(`${stub.url}v3/teams/19:abc@thread.tacv2/conversations`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('NotFound');
    expect(stub.calls[0]).toMatchObject({ kind: 'other', status: 404 });
  });
});

describe('ConnectorStub failures', () => {
  it('sends 429 with a Retry-After header and TooManyRequests body', async () => {
    stub.failNext({ status: 429, retryAfterSeconds: 7 });
    const res = await fetch(`${stub.url}v3/conversations/c1/activities`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code: 'TooManyRequests' }) });
  });

  it('lets the connector client retry a single 429 after Retry-After', async () => {
    stub.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await client.conversations.sendToConversation('c1', { type: 'message', text: 'x' } as any);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(stub.calls.map((c) => c.status)).toEqual([429, 200]);
  });

  it('surfaces a persistent 429 to the caller', async () => {
    stub.failNext({ status: 429, retryAfterSeconds: 0 }, { times: ALL_ATTEMPTS });
    await expect(client.conversations.sendToConversation('c1', { type: 'message' } as any)).rejects.toMatchObject({
      statusCode: 429,
      code: 'TooManyRequests',
    });
    expect(stub.sentActivities()).toEqual([]);
  });

  it('answers 403 ConversationBlockedByUser without retrying', async () => {
    stub.failNext({ status: 403 });
    await expect(
      client.conversations.sendToConversation('a:blocked', { type: 'message', text: 'x' } as any),
    ).rejects.toMatchObject({ statusCode: 403, code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' });
    expect(stub.calls).toEqual([expect.objectContaining({ status: 403, kind: 'send', conversationId: 'a:blocked' })]);
  });

  it('only fails calls that match, and 5xx/412 carry their error codes', async () => {
    stub.failNext({ status: 503 }, { match: (c) => c.conversationId === 'a:flaky' });
    stub.failNext({ status: 412 }, { match: (c) => c.path.includes('/v1/') });
    await client.conversations.sendToConversation('a:fine', { type: 'message' } as any);
    const five = await fetch(`${stub.url}v3/conversations/a%3Aflaky/activities`, { method: 'POST', body: '{}' });
    const pre = await fetch(`${stub.url}v1/meetings/m1`);
    expect([five.status, (await five.json()).error.code]).toEqual([503, 'ServiceError']);
    expect([pre.status, (await pre.json()).error.code]).toEqual([412, 'PreconditionFailed']);
    expect(stub.sentActivities().map((s) => s.conversationId)).toEqual(['a:fine']);
  });
});

describe('ConnectorStub.waitFor', () => {
  it('resolves with the predicate value once it appears', async () => {
    setTimeout(() => void client.conversations.sendToConversation('c2', { type: 'message', text: 'later' } as any), 50);
    const sent = await stub.waitFor(() => stub.sentActivities('c2')[0]);
    expect(sent.activity.text).toBe('later');
  });

  it('rejects with a message listing the calls seen', async () => {
    await expect(stub.waitFor(() => false, 100)).rejects.toThrow(/timed out after 100 ms[\s\S]*\(none\)/);
  });
});

describe('activity fixtures', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'activities');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

  it.each(files)('%s parses and has the fields every Teams activity carries', (file) => {
    const a = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(a).toMatchObject({
      type: expect.any(String),
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:1/',
      recipient: { id: '28:golden-thread-bot' },
      from: { id: expect.stringMatching(/^29:/), aadObjectId: expect.any(String) },
      conversation: { id: expect.any(String), tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
    });
  });

  it('meetingStart has PascalCase value and channelData.meeting.id, and botbuilder parses it', async () => {
    const start = meetingEvent('start', { title: 'Board' });
    expect(start.name).toBe('application/vnd.microsoft.meetingStart');
    expect(start.value).toEqual(expect.objectContaining({ Id: expect.any(String), Title: 'Board', StartTime: expect.any(String) }));
    expect(start.channelData.meeting.id).toBe(MEETING_ID);

    let seen: any;
    const handler = new TeamsActivityHandler();
    handler.onTeamsMeetingStartEvent(async (meeting, _ctx, next) => {
      seen = meeting;
      await next();
    });
    await turn(start, (ctx) => handler.run(ctx));
    expect(seen).toMatchObject({ title: 'Board', meetingType: 'Scheduled' });
    expect(seen.startTime.toISOString()).toBe('2025-03-04T10:00:05.438Z');
  });

  it('meetingEnd carries EndTime; participant events carry members with user and meeting', () => {
    expect(loadActivity('meeting-end').value.EndTime).toEqual(expect.any(String));
    const join = participantEvent('join', { members: [{ ...people.sam, meetingRole: 'Attendee' }] });
    const leave = participantEvent('leave', { members: [people.sam] });
    expect(join.name).toBe('application/vnd.microsoft.meetingParticipantJoin');
    expect(join.value.members).toEqual([
      {
        user: { id: people.sam.id, name: 'Sam Okafor', aadObjectId: 'aad-sam', tenantId: TENANT_ID, userRole: 'user' },
        meeting: { inMeeting: true, role: 'Attendee' },
      },
    ]);
    expect(leave.name).toBe('application/vnd.microsoft.meetingParticipantLeave');
    expect(leave.value.members[0].meeting.inMeeting).toBe(false);
  });
});

describe('activity builders', () => {
  it('loadActivity deep-merges overrides onto a fresh copy with a new id', () => {
    const a = loadActivity('personal-message', { text: 'status', channelData: { extra: 1 } });
    const b = loadActivity('personal-message');
    expect(a.id).not.toBe(b.id);
    expect(a.channelData).toEqual({ tenant: { id: TENANT_ID }, extra: 1 });
    expect(b.text).toBe('help');
  });

  it('builds messages, mentions, card actions and installs for the mock people', () => {
    const dm = personalMessage({ text: 'hi', from: people.jordan });
    expect(dm).toMatchObject({ text: 'hi', from: { id: '29:1-jordan', name: 'Jordan Lee', aadObjectId: 'aad-jordan' } });
    expect(dm.from).not.toHaveProperty('role');

    const mention = groupMention({ text: 'status', meetingId: 'M2' });
    expect(mention.text).toBe('<at>Golden Thread</at> status');
    expect(mention.entities[0]).toMatchObject({ type: 'mention', mentioned: { id: '28:golden-thread-bot' } });
    expect(mention.channelData.meeting.id).toBe('M2');
    expect(mention.conversation.conversationType).toBe('groupChat');

    const act = actionExecute({ verb: 'markDone', data: { actionId: 'a9' }, conversationType: 'personal', replyToId: '42' });
    expect(act).toMatchObject({ type: 'invoke', name: 'adaptiveCard/action', replyToId: '42' });
    expect(act.value).toEqual({ action: { type: 'Action.Execute', id: 'markDone', verb: 'markDone', data: { actionId: 'a9' } }, trigger: 'manual' });
    expect(act.conversation).toMatchObject({ conversationType: 'personal', isGroup: false });
    expect(act.channelData.meeting).toBeUndefined();

    expect(installationUpdate({ action: 'remove' })).toMatchObject({ type: 'installationUpdate', action: 'remove', conversation: { conversationType: 'groupChat' } });
    expect(installationUpdate({ scope: 'personal' }).conversation.conversationType).toBe('personal');
  });
});
