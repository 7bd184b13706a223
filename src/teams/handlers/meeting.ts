import { randomUUID } from 'node:crypto';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotContext } from '../bot-context';
import { onExecute, answering } from '../execute';
import { sendCard } from '../reply';
import { toTurnRef, type TurnRef } from '../to-domain';
import {
  currentMeeting, getMeeting, latestMeeting, linkChat, linkChoices, meetingEnded, meetingStarted, recordAttendance, rememberMembers, reviewAim, stateAim, workstreamForChat,
} from '../../commands/meetings';
import { carryCandidates, carriedInto, carryForward, checkContribution, contributionsOfMeeting, logContribution, scheduleLxpChecks, type CheckAction } from '../../commands/contributions';
import { getWorkstream } from '../../commands/setup';
import { namesFor } from '../../commands/names';
import { feedbackDue } from '../../domain/follow-up';
import type { Meeting } from '../../domain/meeting';
import type { Workstream } from '../../domain/workstream';
import { carryForwardCard, linkMeetingCard, logContributionCard, lxpCheckCard, meetingStartCard, minutesCards } from '../../presenters/meeting';
import { actorFor } from '../../commands/deps';
import { can } from '../../domain/policy';
import { DomainError } from '../../domain/errors';

const chatOf = (turn: TurnRef) => ({ tenantId: turn.tenantId, conversationId: turn.conversationId, teamsMeetingId: turn.teamsMeetingId });

async function organiserOf(bot: BotContext, context: TurnContext): Promise<string | undefined> {
  const id = context.activity.channelData?.meeting?.id as string | undefined;
  if (!id) return undefined;
  try {
    const info = await TeamsInfo.getMeetingInfo(context, id);
    return info?.organizer?.aadObjectId ?? undefined;
  } catch (err) {
    bot.logger.debug({ conversationId: context.activity.conversation?.id, err: { message: (err as Error).message } }, 'meeting details unavailable');
    return undefined;
  }
}

/** When the bot is added to a chat: learn its members, then ask which workstream it belongs to. */
export async function onInstalledInChat(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  try {
    const members: { id: string; name: string; teamsId?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 100, token);
      for (const m of page.members) if (m.aadObjectId) members.push({ id: m.aadObjectId, name: m.name, teamsId: m.id });
      token = page.continuationToken;
    } while (token);
    await rememberMembers(bot.deps, turn.tenantId, members);
  } catch (err) {
    bot.logger.warn({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not read chat members');
  }
  const linked = await workstreamForChat(bot.deps, turn.tenantId, turn.conversationId);
  if (linked) {
    await context.sendActivity(`Golden Thread is here for ${linked.name}. Mention me with "log" to record a contribution, or "help" to see more.`);
    return;
  }
  await sendCard(context, linkMeetingCard(await linkChoices(bot.deps, turn.tenantId)));
}

async function logCard(bot: BotContext, meeting: Meeting, workstream: Workstream, notice?: string, prefill?: { lxpIds?: string[]; words?: string }) {
  // The workstream's people are known already, so their names are read alongside the list; only anyone else in it waits.
  const members = new Set([...workstream.lxpIds, ...workstream.chairIds, ...workstream.staffIds]);
  const [logged, memberNames] = await Promise.all([contributionsOfMeeting(bot.deps, meeting.tenantId, meeting.id), namesFor(bot.deps, meeting.tenantId, members)]);
  const otherNames = await namesFor(bot.deps, meeting.tenantId, logged.flatMap((c) => [...c.lxpIds, c.ownerId]).filter((id) => !members.has(id)));
  const names = (id: string) => (members.has(id) ? memberNames(id) : otherNames(id));
  return logContributionCard({
    meeting, workstream, logged, names, notice, prefill,
    timeZone: bot.config.timeZone,
    submissionId: randomUUID(),
    defaultDue: feedbackDue(new Date(meeting.startedAt ?? meeting.createdAt), bot.deps.settings.followUpAfter, bot.config.timeZone),
  });
}

/** `log` typed in a meeting chat, optionally "log Sam: what they said": opens the log card, prefilled. */
export async function onLog(bot: BotContext, context: TurnContext, args: string): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    if (turn.conversationType === 'personal') {
      await context.sendActivity('Contributions are logged in the meeting chat: mention me there with "log", or "log Sam: what they said".');
      return;
    }
    const { meeting, workstream } = await currentMeeting(bot.deps, chatOf(turn), { create: true });
    const names = await namesFor(bot.deps, turn.tenantId, workstream.lxpIds);
    const m = /^([^:]{1,60}):\s*([\s\S]*)$/.exec(args);
    const prefill: { lxpIds?: string[]; words?: string } = {};
    if (m) {
      const who = m[1].trim().toLowerCase();
      const match = workstream.lxpIds.filter((id) => names(id).toLowerCase().split(/\s+/).includes(who) || names(id).toLowerCase() === who);
      if (match.length === 1) prefill.lxpIds = match;
      prefill.words = m[2].trim().slice(0, 2000);
    } else if (args) {
      prefill.words = args.slice(0, 2000);
    }
    await sendCard(context, await logCard(bot, meeting, workstream, undefined, prefill));
  });
}

