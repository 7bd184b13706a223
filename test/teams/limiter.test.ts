import { RateLimiter, perSecond } from '../../src/teams/limiter';

/** A clock that only moves when the limiter sleeps: the test runs in no time. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('the rate limiter', () => {
  it('keeps what Teams counts in any second within the limit, even when requests take 0 to 50 ms to arrive', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(time.now, time.sleep);
    const limit = perSecond('tenant:t', 500);
    let seed = 7;
    const jitter = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 50;
    const arrivals: number[] = [];
    for (let i = 0; i < 3000; i++) {
      await limiter.acquire([limit]);
      arrivals.push(time.now() + jitter());
    }
    arrivals.sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i] - arrivals[j] >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(500);
    // And it does not hold back much more than that: 3,000 requests take under 6.5 s.
    expect(time.now()).toBeLessThan(6500);
  });

  it('holds everything for a conversation until a Retry-After has passed', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(time.now, time.sleep);
    limiter.pause('conversation:c', 2000);
    await limiter.acquire([perSecond('tenant:t', 50), perSecond('conversation:c', 7)]);
    expect(time.now()).toBeGreaterThanOrEqual(2000);
  });
});
