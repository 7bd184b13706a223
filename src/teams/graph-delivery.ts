import type { TokenCredential } from '@azure/identity';

/**
 * Teams has no idempotent send, and the Bot Connector cannot tell us whether
 * a message arrived. Microsoft Graph can list the messages of a chat, so when
 * a scheduler instance died between "about to send" and "sent", the one that
 * takes the job over looks in the chat for the copy before sending again.
 *
 * Every proactive card carries its job's key as the id of a hidden element
 * (`deliveryMarker`), which Graph returns inside the attachment's content.
 * Plain-text messages carry no marker, and channels are not chats: for those
 * (and whenever Graph fails) the answer is "cannot tell", and the scheduler
 * sends again, flagged as a possible repeat.
 *
 * Needs GRAPH_DELIVERY_CHECK=on and, granted to the bot's identity, Microsoft
 * Graph application permissions to read the chats it posts in
 * (Chat.Read.All, or ChatMessage.Read.Chat by resource-specific consent where
 * that applies) and TeamsAppInstallation.ReadForUser.All to find a person's
 * 1:1 chat with the bot.
 */
export interface DeliveryCheck {
  /**
   * The id of the message with `key` posted to the chat since `since`; null
   * when Graph shows no such message; undefined when it cannot tell.
   */
  find(target: DeliveryTarget, key: string, since: Date): Promise<{ activityId: string } | null | undefined>;
}

export type DeliveryTarget = { kind: 'chat'; conversationId: string } | { kind: 'person'; userId: string };

export const MARKER_PREFIX = 'gt-key-';

/** The hidden element that carries a job's key in the card it sends. Invisible, so never shown or read aloud. */
export function deliveryMarker(key: string) {
  return { type: 'TextBlock', id: `${MARKER_PREFIX}${key}`, text: ' ', isVisible: false };
}

export interface GraphDeliveryOptions {
  /** The app's id in the tenant's Teams app catalogue (TEAMS_APP_ID): finds a person's chat with the bot. */
  teamsAppId?: string;
  credential: TokenCredential;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Pages of 50 messages to read back from the newest; a chat busier than that since the send gives "cannot tell". */
  maxPages?: number;
}

interface ChatMessage {
  id: string;
  attachments?: { contentType?: string; content?: string | null }[];
}

/** Meeting and group chats: the Bot Framework conversation id is the Graph chat id. Channels (…;messageid=) are not chats. */
const CHAT_ID = /^19:[^;]+@(thread\.v2|unq\.gbl\.spaces)$/;

export function createGraphDeliveryCheck(o: GraphDeliveryOptions): DeliveryCheck {
  const base = (o.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, '');
  const doFetch = o.fetch ?? fetch;
  const maxPages = o.maxPages ?? 10;

  async function get<T>(url: string): Promise<T | undefined> {
    const token = await o.credential.getToken('https://graph.microsoft.com/.default');
    if (!token) throw new Error('No Microsoft Graph token');
    const res = await doFetch(url, { headers: { authorization: `Bearer ${token.token}` } });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`Microsoft Graph answered ${res.status}`);
    return (await res.json()) as T;
  }

  async function chatIdFor(target: DeliveryTarget): Promise<string | undefined> {
    if (target.kind === 'chat') return CHAT_ID.test(target.conversationId) ? target.conversationId : undefined;
    if (!o.teamsAppId) return undefined;
    const user = `${base}/users/${encodeURIComponent(target.userId)}/teamwork/installedApps`;
    const filter = encodeURIComponent(`teamsApp/id eq '${o.teamsAppId.replace(/'/g, "''")}'`);
    const installs = await get<{ value: { id: string }[] }>(`${user}?$expand=teamsApp&$filter=${filter}`);
    const install = installs?.value[0];
    if (!install) return undefined;
    const chat = await get<{ id: string }>(`${user}/${encodeURIComponent(install.id)}/chat`);
    return chat?.id;
  }

  return {
    async find(target, key, since) {
      try {
        const chatId = await chatIdFor(target);
        if (!chatId) return undefined;
        const marker = `"${MARKER_PREFIX}${key}"`;
        // Newest first; lastModifiedDateTime is the only property Graph filters on with "gt", and a message
        // edited since (a card updated in place) only moves later, so it still falls inside the window.
        const filter = encodeURIComponent(`lastModifiedDateTime gt ${since.toISOString()}`);
        let url: string | undefined = `${base}/chats/${encodeURIComponent(chatId)}/messages?$top=50&$orderby=lastModifiedDateTime desc&$filter=${filter}`;
        for (let page = 0; url && page < maxPages; page++) {
          const body: { value: ChatMessage[]; '@odata.nextLink'?: string } | undefined = await get(url);
          if (!body) return undefined;
          const hit = body.value.find((m) => m.attachments?.some((a) => typeof a.content === 'string' && a.content.includes(marker)));
          if (hit) return { activityId: hit.id };
          url = body['@odata.nextLink'];
        }
        return url ? undefined : null;
      } catch {
        return undefined;
      }
    },
  };
}
