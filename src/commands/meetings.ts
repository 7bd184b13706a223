import { createHash } from 'node:crypto';
import { DomainError, notAllowed, notFound } from '../domain/errors';
import { can } from '../domain/policy';
import { queryEvery, updateWithRetry, WriteConflict } from '../domain/ports';
import type { Meeting } from '../domain/meeting';
import type { Workstream } from '../domain/workstream';
import { addLocal, formatShortDay } from '../domain/follow-up';
import { actorFor, audit, ensurePerson, type Caller, type Deps } from './deps';
import { workstreamsOf } from './roles-of';
import { getWorkstream } from './setup';

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface ChatRef {
  tenantId: string;
  conversationId: string;
  teamsMeetingId?: string;
}

export async function workstreamForChat(deps: Deps, tenantId: string, conversationId: string): Promise<Workstream | undefined> {
  const page = await deps.stores.workstreams.query(tenantId, [
    { field: 'type', op: '=', value: 'workstream' },
    { field: 'chatIds', op: 'contains', value: conversationId },
  ]);
  return page.items[0] as Workstream | undefined;
}

/** Members of a chat the bot was added to become known people, so they can be picked in setup and as LXPs. */
export async function rememberMembers(deps: Deps, tenantId: string, members: { id: string; name: string; teamsId?: string }[]): Promise<void> {
  for (const m of members) await ensurePerson(deps, { id: m.id, tenantId, name: m.name, teamsId: m.teamsId });
}

/**
 * Links a meeting chat to a workstream. Only the organiser (as Teams reports
 * it), that workstream's chairs or the programme team may. The link is on the
 * chat, so every occurrence of a recurring meeting keeps it.
 */
export async function linkChat(deps: Deps, caller: Caller, chat: ChatRef, workstreamId: string, organiserId?: string): Promise<Workstream> {
  const actor = await actorFor(deps, caller);
  const ws = await getWorkstream(deps, caller.tenantId, workstreamId);
  const probe = { type: 'meeting', conversationId: chat.conversationId, organiserId } as Meeting;
  if (!can(actor, 'link_meeting', { type: 'meeting', meeting: probe, workstream: ws })) {
    throw notAllowed(`Only the meeting organiser, a chair of ${ws.name} or the programme team can link this meeting.`);
  }
  const current = await workstreamForChat(deps, caller.tenantId, chat.conversationId);
  if (current?.id === ws.id) return ws;
  if (current) {
    await updateWithRetry(deps.stores.workstreams, caller.tenantId, current.id, (doc) => {
      const w = doc as Workstream;
      return { ...w, chatIds: w.chatIds.filter((c) => c !== chat.conversationId) };
    });
  }
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, ws.id, (doc) => {
    const w = doc as Workstream;
    return w.chatIds.includes(chat.conversationId) ? undefined : { ...w, chatIds: [...w.chatIds, chat.conversationId] };
  });
  await audit(deps, caller.tenantId, caller.id, 'meeting.linked', { subjectType: 'workstream', subjectId: ws.id }, { conversationId: chat.conversationId, from: current?.id });
  return r!.after as Workstream;
}

export async function linkChoices(deps: Deps, tenantId: string): Promise<Workstream[]> {
  return workstreamsOf(deps, tenantId);
}

function occurrenceId(conversationId: string, startedAt: string): string {
  return `mt-${shortHash(conversationId)}-${startedAt.replace(/[^0-9]/g, '').slice(0, 12)}`;
}

export async function latestMeeting(deps: Deps, tenantId: string, conversationId: string): Promise<Meeting | undefined> {
  const page = await deps.stores.meetings.query(tenantId, [{ field: 'conversationId', op: '=', value: conversationId }], {
    orderBy: { field: 'createdAt', direction: 'DESC' },
    pageSize: 1,
  });
  return page.items[0];
}

