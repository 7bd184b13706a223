import type { ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { UnreachableError } from '../../domain/ports';
import type { SendOptions } from '../../jobs/job-sender';
import type { Logger } from '../../logger';
import { RETRYABLE, parseRetryAfter, retryDelay, type Limit, type RateLimiter, type RetryPolicy } from '../limiter';

type Failure = { statusCode?: number; code?: string; details?: { error?: { code?: string } }; response?: { headers?: { get(name: string): string | undefined } } };

const UNREACHABLE_CODES: Record<string, UnreachableError['reason']> = {
  ConversationBlockedByUser: 'blocked',
  BotNotInConversationRoster: 'not_installed',
  BotDisabledByAdmin: 'forbidden',
};

function failureOf(err: unknown): { status?: number; code?: string; retryAfter?: string } {
  const e = err as Failure;
  return { status: e?.statusCode, code: e?.details?.error?.code ?? e?.code, retryAfter: e?.response?.headers?.get('retry-after') };
}

export type ConnectorCall = <T>(tenantId: string, limits: Limit[], reference: Partial<ConversationReference>, op: (c: ConnectorClient) => Promise<T>, beforeAttempt?: SendOptions['beforeAttempt']) => Promise<T>;

/** One connector call through the limiter, retried only for 412/429/502/503/504; a 403 means the person cannot be reached. */
export function connectorCalls(parts: { limiter: RateLimiter; policy: RetryPolicy; logger: Logger; clientFor: (reference: Partial<ConversationReference>) => Promise<ConnectorClient> }): ConnectorCall {
  const { limiter, policy, logger } = parts;
  return async (tenantId, limits, reference, op, beforeAttempt) => {
    const client = await parts.clientFor(reference);
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(limits);
      await beforeAttempt?.(attempt);
      try {
        return await op(client);
      } catch (err) {
        const f = failureOf(err);
        if (f.status === 403) throw new UnreachableError(UNREACHABLE_CODES[f.code ?? ''] ?? 'forbidden', `Teams refused the message (${f.code ?? 403})`);
        if (f.status === undefined || !RETRYABLE.has(f.status) || attempt >= policy.maxTries) throw err;
        const wait = retryDelay(policy, attempt, parseRetryAfter(f.retryAfter, Date.now()));
        // A Retry-After is about this conversation (or tenant): hold back every send to it, not only this one.
        if (f.retryAfter) limiter.pause(limits[limits.length - 1].key, Date.now() + wait);
        logger.debug({ tenantId, status: f.status, attempt, waitMs: Math.round(wait) }, 'Teams did not take the request this time; retrying');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
}
