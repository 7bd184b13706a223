import { createHash } from 'node:crypto';
import type { Answer } from './contribution';
import type { Doc, Recipient } from './ports';

/**
 * How to draw a posted message again from the current record: the card and the query behind its data. Each is
 * re-rendered by the presenter that built it (src/jobs/refresh-message.ts), so a message drawn again honours
 * everything the record now says (withdrawn, corrected, anonymous, restricted or lifted, forgotten) without a
 * rule per change.
 */
export type ShownView =
  | { card: 'minutes'; meetingId: string; part: number }
  | { card: 'log'; meetingId: string }
  | { card: 'carry_forward'; meetingId: string }
  | { card: 'meeting_closed'; meetingId: string }
  | { card: 'digest'; personId: string; period: { rhythm: 'weekly' | 'monthly'; from: string; to: string; key: string } }
  | { card: 'ask_owner'; contributionId: string; variant: 'ask' | 'reminder' }
  /** An LXP's answer told to the owner or the programme team (src/jobs/answer-notice.ts), and the owner's reply sent to the LXP. */
  | { card: 'answer_notice'; contributionId: string; lxpId: string; answer: Answer; audience: 'owner' | 'team'; answeredAt?: string }
  | { card: 'answer_reply'; contributionId: string; answeredAt: string }
  /** An LXP's addition: the chair's review card, or (forLxp) the decision sent to the LXP. Its ids: the proposal's, and the contribution's once added. */
  | { card: 'proposal'; proposalId: string; forLxp: boolean }
  /** The meeting card at the start, with the agenda items LXPs would lead (ids: the items'). */
  | { card: 'meeting_start'; meetingId: string }
  /** To the chair 1:1 at the start: the LXPs' notes on their agenda items (ids: the items'). */
  | { card: 'agenda_notes'; meetingId: string };

/**
 * One message the bot posted that shows contributions: where it is, what it shows and how to draw it again.
 * Kept in a container of its own (`shown`), not on the contribution: one message (the minutes) shows many
 * contributions and one contribution is shown in many messages, and a contribution document that grew with
 * every log card posted in its meeting would be rewritten on every save. Holds ids only, never words.
 */
export interface ShownMessage extends Doc {
  type: 'shown';
  to: Recipient;
  activityId: string;
  view: ShownView;
  /** What it shows: contribution ids, and for the proposal views above, proposal and agenda item ids. */
  contributionIds: string[];
  postedAt: string;
  /** Teams said the message no longer exists or may not be updated: nothing more is queued for it. */
  gone?: { at: string; reason: string };
}

/** What a use case or a job says a message shows, before Teams has given it an id. */
export interface Shows {
  view: ShownView;
  contributionIds: string[];
}

/** One record per message: the same message shown again (a card replaced in place) keeps its record. */
export function shownIdOf(to: Recipient, activityId: string): string {
  const where = to.kind === 'person' ? `person:${to.personId}` : `chat:${to.conversationId}`;
  return `shown-${createHash('sha256').update(`${where}\n${activityId}`).digest('hex').slice(0, 24)}`;
}
