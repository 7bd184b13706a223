/**
 * Builders for realistic incoming Teams activities, based on the JSON fixtures in
 * test/fixtures/activities. Each builder returns a fresh object (safe to mutate).
 */
import * as fs from 'fs';
import * as path from 'path';

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'activities');

export const TENANT_ID = '00000000-0000-0000-0000-0000000000aa';
export const BOT = { id: '28:golden-thread-bot', name: 'Golden Thread' };
/** The meeting group chat the group fixtures live in, and its channelData.meeting.id (base64, as Teams sends it). */
export const MEETING_CHAT_ID = '19:meeting_R29sZGVuVGhyZWFkUmV2aWV3@thread.v2';
export const MEETING_ID = 'MCMxOTptZWV0aW5nX1IyOXNaR1Z1VkdoeVpXRmtVbVYyYVdWM0B0aHJlYWQudjIjMA==';

export interface From {
  id: string;
  name: string;
  aadObjectId: string;
}

export type Role = 'programmeLead' | 'chair' | 'lxp' | 'staff';
export interface Person extends From {
  role: Role;
  email: string;
}

const person = (key: string, name: string, role: Role): Person => ({
  id: `29:1-${key}`,
  name,
  aadObjectId: `aad-${key}`,
  role,
  email: `${key}@goldenthread.example`,
});

export const people = {
  priya: person('priya', 'Priya Shah', 'programmeLead'),
  chris: person('chris', 'Chris Morgan', 'chair'),
  sam: person('sam', 'Sam Okafor', 'lxp'),
  alex: person('alex', 'Alex Rivera', 'lxp'),
  jordan: person('jordan', 'Jordan Lee', 'staff'),
};

/** Options every builder accepts; `overrides` is deep-merged last so tests can reach any field. */
export interface CommonOptions {
  from?: From;
  tenantId?: string;
  serviceUrl?: string;
  conversationId?: string;
  overrides?: Record<string, any>;
}

type FixtureName =
  | 'personal-message'
  | 'group-chat-mention'
  | 'action-execute'
  | 'installation-update-add'
  | 'installation-update-personal'
  | 'meeting-start'
  | 'meeting-end'
  | 'meeting-participant-join'
  | 'meeting-participant-leave';

let seq = 0;

/**
 * Reads a fixture (always from disk, so no test can pollute another), gives it a fresh id and
 * timestamp, then deep-merges `overrides`: objects merge, arrays and scalars replace, undefined is ignored.
 */
export function loadActivity(name: FixtureName | string, overrides: Record<string, any> = {}): any {
  const file = path.join(FIXTURE_DIR, name.endsWith('.json') ? name : `${name}.json`);
  const activity = JSON.parse(fs.readFileSync(file, 'utf8'));
  const now = new Date();
  activity.id = `${activity.type === 'message' ? '' : 'f:'}${now.getTime()}${String(++seq).padStart(4, '0')}`;
  activity.timestamp = now.toISOString();
  if ('localTimestamp' in activity) activity.localTimestamp = now.toISOString().replace('Z', '+00:00');
  return deepMerge(activity, overrides);
}

