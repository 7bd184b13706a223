import { randomUUID } from 'node:crypto';
import { inProgramme } from '../commands/deps';
import { membershipsOf } from '../commands/memberships';
import { notFound } from '../domain/errors';
import {
  checkMayLog, linkChat, linkChoices, meetingEnded, meetingStarted, meetingToLog, recordAttendance, rememberMembers, reviewAim, stateAim, workstreamForChat,
} from '../commands/meetings';
import { carryForward, checkContribution, logContribution, type CheckAction } from '../commands/contributions';
import { carryChoices, checkView, loggedSoFar, meetingWithWorkstream, minutesOf } from '../commands/meeting-views';
import { getWorkstream } from '../commands/setup';
import { namesFor } from '../commands/names';
import type { Meeting } from '../domain/meeting';
import type { Workstream } from '../domain/workstream';
import type { Names } from '../domain/person';
import { carryForwardCard, linkMeetingCard, logContributionCard, lxpCheckCard, meetingStartCard, minutesCards } from '../presenters/meeting';
import { meetingStartWithAgenda } from './proposals';
import type { Payload } from './payloads';
import type { CardJson } from '../presenters/render-card';
import type { Shows } from '../domain/shown';
import type { EventInput } from './events';
import { answer, say, show, type Reply } from './reply';
import type { AppDeps, UseCase } from './route';
import { chatOf, isShared, type Turn } from './turn';

type Prefill = { lxpIds?: string[]; words?: string; leftOut?: number };

/** The most the log card's box holds, as the log_save payload allows. */
const MAX_WORDS = 2000;

/*
 * Each card that shows contributions comes with what it shows (`[card, shows]`, spread into show/answer), so the
 * message is updated when one of them changes (src/commands/shown.ts).
 */
async function logCard(deps: AppDeps, meeting: Meeting, workstream: Workstream, notice?: string, prefill?: Prefill, memberNames?: Names): Promise<[CardJson, Shows]> {
  const { logged, names, defaultDue } = await loggedSoFar(deps, meeting, workstream, memberNames);
  const card = logContributionCard({ meeting, workstream, logged, names, notice, prefill, timeZone: deps.settings.timeZone, submissionId: randomUUID(), defaultDue });
  return [card, { view: { card: 'log', meetingId: meeting.id }, contributionIds: logged.map((c) => c.id) }];
}

async function minutes(deps: AppDeps, meeting: Meeting, workstream: Workstream): Promise<[CardJson, Shows][]> {
  const { contributions, carried, names } = await minutesOf(deps, meeting);
  // Every part depends on every item: a withdrawal moves the items after it into earlier parts.
  const contributionIds = [...contributions, ...carried].map((c) => c.id);
  return minutesCards(meeting, workstream, contributions, names, deps.settings.timeZone, carried).map((card, part) => [card, { view: { card: 'minutes', meetingId: meeting.id, part }, contributionIds }]);
}

async function carryCard(deps: AppDeps, turn: Turn, meetingId: string, notice = ''): Promise<[CardJson, Shows]> {
  const { meeting, candidates, names } = await carryChoices(deps, turn.caller, meetingId);
  return [carryForwardCard(meeting, candidates, names, deps.settings.timeZone, notice), { view: { card: 'carry_forward', meetingId }, contributionIds: candidates.map((c) => c.id) }];
}

const linkCard = async (deps: AppDeps, turn: Turn) => show(linkMeetingCard((await linkChoices(deps, turn.tenantId, turn.caller.id)).map((c) => ({ id: c.value, name: c.name }))));

/** "log Sam: what they said" prefills who (when the name is one LXP's) and the words; "log what they said" only the words. */
function prefillFrom(args: string, lxpIds: string[], names: (id: string) => string): Prefill {
  const m = /^([^:]{1,60}):\s*([\s\S]*)$/.exec(args);
  // Never cut silently: the card says how much did not fit (see leftOutNotice).
  const words = (text: string) => ({ words: text.slice(0, MAX_WORDS), ...(text.length > MAX_WORDS ? { leftOut: text.length - MAX_WORDS } : {}) });
  if (!m) return args ? words(args) : {};
  const who = m[1].trim().toLowerCase();
  const match = lxpIds.filter((id) => names(id).toLowerCase().split(/\s+/).includes(who) || names(id).toLowerCase() === who);
  return { ...(match.length === 1 ? { lxpIds: match } : {}), ...words(m[2].trim()) };
}

const leftOutNotice = (n: number) =>
  `What you typed was ${(MAX_WORDS + n).toLocaleString('en-GB')} characters; the box holds ${MAX_WORDS.toLocaleString('en-GB')}, so the last ${n.toLocaleString('en-GB')} ${n === 1 ? 'was' : 'were'} left out. Shorten it here, or log the rest as another contribution.`;

