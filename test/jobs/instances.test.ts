import { heartbeat, leave, mine, INSTANCES_ID, INSTANCES_PARTITION } from '../../src/jobs/instances';
import { jobHandlers } from '../../src/jobs/handlers';
import { startScheduler } from '../../src/jobs/scheduler';
import { scheduleJob } from '../../src/jobs/schedule';
import { docProblem } from '../../src/storage/doc-schemas';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createAdapter } from '../../src/teams/app';
import { createTeamsSender } from '../../src/teams/proactive';
import { ConnectorStub } from '../harness/connector-stub';
import { TENANT, chatRef, fakeSender, storeDeps } from '../support/job-store';
import type { Deps } from '../../src/commands/deps';
import type { OpenStore } from '../../src/storage/cosmos/open-store';

/**
 * Teams allows 50 requests a second per app per tenant, whichever instance
 * makes them. Scheduler instances record a heartbeat in the store and each
 * keeps to its share, so two instances together stay within the tenant limit.
 */
let deps: Deps;
let store: OpenStore;
beforeEach(async () => {
  ({ deps, store } = await storeDeps({ now: () => new Date() }));
});
afterEach(async () => {
  await store.close();
});

const at = (s: number) => new Date(Date.UTC(2026, 2, 9, 10, 0, s));

