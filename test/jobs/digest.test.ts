import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { ensureDigestScheduled } from '../../src/commands/digests';
import type { Deps } from '../../src/commands/deps';
import type { Job } from '../../src/domain/job';
import { jobHandlers } from '../../src/jobs/handlers';
import { runDueJobs } from '../../src/jobs/scheduler';
import { fakeSender } from '../support/job-store';
import { fixedClock, testDeps, type FixedClock } from '../support/memory-collection';
import { T, addLxp, decided } from '../support/outcome-fixtures';

const TZ = 'Europe/London';
let clock: FixedClock;
let deps: Deps;
let sender: ReturnType<typeof fakeSender>;

beforeEach(() => {
  clock = fixedClock('2026-03-09T10:00:00Z');
  deps = testDeps({ clock });
  sender = fakeSender();
});

const local = (at: string | Date) => formatInTimeZone(new Date(at), TZ, 'EEE yyyy-MM-dd HH:mm');
const pendingDigests = async (): Promise<Job[]> =>
  (await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'digest' }, { field: 'status', op: '=', value: 'pending' }], { orderBy: { field: 'runAt', direction: 'ASC' } })).items;
const tick = () => runDueJobs(deps, { handlers: jobHandlers(), sender, owner: 'test', scheduledAt: clock.now() });
const saidIn = (card: unknown) => [...JSON.stringify(card).matchAll(/said (o-[^"\\]+)/g)].map((m) => m[1]);

/** Runs the digest chain `count` times, moving the clock to each digest's send time. */
async function runChain(count: number) {
  const runs: { id: string; runAt: string; from: string; to: string; said: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const [next] = await pendingDigests();
    clock.set(next.runAt);
    const before = sender.sent.length;
    await tick();
    const sent = sender.sent.slice(before);
    runs.push({ id: next.id, runAt: next.runAt, from: String(next.payload.from), to: String(next.payload.to), said: sent.flatMap((s) => ('card' in s.message ? saidIn(s.message.card) : [])) });
  }
  return runs;
}

/** An outcome at 08:30 and at 09:30 local every day: the ones either side of every boundary. */
async function outcomesEveryDay(fromIso: string, days: number) {
  const ids: string[] = [];
  for (let d = 0; d < days; d++) {
    for (const hour of ['08:30', '09:30']) {
      const day = new Date(new Date(fromIso).getTime() + d * 86_400_000);
      const at = fromZonedTime(`${formatInTimeZone(day, TZ, 'yyyy-MM-dd')}T${hour}:00`, TZ).toISOString();
      const id = `o-${at}`;
      ids.push(id);
      await deps.stores.contributions.create(decided(id, at));
    }
  }
  return ids;
}

describe('weekly digest', () => {
  it('gathers exactly the outcomes decided in its week, of the kinds asked for, and is sent once', async () => {
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [0, 6], news: ['good_news'] });
    const inWeek = ['2026-03-09T09:00:00.000Z', '2026-03-12T15:00:00.000Z', '2026-03-16T08:59:59.000Z'];
    for (const [i, at] of inWeek.entries()) await deps.stores.contributions.create(decided(`o-in${i}`, at));
    await deps.stores.contributions.create(decided('o-before', '2026-03-09T08:59:59.000Z'));
    await deps.stores.contributions.create(decided('o-after', '2026-03-16T09:00:00.000Z'));
    await deps.stores.contributions.create(decided('o-unwanted', '2026-03-10T10:00:00.000Z', { status: 'not_taken_forward', reason: 'no budget' }));
    await deps.stores.contributions.create(decided('o-withdrawn', '2026-03-10T10:00:00.000Z', {}, { status: 'withdrawn' }));
    await deps.stores.contributions.create(decided('o-alex', '2026-03-10T10:00:00.000Z', {}, { lxpIds: ['alex'] }));

    await ensureDigestScheduled(deps, T, 'sam');
    const [job] = await pendingDigests();
    expect(job.id).toBe('digest:sam:weekly:2026-03-16');
    expect(local(job.runAt)).toBe('Mon 2026-03-16 09:00');

    clock.set('2026-03-16T09:00:00Z');
    await tick();
    await tick();
    expect(sender.sent).toHaveLength(1);
    expect(saidIn((sender.sent[0].message as { card: unknown }).card)).toEqual(['o-in0', 'o-in1', 'o-in2']);
    // Sent means fed back: the contributions move on.
    expect((await deps.stores.contributions.get(T, 'o-in1'))?.status).toBe('fed_back');
    expect((await deps.stores.contributions.get(T, 'o-after'))?.status).toBe('outcome_recorded');
    // The next digest follows on from this one.
    expect((await pendingDigests()).map((j) => j.id)).toEqual(['digest:sam:weekly:2026-03-23']);
  });

  it('an empty week sends nothing but keeps the chain going', async () => {
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [] });
    await ensureDigestScheduled(deps, T, 'sam');
    clock.set('2026-03-16T09:00:00Z');
    await tick();
    expect(sender.sent).toHaveLength(0);
    expect((await pendingDigests()).map((j) => j.id)).toEqual(['digest:sam:weekly:2026-03-23']);
  });

  it('saving preferences twice, or a digest running twice, schedules each period once', async () => {
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [] });
    await ensureDigestScheduled(deps, T, 'sam');
    await ensureDigestScheduled(deps, T, 'sam');
    expect(await pendingDigests()).toHaveLength(1);
  });
});