/** `log` typed in a meeting chat, optionally "log Sam: what they said": opens the log card, prefilled. */
export const onLog: UseCase<string> = async (deps, turn, args) => {
  if (!isShared(turn)) return [say('Contributions are logged in the meeting chat: mention me there with "log", or "log Sam: what they said".')];
  const { meeting, workstream } = await meetingToLog(deps, turn.caller, chatOf(turn), { create: true, schedule: turn.teams.meetingSchedule });
  // Everyone in the workstream at once: the card names them all, so it reads no one again.
  const names = await namesFor(deps, turn.tenantId, [...workstream.lxpIds, ...workstream.chairIds, ...workstream.staffIds]);
  const prefill = prefillFrom(args, workstream.lxpIds, names);
  return [show(...(await logCard(deps, meeting, workstream, prefill.leftOut ? leftOutNotice(prefill.leftOut) : undefined, prefill, names)))];
};

export const onLink: UseCase<string> = async (deps, turn) =>
  isShared(turn) ? [await linkCard(deps, turn)] : [say('Mention me with "link" in the meeting chat you want to link.')];

/** The bot was added: a hello in a personal chat; in a shared chat, learn its members, then ask which workstream it belongs to. */
export const onInstalled: UseCase<EventInput<'installed'>> = async (deps, turn) => {
  if (!isShared(turn)) return [say('Hello, I am Golden Thread. I help make sure what Lived Experience Practitioners say in meetings is recorded and followed up. Type help to see what you can do.')];
  try {
    await rememberMembers(deps, turn.tenantId, await turn.teams.chatMembers());
  } catch (err) {
    deps.logger.warn({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not read chat members');
  }
  const linked = await workstreamForChat(deps, turn.tenantId, turn.conversationId, turn.channelConversationId);
  if (linked) return [say(`Golden Thread is here for ${linked.name}. Mention me with "log" to record a contribution, or "help" to see more.`)];
  // Added to a team: the link card belongs in the thread of the channel meeting it is for, not in General.
  if (turn.conversationType === 'channel') {
    return [say('Golden Thread is here. To link a channel meeting to a workstream, mention me with "link" in the meeting\'s thread (or the channel it is in); I will also ask there when the meeting starts.')];
  }
  return [await linkCard(deps, turn)];
};

export const onMeetingStart: UseCase<EventInput<'meetingStart'>> = async (deps, turn, v) => {
  // A chat no programme has yet: nothing is recorded until it is linked (issue 18), so only the link card.
  if (!turn.scope?.programmeId) return [await linkCard(deps, turn)];
  const schedule = await turn.teams.meetingSchedule();
  const { meeting, workstream } = await meetingStarted(deps, chatOf(turn), { title: v.Title ?? schedule?.title ?? '', startTime: v.StartTime, organiserId: schedule?.organiserId, graphMeetingId: schedule?.graphMeetingId, scheduledEnd: schedule?.scheduledEnd });
  if (!workstream) return [await linkCard(deps, turn)];
  return [show(...(await meetingStartWithAgenda(deps, meeting)))];
};

/**
 * Teams' meetingEnd ends the meeting as the chair's "End meeting" does (see closeMeeting): the minutes, the
 * LXPs' checks and the chair's end-of-meeting card are queued once, whichever comes first, and go out straight away.
 */
export const onMeetingEnd: UseCase<EventInput<'meetingEnd'>> = async (deps, turn, v) => {
  if (!turn.scope?.programmeId) return [];
  await meetingEnded(deps, chatOf(turn), v.EndTime);
  return [];
};

const attendance = (change: 'join' | 'leave'): UseCase<EventInput<'participantJoin'>> => async (deps, turn, members) => {
  if (!turn.scope?.programmeId) return [];
  await recordAttendance(deps, chatOf(turn), change, members, turn.timestamp ? new Date(turn.timestamp) : deps.clock.now());
  return [];
};
export const onParticipantJoin = attendance('join');
export const onParticipantLeave = attendance('leave');

export const onMeetingLink: UseCase<Payload<'meeting_link'>> = async (deps, turn, data) => {
  // "<programmeId>|<workstreamId>": the link card offers workstreams of every programme the presser is in.
  const [programmeId, workstreamId] = data.workstreamId.includes('|') ? data.workstreamId.split('|', 2) : [undefined, data.workstreamId];
  let inside = deps;
  if (programmeId && programmeId !== turn.scope?.programmeId) {
    const mine = (await membershipsOf(deps, turn.tenantId, turn.caller.id))?.programmes ?? {};
    if (!mine[programmeId]) throw notFound('That workstream no longer exists. Type setup to see the current ones.');
    inside = inProgramme(deps, turn.tenantId, programmeId);
    turn.scope = { programmeId };
  }
  const ws = await linkChat(inside, turn.caller, chatOf(turn), workstreamId, await turn.teams.meetingOrganiser());
  return [answer(`This chat is now linked to ${ws.name}. Mention me with "log" to record a contribution.`)];
};

export const onAimState: UseCase<Payload<'aim_state'>> = async (deps, turn, data) => {
  const meeting = await stateAim(deps, turn.caller, data.meetingId, data.aim);
  return [answer(...(await meetingStartWithAgenda(deps, meeting)))];
};

export const onLogOpen: UseCase<Payload<'log_open'>> = async (deps, turn, data) => {
  const { meeting, workstream } = data.meetingId ? await meetingWithWorkstream(deps, turn.tenantId, data.meetingId) : await meetingToLog(deps, turn.caller, chatOf(turn), { create: true });
  if (data.meetingId) await checkMayLog(deps, turn.caller, meeting, workstream);
  return [show(...(await logCard(deps, meeting, workstream))), answer('A contribution card is below.')];
};

export const onLogSave: UseCase<Payload<'log_save'>> = async (deps, turn, data) => {
  // The card shows the default date, which is only a day: left as shown, the due time comes from FOLLOWUP_AFTER
  // (to the second when it is in seconds); only a date the chair changed is used.
  const input = data.dueDate && data.dueDate === data.presentedDue ? { ...data, dueDate: undefined } : data;
  const { contribution, alreadySaved, meeting, workstream: current, names } = await logContribution(deps, turn.caller, input);
  // A card saved before the chat was linked elsewhere keeps showing the workstream it was saved in.
  const same = contribution.workstreamId === current.id;
  const workstream = same ? current : await getWorkstream(deps, turn.tenantId, contribution.workstreamId);
  const notice = alreadySaved ? 'That contribution was already saved (once). You can log another below.' : 'Saved. You can log another below.';
  // The workstream's people were read for the save: the next card names them from that read.
  return [answer(...(await logCard(deps, meeting, workstream, notice, undefined, same ? names : undefined)))];
};

export const onMinutesConfirm: UseCase<Payload<'minutes_confirm'>> = async (deps, turn, data) => {
  const meeting = await reviewAim(deps, turn.caller, data.meetingId, data.result, data.nextSteps ?? '');
  const workstream = await getWorkstream(deps, turn.tenantId, meeting.workstreamId!);
  // The first message of the minutes is the one with the button; the parts after it do not change.
  return [answer(...(await minutes(deps, meeting, workstream))[0])];
};

export const onCarryOpen: UseCase<Payload<'carry_open'>> = async (deps, turn, data) => [show(...(await carryCard(deps, turn, data.meetingId))), answer('Earlier contributions are listed below.')];

export const onCarryForward: UseCase<Payload<'carry_forward'>> = async (deps, turn, data) => {
  await carryForward(deps, turn.caller, data.contributionId, data.meetingId);
  return [answer(...(await carryCard(deps, turn, data.meetingId, 'Carried into this meeting. It will appear in these minutes, and the earlier meeting shows the link.')))];
};

const CHECKED: Record<CheckAction, string> = {
  confirm: 'Thank you: confirmed.',
  anonymise: 'Done: it is now recorded as "an LXP". Messages that showed your name are being updated.',
  name: 'Done: it now shows your name. Messages that showed it as "an LXP" are being updated.',
  withdraw: 'Withdrawn: your words have been erased, here and in the messages that showed them.',
  correct: 'Thank you: your wording is now the record, and the messages that showed it are being updated.',
  restrict: 'Done: your story is kept in confidence. Only you and the programme team can read it.',
  lift_restriction: 'Done: your story can now be read by the people who see the minutes.',
};

/** An LXP answers the check card: confirm, anonymise, withdraw or correct one contribution. */
export const onCheck = (action: CheckAction): UseCase<Payload<'check_correct'>> => async (deps, turn, data): Promise<Reply> => {
  const words = action === 'correct' ? String((data as Record<string, unknown>)[`words_${data.contributionId}`] ?? '') : undefined;
  const c = await checkContribution(deps, turn.caller, data.contributionId, action, words);
  const { meeting, all, names } = await checkView(deps, turn.tenantId, c.meetingId);
  // A card returned in a shared chat replaces the one clicked, for everyone: the LXP's own view (restricted stories included) must stay 1:1.
  if (isShared(turn)) return [answer(CHECKED[action])];
  // The message clicked shows one part of the LXP's contributions (see checkParts); it shows the same part again.
  return [answer(lxpCheckCard(meeting, all, { id: turn.caller.id, programme: false }, names, deps.settings.timeZone, CHECKED[action], data.part))];
};
