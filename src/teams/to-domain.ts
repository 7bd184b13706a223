import type { TurnContext } from 'botbuilder';
import type { Caller } from '../commands/deps';

/** The small, framework-free view of an activity that handlers use (probot's context idea). */
export interface TurnRef {
  caller: Caller;
  tenantId: string;
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  /** channelData.meeting.id when the activity comes from a meeting chat. */
  teamsMeetingId?: string;
  activityId?: string;
  replyToId?: string;
}

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
    activityId: a.id,
    replyToId: a.replyToId,
  };
}

/** Message text without the bot's mention, in lower case for command matching. */
export function commandText(context: TurnContext): string {
  const text = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ');
  return text.replace(/\s+/g, ' ').trim();
}
