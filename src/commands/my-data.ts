import type { AuditEvent } from '../domain/audit';
import type { Contribution } from '../domain/contribution';
import { tracesOf, type PersonTraces } from '../domain/forget';
import type { ConversationRef, Job } from '../domain/job';
import { minutesPresent, type Meeting } from '../domain/meeting';
import type { ConsentRecord, Person, Preferences } from '../domain/person';
import { queryEvery, type Doc } from '../domain/ports';
import type { Programme, Workstream } from '../domain/workstream';
import type { Caller, Deps } from './deps';
import { namesFor } from './names';
import { findMentions, type StoreName } from './tenant-scan';
import { myProposals, type MyProposals } from './my-proposals';
import { acrossProgrammes } from './personal';
import { membershipsOf } from './memberships';
import { aboutYouData, type AboutYouData } from './about-me';

export interface MyContribution {
  id: string;
  /** How they are in it: said it, own it, recorded it, decided an outcome, answered, acted on it, or only named in its text. */
  relation: string[];
  workstreamId: string;
  meetingId: string;
  meetingTitle: string;
  meetingDate: string;
  kind: string;
  status: string;
  /** Only for contributions they said: their own words, restricted ones included. Other people's words are not theirs to take away. */
  words?: string;
  restricted: boolean;
  anonymous: boolean;
  check: string;
  dueAt: string;
  recordedAt: string;
  closedAt?: string;
  outcomes: { status: string; whatWeDid: string; reason?: string; decidedAt: string; decidedByYou: boolean }[];
  /** Their answers to "you said, we did", with their own words and the owner's reply to them (issue 22). */
  yourAnswers: { answer: string; at: string; words?: string; reply?: { words: string; at: string } }[];
  /** Replies they wrote, as an owner, to an LXP's words. */
  repliesByYou?: { words: string; at: string }[];
  yourActions: { event: string; at: string }[];
  /** "transcript": the chair saved it from the meeting transcript (issue 24) rather than typing it. */
  source?: 'transcript';
}

export interface MyMeeting {
  id: string;
  title: string;
  workstreamId?: string;
  startedAt?: string;
  endedAt?: string;
  relation: string[];
  minutesPresent?: number;
  spans?: { joinedAt: string; leftAt?: string }[];
}

export interface MyData {
  generatedAt: string;
  tenantId: string;
  person: Omit<Person, '_etag' | 'preferences' | 'consent' | 'type' | 'tenantId' | 'schemaVersion'> | null;
  preferences: Preferences | null;
  consent: ConsentRecord[];
  programme: { lead: boolean; member: boolean } | null;
  workstreams: { id: string; name: string; roles: string[]; priorityAreasProposed: string[] }[];
  contributions: MyContribution[];
  meetings: MyMeeting[];
  audit: { id: string; at: string; action: string; byYou: boolean; actor: string; subjectType: string; aboutYou: boolean; subjectId: string; detail?: Record<string, unknown> }[];
  conversations: { id: string; kind: string; conversationId?: string; updatedAt: string }[];
  jobs: { id: string; kind: string; status: string; runAt: string; forYou: boolean }[];
  /** Issue 22: what they added to the record and their agenda items (src/commands/my-proposals.ts). */
  proposals: MyProposals;
  /** Anything else that names them (a counter, another person's record), so nothing held is left out. */
  other: { container: string; id: string }[];
  /** Issue 23: their optional equality answers and the programme priorities they proposed (src/commands/about-me.ts). */
  aboutYou: AboutYouData['aboutYou'];
  programmePrioritiesProposed: AboutYouData['programmePrioritiesProposed'];
}

/** Who the caller is in stored documents. */
export async function tracesOfCaller(deps: Deps, caller: Caller): Promise<{ person?: Person; who: PersonTraces }> {
  const person = await deps.stores.people.get(caller.tenantId, caller.id);
  const said = await queryEvery(deps.stores.contributions, caller.tenantId, [{ field: 'lxpIds', op: 'contains', value: caller.id }]);
  return { person, who: tracesOf([caller.id, person?.teamsId, caller.teamsId], person?.name || caller.name, said.map((c) => c.words)) };
}

function contributionView(c: Contribution, who: PersonTraces): MyContribution {
  const me = (id?: string) => !!id && who.ids.includes(id);
  const said = c.lxpIds.some(me);
  const relation = [
    said && 'said',
    me(c.ownerId) && 'owner',
    me(c.recordedBy) && 'recorded',
    c.outcomes.some((o) => me(o.decidedBy) || me(o.newOwnerId)) && 'decided',
    c.answers.some((a) => me(a.by)) && 'answered',
    c.history.some((h) => me(h.by)) && 'acted',
  ].filter((r): r is string => !!r);
  return {
    id: c.id,
    relation: relation.length ? relation : ['mentioned'],
    workstreamId: c.workstreamId,
    meetingId: c.meetingId,
    meetingTitle: c.meetingTitle,
    meetingDate: c.meetingDate,
    kind: c.kind,
    status: c.status,
    words: said ? c.words : undefined,
    restricted: c.restricted,
    anonymous: c.anonymous,
    check: c.check,
    ...(c.source ? { source: c.source } : {}),
    dueAt: c.dueAt,
    recordedAt: c.recordedAt,
    closedAt: c.closedAt,
    outcomes: said || me(c.ownerId) || c.outcomes.some((o) => me(o.decidedBy))
      ? c.outcomes.map((o) => ({ status: o.status, whatWeDid: o.whatWeDid, reason: o.reason, decidedAt: o.decidedAt, decidedByYou: me(o.decidedBy) }))
      : [],
    ...answersOf(c, me),
    yourActions: c.history.filter((h) => me(h.by)).map((h) => ({ event: h.event, at: h.at })),
  };
}

