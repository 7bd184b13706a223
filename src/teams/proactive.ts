import { CardFactory, MessageFactory, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AppInstaller } from './graph-install';
import { deliveryMarker, type DeliveryCheck } from './graph-delivery';
import type { Deps } from '../commands/deps';
import { MessageGoneError, UnreachableError, type OutgoingMessage } from '../domain/ports';
import type { JobSender, SendOptions } from '../jobs/job-sender';
import type { Logger } from '../logger';
import { DEFAULT_RETRY, RateLimiter, type Limit, type RetryPolicy } from './limiter';
import { sendLimits } from './proactive/limits';
import { connectorClients } from './proactive/clients';
import { connectorCalls } from './proactive/retries';
import { openPersonalChat } from './proactive/personal-chat';
import { conversationReferences } from './proactive/references';

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

function toActivity(message: OutgoingMessage, key?: string): Partial<Activity> {
  if ('text' in message) return MessageFactory.text(message.text);
  // The key rides in the card as a hidden element's id, where Microsoft Graph shows it (graph-delivery.ts).
  const card = key ? { ...message.card, body: [...((message.card.body as unknown[] | undefined) ?? []), deliveryMarker(key)] } : message.card;
  return { ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), summary: message.summary };
}

/** The Teams sender, made of small parts: limits, connector clients, retries, references and 1:1 chat creation. */
export function createTeamsSender(adapter: CloudAdapter, deps: Pick<Deps, 'stores' | 'clock'>, options: TeamsSenderOptions): JobSender {
  const limits = sendLimits(options);
  const timeout = options.timeoutMs ?? 15_000;
  const call = connectorCalls({ limiter: new RateLimiter(), policy: options.retry ?? DEFAULT_RETRY, logger: options.logger, clientFor: connectorClients(adapter, options.appId) });
  const personal = { deps, appId: options.appId, call, limits, timeout, logger: options.logger, installer: options.installer };
  const references = conversationReferences(deps, (tenantId, personId) => openPersonalChat(personal, tenantId, personId));
  /**
   * Updates a message in place, through the same limiter and retries as a send (429/412/5xx with Retry-After).
   * 404 (deleted) and 403 (no longer ours to change) become MessageGoneError: noted by the job, not retried.
   */
  async function update(tenantId: string, conversationId: string, activityId: string, activity: Activity, sendLimit: Limit[], reference: Partial<ConversationReference>, sendOptions: SendOptions) {
    try {
      await call(tenantId, sendLimit, reference, (c) => c.conversations.updateActivity(conversationId, activityId, { ...activity, id: activityId }, { timeout } as never), sendOptions.beforeAttempt);
    } catch (err) {
      const status = err instanceof UnreachableError ? 403 : (err as { statusCode?: number }).statusCode;
      if (status === 403 || status === 404) throw new MessageGoneError(status, `Teams will not update the message (${status})`);
      throw err;
    }
    return { activityId };
  }

  return {
    fencesAttempts: true,
    prepare: references.prepare,
    shareLimits: limits.share,
    async send(tenantId, to, message, sendOptions = {}) {
      const reference = await references.referenceFor(tenantId, to);
      const conversationId = reference.conversation!.id;
      // A new message, not a reply to whatever the stored reference last saw.
      const activity = TurnContext.applyConversationReference(toActivity(message, sendOptions.key), { ...reference, activityId: undefined }) as Activity;
      // Teams has no idempotent send; the key lets a reader of the chat (or a test) tell a repeat from a new message.
      if (sendOptions.key) activity.channelData = { ...(activity.channelData ?? {}), goldenThread: { key: sendOptions.key } };
      const sendLimit = [limits.tenant(tenantId), limits.conversation(tenantId, conversationId)];
      if (sendOptions.replaces) return update(tenantId, conversationId, sendOptions.replaces, activity, sendLimit, reference, sendOptions);
      const sent = await call(tenantId, sendLimit, reference, (c) => c.conversations.sendToConversation(conversationId, activity, { timeout } as never), sendOptions.beforeAttempt);
      return { activityId: sent.id };
    },
    async findDelivered(tenantId, to, message, key, since) {
      if (!options.deliveryCheck || 'text' in message) return undefined;
      return options.deliveryCheck.find(to.kind === 'person' ? { kind: 'person', userId: to.personId } : { kind: 'chat', conversationId: to.conversationId }, key, since);
    },
  };
}
