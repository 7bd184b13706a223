import { listOverdue, loadShown, nudgeOwner, overdueDetail } from '../../src/commands/overdue';
import { OVERDUE_SHOWN } from '../../src/domain/report';
import { notifyHandler } from '../../src/jobs/notify';
import { queryEvery } from '../../src/domain/ports';
import { overdueCard, overdueSummary } from '../../src/presenters/overdue';
import { namesFor } from '../../src/commands/names';
import { testDeps, fixedClock, type FixedClock } from '../support/memory-collection';
import { buildReportFixture, P, TENANT, type Fixture } from '../support/report-fixture';
import { cardText } from '../support/e2e';

let fx: Fixture;
let clock: FixedClock;
beforeAll(async () => {
  clock = fixedClock('2026-01-05T09:00:00Z');
  fx = await buildReportFixture(testDeps({ clock }), clock);
});
const row = (n: number) => fx.ids[n - 1];

describe('overdue', () => {
  test('the programme team sees every overdue item, most overdue first, with days overdue', async () => {
    const items = await listOverdue(fx.deps, P.priya);
    expect(items.map((i) => i.entry.contributionId).sort()).toEqual([6, 9, 15, 21, 30, 31, 41, 45, 51].map(row).sort());
    // Row 6: meeting Tue 3 Feb, due Tue 17 Feb; asked on Mon 20 Apr.
    expect(items[0]).toMatchObject({ entry: { contributionId: row(6) }, daysOverdue: 62, canNudge: true });
  });

  test('a chair sees their workstream and what they own; an owner only their own; an LXP nothing', async () => {
    const ids = async (who: typeof P.chris) => (await listOverdue(fx.deps, who)).map((i) => i.entry.contributionId).sort();
    expect(await ids(P.chris)).toEqual([6, 9, 30, 31].map(row).sort());
    expect(await ids(P.dana)).toEqual([15, 41, 45].map(row).sort());
    expect(await ids(P.jordan)).toEqual([9, 31].map(row).sort());
    expect(await ids(P.sam)).toEqual([]);
    expect((await listOverdue(fx.deps, P.jordan)).every((i) => !i.canNudge)).toBe(true);
  });

  test('the card names owners for the person asking; a shared chat gets counts only', async () => {
    const items = await listOverdue(fx.deps, P.chris);
    const { shown, names } = await overdueDetail(fx.deps, TENANT, items);
    const text = cardText(overdueCard(items, shown, names, { id: P.chris.id, programme: false }, 'Europe/London'));
    expect(text).toContain('Owner Jordan Lee');
    expect(text).toContain('A personal story, shared in confidence.');
    expect(text).toContain('62 days overdue');
    expect(overdueSummary(items)).toBe('4 contributions are overdue (Crisis pathway: 4).');
  });

  test('a long list stays within Teams\' message size: the 15 most overdue, and how many there are', async () => {
    const [first] = await loadShown(fx.deps, TENANT, await listOverdue(fx.deps, P.priya));
    // 40 overdue items, each with the longest words a chair can log.
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...first,
      daysOverdue: 100 - i,
      contribution: { ...first.contribution, id: `long-${i}`, restricted: false, anonymous: false, words: `Item ${i}. ${'é'.repeat(1990)}` },
    }));
    const names = await namesFor(fx.deps, TENANT, [first.contribution.ownerId, ...first.contribution.lxpIds]);
    const card = overdueCard(many, many.slice(0, OVERDUE_SHOWN), names, { id: P.priya.id, programme: true }, 'Europe/London');
    const text = cardText(card);
    expect(text).toContain('Overdue: 40 contributions');
    expect(text).toContain('The 15 most overdue of 40 are shown');
    expect(text).toContain('Item 14.');
    expect(text).not.toContain('Item 15.');
    // Teams refuses a bot message over about 100 KB counted as UTF-16 and advises staying under 80 KB.
    expect(JSON.stringify(card).length * 2).toBeLessThan(80 * 1024);
  });

  test('a nudge queues one notify job to the owner a day, with no words in it', async () => {
    const first = await nudgeOwner(fx.deps, P.chris, row(31));
    expect(first).toEqual({ ownerName: 'Jordan Lee', alreadyNudged: false });
    expect(await nudgeOwner(fx.deps, P.chris, row(31))).toEqual({ ownerName: 'Jordan Lee', alreadyNudged: true });
    const jobs = await queryEvery(fx.deps.stores.jobs, TENANT, [{ field: 'kind', op: '=', value: 'notify' }, { field: 'subjectId', op: '=', value: row(31) }]);
    expect(jobs).toHaveLength(1);
    expect(JSON.stringify(jobs[0].payload)).not.toContain('Contribution 31');
    const plan = await notifyHandler.plan(fx.deps, jobs[0], new Date());
    expect(plan?.to).toEqual({ kind: 'person', personId: P.jordan.id });
    expect(cardText((plan!.message as { card: unknown }).card)).toContain('Chris Morgan');
    clock.set('2026-04-21T10:00:00Z');
    expect((await nudgeOwner(fx.deps, P.chris, row(31))).alreadyNudged).toBe(false);
    clock.set('2026-04-20T10:00:00Z');
  });

  test('only the programme team and the chairs may nudge, and only while it is open', async () => {
    await expect(nudgeOwner(fx.deps, P.jordan, row(31))).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(nudgeOwner(fx.deps, P.dana, row(31))).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(nudgeOwner(fx.deps, P.priya, row(1))).rejects.toMatchObject({ code: 'already_done' });
  });
});
