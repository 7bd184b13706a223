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

/** Priya leads the programme; everyone says hello so the bot can reach them 1:1. */
export async function programme(d: Driver, stub?: Child): Promise<void> {
  await startProgramme(d, stub, people.priya, TEAM_CHAT_ID, [people.priya, people.chris, people.sam, people.alex, people.jordan]);
}

/**
 * A programme of `lead`'s (the tenant's first is Priya's): the lead starts it, everyone says hello, and the
 * programme team's chat has `members`, whom the workstream cards can pick (issue 18: people are picked from
 * the programme's people and the chat's members). Without a stub the members are not set.
 */
export async function startProgramme(d: Driver, stub: Child | undefined, lead: From, teamChatId: string, members: (From & { email?: string })[], name?: string): Promise<void> {
  await d.say(lead, 'setup');
  const claimed = await d.act(lead, 'programme_claim', name ? { name } : {});
  if (!claimed.card) throw new Error(`programme_claim: ${claimed.message}`);
  for (const p of members) if (p !== lead) await d.say(p, 'help');
  await stub?.request('setMembers', { conversationId: teamChatId, members: members.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, email: p.email })) });
}

export const TEAM_CHAT_ID = '19:bench-programme-team@thread.v2';

export interface WorkstreamPeople {
  lead: From;
  teamChatId: string;
  chair: From;
  lxps: From[];
  staff: From;
  areas: string[];
}

const PRIYAS: WorkstreamPeople = { lead: people.priya, teamChatId: TEAM_CHAT_ID, chair: people.chris, lxps: [people.sam, people.alex], staff: people.jordan, areas: ['Crisis care at night', 'Waiting times', 'Carers'] };

/** A workstream, made in the programme team's chat; by default Priya's, chaired by Chris with Sam and Alex as LXPs and Jordan as staff. */
export async function workstream(d: Driver, name: string, who: WorkstreamPeople = PRIYAS): Promise<void> {
  const inChat = { conversationId: who.teamChatId };
  const editor = await d.act(who.lead, 'workstream_edit', { workstreamId: '' }, inChat);
  const saved = await d.act(who.lead, 'workstream_save', {
    ...actionData(editor.card, 'workstream_save'),
    name,
    chairIds: who.chair.aadObjectId,
    lxpIds: who.lxps.map((p) => p.aadObjectId).join(','),
    staffIds: who.staff.aadObjectId,
    ...Object.fromEntries(who.areas.map((a, i) => [`area${i + 1}`, a])),
  }, inChat);
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
