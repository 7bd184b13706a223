import { UnreachableError, type Recipient } from '../../src/domain/ports';
import type { Job } from '../../src/domain/job';
import type { JobHandlers } from '../../src/jobs/job-handler';
import { jobHandlers } from '../../src/jobs/handlers';
import { runDueJobs, startScheduler, type RunOptions } from '../../src/jobs/scheduler';
import { runJob } from '../../src/jobs/run-job';
import { cancelJobs, scheduleJob, trackedJobs } from '../../src/jobs/schedule';
import { releaseHeldJobs } from '../../src/jobs/unreachable';
import { cardText } from '../support/e2e';
import { TENANT, addPerson, addProgramme, fakeSender, movableClock, storeDeps, type MovableClock } from '../support/job-store';
import type { Deps } from '../../src/commands/deps';
import type { OpenStore } from '../../src/storage/cosmos/open-store';
import { programmeStores, rawStores } from '../../src/domain/programme-stores';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';

const NOW = '2026-03-09T10:00:00.000Z';
const minutes = (n: number) => new Date(new Date(NOW).getTime() + n * 60_000);

let deps: Deps;
let store: OpenStore;
let clock: MovableClock;

beforeEach(async () => {
  clock = movableClock(NOW);
  ({ deps, store } = await storeDeps(clock));
});
afterEach(async () => {
  await store.close();
});

const toChat = (conversationId: string): Recipient => ({ kind: 'chat', conversationId });
const note = (subjectId: string, runAt: Date, to: Recipient = toChat(`19:${subjectId}`)) =>
  scheduleJob(deps, { tenantId: TENANT, kind: 'notify', subjectId, runAt, payload: { to, template: 'unreachable-notice', data: { name: subjectId, why: 'test' } } });

const run = (sender: RunOptions['sender'], extra: Partial<RunOptions> = {}) =>
  runDueJobs(deps, { handlers: jobHandlers(), sender, owner: 'test-a', scheduledAt: clock.now(), leaseMs: 2000, ...extra });

const job = async (id: string) => (await trackedJobs(deps).get(TENANT, id))!;

describe('scheduleJob', () => {
  it('derives the id from kind, subject and time, so scheduling twice makes one job', async () => {
    const a = await note('c1', minutes(-1));
    const b = await note('c1', minutes(-1));
    expect(a.id).toBe('notify:c1:2026-03-09T09:59:00.000Z');
    expect(b.id).toBe(a.id);
    expect((await deps.stores.jobs.query(TENANT, [])).items).toHaveLength(1);
  });
});

