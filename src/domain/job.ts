import type { Doc } from './ports';

export type JobKind = 'onboard' | 'ask_owner' | 'remind_owner' | 'escalate' | 'overdue_notice' | 'feed_back' | 'answer_notice' | 'digest' | 'notify' | 'lxp_check' | 'retention' | 'close_meeting' | 'post_minutes' | 'meeting_closed' | 'refresh_message' | 'transcript_suggestions' | 'claim_escalate' | 'claim_notice' | 'proposal_notice' | 'agenda_carry' | 'close_programme' | 'answer_reply' | 'stepping_back' | 'stepping_back_notice';

/**
 * A piece of scheduled work. Ids are deterministic (kind + subject + due
 * time), so scheduling the same work twice creates one job.
 */
export interface Job extends Doc {
  type: 'job';
  kind: JobKind;
  runAt: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'held';
  subjectId: string;
  payload: Record<string, unknown>;
  attempts: number;
  lease?: { owner: string; until: string };
  /** Stamped just before the send and after it, so a crashed instance's successor knows not to send again. */
  sending?: { at: string; by: string; activityId?: string };
  sentAt?: string;
  lastError?: string;
  createdAt: string;
}

export interface ConversationRef extends Doc {
  type: 'conversation';
  /** person id, "chat:<conversation id>", or "service" (the tenant's service URL and bot, to open new 1:1 chats) */
  kind: 'person' | 'chat' | 'service';
  /** An opaque Teams conversation reference; only src/teams reads it. */
  reference: Record<string, unknown>;
  updatedAt: string;
}

/** The reference kept for the tenant as a whole: where to reach Teams to open a 1:1 chat with someone never heard from. */
export const SERVICE_REF_ID = 'service';

/** The tenant's service reference made from any reference of it: the service URL and bot, without the conversation or the person. */
export function serviceRefFrom(ref: ConversationRef): ConversationRef {
  const { conversation, user, ...service } = ref.reference;
  void conversation; void user;
  return { id: SERVICE_REF_ID, tenantId: ref.tenantId, type: 'conversation', kind: 'service', reference: service, updatedAt: ref.updatedAt };
}