/** meetingStart: one record per occurrence; a repeated event finds the same record. */
export async function meetingStarted(deps: Deps, chat: ChatRef, info: { title: string; startTime?: string; organiserId?: string }): Promise<{ meeting: Meeting; workstream?: Workstream }> {
  const workstream = await workstreamForChat(deps, chat.tenantId, chat.conversationId);
  const startedAt = info.startTime ? new Date(info.startTime).toISOString() : deps.clock.now().toISOString();
  const doc: Meeting = {
    id: occurrenceId(chat.conversationId, startedAt),
    tenantId: chat.tenantId,
    type: 'meeting',
    conversationId: chat.conversationId,
    teamsMeetingId: chat.teamsMeetingId,
    workstreamId: workstream?.id,
    title: info.title?.trim() || 'Workstream meeting',
    startedAt,
    chairId: workstream?.chairIds[0],
    organiserId: info.organiserId,
    attendance: {},
    createdAt: deps.clock.now().toISOString(),
  };
  try {
    const meeting = await deps.stores.meetings.create(doc);
    await audit(deps, chat.tenantId, 'teams', 'meeting.started', { subjectType: 'meeting', subjectId: meeting.id });
    return { meeting, workstream };
  } catch (err) {
    if (err instanceof WriteConflict) return { meeting: (await deps.stores.meetings.get(chat.tenantId, doc.id))!, workstream };
    throw err;
  }
}

/**
 * The meeting that contributions in this chat belong to now: the one in
 * progress, or one that ended within LOG_GRACE. In a chat with no meeting
 * events (a group chat, the Playground) a meeting for today is opened.
 */
export async function currentMeeting(deps: Deps, chat: ChatRef, opts: { create: boolean }): Promise<{ meeting: Meeting; workstream: Workstream }> {
  const workstream = await workstreamForChat(deps, chat.tenantId, chat.conversationId);
  if (!workstream) throw new DomainError('not_found', 'This chat is not linked to a workstream yet. A chair or the programme team can link it: mention me with "link".');
  const now = deps.clock.now();
  const latest = await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (latest) {
    const ended = latest.endedAt ? new Date(latest.endedAt) : undefined;
    if (!ended || addLocal(ended, deps.settings.logGrace, deps.settings.timeZone) > now) {
      return { meeting: latest.workstreamId ? latest : { ...latest, workstreamId: workstream.id }, workstream };
    }
  }
  if (!opts.create) throw new DomainError('too_late', 'The last meeting in this chat ended too long ago to log contributions for it.');
  const { meeting } = await meetingStarted(deps, chat, { title: `${workstream.name} meeting, ${formatShortDay(now, deps.settings.timeZone)}` });
  return { meeting, workstream };
}

export async function getMeeting(deps: Deps, tenantId: string, meetingId: string): Promise<Meeting> {
  const m = await deps.stores.meetings.get(tenantId, meetingId);
  if (!m) throw notFound('That meeting is no longer in Golden Thread.');
  return m;
}

/** Join and leave events: LXPs' attendance, as evidence for involvement payments. */
export async function recordAttendance(
  deps: Deps,
  chat: ChatRef,
  change: 'join' | 'leave',
  members: { id: string; name: string; teamsId?: string }[],
  at: Date,
): Promise<void> {
  const latest = await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (!latest || latest.endedAt) return;
  const workstream = latest.workstreamId ? await getWorkstream(deps, chat.tenantId, latest.workstreamId) : undefined;
  const lxps = members.filter((m) => workstream?.lxpIds.includes(m.id));
  if (lxps.length === 0) return;
  const when = at.toISOString();
  await updateWithRetry(deps.stores.meetings, chat.tenantId, latest.id, (m) => {
    const attendance = { ...m.attendance };
    for (const p of lxps) {
      const entry = attendance[p.id] ?? { name: p.name, spans: [] };
      const spans = [...entry.spans];
      const open = spans.length > 0 && !spans[spans.length - 1].leftAt;
      if (change === 'join' && !open) spans.push({ joinedAt: when });
      if (change === 'leave' && open) spans[spans.length - 1] = { ...spans[spans.length - 1], leftAt: when };
      attendance[p.id] = { name: p.name, spans };
    }
    return { ...m, attendance };
  });
}