describe('runDueJobs', () => {
  it('sends what is due, leaves what is not, and stamps what it sent', async () => {
    const due = await note('due', minutes(-1));
    const later = await note('later', minutes(60));
    const sender = fakeSender();
    const r = await run(sender);
    expect(r).toMatchObject({ ran: 1, sent: 1 });
    expect(sender.sent.map((s) => s.to)).toEqual([toChat('19:due')]);
    expect(sender.sent[0].key).toBe(due.id);
    const done = await job(due.id);
    expect(done).toMatchObject({ status: 'done', sentAt: NOW, sending: { by: 'test-a', activityId: 'act-1' } });
    expect(done.lease).toBeUndefined();
    expect((await job(later.id)).status).toBe('pending');
    // A second run finds nothing to do.
    expect(await run(sender)).toMatchObject({ ran: 0 });
    expect(sender.sent).toHaveLength(1);
  });

  it('sends each job once when two runs race for the same jobs', async () => {
    for (let i = 0; i < 30; i++) await note(`race${i}`, minutes(-1));
    const sender = fakeSender(() => new Promise((r) => setTimeout(r, Math.random() * 5)));
    const [a, b] = await Promise.all([run(sender, { owner: 'a' }), run(sender, { owner: 'b' })]);
    expect(a.sent + b.sent).toBe(30);
    expect(a.skipped + b.skipped).toBe(30);
    const keys = sender.sent.map((s) => s.key);
    expect(new Set(keys).size).toBe(30);
    const all = (await deps.stores.jobs.query(TENANT, [])).items;
    expect(all.every((j) => j.status === 'done' && j.sentAt)).toBe(true);
  });

  it('takes over a job whose owner went quiet, but not one whose lease still runs', async () => {
    const jobs = trackedJobs(deps);
    const stale = await note('stale', minutes(-5));
    const live = await note('live', minutes(-5));
    await jobs.replace({ ...stale, status: 'running', lease: { owner: 'dead', until: minutes(-1).toISOString() } });
    await jobs.replace({ ...live, status: 'running', lease: { owner: 'alive', until: minutes(1).toISOString() } });
    const sender = fakeSender();
    await run(sender);
    expect(sender.sent.map((s) => s.key)).toEqual([stale.id]);
    expect((await job(stale.id)).redelivery).toBeUndefined();
    expect((await job(live.id)).lease?.owner).toBe('alive');
  });

  it('after a crash mid-send, sends again and marks the job as a possible repeat; after a crash post-send, does not', async () => {
    const jobs = trackedJobs(deps);
    const midSend = await note('mid', minutes(-5));
    const postSend = await note('post', minutes(-5));
    const lease = { owner: 'dead', until: minutes(-1).toISOString() };
    const sending = { at: minutes(-2).toISOString(), by: 'dead' };
    await jobs.replace({ ...midSend, status: 'running', lease, sending });
    await jobs.replace({ ...postSend, status: 'running', lease, sending, sentAt: minutes(-2).toISOString() });
    const sender = fakeSender();
    await run(sender);
    expect(sender.sent.map((s) => s.key)).toEqual([midSend.id]);
    expect(await job(midSend.id)).toMatchObject({ status: 'done', redelivery: { previousOwner: 'dead', previousAttemptAt: sending.at } });
    expect(await job(postSend.id)).toMatchObject({ status: 'done', sentAt: minutes(-2).toISOString() });
  });

  it('a job whose planning failed is tried again later as a first send, not as a possible repeat', async () => {
    const j = await note('plan-fails', minutes(-1));
    let calls = 0;
    const handlers = {
      ...jobHandlers(),
      notify: {
        async plan(...args: Parameters<NonNullable<ReturnType<typeof jobHandlers>['notify']>['plan']>) {
          if (++calls === 1) throw new Error('store unavailable');
          return jobHandlers().notify!.plan(...args);
        },
      },
    };
    const sender = fakeSender();
    await run(sender, { handlers, retryBaseMs: 60_000 });
    expect(await job(j.id)).toMatchObject({ status: 'pending', lastError: 'store unavailable' });
    expect((await job(j.id)).sending).toBeUndefined();
    clock.advance(61_000);
    await run(sender, { handlers });
    expect(sender.sent.map((s) => s.key)).toEqual([j.id]);
    expect(await job(j.id)).toMatchObject({ status: 'done' });
    expect((await job(j.id)).redelivery).toBeUndefined();
  });

  it('retries a refused send later and gives up after the last attempt', async () => {
    const j = await note('flaky', minutes(-1));
    const sender = fakeSender(() => {
      throw Object.assign(new Error('Service error.'), { statusCode: 500 });
    });
    await run(sender, { maxAttempts: 2, retryBaseMs: 60_000 });
    expect(await job(j.id)).toMatchObject({ status: 'pending', runAt: minutes(1).toISOString(), lastError: '500: Service error.' });
    expect((await job(j.id)).sending).toBeUndefined();
    clock.advance(61_000);
    await run(sender, { maxAttempts: 2 });
    expect((await job(j.id)).status).toBe('failed');
  });

  it('keeps 64 jobs in flight when it runs alone, and half as many when it is one of two instances', async () => {
    for (let i = 0; i < 160; i++) await note(`many-${i}`, minutes(-1));
    const widest = async (share?: { instances: number; index: number }) => {
      let active = 0;
      let most = 0;
      const sender = fakeSender(async () => {
        most = Math.max(most, ++active);
        // Long enough for every worker to have claimed its job and be waiting here.
        await new Promise((r) => setTimeout(r, 300));
        active--;
      });
      const r = await run(sender, { share });
      return { most, sent: r.sent };
    };
    const two = await widest({ instances: 2, index: 0 });
    expect(two.most).toBe(32);
    const alone = await widest();
    expect(alone.most).toBe(64);
    // Between them every job went once.
    expect(two.sent + alone.sent).toBe(160);
  });

  it('cancelJobs stops pending work for a subject', async () => {
    const j = await note('gone', minutes(-1));
    expect(await cancelJobs(deps, TENANT, 'gone')).toBe(1);
    const sender = fakeSender();
    await run(sender);
    expect(sender.sent).toHaveLength(0);
    expect(await job(j.id)).toMatchObject({ status: 'done', lastError: 'cancelled' });
  });
});

