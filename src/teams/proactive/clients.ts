import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

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

/**
 * One ConnectorClient per service URL, made by the adapter (with the bot's credentials, which fetch and renew
 * their own tokens) and kept: botbuilder would build a client and its HTTP pipeline for every proactive send.
 */
export function connectorClients(adapter: CloudAdapter, appId: string): (reference: Partial<ConversationReference>) => Promise<ConnectorClient> {
  const clients = new Map<string, Promise<ConnectorClient>>();
  return (reference) => {
    const key = reference.serviceUrl ?? '';
    let client = clients.get(key);
    if (!client) {
      client = new Promise<ConnectorClient>((resolve, reject) => {
        adapter
          .continueConversationAsync(appId, reference, async (context) => resolve(withoutSdkRetries(context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey))))
          .then(() => reject(new Error('The Bot Framework adapter did not run the proactive turn')), reject);
      });
      // A failure is not kept: the next send tries again.
      client.catch(() => clients.delete(key));
      clients.set(key, client);
    }
    return client;
  };
}