export async function onLink(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  if (turn.conversationType === 'personal') {
    await context.sendActivity('Mention me with "link" in the meeting chat you want to link.');
    return;
  }
  await sendCard(context, linkMeetingCard(await linkChoices(bot.deps, turn.tenantId)));
}

function eventName(context: TurnContext): string | undefined {
  return context.activity.type === 'event' ? context.activity.name : undefined;
}

function membersOf(context: TurnContext) {
  const members = (context.activity.value?.members ?? []) as { user?: { id?: string; aadObjectId?: string; name?: string } }[];
  return members.filter((m) => m.user?.aadObjectId).map((m) => ({ id: m.user!.aadObjectId!, name: m.user!.name ?? '', teamsId: m.user!.id }));
}

export function registerMeeting(app: Application<TurnState>, bot: BotContext): void {
  app.activity('installationUpdate', async (context) => {
    const a = context.activity;
    if (a.action !== 'add' && a.action !== 'add-upgrade') return;
    if (a.conversation?.conversationType === 'personal') {
      await context.sendActivity('Hello, I am Golden Thread. I help make sure what Lived Experience Practitioners say in meetings is recorded and followed up. Type help to see what you can do.');
      return;
    }
    await onInstalledInChat(bot, context);
  });

  app.activity(
    async (context) => eventName(context) === 'application/vnd.microsoft.meetingStart',
    async (context) => {
      const turn = toTurnRef(context);
      const v = (context.activity.value ?? {}) as { Title?: string; StartTime?: string };
      const organiserId = await organiserOf(bot, context);
      const { meeting, workstream } = await meetingStarted(bot.deps, chatOf(turn), { title: v.Title ?? '', startTime: v.StartTime, organiserId });
      if (!workstream) {
        await sendCard(context, linkMeetingCard(await linkChoices(bot.deps, turn.tenantId)));
        return;
      }
      const names = await namesFor(bot.deps, turn.tenantId, workstream.chairIds);
      await sendCard(context, meetingStartCard(meeting, workstream, names, 0));
    },
  );

  app.activity(
    async (context) => eventName(context) === 'application/vnd.microsoft.meetingEnd',
    async (context) => {
      const turn = toTurnRef(context);
      const v = (context.activity.value ?? {}) as { EndTime?: string };
      const ended = await meetingEnded(bot.deps, chatOf(turn), v.EndTime);
      if (!ended?.first || !ended.meeting.workstreamId) return;
      const workstream = await getWorkstream(bot.deps, turn.tenantId, ended.meeting.workstreamId);
      await postMinutes(bot, context, ended.meeting, workstream);
      await scheduleLxpChecks(bot.deps, ended.meeting);
    },
  );

  // teams-ai 1.7's participantsJoin/Leave listen for a plural event name Teams never sends.
  for (const [name, change] of [['application/vnd.microsoft.meetingParticipantJoin', 'join'], ['application/vnd.microsoft.meetingParticipantLeave', 'leave']] as const) {
    app.activity(
      async (context) => eventName(context) === name,
      async (context) => {
        const turn = toTurnRef(context);
        const at = context.activity.timestamp ? new Date(context.activity.timestamp) : bot.deps.clock.now();
        await recordAttendance(bot.deps, chatOf(turn), change, membersOf(context), at);
      },
    );
  }

  onExecute(app, bot, 'meeting_link', async (context, turn, data) => {
    const organiserId = await organiserOf(bot, context);
    const ws = await linkChat(bot.deps, turn.caller, chatOf(turn), data.workstreamId, organiserId);
    return `This chat is now linked to ${ws.name}. Mention me with "log" to record a contribution.`;
  });

  onExecute(app, bot, 'aim_state', async (_ctx, turn, data) => {
    const meeting = await stateAim(bot.deps, turn.caller, data.meetingId, data.aim);
    const workstream = await getWorkstream(bot.deps, turn.tenantId, meeting.workstreamId!);
    const names = await namesFor(bot.deps, turn.tenantId, workstream.chairIds);
    return meetingStartCard(meeting, workstream, names, 0);
  });

  onExecute(app, bot, 'log_open', async (context, turn, data) => {
    const { meeting, workstream } = data.meetingId
      ? await (async () => {
          const m = await getMeeting(bot.deps, turn.tenantId, data.meetingId!);
          return { meeting: m, workstream: await getWorkstream(bot.deps, turn.tenantId, m.workstreamId!) };
        })()
      : await currentMeeting(bot.deps, chatOf(turn), { create: true });
    await sendCard(context, await logCard(bot, meeting, workstream));
    return 'A contribution card is below.';
  });

  onExecute(app, bot, 'log_save', async (_ctx, turn, data) => {
    const { contribution, alreadySaved, meeting, workstream: current } = await logContribution(bot.deps, turn.caller, data);
    // A card saved before the chat was linked elsewhere keeps showing the workstream it was saved in.
    const workstream = contribution.workstreamId === current.id ? current : await getWorkstream(bot.deps, turn.tenantId, contribution.workstreamId);
    const notice = alreadySaved ? 'That contribution was already saved (once). You can log another below.' : 'Saved. You can log another below.';
    return logCard(bot, meeting, workstream, notice);
  });

  onExecute(app, bot, 'minutes_confirm', async (_ctx, turn, data) => {
    const meeting = await reviewAim(bot.deps, turn.caller, data.meetingId, data.result, data.nextSteps ?? '');
    const workstream = await getWorkstream(bot.deps, turn.tenantId, meeting.workstreamId!);
    // The first message of the minutes is the one with the button; the parts after it do not change.
    return (await minutesFor(bot, meeting, workstream))[0];
  });

  const carryCard = async (turn: TurnRef, meetingId: string, notice = '') => {
    const meeting = await getMeeting(bot.deps, turn.tenantId, meetingId);
    const workstream = await getWorkstream(bot.deps, turn.tenantId, meeting.workstreamId!);
    const actor = await actorFor(bot.deps, turn.caller);
    if (!can(actor, 'carry_forward', { type: 'meeting', meeting, workstream })) throw new DomainError('not_allowed', `Only the chairs of ${workstream.name} or the programme team can carry contributions forward.`);
    const candidates = await carryCandidates(bot.deps, turn.tenantId, workstream.id, meeting.id);
    const names = await namesFor(bot.deps, turn.tenantId, candidates.flatMap((c) => [...c.lxpIds, c.ownerId]));
    return carryForwardCard(meeting, candidates, names, bot.config.timeZone, notice);
  };

  onExecute(app, bot, 'carry_open', async (context, turn, data) => {
    await sendCard(context, await carryCard(turn, data.meetingId));
    return 'Earlier contributions are listed below.';
  });

  onExecute(app, bot, 'carry_forward', async (_ctx, turn, data) => {
    await carryForward(bot.deps, turn.caller, data.contributionId, data.meetingId);
    return carryCard(turn, data.meetingId, 'Carried into this meeting. It will appear in these minutes, and the earlier meeting shows the link.');
  });

  const check = (verb: 'check_confirm' | 'check_anonymise' | 'check_withdraw' | 'check_correct', action: CheckAction) =>
    onExecute(app, bot, verb, async (_ctx, turn, data) => {
      const words = action === 'correct' ? String((data as Record<string, unknown>)[`words_${data.contributionId}`] ?? '') : undefined;
      const c = await checkContribution(bot.deps, turn.caller, data.contributionId, action, words);
      const meeting = await getMeeting(bot.deps, turn.tenantId, c.meetingId);
      const all = await contributionsOfMeeting(bot.deps, turn.tenantId, meeting.id);
      const names = await namesFor(bot.deps, turn.tenantId, all.flatMap((x) => x.lxpIds));
      const notice = { confirm: 'Thank you: confirmed.', anonymise: 'Done: it is now recorded as "an LXP".', withdraw: 'Withdrawn: your words have been erased.', correct: 'Thank you: your wording is now the record.' }[action];
      // A card returned in a shared chat replaces the one clicked, for everyone: the LXP's own view (restricted stories included) must stay 1:1.
      if (turn.conversationType !== 'personal') return notice;
      // The message clicked shows one part of the LXP's contributions (see checkParts); it shows the same part again.
      return lxpCheckCard(meeting, all, { id: turn.caller.id, programme: false }, names, bot.config.timeZone, notice, data.part);
    });
  check('check_confirm', 'confirm');
  check('check_anonymise', 'anonymise');
  check('check_withdraw', 'withdraw');
  check('check_correct', 'correct');
}

async function minutesFor(bot: BotContext, meeting: Meeting, workstream: Workstream) {
  const contributions = await contributionsOfMeeting(bot.deps, meeting.tenantId, meeting.id);
  const carried = (await carriedInto(bot.deps, meeting.tenantId, meeting.id)).filter((c) => c.status !== 'withdrawn');
  const names = await namesFor(bot.deps, meeting.tenantId, [...[...contributions, ...carried].flatMap((c) => [...c.lxpIds, c.ownerId]), meeting.minutes?.confirmedBy ?? '']);
  return minutesCards(meeting, workstream, contributions, names, bot.config.timeZone, carried);
}

async function postMinutes(bot: BotContext, context: TurnContext, meeting: Meeting, workstream: Workstream) {
  for (const card of await minutesFor(bot, meeting, workstream)) await sendCard(context, card);
}

export { latestMeeting };
