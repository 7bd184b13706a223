import { CardFactory, MessageFactory, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { AppInstaller } from './graph-install';
import { deliveryMarker, type DeliveryCheck } from './graph-delivery';
import type { Deps } from '../commands/deps';
import type { ConversationRef } from '../domain/job';
import { UnreachableError, getMany, type OutgoingMessage, type Recipient } from '../domain/ports';
import type { JobSender, SendOptions } from '../jobs/job-sender';
import type { Logger } from '../logger';
import { DEFAULT_RETRY, RETRYABLE, RateLimiter, parseRetryAfter, perSecond, retryDelay, type Limit, type RetryPolicy } from './limiter';

export interface TeamsSenderOptions {
  appId: string;
  /** Sends per second to one conversation (TEAMS_SEND_RATE). */
  sendRate: number;
  /** Requests per second to one tenant (TEAMS_TENANT_RATE). */
  tenantRate: number;
  logger: Logger;
  retry?: RetryPolicy;
  /** Per request; keep it well under the scheduler's lease so a taken-over job cannot still be in flight. */
  timeoutMs?: number;
  /** With GRAPH_INSTALL on: installs the app for a person Teams says does not have it, then the chat is opened again. */
  installer?: AppInstaller;
  /** With GRAPH_DELIVERY_CHECK on: looks in the chat for a message an instance may have sent before it died. */
  deliveryCheck?: DeliveryCheck;
}

/**
 * How long a reference read ahead stays usable. A person's 1:1 chat keeps its id; a reference that changed in
 * the meantime (a new service URL) is refreshed on the person's next turn and used from the next run.
 */
const PREPARED_FOR_MS = 30_000;

type Failure = { statusCode?: number; code?: string; details?: { error?: { code?: string } }; response?: { headers?: { get(name: string): string | undefined } } };

const UNREACHABLE_CODES: Record<string, UnreachableError['reason']> = {
  ConversationBlockedByUser: 'blocked',
  BotNotInConversationRoster: 'not_installed',
  BotDisabledByAdmin: 'forbidden',
};

/**
 * botbuilder's ConnectorClient retries 429/5xx three times on its own (the
 * core-rest-pipeline defaultRetryPolicy; ConnectorClientOptions has no way to
 * turn it off). Left in, one of our tries would be up to four requests that
 * bypass the rate limiter and the lease fence, so it is removed per client.
 */
function withoutSdkRetries(client: ConnectorClient): ConnectorClient {
  (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): void } } }).client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  return client;
}

function failureOf(err: unknown): { status?: number; code?: string; retryAfter?: string } {
  const e = err as Failure;
  return { status: e?.statusCode, code: e?.details?.error?.code ?? e?.code, retryAfter: e?.response?.headers?.get('retry-after') };
}

function toActivity(message: OutgoingMessage, key?: string): Partial<Activity> {
  if ('text' in message) return MessageFactory.text(message.text);
  // The key rides in the card as a hidden element's id, where Microsoft Graph shows it (graph-delivery.ts).
  const card = key ? { ...message.card, body: [...((message.card.body as unknown[] | undefined) ?? []), deliveryMarker(key)] } : message.card;
  return { ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), summary: message.summary };
}

