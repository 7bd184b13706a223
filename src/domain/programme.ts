import type { Doc } from './ports';

/**
 * What is kept outside any one programme, each in a partition of its own
 * (src/storage/containers.ts): which programmes a person belongs to, and
 * what a chat is linked to. Both are indexes: the programme's own documents
 * decide roles and access on every request, so an index that names too much
 * (a crash between writes) grants nothing.
 */

/** Which programmes a person belongs to, with the names shown as labels; id MEMBERSHIPS_ID in the person's partition. */
export interface Memberships extends Doc {
  type: 'memberships';
  personId: string;
  programmes: Record<string, { name: string; since: string }>;
  /** In a personal chat, the programme a person in several last chose to work in. */
  current?: string;
  /**
   * Programmes they no longer have a role in (taken off every workstream and the team), which still hold their
   * contributions and records: never used to scope a turn or grant anything, only so that `my data` and
   * `forget me` still reach what those programmes hold about them (src/commands/personal.ts).
   */
  formerly?: Record<string, { name: string; left: string }>;
}
export const MEMBERSHIPS_ID = 'memberships';

/** Which programme and workstream a chat (or channel) is linked to; id CHAT_LINK_ID in the chat's partition. */
export interface ChatLink extends Doc {
  type: 'chat_link';
  conversationId: string;
  programmeId: string;
  workstreamId: string;
  linkedBy: string;
  linkedAt: string;
}
export const CHAT_LINK_ID = 'link';

/** The programme the version-1 data of a tenant (one programme per tenant) moves into: stable, so a re-run writes the same documents. */
export const MIGRATED_PROGRAMME_ID = 'programme-1';
export const MIGRATED_PROGRAMME_NAME = 'Lived experience programme';
