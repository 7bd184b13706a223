/*
 * The demo data (`npm run demo`) without a browser: what it holds, that it is
 * made once, and that it can be made on any day (clock changes, weekends).
 */
import { storeDeps } from '../support/job-store';
import { fixedClock } from '../support/memory-collection';
import { seedDemo, DEMO_PEOPLE, DEMO_PRIORITIES, DEMO_WORDS } from '../../src/demo/seed';
import { getProgramme } from '../../src/commands/deps';
import { buildReport } from '../../src/commands/reports';
import { myContributions } from '../../src/commands/my-contributions';
import { PLAYGROUND_TENANT } from '../../src/playground';
import type { Contribution } from '../../src/domain/contribution';
import type { Deps } from '../../src/commands/deps';
import type { OpenStore } from '../../src/storage/cosmos/open-store';

jest.setTimeout(60_000);

async function everything(deps: Deps): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of Object.keys(deps.stores) as (keyof Deps['stores'])[]) counts[name] = (await deps.stores[name].queryAll([], { pageSize: 1000 })).items.length;
  return counts;
}

const byWords = (all: Contribution[], words: string) => all.find((c) => c.words === words)!;

describe('demo data', () => {
  let deps: Deps;
  let store: OpenStore;
  const NOW = '2026-03-31T11:00:00Z'; // a Tuesday, two days after the clocks went forward
  beforeAll(async () => {
    ({ deps, store } = await storeDeps(fixedClock(NOW)));
  });
  afterAll(async () => store.close());

  it('a programme, two workstreams, two past meetings and six contributions in every state the demo needs', async () => {
    const seeded = await seedDemo(deps);
    expect(seeded).toMatchObject({ seeded: true, contributions: 6 });
    const all = (await deps.stores.contributions.query(PLAYGROUND_TENANT, [], { pageSize: 100 })).items;
    expect(all).toHaveLength(6);
    expect(byWords(all, DEMO_WORDS.nightLines)).toMatchObject({ status: 'closed', check: 'confirmed', answers: [{ answer: 'helpful' }], outcomes: [{ status: 'adopted' }] });
    expect(byWords(all, DEMO_WORDS.voicemail)).toMatchObject({ status: 'awaiting_outcome', restricted: true, outcomes: [{ status: 'under_consideration' }] });
    expect(byWords(all, DEMO_WORDS.letters)).toMatchObject({ status: 'fed_back', anonymous: true, outcomes: [{ status: 'not_taken_forward' }] });
    expect(byWords(all, DEMO_WORDS.friday)).toMatchObject({ status: 'overdue', reminders: { count: 1 }, ownerId: DEMO_PEOPLE.jordan.id, outcomes: [] });
    expect(byWords(all, DEMO_WORDS.agenda)).toMatchObject({ status: 'fed_back', kind: 'led_agenda_item' });
    expect(byWords(all, DEMO_WORDS.peer)).toMatchObject({ status: 'fed_back', outcomes: [{ status: 'partly_adopted' }] });

    // Nothing is left for the scheduler from before now: only the future (the escalation, the next reminder, digests, the new date).
    const pending = (await deps.stores.jobs.query(PLAYGROUND_TENANT, [{ field: 'status', op: '=', value: 'pending' }], { pageSize: 100 })).items;
    expect(pending.filter((j) => j.runAt < NOW)).toEqual([]);
    expect(pending.map((j) => j.kind)).toEqual(expect.arrayContaining(['escalate', 'remind_owner', 'ask_owner']));

    // Preferences and consent, as the LXPs would have recorded them.
    const sam = await deps.stores.people.get(PLAYGROUND_TENANT, DEMO_PEOPLE.sam.id);
    const alex = await deps.stores.people.get(PLAYGROUND_TENANT, DEMO_PEOPLE.alex.id);
    expect(sam).toMatchObject({ teamsId: '29:1-sam', preferences: { rhythm: 'as_it_happens' }, consent: [expect.anything()] });
    expect(alex).toMatchObject({ preferences: { rhythm: 'weekly', attribution: 'anonymous' } });
  });

  it('the report and "my contributions" read it as the Playground\'s users would', async () => {
    const report = await buildReport(deps, DEMO_PEOPLE.priya, '');
    expect(report.scope).toBe('All workstreams');
    expect(report.current).toMatchObject({ overdueNow: 1 });
    const mine = await myContributions(deps, DEMO_PEOPLE.sam);
    expect(mine.items.map((c) => c.words).sort()).toEqual([DEMO_WORDS.agenda, DEMO_WORDS.friday, DEMO_WORDS.nightLines].sort());
  });

  it('has three programme priorities, and reads the report by one of them (the areas linked to it)', async () => {
    const programme = await getProgramme(deps, PLAYGROUND_TENANT);
    expect((programme?.priorities ?? []).filter((p) => p.status === 'confirmed').map((p) => p.title)).toEqual(Object.values(DEMO_PRIORITIES).map((p) => p.title));
    const report = await buildReport(deps, DEMO_PEOPLE.priya, `programme priority ${DEMO_PRIORITIES.home.title}`);
    expect(report.scope).toBe(`Community mental health, programme priority ${DEMO_PRIORITIES.home.title}`);
    await expect(buildReport(deps, DEMO_PEOPLE.chris, DEMO_PRIORITIES.home.title)).rejects.toThrow(/no priority area of theirs serves/);
  });

  it('is made once: a second run changes nothing', async () => {
    const before = await everything(deps);
    await expect(seedDemo(deps)).resolves.toMatchObject({ seeded: false });
    expect(await everything(deps)).toEqual(before);
  });

  it.each(['2026-10-25T12:00:00Z', '2026-11-01T23:30:00Z', '2027-01-04T08:59:00Z', '2026-07-18T00:00:00Z'])('can be made on %s', async (now) => {
    const { deps: d, store: s } = await storeDeps(fixedClock(now));
    try {
      await expect(seedDemo(d)).resolves.toMatchObject({ seeded: true, contributions: 6 });
      const all = (await d.stores.contributions.query(PLAYGROUND_TENANT, [], { pageSize: 100 })).items;
      expect(all.filter((c) => c.status === 'overdue')).toHaveLength(1);
      expect(all.filter((c) => c.status === 'escalated')).toHaveLength(0);
    } finally {
      await s.close();
    }
  });
});