export function createTeamsSender(adapter: CloudAdapter, deps: Deps, options: TeamsSenderOptions): JobSender {
  const limiter = new RateLimiter();
  const policy = options.retry ?? DEFAULT_RETRY;
  const timeout = options.timeoutMs ?? 15_000;
  // Teams' limit is per app per tenant, whichever instance sends: each instance keeps to its share.
  let instances = 1;
  const tenantLimit = (tenantId: string) => perSecond(`tenant:${tenantId}`, options.tenantRate / instances);
  const conversationLimit = (tenantId: string, conversationId: string) => perSecond(`conversation:${tenantId}:${conversationId}`, options.sendRate);

  /** One connector call through the limiter, retried only for 412/429/502/503/504. */
  // One ConnectorClient per service URL, made by the adapter (with the bot's credentials, which fetch and renew
  // their own tokens) and kept: botbuilder would build a client and its HTTP pipeline for every proactive send.
  const clients = new Map<string, Promise<ConnectorClient>>();
  function clientFor(reference: Partial<ConversationReference>): Promise<ConnectorClient> {
    const key = reference.serviceUrl ?? '';
    let client = clients.get(key);
    if (!client) {
      client = new Promise<ConnectorClient>((resolve, reject) => {
        adapter
          .continueConversationAsync(options.appId, reference, async (context) => resolve(withoutSdkRetries(context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey))))
          .then(() => reject(new Error('The Bot Framework adapter did not run the proactive turn')), reject);
      });
      // A failure is not kept: the next send tries again.
      client.catch(() => clients.delete(key));
      clients.set(key, client);
    }
    return client;
  }

  async function call<T>(tenantId: string, limits: Limit[], reference: Partial<ConversationReference>, op: (c: ConnectorClient) => Promise<T>, beforeAttempt?: SendOptions['beforeAttempt']): Promise<T> {
    return attempts(await clientFor(reference));

    async function attempts(client: ConnectorClient): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        await limiter.acquire(limits);
        await beforeAttempt?.(attempt);
        try {
          return await op(client);
        } catch (err) {
          const f = failureOf(err);
          if (f.status === 403) {
            throw new UnreachableError(UNREACHABLE_CODES[f.code ?? ''] ?? 'forbidden', `Teams refused the message (${f.code ?? 403})`);
          }
          if (f.status === undefined || !RETRYABLE.has(f.status) || attempt >= policy.maxTries) throw err;
          const wait = retryDelay(policy, attempt, parseRetryAfter(f.retryAfter, Date.now()));
          // A Retry-After is about this conversation (or tenant): hold back every send to it, not only this one.
          if (f.retryAfter) limiter.pause(limits[limits.length - 1].key, Date.now() + wait);
          options.logger.debug({ tenantId, status: f.status, attempt, waitMs: Math.round(wait) }, 'Teams did not take the request this time; retrying');
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    }
  }

  async function anyReference(tenantId: string): Promise<Partial<ConversationReference> | undefined> {
    const page = await deps.stores.conversations.query(tenantId, [], { pageSize: 1 });
    return page.items[0]?.reference as Partial<ConversationReference> | undefined;
  }

  /** A person never seen in a 1:1 chat: open one with their Teams id, as Teams allows once the app is installed for them. */
  async function openPersonalChat(tenantId: string, personId: string): Promise<Partial<ConversationReference>> {
    const person = await deps.stores.people.get(tenantId, personId);
    const seed = await anyReference(tenantId);
    if (!person?.teamsId || !seed?.serviceUrl) {
      throw new UnreachableError('no_conversation', 'No chat with this person yet, and no Teams id to start one');
    }
    const bot = seed.bot ?? { id: options.appId, name: 'Golden Thread' };
    const create = () =>
      call(tenantId, [tenantLimit(tenantId)], seed, (c) =>
        c.conversations.createConversation({ isGroup: false, bot, members: [{ id: person.teamsId!, name: person.name }], tenantId, channelData: { tenant: { id: tenantId } } } as never, { timeout } as never),
      ).catch((err) => {
        if (err instanceof UnreachableError) throw new UnreachableError(err.reason === 'blocked' ? 'blocked' : 'not_installed', err.message);
        throw err;
      });
    let created;
    try {
      created = await create();
    } catch (err) {
      if (!(err instanceof UnreachableError) || err.reason !== 'not_installed' || !options.installer) throw err;
      await options.installer.installFor(tenantId, personId).catch((e: Error) => {
        throw new UnreachableError('not_installed', `Golden Thread is not installed for them and could not be installed: ${e.message}`);
      });
      options.logger.info({ tenantId }, 'installed the app for a person through Microsoft Graph');
      created = await create();
    }
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: created.serviceUrl ?? seed.serviceUrl,
      bot,
      user: { id: person.teamsId, name: person.name },
      conversation: { id: created.id, conversationType: 'personal', isGroup: false, tenantId, name: '' },
    };
    const doc: ConversationRef = { id: personId, tenantId, type: 'conversation', kind: 'person', reference: reference as Record<string, unknown>, updatedAt: deps.clock.now().toISOString() };
    await deps.stores.conversations.upsert(doc);
    return reference;
  }

  // References read ahead for a run of sends (prepare), each used once and only while fresh.
  const prepared = new Map<string, { doc: ConversationRef | undefined; until: number }>();
  const refId = (to: Recipient) => (to.kind === 'person' ? to.personId : `chat:${to.conversationId}`);

  async function storedReference(tenantId: string, to: Recipient): Promise<ConversationRef | undefined> {
    const key = `${tenantId}/${refId(to)}`;
    const ahead = prepared.get(key);
    prepared.delete(key);
    if (ahead && ahead.until > Date.now()) return ahead.doc;
    return deps.stores.conversations.get(tenantId, refId(to));
  }

  async function referenceFor(tenantId: string, to: Recipient): Promise<Partial<ConversationReference>> {
    if (to.kind === 'person') {
      const stored = await storedReference(tenantId, to);
      return stored ? (stored.reference as Partial<ConversationReference>) : openPersonalChat(tenantId, to.personId);
    }
    const stored = await storedReference(tenantId, to);
    if (stored) return stored.reference as Partial<ConversationReference>;
    const seed = await anyReference(tenantId);
    if (!seed?.serviceUrl) throw new UnreachableError('no_conversation', 'Golden Thread has not heard from this chat');
    return { channelId: 'msteams', serviceUrl: seed.serviceUrl, bot: seed.bot, conversation: { id: to.conversationId, tenantId, isGroup: true, conversationType: 'groupChat', name: '' } };
  }

  return {
    fencesAttempts: true,
    async prepare(tenantId, recipients) {
      const now = Date.now();
      for (const [key, entry] of prepared) if (entry.until <= now) prepared.delete(key);
      const ids = recipients.map(refId);
      const found = await getMany(deps.stores.conversations, tenantId, ids);
      const until = now + PREPARED_FOR_MS;
      for (const id of ids) prepared.set(`${tenantId}/${id}`, { doc: found.get(id), until });
    },
    shareLimits(n) {
      instances = Math.max(1, Math.floor(n));
    },
    async send(tenantId, to, message, sendOptions = {}) {
      const reference = await referenceFor(tenantId, to);
      const conversationId = reference.conversation!.id;
      // A new message, not a reply to whatever the stored reference last saw.
      const activity = TurnContext.applyConversationReference(toActivity(message, sendOptions.key), { ...reference, activityId: undefined }) as Activity;
      // Teams has no idempotent send; the key lets a reader of the chat (or a test) tell a repeat from a new message.
      if (sendOptions.key) activity.channelData = { ...(activity.channelData ?? {}), goldenThread: { key: sendOptions.key } };
      const limits = [tenantLimit(tenantId), conversationLimit(tenantId, conversationId)];
      const sent = await call(tenantId, limits, reference, (c) => c.conversations.sendToConversation(conversationId, activity, { timeout } as never), sendOptions.beforeAttempt);
      return { activityId: sent.id };
    },
    async findDelivered(tenantId, to, message, key, since) {
      if (!options.deliveryCheck || 'text' in message) return undefined;
      return options.deliveryCheck.find(to.kind === 'person' ? { kind: 'person', userId: to.personId } : { kind: 'chat', conversationId: to.conversationId }, key, since);
    },
  };
}
