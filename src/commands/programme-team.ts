import type { Recipient } from '../domain/ports';
import type { Viewer } from '../presenters/contribution-view';
import { getProgramme, type Deps } from './deps';

export interface TeamRecipient {
  to: Recipient;
  /** How the message may show contributions: a person on the team, or a shared chat anyone in it can read. */
  viewer: Viewer;
  /** Names the recipient in job ids. */
  key: string;
}

/** The programme team as notices reach them: their linked chat if they chose one, otherwise each member 1:1. */
export async function programmeTeam(deps: Deps, tenantId: string): Promise<TeamRecipient[]> {
  const programme = await getProgramme(deps, tenantId);
  if (!programme) return [];
  if (programme.noticeConversationId) {
    return [{ to: { kind: 'chat', conversationId: programme.noticeConversationId }, viewer: { id: '', programme: false }, key: 'chat' }];
  }
  return programme.memberIds.map((id) => ({ to: { kind: 'person', personId: id }, viewer: { id, programme: true }, key: id }));
}
