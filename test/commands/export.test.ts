import { exportContributions, EXPORT_HEADER } from '../../src/commands/export';
import { csvField } from '../../src/domain/csv';
import { testDeps, fixedClock } from '../support/memory-collection';
import { buildReportFixture, P, ZOE_NAME, type Fixture } from '../support/report-fixture';
import { buildReport } from '../../src/commands/reports';
import { DEFAULT_PREFERENCES } from '../../src/domain/person';
import { queryEvery, updateWithRetry } from '../../src/domain/ports';
import { readCsv as parseCsv } from '../support/read-csv';

/** Every LXP in the fixture agrees to be quoted, or (quote = false) chooses not to be. */
async function quoting(deps: Fixture['deps'], ids: string[], quote: boolean) {
  for (const id of ids) await updateWithRetry(deps.stores.people, P.priya.tenantId, id, (p) => ({ ...p, preferences: { ...DEFAULT_PREFERENCES, ...p.preferences, quoteInReports: quote } }));
}


let fx: Fixture;
beforeAll(async () => {
  const clock = fixedClock('2026-01-05T09:00:00Z');
  fx = await buildReportFixture(testDeps({ clock }), clock);
  await quoting(fx.deps, (await queryEvery(fx.deps.stores.people, P.priya.tenantId, [])).map((p) => p.id), true);
});
const row = (n: number) => fx.ids[n - 1];

describe('export (CSV)', () => {
  test('parses back: BOM, header, one row per live contribution, quoting of commas, quotes, line breaks and non-ASCII', async () => {
    const file = await exportContributions(fx.deps, P.priya, '');
    expect(file.csv.startsWith('\uFEFF')).toBe(true);
    expect([...Buffer.from(file.csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.filename).toBe('golden-thread-all-workstreams-2026-04-20.csv');
    const [header, ...rows] = parseCsv(file.csv.slice(1));
    expect(header).toEqual(EXPORT_HEADER);
    expect(rows).toHaveLength(51);
    expect(rows.every((r) => r.length === EXPORT_HEADER.length)).toBe(true);
    const col = (name: string) => EXPORT_HEADER.indexOf(name);
    const byId = new Map(rows.map((r) => [r[0], r]));

    // Withdrawn: not there at all.
    for (const n of [10, 23, 33, 46]) expect(byId.has(row(n))).toBe(false);
    expect(file.csv).not.toContain('Contribution 10:');

    const first = byId.get(row(1))!;
    expect(first[col('What was said')]).toBe('Night staff should "listen first", then act.\nCall back within the hour.');
    expect(first[col('Who said it')]).toBe('Sam Okafor');
    expect(first[col('Meeting date')]).toBe('2026-02-03');
    expect(first[col('Feedback due')]).toBe('2026-02-17');
    expect(first[col('Decided on')]).toBe('2026-02-08');
    expect(first[col('Days from meeting to we did')]).toBe('5');
    expect(first[col('What we did')]).toBe('We acted on it, "as agreed", in adopted');
    expect(first[col('LXP answers')]).toBe('This was helpful');
    expect(byId.get(row(4))![col('Who said it')]).toBe('Sam Okafor and Alex Rivera');
    expect(byId.get(row(4))![col('Priority areas')]).toBe('Crisis care at night; Waiting times');

    // Non-ASCII names and words survive the round trip.
    expect(byId.get(row(7))![col('Who said it')]).toBe(ZOE_NAME);
    expect(byId.get(row(8))![col('What was said')]).toBe('Zoë said: crisis cafés close too early, at 6pm');

    // Restricted words left out, anonymous left anonymous, even for the programme team.
    for (const n of [6, 14, 21, 30, 39, 50]) {
      expect(byId.get(row(n))![col('What was said')]).toBe('[personal story, restricted]');
      expect(byId.get(row(n))![col('Personal story (restricted)')]).toBe('yes');
    }
    expect(file.csv).not.toContain('Contribution 6:');
    for (const n of [14, 28, 39, 53]) expect(byId.get(row(n))![col('Who said it')]).toBe('Anonymous');
    expect(byId.get(row(28))![col('What was said')]).toBe('Contribution 28: what the LXP said, in their words');

    // A cell that starts like a formula is kept as text.
    expect(byId.get(row(13))![col('What was said')]).toBe("'=SUM(1,2) is how the waiting list feels");
    for (const r of rows) for (const c of [col('Meeting date'), col('Feedback due'), col('Decided on')]) expect(r[c]).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
  });

  test('quoteInReports no: the words of that LXP are left out of the export and the figures stay the same', async () => {
    const before = await exportContributions(fx.deps, P.priya, '');
    const figures = (await buildReport(fx.deps, P.priya, 'March 2026')).current;
    await quoting(fx.deps, [P.sam.id], false);
    try {
      const after = await exportContributions(fx.deps, P.priya, '');
      expect(after.rows).toBe(before.rows);
      const [, ...rows] = parseCsv(after.csv.slice(1));
      const said = EXPORT_HEADER.indexOf('What was said');
      const first = rows.find((r) => r[0] === row(1))!;
      expect(first[said]).toBe('[not quoted: the LXP chose not to be quoted in reports]');
      expect(after.csv).not.toContain('listen first');
      // Sam and Alex together: one LXP not agreeing keeps the words out.
      expect(rows.find((r) => r[0] === row(4))![said]).toBe('[not quoted: the LXP chose not to be quoted in reports]');
      expect(rows.find((r) => r[0] === row(8))![said]).toBe('Zoë said: crisis cafés close too early, at 6pm');
      expect((await buildReport(fx.deps, P.priya, 'March 2026')).current).toEqual(figures);
    } finally {
      await quoting(fx.deps, [P.sam.id], true);
    }
  });

  test('a filter narrows the rows: one workstream, one month', async () => {
    const file = await exportContributions(fx.deps, P.priya, 'Carers March 2026');
    const [, ...rows] = parseCsv(file.csv.slice(1));
    expect(rows.map((r) => r[0]).sort()).toEqual([48, 49, 50, 51, 52, 53].map(row).sort());
    expect(file.label).toBe('Carers, March 2026');
  });

  test('only the programme team can export', async () => {
    await expect(exportContributions(fx.deps, P.chris, 'Crisis pathway')).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(exportContributions(fx.deps, P.sam, '')).rejects.toMatchObject({ code: 'not_allowed' });
  });

  test('csvField quotes only what needs it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('-5 is not a formula here')).toBe("'-5 is not a formula here");
    expect(csvField(42)).toBe('42');
  });
});