export async function stateAim(deps: Deps, caller: Caller, meetingId: string, text: string): Promise<Meeting> {
  const aim = text.trim();
  if (!aim) throw new DomainError('invalid_input', 'Write what the meeting wants to achieve today.');
  if (aim.length > 500) throw new DomainError('invalid_input', 'Keep the aim to 500 characters or fewer.');
  const meeting = await getMeeting(deps, caller.tenantId, meetingId);
  const ws = meeting.workstreamId ? await getWorkstream(deps, caller.tenantId, meeting.workstreamId) : undefined;
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'state_aim', { type: 'meeting', meeting, workstream: ws })) throw notAllowed('Only the chair or the programme team can state the meeting aim.');
  const r = await updateWithRetry(deps.stores.meetings, caller.tenantId, meetingId, (m) => ({ ...m, aim: { text: aim, by: caller.id, at: deps.clock.now().toISOString() } }));
  await audit(deps, caller.tenantId, caller.id, 'meeting.aim_stated', { subjectType: 'meeting', subjectId: meetingId });
  return r!.after;
}

export async function reviewAim(deps: Deps, caller: Caller, meetingId: string, result: 'met' | 'partly' | 'not_met', nextSteps: string): Promise<Meeting> {
  if (nextSteps.length > 1000) throw new DomainError('invalid_input', 'Keep next steps to 1,000 characters or fewer.');
  const meeting = await getMeeting(deps, caller.tenantId, meetingId);
  const ws = meeting.workstreamId ? await getWorkstream(deps, caller.tenantId, meeting.workstreamId) : undefined;
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'confirm_minutes', { type: 'meeting', meeting, workstream: ws })) throw notAllowed('Only the chair or the programme team can review the aim.');
  const now = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.meetings, caller.tenantId, meetingId, (m) => ({
    ...m,
    review: { result, nextSteps: nextSteps.trim(), by: caller.id, at: now },
    minutes: { ...(m.minutes ?? { postedAt: now }), confirmedBy: caller.id, confirmedAt: now },
  }));
  await audit(deps, caller.tenantId, caller.id, 'meeting.minutes_confirmed', { subjectType: 'meeting', subjectId: meetingId }, { result });
  return r!.after;
}

/** meetingEnd: closes attendance and returns the meeting; a repeated event changes nothing. */
export async function meetingEnded(deps: Deps, chat: ChatRef, endTime?: string): Promise<{ meeting: Meeting; first: boolean } | undefined> {
  const latest = await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (!latest) return undefined;
  if (latest.endedAt) return { meeting: latest, first: false };
  const end = endTime ? new Date(endTime).toISOString() : deps.clock.now().toISOString();
  let first = false;
  const r = await updateWithRetry(deps.stores.meetings, chat.tenantId, latest.id, (m) => {
    if (m.endedAt) return undefined;
    first = true;
    const attendance = Object.fromEntries(
      Object.entries(m.attendance).map(([id, a]) => [id, { ...a, spans: a.spans.map((s) => (s.leftAt ? s : { ...s, leftAt: end })) }]),
    );
    return { ...m, endedAt: end, attendance };
  });
  if (first) await audit(deps, chat.tenantId, 'teams', 'meeting.ended', { subjectType: 'meeting', subjectId: latest.id });
  return { meeting: r!.after, first };
}

export async function meetingsOfWorkstream(deps: Deps, tenantId: string, workstreamId: string): Promise<Meeting[]> {
  return queryEvery(deps.stores.meetings, tenantId, [{ field: 'workstreamId', op: '=', value: workstreamId }]);
}
