/**
 * The one place that decides when a request to Teams may go out and whether
 * a failed one is tried again. Framework-free so it can be tested with a fake
 * clock; proactive.ts wraps every connector call in it.
 */

export interface Limit {
  key: string;
  /** Requests allowed in any window of `perMs`. */
  limit: number;
  perMs: number;
}

/**
 * Requests spend a varying time on the way, so `limit` sent in one second can
 * arrive in another second together with the next ones. Counting a window
 * this much longer than a second keeps Teams' count of any one second within
 * the limit (the stub counted 501 and 502 out of 500 with exactly 1,000 ms).
 */
const JITTER_MS = 50;

/** "7 per second" as a sliding window; rates below one a second become one per 1/rate seconds. */
export function perSecond(key: string, rate: number): Limit {
  return rate >= 1 ? { key, limit: Math.floor(rate), perMs: 1000 + JITTER_MS } : { key, limit: 1, perMs: Math.ceil(1000 / rate) + JITTER_MS };
}

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One key's grants, oldest first; those before `head` have left the window. */
interface Grants {
  at: number[];
  head: number;
}

export class RateLimiter {
  private readonly grants = new Map<string, Grants>();
  private readonly paused = new Map<string, number>();
  private sweeps = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Waits until every limit has room, then takes one slot in each at the same instant. */
  async acquire(limits: Limit[]): Promise<void> {
    for (;;) {
      const t = this.now();
      const wait = Math.max(0, ...limits.map((l) => this.waitFor(l, t)));
      if (wait === 0) {
        for (const l of limits) this.grantsOf(l.key).at.push(t);
        if (++this.sweeps % 1000 === 0) this.sweep(t);
        return;
      }
      await this.sleep(wait);
    }
  }

  /** Nothing goes to `key` before `untilMs` (a Retry-After), whoever asks. */
  pause(key: string, untilMs: number): void {
    this.paused.set(key, Math.max(untilMs, this.paused.get(key) ?? 0));
  }

  // Every waiter asks again when it wakes, so this is on the hot path: grants are taken in time order, so the
  // ones that have left the window are at the front and are stepped over, not filtered out each time.
  private waitFor(l: Limit, t: number): number {
    const pausedFor = (this.paused.get(l.key) ?? 0) - t;
    const g = this.grantsOf(l.key);
    while (g.head < g.at.length && g.at[g.head] <= t - l.perMs) g.head++;
    if (g.head >= 1024 && g.head * 2 >= g.at.length) {
      g.at = g.at.slice(g.head);
      g.head = 0;
    }
    const recent = g.at.length - g.head;
    const windowWait = recent < l.limit ? 0 : g.at[g.at.length - l.limit] + l.perMs - t + 1;
    return Math.max(0, pausedFor, windowWait);
  }

  private grantsOf(key: string): Grants {
    let g = this.grants.get(key);
    if (!g) this.grants.set(key, (g = { at: [], head: 0 }));
    return g;
  }

  // Conversations come and go; forget the ones with nothing recent.
  private sweep(t: number) {
    for (const [key, g] of this.grants) if (g.head === g.at.length || g.at[g.at.length - 1] < t - 60_000) this.grants.delete(key);
    for (const [key, until] of this.paused) if (until < t) this.paused.delete(key);
  }
}

export interface RetryPolicy {
  maxTries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxTries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Teams' own advice: these mean "not now", never "not delivered to someone who refuses". */
export const RETRYABLE = new Set([412, 429, 502, 503, 504]);

/** Exponential with jitter (half fixed, half random), and never sooner than the server asked. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