/** Issue 22: their answers with their words and the reply they got, and the replies they wrote as an owner. */
function answersOf(c: Contribution, me: (id?: string) => boolean): Pick<MyContribution, 'yourAnswers' | 'repliesByYou'> {
  const yourAnswers = c.answers.filter((a) => me(a.by)).map((a) => ({ answer: a.answer, at: a.at, ...(a.words ? { words: a.words } : {}), ...(a.reply ? { reply: { words: a.reply.words, at: a.reply.at } } : {}) }));
  const replies = c.answers.flatMap((a) => (a.reply && me(a.reply.by) ? [{ words: a.reply.words, at: a.reply.at }] : []));
  return replies.length ? { yourAnswers, repliesByYou: replies } : { yourAnswers };
}

function meetingView(m: Meeting, who: PersonTraces, now: Date): MyMeeting {
  const me = (id?: string) => !!id && who.ids.includes(id);
  const attended = Object.entries(m.attendance ?? {}).filter(([id]) => me(id)).flatMap(([, a]) => a.spans);
  const relation = [
    attended.length > 0 && 'attended',
    me(m.chairId) && 'chair',
    me(m.organiserId) && 'organiser',
    me(m.aim?.by) && 'stated_aim',
    me(m.review?.by) && 'reviewed',
    me(m.minutes?.confirmedBy) && 'confirmed_minutes',
  ].filter((r): r is string => !!r);
  return {
    id: m.id,
    title: m.title,
    workstreamId: m.workstreamId,
    startedAt: m.startedAt,
    endedAt: m.endedAt,
    relation: relation.length ? relation : ['mentioned'],
    ...(attended.length ? { minutesPresent: minutesPresent(attended, m.endedAt ? new Date(m.endedAt) : now), spans: attended } : {}),
  };
}

const WORD_KEYS = ['words', 'previousWords'];

/**
 * `my data`: everything Golden Thread holds about the caller, as plain data
 * (the Teams layer shows it as a card and delivers it as a JSON file). It is
 * built from the same scan `forget me` erases, so the two always agree.
 */
export async function collectMyData(deps: Deps, caller: Caller): Promise<MyData> {
  const { person, who } = await tracesOfCaller(deps, caller);
  const found = await findMentions(deps.stores, caller.tenantId, who);
  const me = (id?: string) => !!id && who.ids.includes(id);
  const now = deps.clock.now();
  const of = <T extends Doc>(name: StoreName) => (found.get(name) ?? []) as T[];
  const { programme, workstreams } = rolesView(of<Workstream | Programme>('workstreams'), me);
  const { _etag, preferences, consent, type, tenantId, schemaVersion, ...personFields } = person ?? ({} as Person);
  void _etag; void type; void tenantId; void schemaVersion;
  return {
    generatedAt: now.toISOString(),
    tenantId: caller.tenantId,
    person: person ? personFields : null,
    preferences: preferences ?? null,
    consent: consent ?? [],
    programme,
    workstreams,
    contributions: of<Contribution>('contributions').map((c) => contributionView(c, who)).sort((a, b) => b.meetingDate.localeCompare(a.meetingDate)),
    meetings: of<Meeting>('meetings').map((m) => meetingView(m, who, now)).sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '')),
    audit: await auditView(deps, caller, of<AuditEvent>('audit'), me),
    conversations: of<ConversationRef>('conversations').map((r) => ({
      id: r.id,
      kind: r.kind,
      conversationId: (r.reference?.conversation as { id?: string } | undefined)?.id,
      updatedAt: r.updatedAt,
    })),
    jobs: of<Job>('jobs').map((j) => ({
      id: j.id,
      kind: j.kind,
      status: j.status,
      runAt: j.runAt,
      forYou: me(j.subjectId) || me((j.payload?.to as { personId?: string } | undefined)?.personId),
    })),
    proposals: myProposals(of('proposals'), who),
    other: otherRecords(deps, caller, of),
    ...(await aboutYouData(deps, caller.tenantId, caller.id)),
  };
}

