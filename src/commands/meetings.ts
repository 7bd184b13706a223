import { createHash } from 'node:crypto';
import { DomainError, notAllowed, notFound } from '../domain/errors';
import { can } from '../domain/policy';
import { updateWithRetry, WriteConflict } from '../domain/ports';
import type { EndedBy, Meeting } from '../domain/meeting';
import type { Workstream } from '../domain/workstream';
import { addLocal, formatShortDay } from '../domain/follow-up';
import { scheduleLxpChecks } from './contributions';
import { actorFor, audit, ensurePerson, inProgramme, type Caller, type Deps } from './deps';
import { membershipsOf, writeChatLink } from './memberships';
import { getMeeting } from './meeting-record';
import { workstreamsOf } from './roles-of';
import { getWorkstream } from './setup';
import { transcriptJob } from './suggestions';

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface ChatRef {
  tenantId: string;
  conversationId: string;
  teamsMeetingId?: string;
  /**
   * In a channel meeting's thread, the channel it is in. A link made in a thread is kept on the channel, so
   * every meeting thread there belongs to the same workstream without linking each one.
   */
  channelConversationId?: string;
}

/** What Teams' meeting details say about the meeting a chat belongs to, when it says. */
export interface MeetingSchedule {
  title?: string;
  organiserId?: string;
  /** Microsoft Graph's onlineMeeting id (the details' msGraphResourceId): with the organiser, how Graph finds the transcript. */
  graphMeetingId?: string;
  scheduledStart?: string;
  scheduledEnd?: string;
}

export async function workstreamForChat(deps: Deps, tenantId: string, conversationId: string, channelConversationId?: string): Promise<Workstream | undefined> {
  for (const id of [conversationId, channelConversationId]) {
    if (!id) continue;
    const page = await deps.stores.workstreams.query(tenantId, [
      { field: 'type', op: '=', value: 'workstream' },
      { field: 'chatIds', op: 'contains', value: id },
    ]);
    if (page.items[0]) return page.items[0] as Workstream;
  }
  return undefined;
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
  // In a channel meeting's thread the link goes on the channel (see ChatRef); a link left on the thread itself is moved.
  const linkId = chat.channelConversationId ?? chat.conversationId;
  const current = await workstreamForChat(deps, caller.tenantId, chat.conversationId, chat.channelConversationId);
  if (current?.id === ws.id && current.chatIds.includes(linkId)) return ws;
  if (current) {
    await updateWithRetry(deps.stores.workstreams, caller.tenantId, current.id, (doc) => {
      const w = doc as Workstream;
      return { ...w, chatIds: w.chatIds.filter((c) => c !== chat.conversationId && c !== linkId) };
    });
  }
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, ws.id, (doc) => {
    const w = doc as Workstream;
    return w.chatIds.includes(linkId) ? undefined : { ...w, chatIds: [...w.chatIds, linkId] };
  });
  await audit(deps, caller.tenantId, caller.id, 'meeting.linked', { subjectType: 'workstream', subjectId: ws.id }, { conversationId: linkId, from: current?.id });
  // The chat's own partition says which programme it belongs to, so the next turn in it finds the programme with one read.
  await writeChatLink(deps, caller.tenantId, linkId, ws.id, caller.id);
  if (linkId !== chat.conversationId) await writeChatLink(deps, caller.tenantId, chat.conversationId, ws.id, caller.id);
  return r!.after as Workstream;
}

/** A workstream a link card offers: `value` names its programme too ("<programmeId>|<workstreamId>"). */
export interface LinkChoice {
  value: string;
  name: string;
}

/**
 * The workstreams a person may be offered for linking a chat: those of the programmes they belong to, and
 * nothing of any other (labelled with the programme's name when they are in several).
 */
export async function linkChoices(deps: Deps, tenantId: string, personId: string): Promise<LinkChoice[]> {
  const programmes = (await membershipsOf(deps, tenantId, personId))?.programmes ?? {};
  const ids = Object.keys(programmes);
  const out: LinkChoice[] = [];
  for (const programmeId of ids) {
    for (const w of await workstreamsOf(inProgramme(deps, tenantId, programmeId), tenantId)) {
      out.push({ value: `${programmeId}|${w.id}`, name: ids.length > 1 ? `${w.name} (${programmes[programmeId].name})` : w.name });
    }
  }
  return out;
}

