import type { Doc } from './ports';

export type JobKind = 'onboard' | 'ask_owner' | 'remind_owner' | 'escalate' | 'overdue_notice' | 'feed_back' | 'answer_notice' | 'digest' | 'notify' | 'lxp_check' | 'retention' | 'close_meeting' | 'post_minutes' | 'meeting_closed' | 'refresh_message' | 'transcript_suggestions';

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
  /** person id, or "chat:<conversation id>" */
  kind: 'person' | 'chat';
  /** An opaque Teams conversation reference; only src/teams reads it. */
  reference: Record<string, unknown>;
  updatedAt: string;
}
