import type { Caller } from '../commands/deps';
import type { MeetingSchedule } from '../commands/meetings';

/** The small, framework-free view of an activity that use cases read, built once at the edge (probot's context idea). */
export interface TurnRef {
  caller: Caller;
  tenantId: string;
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  /** channelData.meeting.id when the activity comes from a meeting chat. */
  teamsMeetingId?: string;
  /** In a channel meeting's thread (conversation id "<channel>;messageid=<root>"), the channel's conversation id. */
  channelConversationId?: string;
  activityId?: string;
  replyToId?: string;
  /** When Teams says the activity happened (ISO 8601), if it says. */
  timestamp?: string;
}

export interface ChatMember {
  id: string;
  name: string;
  teamsId?: string;
  /** Email or UPN from the members API, to tell two people of the same name apart. */
  email?: string;
}

/** What a use case may ask of Teams and of the edge during a turn; the adapter answers. */
export interface TeamsLookups {
  /** The meeting organiser's AAD id, when the chat is a meeting's and Teams will say. */
  meetingOrganiser(): Promise<string | undefined>;
  /** The meeting's title, organiser and scheduled times, when the chat is a meeting's and Teams will say. */
  meetingSchedule(): Promise<MeetingSchedule | undefined>;
  /** Everyone in the chat who has an AAD id. */
  chatMembers(): Promise<ChatMember[]>;
  /** Forget which people and chats the edge has already saved records for, so the next turn from anyone saves them again (after "forget me"). */
  forgetSeen(): void;
}

export interface Turn extends TurnRef {
  teams: TeamsLookups;
  /** The programme this turn runs in (src/app/programme-scope.ts), or the programmes to choose from; set by the adapter. */
  scope?: { programmeId?: string; choices?: { id: string; name: string }[] };
}

export const isShared = (turn: TurnRef) => turn.conversationType !== 'personal';

/** The chat a meeting route is about. */
export const chatOf = (turn: TurnRef) => ({ tenantId: turn.tenantId, conversationId: turn.conversationId, teamsMeetingId: turn.teamsMeetingId, channelConversationId: turn.channelConversationId });