/** The caller's place in the programme and in each workstream that mentions them. */
function rolesView(docs: (Workstream | Programme)[], me: (id?: string) => boolean): Pick<MyData, 'programme' | 'workstreams'> {
  let programme: MyData['programme'] = null;
  const workstreams: MyData['workstreams'] = [];
  for (const doc of docs) {
    if (doc.type === 'programme') {
      programme = { lead: me(doc.leadId), member: doc.memberIds.some(me) };
      continue;
    }
    const roles = [doc.chairIds.some(me) && 'chair', doc.staffIds.some(me) && 'staff', doc.lxpIds.some(me) && 'lxp'].filter((r): r is string => !!r);
    workstreams.push({ id: doc.id, name: doc.name, roles: roles.length ? roles : ['mentioned'], priorityAreasProposed: doc.priorityAreas.filter((a) => me(a.proposedBy)).map((a) => a.name) });
  }
  return { programme, workstreams };
}

async function auditView(deps: Deps, caller: Caller, entries: AuditEvent[], me: (id?: string) => boolean): Promise<MyData['audit']> {
  const audits = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  const names = await namesFor(deps, caller.tenantId, audits.map((a) => a.actorId));
  return audits.map((e) => {
    const byYou = me(e.actorId);
    // Corrections keep both wordings; those are someone's words, shown only when they were the caller's own correction.
    const detail = e.detail && !byYou ? Object.fromEntries(Object.entries(e.detail).filter(([k]) => !WORD_KEYS.includes(k))) : e.detail;
    return { id: e.id, at: e.at, action: e.action, byYou, actor: byYou ? 'you' : names(e.actorId), subjectType: e.subjectType, aboutYou: me(e.subjectId), subjectId: me(e.subjectId) ? 'you' : e.subjectId, detail };
  });
}

/** Records that mention the caller but are not shown in detail: other people's records and the remaining stores. */
function otherRecords(deps: Deps, caller: Caller, of: <T extends Doc>(name: StoreName) => T[]): MyData['other'] {
  const other: MyData['other'] = [];
  for (const p of of<Person>('people')) if (p.id !== caller.id && (p.type as string) !== 'equality') other.push({ container: 'people', id: p.id });
  for (const name of Object.keys(deps.stores) as StoreName[]) {
    if (['people', 'workstreams', 'contributions', 'meetings', 'audit', 'conversations', 'jobs', 'proposals'].includes(name)) continue;
    for (const d of of(name)) other.push({ container: name, id: d.id });
  }
  return other;
}

/** What one programme holds about the person, labelled with the programme (issue 18). */
export type MyProgrammeData = Omit<MyData, 'generatedAt' | 'tenantId' | 'conversations'> & { programmeId: string; programmeName: string };

/**
 * `my data` across every programme the person belongs to: each programme's part (collectMyData, the same scan
 * `forget me` erases) labelled with its name, and what is kept outside any programme: their list of programmes
 * and the chats Golden Thread can reach them in (one 1:1 chat serves all their programmes).
 */
export interface MyDataEverywhere {
  generatedAt: string;
  tenantId: string;
  outsideProgrammes: {
    /** `left`: a programme they no longer have a role in, which still holds records of theirs. */
    programmes: { id: string; name: string; since?: string; left?: string }[];
    conversations: MyData['conversations'];
  };
  programmes: MyProgrammeData[];
}

export async function collectMyDataEverywhere(deps: Deps, caller: Caller): Promise<MyDataEverywhere> {
  const each = await acrossProgrammes(deps, caller, (inside) => collectMyData(inside, caller));
  const index = await membershipsOf(deps, caller.tenantId, caller.id);
  const conversations = new Map<string, MyData['conversations'][number]>();
  for (const p of each) for (const c of p.value.conversations) conversations.set(c.id, c);
  if (!each.length) {
    // In no programme: only the reference to their 1:1 chat can be held (saved when they first wrote).
    for (const id of new Set([caller.id, caller.teamsId].filter((i): i is string => !!i))) {
      const r = await deps.stores.conversations.get(caller.tenantId, id);
      if (r) conversations.set(r.id, { id: r.id, kind: r.kind, conversationId: (r.reference?.conversation as { id?: string } | undefined)?.id, updatedAt: r.updatedAt });
    }
  }
  return {
    generatedAt: deps.clock.now().toISOString(),
    tenantId: caller.tenantId,
    outsideProgrammes: {
      programmes: [
        ...Object.entries(index?.programmes ?? {}).map(([id, p]) => ({ id, name: p.name, since: p.since })),
        ...Object.entries(index?.formerly ?? {}).map(([id, p]) => ({ id, name: p.name, left: p.left })),
      ],
      conversations: [...conversations.values()],
    },
    programmes: each.map(({ id, name, value }) => {
      const { generatedAt, tenantId, conversations: chats, ...rest } = value;
      void generatedAt; void tenantId; void chats;
      return { programmeId: id, programmeName: name, ...rest };
    }),
  };
}

/** The JSON file: stable key order, readable indentation. */
export function myDataJson(data: MyData | MyDataEverywhere): string {
  return JSON.stringify(data, null, 2);
}