describe('when a person cannot be reached', () => {
  const toSam: Recipient = { kind: 'person', personId: 'aad-sam' };
  const unreachableCalls: string[] = [];
  // A handler standing in for "you said, we did": it decides the recipient at send time.
  const handlers: JobHandlers = {
    ...jobHandlers(),
    feed_back: {
      plan: async () => ({ to: toSam, message: { text: 'You said, we did' } }),
      unreachable: async (_d, j, _s, reason) => void unreachableCalls.push(`${j.id}:${reason}`),
    },
  };
  const feedBack = (subjectId: string) => scheduleJob(deps, { tenantId: TENANT, kind: 'feed_back', subjectId, runAt: minutes(-1) });

  beforeEach(async () => {
    unreachableCalls.length = 0;
    await addPerson(deps, 'aad-sam', 'Sam *Okafor*', '29:1-sam');
    await addPerson(deps, 'aad-priya', 'Priya Shah', '29:1-priya');
    await addProgramme(deps, ['aad-priya', 'aad-jordan']);
  });

  it('a run reads its recipients together, not one by one, and still holds for someone unreachable', async () => {
    const reads = { get: 0, query: 0 };
    const people = deps.stores.people;
    // Counted under the programme's view: a job runs in a view built over the raw stores it is given.
    const raw = rawStores(deps.stores);
    const counted = raw.people;
    deps = {
      ...deps,
      stores: programmeStores(
        {
          ...raw,
          people: Object.assign(Object.create(counted), {
            get: (...a: Parameters<typeof counted.get>) => (reads.get++, counted.get(...a)),
            query: (...a: Parameters<typeof counted.query>) => (reads.query++, counted.query(...a)),
          }),
        },
        { programmeId: MIGRATED_PROGRAMME_ID },
      ),
    };
    for (let i = 0; i < 150; i++) await addPerson(deps, `aad-p${i}`, `Person ${i}`);
    await deps.stores.people.replace({ ...(await people.get(TENANT, 'aad-sam'))!, reachability: { status: 'unreachable', reason: 'blocked', at: NOW } });
    const to = (id: string): Recipient => ({ kind: 'person', personId: id });
    for (let i = 0; i < 150; i++) await note(`n${i}`, minutes(-1), to(`aad-p${i}`));
    await note('to-sam', minutes(-1), to('aad-sam'));
    reads.get = reads.query = 0;

    const sender = fakeSender();
    const r = await run(sender);
    expect(r).toMatchObject({ sent: 150, held: 1 });
    expect(new Set(sender.sent.map((s) => (s.to as { personId: string }).personId)).size).toBe(150);
    // Two chunks of up to a hundred: a query each, plus one fresh read before holding Sam's message.
    expect(reads.query).toBeLessThanOrEqual(2);
    expect(reads.get).toBe(1);
  });

  it('someone read ahead as unreachable who has since come back gets their message', async () => {
    const stale = { ...(await deps.stores.people.get(TENANT, 'aad-sam'))!, reachability: { status: 'unreachable' as const, reason: 'blocked' as const, at: NOW } };
    const due = await feedBack('contribution-3');
    const sender = fakeSender();
    const outcome = await runJob(
      { deps, handlers, sender, owner: 'test-a', scheduledAt: clock.now(), leaseMs: 2000, maxAttempts: 5, retryBaseMs: 1000, ahead: { person: () => stale } },
      (await job(due.id)) as never,
    );
    expect(outcome).toBe('sent');
    expect(sender.sent.map((s) => s.to)).toEqual([toSam]);
  });

  it('holds the message, marks the person, tells the programme team once, and sends when released', async () => {
    let samBlocked = true;
    const sender = fakeSender((to) => {
      if (samBlocked && to.kind === 'person' && to.personId === 'aad-sam') throw new UnreachableError('blocked', 'User blocked the conversation with the bot.');
    });
    const first = await feedBack('contribution-1');
    const second = await feedBack('contribution-2');
    const r = await run(sender, { handlers, concurrency: 1 });
    expect(r).toMatchObject({ held: 2, sent: 0 });

    expect(await job(first.id)).toMatchObject({ status: 'held', heldFor: { personId: 'aad-sam', reason: 'blocked' } });
    expect(await job(second.id)).toMatchObject({ status: 'held', heldFor: { personId: 'aad-sam' } });
    expect((await deps.stores.people.get(TENANT, 'aad-sam'))!.reachability).toEqual({ status: 'unreachable', reason: 'blocked', at: NOW });
    expect([...unreachableCalls].sort()).toEqual([`${first.id}:blocked`, `${second.id}:blocked`].sort());

    // One notice per programme member, even though two jobs failed.
    const notices = (await deps.stores.jobs.queryAll([{ field: 'kind', op: '=', value: 'notify' }])).items as Job[];
    expect(notices.map((n) => (n.payload.to as Recipient & { personId: string }).personId).sort()).toEqual(['aad-jordan', 'aad-priya']);

    await run(sender, { handlers });
    const cards = sender.sent.filter((s) => s.to.kind === 'person' && s.to.personId === 'aad-priya');
    expect(cards).toHaveLength(1);
    const text = cardText((cards[0].message as { card: object }).card);
    expect(text).toContain('Sam *Okafor*');
    expect(text).toContain('They have blocked the Golden Thread chat in Teams.');
    expect(text).toContain('ask them to open Golden Thread in Teams, or check the app is allowed for them');
    expect(text).not.toMatch(/\$\{/);

    samBlocked = false;
    expect(await releaseHeldJobs(deps, TENANT, 'aad-sam')).toBe(2);
    expect((await deps.stores.people.get(TENANT, 'aad-sam'))!.reachability.status).toBe('reachable');
    await run(sender, { handlers });
    expect(sender.sent.filter((s) => s.to.kind === 'person' && s.to.personId === 'aad-sam')).toHaveLength(2);
    expect(await job(first.id)).toMatchObject({ status: 'done', sentAt: NOW });
  });
});

describe('startScheduler', () => {
  it('runs straight away, runs again when kicked, and stop waits for the tick in progress', async () => {
    await note('first', minutes(-1));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sender = fakeSender(async (to) => {
      if (to.kind === 'chat' && to.conversationId === '19:second') await gate;
    });
    const scheduler = startScheduler(deps, { handlers: jobHandlers(), sender, owner: 'loop', intervalMs: 60_000 });
    await waitUntil(() => sender.sent.length === 1);
    await note('second', minutes(-1));
    scheduler.kick();
    scheduler.kick();
    await new Promise((r) => setTimeout(r, 100));
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(sender.sent.map((s) => s.key)).toEqual(['notify:first:2026-03-09T09:59:00.000Z', 'notify:second:2026-03-09T09:59:00.000Z']);
  });
});

describe('startScheduler with more due than one run takes', () => {
  it('reads the next due list while the last jobs are still sending, and still sends each job once', async () => {
    for (let i = 0; i < 30; i++) await note(`many-${i}`, minutes(-1));
    let inFlight = 0;
    const sender = fakeSender(async () => {
      inFlight++;
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
    });
    const jobs = deps.stores.jobs;
    const queryAll = jobs.queryAll.bind(jobs);
    const readWhileSending: boolean[] = [];
    jobs.queryAll = (filters, options) => {
      if (filters.some((f) => f.field === 'status' && f.value === 'pending')) readWhileSending.push(inFlight > 0);
      return queryAll(filters, options);
    };
    const scheduler = startScheduler(deps, { handlers: jobHandlers(), sender, owner: 'loop', intervalMs: 60_000, max: 10, concurrency: 4 });
    try {
      await waitUntil(() => sender.sent.length >= 30);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await scheduler.stop();
      jobs.queryAll = queryAll;
    }
    expect(new Set(sender.sent.map((s) => s.key)).size).toBe(30);
    expect(sender.sent).toHaveLength(30);
    // The first list is read before anything is sent; the later ones while the run before is finishing.
    expect(readWhileSending[0]).toBe(false);
    expect(readWhileSending.slice(1, 3)).toEqual([true, true]);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
