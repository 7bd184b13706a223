import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { ChatMember, Turn, TurnRef } from '../app/turn';
import type { MeetingSchedule } from '../commands/meetings';
import { forgetKnownRefs } from './conversation-refs';

export type { TurnRef };

export function tenantOf(context: TurnContext): string {
  const a = context.activity;
  return (a.channelData?.tenant?.id as string | undefined) ?? a.conversation?.tenantId ?? '';
}

export function toTurnRef(context: TurnContext): TurnRef {
  const a = context.activity;
  const tenantId = tenantOf(context);
  // Meeting and installation events often omit conversationType; a 19: thread id or isGroup means a shared chat.
  const type = (a.conversation?.conversationType ??
    (a.channelData?.channel?.id ? 'channel' : a.conversation?.isGroup || a.conversation?.id?.startsWith('19:') ? 'groupChat' : 'personal')) as TurnRef['conversationType'];
  return {
    caller: {
      id: a.from?.aadObjectId ?? a.from?.id ?? 'unknown',
      tenantId,
      name: a.from?.name ?? '',
      teamsId: a.from?.id,
    },
    tenantId,
    conversationId: a.conversation?.id ?? '',
    conversationType: type === 'groupChat' || type === 'channel' ? type : 'personal',
    teamsMeetingId: a.channelData?.meeting?.id as string | undefined,
    channelConversationId: channelOf(a.conversation?.id, a.channelData?.channel?.id),
    activityId: a.id,
    replyToId: a.replyToId,
    timestamp: a.timestamp ? new Date(a.timestamp).toISOString() : undefined,
  };
}

/** A channel meeting's activities come from the thread "<channel conversation id>;messageid=<root message id>". */
function channelOf(conversationId: string | undefined, channelId: string | undefined): string | undefined {
  const base = conversationId?.split(';messageid=')[0];
  return base && channelId && base !== conversationId ? base : undefined;
}

async function scheduleOf(context: TurnContext, logger: Logger): Promise<MeetingSchedule | undefined> {
  const id = context.activity.channelData?.meeting?.id as string | undefined;
  if (!id) return undefined;
  try {
    const info = await TeamsInfo.getMeetingInfo(context, id);
    const d = info?.details;
    return {
      title: d?.title ?? undefined,
      organiserId: info?.organizer?.aadObjectId ?? undefined,
      graphMeetingId: d?.msGraphResourceId || undefined,
      scheduledStart: d?.scheduledStartTime ? new Date(d.scheduledStartTime).toISOString() : undefined,
      scheduledEnd: d?.scheduledEndTime ? new Date(d.scheduledEndTime).toISOString() : undefined,
    };
  } catch (err) {
    logger.debug({ conversationId: context.activity.conversation?.id, err: { message: (err as Error).message } }, 'meeting details unavailable');
    return undefined;
  }
}

async function membersOf(context: TurnContext): Promise<ChatMember[]> {
  const members: ChatMember[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, 100, token);
    for (const m of page.members) if (m.aadObjectId) members.push({ id: m.aadObjectId, name: m.name, teamsId: m.id, email: m.email ?? m.userPrincipalName ?? undefined });
    token = page.continuationToken;
  } while (token);
  return members;
}

const TURN = Symbol('golden-thread turn');

/** The turn as use cases see it, built once per activity and kept in the turn state. */
export function turnOf(context: TurnContext, logger: Logger): Turn {
  let turn = context.turnState.get<Turn>(TURN);
  if (!turn) {
    turn = {
      ...toTurnRef(context),
      teams: {
        meetingOrganiser: async () => (await scheduleOf(context, logger))?.organiserId,
        meetingSchedule: () => scheduleOf(context, logger),
        chatMembers: () => membersOf(context), forgetSeen: forgetKnownRefs },
    };
    context.turnState.set(TURN, turn);
  }
  return turn;
}

/** Message text without the bot's mention, spaces made single, for command matching. */
export function commandText(context: TurnContext): string {
  const text = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ');
  return text.replace(/\s+/g, ' ').trim();
}