describe('scheduler instances', () => {
  it('counts the live instances; one that went quiet drops out, one that stops cleanly leaves at once', async () => {
    expect((await heartbeat(deps, 'a', at(0), 30_000)).instances).toBe(1);
    expect((await heartbeat(deps, 'b', at(1), 30_000)).instances).toBe(2);
    expect((await heartbeat(deps, 'a', at(20), 30_000)).instances).toBe(2);
    // b has said nothing for 40 s.
    expect((await heartbeat(deps, 'a', at(41), 30_000)).instances).toBe(1);
    expect((await heartbeat(deps, 'c', at(42), 30_000)).instances).toBe(2);
    await leave(deps, 'c');
    expect((await heartbeat(deps, 'a', at(43), 30_000)).instances).toBe(1);
    const doc = await deps.stores.jobs.get(INSTANCES_PARTITION, INSTANCES_ID);
    expect(docProblem('jobs', doc)).toBeUndefined();
  });

  it('two instances starting together: the later counts two at once, the earlier at its next heartbeat', async () => {
    const counts = await Promise.all(['a', 'b'].map(async (o) => (await heartbeat(deps, o, at(0), 30_000)).instances));
    expect(counts.sort()).toEqual([1, 2]);
    expect((await heartbeat(deps, 'a', at(1), 30_000)).instances).toBe(2);
  });

  it('each instance learns its own place, the same on every instance', async () => {
    const a = await heartbeat(deps, 'a', at(0), 30_000);
    const b = await heartbeat(deps, 'b', at(1), 30_000);
    const again = await heartbeat(deps, 'a', at(2), 30_000);
    expect(a).toEqual({ instances: 1, index: 0 });
    expect([b, again].map((s) => s.index).sort()).toEqual([0, 1]);
    expect(b.instances).toBe(2);
  });

  it('two instances take different jobs from the same due list, and one whose share is done helps with the rest', () => {
    const due = Array.from({ length: 1000 }, (_, i) => ({ id: `job-${i}` }));
    const first = mine(due, { instances: 2, index: 0 });
    const second = mine(due, { instances: 2, index: 1 });
    // Nothing taken twice, nothing left out, and the work split roughly evenly.
    expect(first.filter((j) => second.includes(j))).toEqual([]);
    expect(first.length + second.length).toBe(1000);
    expect(Math.abs(first.length - second.length)).toBeLessThan(150);
    // Alone, an instance takes everything; with only the other's jobs left, it takes those.
    expect(mine(due, { instances: 1, index: 0 })).toEqual(due);
    expect(mine(second, { instances: 2, index: 0 })).toEqual(second);
  });

  it('each running scheduler is told its share, and a stopped one gives its share back', async () => {
    const shares = { a: [] as number[], b: [] as number[] };
    const sender = (o: 'a' | 'b') => Object.assign(fakeSender(), { shareLimits: (n: number) => shares[o].push(n) });
    const a = startScheduler(deps, { handlers: jobHandlers(), sender: sender('a'), owner: 'a', intervalMs: 50 });
    const b = startScheduler(deps, { handlers: jobHandlers(), sender: sender('b'), owner: 'b', intervalMs: 50 });
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    };
    await until(() => shares.a.includes(2) && shares.b.includes(2));
    expect(shares.a).toContain(2);
    expect(shares.b).toContain(2);
    await b.stop();
    const before = shares.a.length;
    await until(() => shares.a.length > before && shares.a[shares.a.length - 1] === 1);
    await a.stop();
    expect(shares.a[shares.a.length - 1]).toBe(1);
  });

  it('an instance in the middle of a long run learns within seconds that another has joined', async () => {
    const runAt = new Date(Date.now() - 60_000);
    for (let i = 0; i < 200; i++) {
      await scheduleJob(deps, { tenantId: TENANT, kind: 'notify', subjectId: `long-${i}`, runAt, payload: { to: { kind: 'chat', conversationId: `19:c${i}` }, template: 'unreachable-notice', data: { name: 'x', why: 'y' } } });
    }
    const shares: number[] = [];
    // One job at a time, 20 ms each: a run of about 4 s, with no tick between (the interval is a minute).
    const sender = Object.assign(fakeSender(() => new Promise((r) => setTimeout(r, 20))), { shareLimits: (n: number) => shares.push(n) });
    const a = startScheduler(deps, { handlers: jobHandlers(), sender, owner: 'a', intervalMs: 60_000, concurrency: 1 });
    try {
      for (let i = 0; i < 100 && sender.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(shares[shares.length - 1]).toBe(1);
      await heartbeat(deps, 'b', new Date(), 30_000);
      for (let i = 0; i < 150 && !shares.includes(2); i++) await new Promise((r) => setTimeout(r, 20));
      expect(shares).toContain(2);
      // Still in the same run: most of the 200 jobs are yet to go.
      expect(sender.sent.length).toBeLessThan(200);
    } finally {
      await a.stop();
    }
  });

  it('with a share of two, the Teams sender sends at half the tenant rate', async () => {
    const stub = await ConnectorStub.start();
    try {
      const chats = Array.from({ length: 12 }, (_, i) => `19:chat-${i}@thread.v2`);
      for (const c of chats) await deps.stores.conversations.upsert(chatRef(c, stub.url));
      const logger = createLogger('silent');
      const s = createTeamsSender(createAdapter({ config: loadConfig({ PLAYGROUND: 'off' }), logger }), deps, { appId: '', sendRate: 7, tenantRate: 10, logger });
      s.shareLimits!(2);
      await Promise.all(chats.map((c) => s.send(TENANT, { kind: 'chat', conversationId: c }, { text: 'hi' })));
      const times = stub.calls.filter((c) => c.kind === 'send').map((c) => c.at);
      expect(times).toHaveLength(12);
      // 5 a second: any 6 in a row span at least a second, so 12 take at least two.
      for (let i = 5; i < times.length; i++) expect(times[i] - times[i - 5]).toBeGreaterThanOrEqual(980);
      expect(times[11] - times[0]).toBeGreaterThanOrEqual(1980);
    } finally {
      await stub.close();
    }
  });

  it('with a share of two, one conversation also gets half its rate from each instance', async () => {
    const stub = await ConnectorStub.start();
    try {
      const chat = '19:one-busy-chat@thread.v2';
      await deps.stores.conversations.upsert(chatRef(chat, stub.url));
      const s = createTeamsSender(createAdapter({ config: loadConfig({ PLAYGROUND: 'off' }), logger: createLogger('silent') }), deps, { appId: '', sendRate: 2, tenantRate: 50, logger: createLogger('silent') });
      s.shareLimits!(2);
      await Promise.all(Array.from({ length: 4 }, (_, i) => s.send(TENANT, { kind: 'chat', conversationId: chat }, { text: `hi ${i}` })));
      const times = stub.calls.filter((c) => c.kind === 'send').map((c) => c.at);
      expect(times).toHaveLength(4);
      // One a second (2 shared by two instances), not two: four take at least three seconds.
      expect(times[3] - times[0]).toBeGreaterThanOrEqual(2950);
    } finally {
      await stub.close();
    }
  });
});