function occurrenceId(conversationId: string, startedAt: string): string {
  // To the second: a chat's next session may open a minute after the last one ended.
  return `mt-${shortHash(conversationId)}-${startedAt.replace(/[^0-9]/g, '').slice(0, 14)}`;
}

export async function latestMeeting(deps: Deps, tenantId: string, conversationId: string): Promise<Meeting | undefined> {
  const page = await deps.stores.meetings.query(tenantId, [{ field: 'conversationId', op: '=', value: conversationId }], {
    orderBy: { field: 'createdAt', direction: 'DESC' },
    pageSize: 1,
  });
  return page.items[0];
}

/**
 * When the scheduler closes a meeting nobody ended: MEETING_CLOSE_AFTER past its scheduled end, or, with no
 * schedule (a chat session, or Teams gave no details), SESSION_CLOSE_AFTER past its start.
 */
export function closesAt(deps: Deps, meeting: Meeting): Date {
  const { meetingCloseAfter, sessionCloseAfter, timeZone } = deps.settings;
  if (meeting.scheduledEnd) return addLocal(new Date(meeting.scheduledEnd), meetingCloseAfter, timeZone);
  return addLocal(new Date(meeting.startedAt ?? meeting.createdAt), sessionCloseAfter, timeZone);
}

/** Queues the scheduler's close of an open meeting; the job looks again when it runs (see src/jobs/close-meeting.ts). */
export async function queueClose(deps: Deps, meeting: Meeting): Promise<void> {
  if (meeting.endedAt) return;
  await deps.queue.add({ tenantId: meeting.tenantId, kind: 'close_meeting', subjectId: meeting.id, runAt: closesAt(deps, meeting) });
}

/**
 * meetingStart, or the first `log` in a chat: one record per occurrence; a repeated event finds the same record.
 * A meeting already open in the chat is this one (a `log` came before Teams' meetingStart, or it came twice).
 */
export async function meetingStarted(
  deps: Deps,
  chat: ChatRef,
  info: { title: string; startTime?: string; organiserId?: string; graphMeetingId?: string; scheduledEnd?: string },
  /** The chat's workstream and latest meeting, when the caller has just read them (a first `log`). */
  known?: { workstream?: Workstream; latest?: Meeting },
): Promise<{ meeting: Meeting; workstream?: Workstream }> {
  const workstream = known ? known.workstream : await workstreamForChat(deps, chat.tenantId, chat.conversationId, chat.channelConversationId);
  const open = known ? known.latest : await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (open && !open.endedAt && (!chat.teamsMeetingId || !open.teamsMeetingId || open.teamsMeetingId === chat.teamsMeetingId)) {
    const learnt =
      (!open.scheduledEnd && info.scheduledEnd) || (!open.teamsMeetingId && chat.teamsMeetingId) || (!open.graphMeetingId && info.graphMeetingId) || (!open.organiserId && info.organiserId);
    if (!learnt) return { meeting: open, workstream };
    const r = await updateWithRetry(deps.stores.meetings, chat.tenantId, open.id, (m) => ({
      ...m,
      teamsMeetingId: m.teamsMeetingId ?? chat.teamsMeetingId,
      organiserId: m.organiserId ?? info.organiserId,
      graphMeetingId: m.graphMeetingId ?? info.graphMeetingId,
      scheduledEnd: m.scheduledEnd ?? (info.scheduledEnd ? new Date(info.scheduledEnd).toISOString() : undefined),
    }));
    const meeting = r?.after ?? open;
    await queueClose(deps, meeting);
    return { meeting, workstream };
  }
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
    scheduledEnd: info.scheduledEnd ? new Date(info.scheduledEnd).toISOString() : undefined,
    chairId: workstream?.chairIds[0],
    organiserId: info.organiserId,
    ...(info.graphMeetingId ? { graphMeetingId: info.graphMeetingId } : {}),
    attendance: {},
    createdAt: deps.clock.now().toISOString(),
  };
  try {
    const meeting = await deps.stores.meetings.create(doc);
    await audit(deps, chat.tenantId, 'teams', 'meeting.started', { subjectType: 'meeting', subjectId: meeting.id });
    await queueClose(deps, meeting);
    return { meeting, workstream };
  } catch (err) {
    if (err instanceof WriteConflict) return { meeting: (await deps.stores.meetings.get(chat.tenantId, doc.id))!, workstream };
    throw err;
  }
}

