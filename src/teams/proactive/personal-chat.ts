import type { ConversationReference } from 'botbuilder';
import { personAnywhere } from '../../commands/memberships';
import type { Deps } from '../../commands/deps';
import type { ConversationRef } from '../../domain/job';
import { SERVICE_REF_ID } from '../../domain/job';
import { UnreachableError } from '../../domain/ports';
import type { Logger } from '../../logger';
import type { AppInstaller } from '../graph-install';
import type { SendLimits } from './limits';
import type { ConnectorCall } from './retries';

export interface PersonalChatParts {
  deps: Pick<Deps, 'stores' | 'clock'>;
  appId: string;
  call: ConnectorCall;
  limits: SendLimits;
  timeout: number;
  logger: Logger;
  installer?: AppInstaller;
}

/** The tenant's service reference (conversation-refs.ts): it gives the service URL and the bot's id there. A point read. */
export async function anyReference(deps: Pick<Deps, 'stores'>, tenantId: string): Promise<Partial<ConversationReference> | undefined> {
  const doc = await deps.stores.conversations.get(tenantId, SERVICE_REF_ID);
  return doc?.reference as Partial<ConversationReference> | undefined;
}

/**
 * A person never seen in a 1:1 chat: open one with their Teams id, as Teams allows once the app is installed for
 * them. With GRAPH_INSTALL on, a person Teams says does not have the app gets it installed, then the chat is opened again.
 */
export async function openPersonalChat(p: PersonalChatParts, tenantId: string, personId: string): Promise<Partial<ConversationReference>> {
  // Their Teams id as any of their programmes knows it: a 1:1 chat is the person's, not a programme's.
  const person = await personAnywhere(p.deps, tenantId, personId);
  const seed = await anyReference(p.deps, tenantId);
  if (!person?.teamsId || !seed?.serviceUrl) throw new UnreachableError('no_conversation', 'No chat with this person yet, and no Teams id to start one');
  const bot = seed.bot ?? { id: p.appId, name: 'Golden Thread' };
  const create = () =>
    p.call(tenantId, [p.limits.tenant(tenantId)], seed, (c) =>
      c.conversations.createConversation({ isGroup: false, bot, members: [{ id: person.teamsId!, name: person.name }], tenantId, channelData: { tenant: { id: tenantId } } } as never, { timeout: p.timeout } as never),
    ).catch((err) => {
      if (err instanceof UnreachableError) throw new UnreachableError(err.reason === 'blocked' ? 'blocked' : 'not_installed', err.message);
      throw err;
    });
  let created;
  try {
    created = await create();
  } catch (err) {
    if (!(err instanceof UnreachableError) || err.reason !== 'not_installed' || !p.installer) throw err;
    await p.installer.installFor(tenantId, personId).catch((e: Error) => {
      throw new UnreachableError('not_installed', `Golden Thread is not installed for them and could not be installed: ${e.message}`);
    });
    p.logger.info({ tenantId }, 'installed the app for a person through Microsoft Graph');
    created = await create();
  }
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl: created.serviceUrl ?? seed.serviceUrl,
    bot,
    user: { id: person.teamsId, name: person.name },
    conversation: { id: created.id, conversationType: 'personal', isGroup: false, tenantId, name: '' },
  };
  const doc: ConversationRef = { id: personId, tenantId, type: 'conversation', kind: 'person', reference: reference as Record<string, unknown>, updatedAt: p.deps.clock.now().toISOString() };
  await p.deps.stores.conversations.upsert(doc);
  return reference;
}