describe('digests across the UK clock changes', () => {
  it.each([
    ['spring forward, 29 March 2026', '2026-03-09T10:00:00Z', '2026-03-16', '2026-04-13'],
    ['fall back, 25 October 2026', '2026-10-05T10:00:00Z', '2026-10-12', '2026-11-09'],
  ])('weekly (%s): every Monday 09:00 local, periods back to back, every outcome exactly once', async (_name, start, firstMonday, lastMonday) => {
    clock.set(start);
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [] });
    const all = await outcomesEveryDay(start, 35);
    await ensureDigestScheduled(deps, T, 'sam');
    const runs = await runChain(5);

    expect(runs.map((r) => local(r.runAt))).toEqual(runs.map(() => expect.stringMatching(/^Mon .* 09:00$/)));
    expect(local(runs[0].to)).toBe(`Mon ${firstMonday} 09:00`);
    expect(local(runs[4].to)).toBe(`Mon ${lastMonday} 09:00`);
    expect(new Set(runs.map((r) => r.id)).size).toBe(5);
    for (let i = 1; i < runs.length; i++) expect(runs[i].from).toBe(runs[i - 1].to);

    const said = runs.flatMap((r) => r.said);
    expect(new Set(said).size).toBe(said.length);
    const expected = all.filter((id) => id.slice(2) >= runs[0].from && id.slice(2) < runs[4].to);
    expect(said.sort()).toEqual(expected.sort());
    // The weeks that hold a clock change are 167 and 169 hours long, not 168: counted on the calendar, not by adding hours.
    const hours = runs.map((r) => (new Date(r.to).getTime() - new Date(r.from).getTime()) / 3_600_000);
    expect(hours.some((h) => h !== 168)).toBe(true);
  });

  it('monthly: the 1st at 09:00 local, across both changes', async () => {
    clock.set('2026-02-15T10:00:00Z');
    await addLxp(deps, 'sam', { rhythm: 'monthly', quietDays: [] });
    await ensureDigestScheduled(deps, T, 'sam');
    const runs = await runChain(10);
    expect(runs.map((r) => local(r.to))).toEqual(
      ['03-01', '04-01', '05-01', '06-01', '07-01', '08-01', '09-01', '10-01', '11-01', '12-01'].map((d) => expect.stringMatching(new RegExp(`2026-${d} 09:00$`))),
    );
    for (let i = 1; i < runs.length; i++) expect(runs[i].from).toBe(runs[i - 1].to);
  });
});

describe('quiet days', () => {
  it('a digest due on a quiet day goes out on the next allowed day, and its period still ends at the boundary', async () => {
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [1] });
    await deps.stores.contributions.create(decided('o-monday-morning', '2026-03-16T08:00:00.000Z'));
    await deps.stores.contributions.create(decided('o-monday-noon', '2026-03-16T12:00:00.000Z'));
    await ensureDigestScheduled(deps, T, 'sam');
    const [job] = await pendingDigests();
    expect(local(job.runAt)).toBe('Tue 2026-03-17 09:00');
    clock.set('2026-03-16T09:00:00Z');
    await tick();
    expect(sender.sent).toHaveLength(0);
    clock.set(job.runAt);
    await tick();
    expect(saidIn((sender.sent[0].message as { card: unknown }).card)).toEqual(['o-monday-morning']);
    const [next] = await pendingDigests();
    expect(local(next.runAt)).toBe('Tue 2026-03-24 09:00');
  });

  it('monthly on a weekend moves to Monday; quiet hours move it to their end', async () => {
    clock.set('2026-10-15T10:00:00Z');
    await addLxp(deps, 'sam', { rhythm: 'monthly', quietDays: [0, 6], quietHours: [18, 10] });
    await ensureDigestScheduled(deps, T, 'sam');
    const [job] = await pendingDigests();
    // 1 November 2026 is a Sunday, after the clocks went back.
    expect(job.id).toBe('digest:sam:monthly:2026-11-01');
    expect(local(job.runAt)).toBe('Mon 2026-11-02 10:00');
  });

  it('changing quiet days moves a digest that is still waiting', async () => {
    await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [] });
    await ensureDigestScheduled(deps, T, 'sam');
    await deps.stores.people.replace({ ...(await deps.stores.people.get(T, 'sam'))!, preferences: { ...(await deps.stores.people.get(T, 'sam'))!.preferences!, quietDays: [1, 2] } });
    await ensureDigestScheduled(deps, T, 'sam');
    const jobs = await pendingDigests();
    expect(jobs).toHaveLength(1);
    expect(local(jobs[0].runAt)).toBe('Wed 2026-03-18 09:00');
  });
});