/**
 * The meeting that contributions in this chat belong to now: the one in progress, or a Teams meeting that
 * ended within LOG_GRACE (chairs log after the meeting). Without one, a session is opened: in a chat with no
 * meeting events (a group chat, a channel, the Playground) each session lasts until the chair ends it or
 * the scheduler closes it, and the next `log` opens the next. `schedule` is asked only when one is opened.
 */
export async function currentMeeting(
  deps: Deps,
  chat: ChatRef,
  opts: { create: boolean; schedule?: () => Promise<MeetingSchedule | undefined>; check?: (latest: Meeting | undefined, workstream: Workstream) => Promise<void> },
): Promise<{ meeting: Meeting; workstream: Workstream }> {
  const workstream = await workstreamForChat(deps, chat.tenantId, chat.conversationId, chat.channelConversationId);
  if (!workstream) throw new DomainError('not_found', 'This chat is not linked to a workstream yet. A chair or the programme team can link it: mention me with "link".');
  const now = deps.clock.now();
  const latest = await latestMeeting(deps, chat.tenantId, chat.conversationId);
  await opts.check?.(latest, workstream);
  if (latest) {
    const ended = latest.endedAt ? new Date(latest.endedAt) : undefined;
    const lateLog = ended && latest.teamsMeetingId && addLocal(ended, deps.settings.logGrace, deps.settings.timeZone) > now;
    if (!ended || lateLog) {
      return { meeting: latest.workstreamId ? latest : { ...latest, workstreamId: workstream.id }, workstream };
    }
  }
  if (!opts.create) throw new DomainError('too_late', 'The last meeting in this chat has ended. Mention me with "log" to start a new one.');
  const schedule = chat.teamsMeetingId ? await opts.schedule?.().catch(() => undefined) : undefined;
  const what = chat.teamsMeetingId ? 'meeting' : 'session';
  const { meeting } = await meetingStarted(deps, chat, {
    title: schedule?.title?.trim() || `${workstream.name} ${what}, ${formatShortDay(now, deps.settings.timeZone)}`,
    organiserId: schedule?.organiserId,
    graphMeetingId: schedule?.graphMeetingId,
    scheduledEnd: schedule?.scheduledEnd,
  }, { workstream, latest });
  return { meeting, workstream };
}


/**
 * The log card lists the meeting's LXPs and what was logged so far, so it goes only to those who could save it
 * (issue 18: someone of another programme in a chat linked to this one sees nothing of it).
 */
export async function checkMayLog(deps: Deps, caller: Caller, meeting: Meeting | undefined, workstream: Workstream): Promise<void> {
  const actor = await actorFor(deps, caller);
  const may = meeting ? can(actor, 'log_contribution', { type: 'meeting', meeting, workstream }) : can(actor, 'log_contribution', { type: 'workstream', workstream });
  if (!may) throw notAllowed('Only the chairs of this workstream or the programme team can log contributions. Ask the chair to log it.');
}

