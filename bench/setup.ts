/**
 * Sets a programme up over HTTP, the way Teams would deliver it (the same
 * activity builders the end-to-end tests use): a programme lead, people who
 * have said hello, workstreams, and meeting chats with a meeting under way.
 */
import { actionData, actionExecute, installationUpdate, meetingEvent, participantEvent, people, personalMessage, TENANT_ID, type From } from '../test/harness/activities';
import type { Child } from './lib';

export { people, TENANT_ID };

export class Driver {
  constructor(
    readonly botUrl: string,
    readonly stubUrl: string,
  ) {}

  async post(activity: Record<string, any>, timeoutMs = 30_000): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl: this.stubUrl }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    if (res.status >= 300) throw new Error(`bot answered ${res.status} to ${activity.type} ${activity.value?.action?.verb ?? activity.text ?? ''}: ${text.slice(0, 300)}`);
    return { status: res.status, body };
  }

  say(who: From, text: string, timeoutMs?: number) {
    return this.post(personalMessage({ text, from: who }), timeoutMs);
  }

  /** An Action.Execute; returns the card or message in the invoke response. */
  async act(who: From, verb: string, data: Record<string, unknown>, opts: { conversationId?: string } = {}): Promise<{ card?: any; message?: string }> {
    const conversationType = opts.conversationId ? 'groupChat' : 'personal';
    const res = await this.post(actionExecute({ verb, data, from: who, conversationType, conversationId: opts.conversationId, replyToId: 'card-1' }));
    const v = res.body?.value;
    return { card: res.body?.type === 'application/vnd.microsoft.card.adaptive' ? v : undefined, message: typeof v === 'string' ? v : undefined };
  }
}

/** Priya leads the programme; everyone says hello so the bot knows them. */
export async function programme(d: Driver): Promise<void> {
  await d.say(people.priya, 'setup');
  const claimed = await d.act(people.priya, 'programme_claim', {});
  if (!claimed.card) throw new Error(`programme_claim: ${claimed.message}`);
  for (const p of [people.chris, people.sam, people.alex, people.jordan]) await d.say(p, 'help');
}

/** The programme team's chat, whose members Priya picks the workstream's people from (since programmes, issue 18). */
const TEAM_CHAT = '19:bench-programme-team@thread.v2';

/** A workstream chaired by Chris with Sam and Alex as LXPs and Jordan as staff, set up in the programme team's chat. */
export async function workstream(d: Driver, stub: Child, name: string): Promise<void> {
  const members = [people.priya, people.chris, people.sam, people.alex, people.jordan].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, email: p.email }));
  await stub.request('setMembers', { conversationId: TEAM_CHAT, members });
  const inTeamChat = { conversationId: TEAM_CHAT };
  const editor = await d.act(people.priya, 'workstream_edit', { workstreamId: '' }, inTeamChat);
  const saved = await d.act(people.priya, 'workstream_save', {
    ...actionData(editor.card, 'workstream_save'),
    name,
    chairIds: people.chris.aadObjectId,
    lxpIds: `${people.sam.aadObjectId},${people.alex.aadObjectId}`,
    staffIds: people.jordan.aadObjectId,
    area1: 'Crisis care at night',
    area2: 'Waiting times',
    area3: 'Carers',
  }, inTeamChat);
  if (saved.message) throw new Error(`workstream_save: ${saved.message}`);
}

export const chatId = (i: number) => `19:meeting_bench${i}@thread.v2`;
export const teamsMeetingId = (i: number) => Buffer.from(`bench-meeting-${i}`).toString('base64');

/** Chat i: the bot is added, the chat is linked to the workstream, the meeting starts and two LXPs join. */
export async function meetingChat(d: Driver, stub: Child, i: number, workstreamId: string): Promise<void> {
  const conversationId = chatId(i);
  const meetingId = teamsMeetingId(i);
  const members = [people.chris, people.sam, people.alex, people.jordan].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId }));
  await stub.request('setMembers', { conversationId, members });
  await stub.request('setMeeting', { meetingId, info: { details: { id: meetingId, title: `Bench meeting ${i}` }, organizer: { id: people.chris.id, aadObjectId: people.chris.aadObjectId } } });
  await d.post(installationUpdate({ conversationId, from: people.chris, overrides: { channelData: { meeting: { id: meetingId } } } }));
  const linked = await d.act(people.chris, 'meeting_link', { workstreamId }, { conversationId });
  if (!linked.message?.includes('linked')) throw new Error(`meeting_link: ${linked.message}`);
  await d.post(meetingEvent('start', { conversationId, meetingId, title: `Bench meeting ${i}`, time: new Date().toISOString() }));
  await d.post(participantEvent('join', { conversationId, meetingId, members: [people.sam, people.alex] }));
}

export { TENANT_ID as tenantId };
