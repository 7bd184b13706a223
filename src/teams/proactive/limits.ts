import { perSecond, type Limit } from '../limiter';

/**
 * Teams' limits for proactive sends: per conversation, and per app per tenant
 * whichever instance sends, so each scheduler instance keeps to its share.
 */
export function sendLimits(rates: { sendRate: number; tenantRate: number }) {
  let instances = 1;
  return {
    tenant: (tenantId: string): Limit => perSecond(`tenant:${tenantId}`, rates.tenantRate / instances),
    // A conversation's limit is Teams' whichever instance sends, so it is shared among them as the tenant's is.
    conversation: (tenantId: string, conversationId: string): Limit => perSecond(`conversation:${tenantId}:${conversationId}`, rates.sendRate / instances),
    share(n: number) {
      instances = Math.max(1, Math.floor(n));
    },
  };
}
export type SendLimits = ReturnType<typeof sendLimits>;