/** The meeting to log into (see currentMeeting), for those who may log there: nobody else opens the card or starts a meeting. */
export async function meetingToLog(deps: Deps, caller: Caller, chat: ChatRef, opts: Parameters<typeof currentMeeting>[2]): Promise<{ meeting: Meeting; workstream: Workstream }> {
  // Checked on the chat's link and latest meeting as currentMeeting reads them, before it starts anything: no second read.
  return currentMeeting(deps, chat, { ...opts, check: (latest, workstream) => checkMayLog(deps, caller, latest, workstream) });
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

export interface Closed {
  meeting: Meeting;
  /** This call ended it; false when Teams, the chair or the scheduler had already. */
  first: boolean;
}

/**
 * Ends a meeting, whoever comes first: Teams' meetingEnd, the chair's "End meeting", the scheduler. The end is
 * one conditional write; what follows it (the minutes in the meeting chat, each LXP's check, the chair's
 * end-of-meeting card) is queued with ids made from the meeting, so it goes out once however many times
 * this runs. A later call queues it again, which only repairs a crash between the write and the queue.
 */
export async function closeMeeting(deps: Deps, tenantId: string, meetingId: string, by: EndedBy, endTime?: string): Promise<Closed | undefined> {
  const end = endTime && !Number.isNaN(Date.parse(endTime)) ? new Date(endTime).toISOString() : deps.clock.now().toISOString();
  let first = false;
  const r = await updateWithRetry(deps.stores.meetings, tenantId, meetingId, (m) => {
    first = false;
    if (m.endedAt) return undefined;
    first = true;
    const attendance = Object.fromEntries(
      Object.entries(m.attendance).map(([id, a]) => [id, { ...a, spans: a.spans.map((s) => (s.leftAt ? s : { ...s, leftAt: end })) }]),
    );
    return { ...m, endedAt: end, endedBy: by, attendance };
  });
  if (!r) return undefined;
  const meeting = r.after;
  if (first) {
    const actor = typeof by === 'string' ? by : by.personId;
    await audit(deps, tenantId, actor, 'meeting.ended', { subjectType: 'meeting', subjectId: meeting.id }, { by: typeof by === 'string' ? by : 'chair' });
  }
  // Meetings ended before closes were queued (no endedBy) had their minutes posted in the turn that ended them.
  if (meeting.workstreamId && meeting.endedBy) await queueAfterEnd(deps, meeting);
  return { meeting, first };
}

async function queueAfterEnd(deps: Deps, meeting: Meeting): Promise<void> {
  const now = deps.clock.now();
  await deps.queue.add({ tenantId: meeting.tenantId, kind: 'post_minutes', subjectId: meeting.id, key: `${meeting.id}:part1`, runAt: now, payload: { meetingId: meeting.id, part: 0 } });
  await scheduleLxpChecks(deps, meeting);
  await deps.queue.add({ tenantId: meeting.tenantId, kind: 'meeting_closed', subjectId: meeting.id, key: meeting.id, runAt: now, payload: { meetingId: meeting.id } });
  // Issue 22: agenda items offered in this meeting and not taken are carried to the next, and their LXPs told.
  await deps.queue.add({ tenantId: meeting.tenantId, kind: 'agenda_carry', subjectId: meeting.id, key: meeting.id, runAt: now });
  // Issue 24: a look at the Teams transcript for the chair's suggestions; the job decides when it runs whether to fetch anything.
  if (deps.transcripts && meeting.graphMeetingId && meeting.organiserId) await deps.queue.add(transcriptJob(meeting, now));
  deps.queue.runSoon();
}

/** meetingEnd: ends the chat's latest meeting (see closeMeeting); a repeated or late event changes nothing. */
export async function meetingEnded(deps: Deps, chat: ChatRef, endTime?: string): Promise<Closed | undefined> {
  const latest = await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (!latest) return undefined;
  if (latest.endedAt) return { meeting: latest, first: false };
  return closeMeeting(deps, chat.tenantId, latest.id, 'teams', endTime);
}

/** "End meeting and post minutes", or `end meeting` typed in the chat: the chair (or the programme team) ends it now. */
export async function endMeetingAsChair(deps: Deps, caller: Caller, chat: ChatRef, meetingId?: string): Promise<Closed> {
  const meeting = meetingId ? await getMeeting(deps, caller.tenantId, meetingId) : await latestMeeting(deps, chat.tenantId, chat.conversationId);
  if (!meeting) throw new DomainError('not_found', 'There is no meeting in progress in this chat. Mention me with "log" to start one.');
  const ws = meeting.workstreamId ? await getWorkstream(deps, caller.tenantId, meeting.workstreamId) : undefined;
  if (!ws) throw new DomainError('not_found', 'This meeting is not linked to a workstream, so there are no minutes to post. Mention me with "link" first.');
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'confirm_minutes', { type: 'meeting', meeting, workstream: ws })) throw notAllowed(`Only the chairs of ${ws.name} or the programme team can end the meeting.`);
  const closed = await closeMeeting(deps, caller.tenantId, meeting.id, { personId: caller.id });
  if (!closed) throw notFound('That meeting is no longer in Golden Thread.');
  return closed;
}

export { getMeeting };
