import type { ConversationReference } from 'botbuilder';
import type { Deps } from '../../commands/deps';
import type { ConversationRef } from '../../domain/job';
import { UnreachableError, type Recipient } from '../../domain/ports';
import { anyReference } from './personal-chat';

/**
 * How long a reference read ahead stays usable. A person's 1:1 chat keeps its id; a reference that changed in
 * the meantime (a new service URL) is refreshed on the person's next turn and used from the next run.
 */
const PREPARED_FOR_MS = 30_000;
/** Point reads in flight at once while reading ahead. */
const READS_AT_ONCE = 20;

const refId = (to: Recipient) => (to.kind === 'person' ? to.personId : `chat:${to.conversationId}`);

/** Where to send: the stored conversation references, read ahead for a run of sends (prepare), each used once and only while fresh. */
export function conversationReferences(deps: Pick<Deps, 'stores'>, openPersonalChat: (tenantId: string, personId: string) => Promise<Partial<ConversationReference>>) {
  const prepared = new Map<string, { doc: ConversationRef | undefined; until: number }>();

  async function stored(tenantId: string, to: Recipient): Promise<ConversationRef | undefined> {
    const key = `${tenantId}/${refId(to)}`;
    const ahead = prepared.get(key);
    prepared.delete(key);
    if (ahead && ahead.until > Date.now()) return ahead.doc;
    return deps.stores.conversations.get(tenantId, refId(to));
  }

  return {
    async prepare(tenantId: string, recipients: Recipient[]): Promise<void> {
      const now = Date.now();
      for (const [key, entry] of prepared) if (entry.until <= now) prepared.delete(key);
      const ids = [...new Set(recipients.map(refId))];
      // Each reference is a partition of its own (src/storage/containers.ts): point reads, a few at a time.
      for (let i = 0; i < ids.length; i += READS_AT_ONCE) {
        const chunk = ids.slice(i, i + READS_AT_ONCE);
        const docs = await Promise.all(chunk.map((id) => deps.stores.conversations.get(tenantId, id)));
        chunk.forEach((id, k) => prepared.set(`${tenantId}/${id}`, { doc: docs[k], until: now + PREPARED_FOR_MS }));
      }
    },
    async referenceFor(tenantId: string, to: Recipient): Promise<Partial<ConversationReference>> {
      const doc = await stored(tenantId, to);
      if (doc) return doc.reference as Partial<ConversationReference>;
      if (to.kind === 'person') return openPersonalChat(tenantId, to.personId);
      const seed = await anyReference(deps, tenantId);
      if (!seed?.serviceUrl) throw new UnreachableError('no_conversation', 'Golden Thread has not heard from this chat');
      return { channelId: 'msteams', serviceUrl: seed.serviceUrl, bot: seed.bot, conversation: { id: to.conversationId, tenantId, isGroup: true, conversationType: 'groupChat', name: '' } };
    },
  };
}
