import { perSecond, type Limit } from '../limiter';

/**
 * Teams' limits for proactive sends: per conversation, and per app per tenant
 * whichever instance sends, so each scheduler instance keeps to its share.
 */
export function sendLimits(rates: { sendRate: number; tenantRate: number }) {
  let instances = 1;
  return {
    tenant: (tenantId: string): Limit => perSecond(`tenant:${tenantId}`, rates.tenantRate / instances),
    conversation: (tenantId: string, conversationId: string): Limit => perSecond(`conversation:${tenantId}:${conversationId}`, rates.sendRate),
    share(n: number) {
      instances = Math.max(1, Math.floor(n));
    },
  };
}
export type SendLimits = ReturnType<typeof sendLimits>;
