import { myContributions } from '../../src/commands/my-contributions';
import { attendance } from '../../src/commands/attendance';
import { myContributionsCard } from '../../src/presenters/my-contributions';
import { attendanceCard } from '../../src/presenters/attendance';
import { testDeps, fixedClock } from '../support/memory-collection';
import { buildReportFixture, P, type Fixture } from '../support/report-fixture';
import { cardText } from '../support/e2e';

let fx: Fixture;
beforeAll(async () => {
  const clock = fixedClock('2026-01-05T09:00:00Z');
  fx = await buildReportFixture(testDeps({ clock }), clock);
});
const row = (n: number) => fx.ids[n - 1];

describe('my contributions', () => {
  test("an LXP sees only their own, newest meeting first, with where each stands and what was done", async () => {
    const mine = await myContributions(fx.deps, P.sam);
    const sams = [44, 38, 40, 42, 24, 27, 30, 14, 16, 1, 3, 4, 6];
    expect(mine.items.map((c) => c.id).sort()).toEqual(sams.map(row).sort());
    expect(mine.items.every((c) => c.lxpIds.includes(P.sam.id))).toBe(true);
    expect(mine.items[0].id).toBe(row(44));
    expect(mine.items.map((c) => c.meetingDate)).toEqual([...mine.items.map((c) => c.meetingDate)].sort().reverse());
    expect(mine.withdrawn).toBe(3);
    expect(mine.more).toBe(false);

    const text = cardText(myContributionsCard(mine, { id: P.sam.id, programme: false }, 'Europe/London'));
    expect(text).toContain('Contribution 6: what the LXP said'); // his own restricted story, shown to him
    expect(text).toContain('Where it stands: Closed.');
    expect(text).toContain('Adopted (8 Feb 2026): We acted on it, "as agreed", in adopted');
    expect(text).toContain('Why: No budget this year, sadly');
    expect(text).toContain('You withdrew 3 contributions');
    expect(text).not.toContain('Contribution 13:'); // Morgan's
  });

  test('pages: the most recent first, and it says there are more', async () => {
    const page = await myContributions(fx.deps, P.sam, 5);
    expect(page.items.map((c) => c.id)).toEqual([44, 38, 40, 42].map(row).concat(page.items[4].id));
    expect(page.more).toBe(true);
  });

  test('with long contributions, the card holds as many of the newest as fit in one Teams message, in full, and points to "my data"', async () => {
    const mine = await myContributions(fx.deps, P.sam);
    const long = (i: number) => `Said at length ${i}. ${'The crisis line should stay open after midnight. '.repeat(60)}`.slice(0, 2000);
    const wordy = { ...mine, items: mine.items.map((c, i) => ({ ...c, words: long(i) })) };
    const card = myContributionsCard(wordy, { id: P.sam.id, programme: false }, 'Europe/London');
    expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    const shown = JSON.stringify(card).match(/"Said at length \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string);
    expect(shown.length).toBeGreaterThanOrEqual(5);
    expect(shown.length).toBeLessThan(mine.items.length);
    // The newest, in order, each in full.
    expect(shown.map((w) => Number(/\d+/.exec(w)![0]))).toEqual(shown.map((_, i) => i));
    for (const w of shown) expect(w).toHaveLength(2000);
    expect(cardText(card)).toContain(`Newest first: your ${shown.length} most recent. Type "my data" for all of them`);
  });

  test('someone with nothing recorded gets a kind empty card', async () => {
    const none = await myContributions(fx.deps, P.jordan);
    expect(none.items).toEqual([]);
    expect(cardText(myContributionsCard(none, { id: P.jordan.id, programme: false }, 'Europe/London'))).toContain('Nothing has been recorded from you yet');
  });
});

describe('attendance', () => {
  test('the programme team sees every LXP: meetings attended and minutes present', async () => {
    const a = await attendance(fx.deps, P.priya, 'March 2026');
    expect(a.rows.map((r) => [r.name, r.meetings, r.minutes])).toEqual([
      ['Alex Rivera', 3, 270],
      ['Morgan Blake', 1, 90],
      ['Sam Okafor', 3, 240],
      ['Zoë Ó\'Brien', 3, 255],
    ]);
    expect(cardText(attendanceCard(a, 'Europe/London'))).toContain('10 attendances, 855 minutes in all.');
  });

  test('an LXP sees only themselves; a chair who is not an LXP sees nothing of others', async () => {
    expect((await attendance(fx.deps, P.sam, 'march 2026')).rows.map((r) => [r.name, r.meetings, r.minutes])).toEqual([['Sam Okafor', 3, 240]]);
    expect((await attendance(fx.deps, P.chris, 'March 2026')).rows).toEqual([]);
    expect((await attendance(fx.deps, P.alex, 'april 2026')).rows.map((r) => r.minutes)).toEqual([90]);
  });

  test('anything but a period is refused', async () => {
    await expect(attendance(fx.deps, P.priya, 'Sam')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