export function deepMerge(target: any, source: any): any {
  if (!isPlainObject(source)) return source === undefined ? target : clone(source);
  const out = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : clone(value);
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Only the fields Teams actually puts in `from`, even when a full Person is passed. */
const fromOf = (f: From) => ({ id: f.id, name: f.name, aadObjectId: f.aadObjectId });

/** Stable per-user 1:1 conversation id (real ones are opaque 'a:1...' strings). */
export const personalConversationId = (f: From) => `a:1-${f.aadObjectId}-personal`;

/**
 * Fields shared by every builder: sender, tenant (both places Teams puts it), service URL, conversation id.
 * System events (meeting, installation) carry only id + aadObjectId in `from`, hence `named`.
 */
function common(o: CommonOptions, defaultFrom: From, named = true): Record<string, any> {
  const tenantId = o.tenantId ?? TENANT_ID;
  const { name, ...anonymous } = fromOf(o.from ?? defaultFrom);
  return {
    from: named ? { ...anonymous, name } : anonymous,
    serviceUrl: o.serviceUrl,
    conversation: { id: o.conversationId, tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

export function personalMessage(o: CommonOptions & { text: string }): any {
  const from = o.from ?? people.sam;
  return loadActivity('personal-message', deepMerge(
    deepMerge(common(o, from), {
      text: o.text,
      conversation: { id: o.conversationId ?? personalConversationId(from) },
    }),
    o.overrides ?? {},
  ));
}

/** `text` is what follows the @mention (e.g. 'help'); pass full text containing `<at>` to control it yourself. */
export function groupMention(o: CommonOptions & { text: string; meetingId?: string }): any {
  const text = o.text.includes('<at>') ? o.text : `<at>${BOT.name}</at> ${o.text}`;
  const body = text.replace(/<at>[^<]*<\/at>/g, (m) => `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${m.slice(4, -5)}</span>`);
  return loadActivity('group-chat-mention', deepMerge(
    deepMerge(common(o, people.chris), {
      text,
      attachments: [{ contentType: 'text/html', content: `<p>${body}</p>` }],
      channelData: { meeting: { id: o.meetingId } },
    }),
    o.overrides ?? {},
  ));
}

export function actionExecute(
  o: CommonOptions & {
    verb: string;
    data?: Record<string, any>;
    conversationType?: 'personal' | 'groupChat' | 'channel';
    replyToId?: string;
    meetingId?: string;
  },
): any {
  const conversationType = o.conversationType ?? 'groupChat';
  const base = loadActivity('action-execute', deepMerge(common(o, people.chris), {
    replyToId: o.replyToId,
    value: { action: { id: o.verb, verb: o.verb } },
    conversation: { conversationType, isGroup: conversationType !== 'personal' },
    channelData: { meeting: { id: o.meetingId } },
  }));
  // Card data is the caller's whole payload, not a patch on the fixture's sample data.
  base.value.action.data = clone(o.data ?? {});
  if (conversationType === 'personal') {
    // A 1:1 chat has no meeting and a personal-style conversation id.
    delete base.channelData.meeting;
    if (!o.conversationId) base.conversation.id = personalConversationId(o.from ?? people.chris);
  }
  return deepMerge(base, o.overrides ?? {});
}

export function meetingEvent(
  kind: 'start' | 'end',
  o: CommonOptions & { meetingId?: string; title?: string; time?: string; joinUrl?: string; meetingType?: string } = {},
): any {
  const meetingId = o.meetingId;
  return loadActivity(kind === 'start' ? 'meeting-start' : 'meeting-end', deepMerge(
    deepMerge(common(o, people.chris, false), {
      channelData: { meeting: { id: meetingId } },
      value: {
        Id: meetingId,
        Title: o.title,
        JoinUrl: o.joinUrl,
        MeetingType: o.meetingType,
        [kind === 'start' ? 'StartTime' : 'EndTime']: o.time,
      },
    }),
    o.overrides ?? {},
  ));
}

export interface ParticipantInput extends From {
  /** Meeting role as Teams reports it: 'Organizer' | 'Presenter' | 'Attendee'. Default 'Attendee'. */
  meetingRole?: string;
  inMeeting?: boolean;
  tenantId?: string;
  userRole?: string;
}

export function participantEvent(
  kind: 'join' | 'leave',
  o: CommonOptions & { members: ParticipantInput[]; meetingId?: string },
): any {
  const tenantId = o.tenantId ?? TENANT_ID;
  const members = o.members.map((m) => ({
    user: { ...fromOf(m), tenantId: m.tenantId ?? tenantId, userRole: m.userRole ?? 'user' },
    meeting: { inMeeting: m.inMeeting ?? kind === 'join', role: m.meetingRole ?? 'Attendee' },
  }));
  return loadActivity(kind === 'join' ? 'meeting-participant-join' : 'meeting-participant-leave', deepMerge(
    deepMerge(common(o, people.chris, false), {
      channelData: { meeting: { id: o.meetingId } },
      value: { members },
    }),
    o.overrides ?? {},
  ));
}

export function installationUpdate(
  o: CommonOptions & { action?: 'add' | 'remove'; scope?: 'groupChat' | 'personal' } = {},
): any {
  const fixture = o.scope === 'personal' ? 'installation-update-personal' : 'installation-update-add';
  const from = o.from ?? (o.scope === 'personal' ? people.sam : people.chris);
  const activity = loadActivity(fixture, deepMerge(common({ ...o, from }, from, false), { action: o.action ?? 'add' }));
  if (o.scope === 'personal' && !o.conversationId) activity.conversation.id = personalConversationId(from);
  return deepMerge(activity, o.overrides ?? {});
}

/** Finds the first Action.Execute with a verb in a card, for its data. */
export function actionData(card: any, verb: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (n: any) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'Action.Execute' && n.verb === verb) {
      found = n.data ?? {};
      return;
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}
