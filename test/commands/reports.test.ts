import { buildReport, contributionsIn, overdueInReport, reportScope } from '../../src/commands/reports';
import { rebuildCounters } from '../../src/commands/counters';
import { countsOf, figuresFrom, meetingFigures, sumCounts, type Counter } from '../../src/domain/report';
import { reportCard } from '../../src/presenters/report';
import { testDeps, fixedClock, type FixedClock } from '../support/memory-collection';
import { allDocs } from '../support/memory-collection';
import { buildReportFixture, P, ROWS, type Fixture } from '../support/report-fixture';
import { reportRowsOf, MARCH_VS_FEBRUARY } from '../support/report-card';
import type { MemoryCollection } from '../support/memory-collection';

let fx: Fixture;
let clock: FixedClock;
beforeAll(async () => {
  clock = fixedClock('2026-01-05T09:00:00Z');
  fx = await buildReportFixture(testDeps({ clock }), clock);
});

describe('report figures over a 55-contribution fixture (memory store, real commands)', () => {
  test('the fixture is what the hand count assumes', async () => {
    expect(ROWS).toHaveLength(55);
    const all = allDocs(fx.deps.stores.contributions as never) as unknown as { status: string }[];
    expect(all).toHaveLength(55);
    expect(all.filter((c) => c.status === 'withdrawn')).toHaveLength(4);
  });

  test('every figure on the report card matches the hand count, March 2026 against February', async () => {
    const report = await buildReport(fx.deps, P.priya, 'March 2026');
    expect(report.period.label).toBe('March 2026');
    expect(report.previous.label).toBe('February 2026');
    const rows = reportRowsOf(reportCard(report));
    expect(rows).toEqual(MARCH_VS_FEBRUARY);
    // The detail sent 1:1 lists exactly the items behind "Overdue now".
    expect((await overdueInReport(fx.deps, P.priya, report)).map((i) => i.entry.contributionId).sort()).toEqual([30, 31, 41, 45, 51].map((n) => fx.ids[n - 1]).sort());
  });

  test('a month is the month in the programme time zone: 00:30 on 1 April (BST) is April', async () => {
    const report = await buildReport(fx.deps, P.priya, 'april 2026');
    expect(report.current.recorded).toBe(2);
    expect(report.current.meetings.held).toBe(1);
    expect(report.before.recorded).toBe(28);
  });

  test('a priority area named in two workstreams counts both, read from the contributions', async () => {
    const report = await buildReport(fx.deps, P.priya, 'waiting times, March 2026');
    const c = report.current;
    expect(report.scope).toBe('Carers, Crisis pathway, priority area Waiting times');
    expect([c.recorded, c.withOutcome, c.outcomes.adopted, c.outcomes.partly_adopted, c.outcomes.under_consideration, c.outcomes.passed_on, c.overdueNow]).toEqual([7, 6, 2, 2, 1, 1, 1]);
    expect(c.medianDaysToWeDid).toBe(8.5);
    expect(c.answers).toEqual({ helpful: 1, want_to_talk: 1, does_not_reflect: 1, disagree_decision: 0 });
    expect(c.meetings.held).toBe(3);
  });

  test('a workstream and "last quarter" (Q1 2026) against Q4 2025', async () => {
    clock.set('2026-04-20T10:00:00Z');
    const report = await buildReport(fx.deps, P.priya, 'Crisis pathway last quarter');
    expect(report.period.label).toBe('Q1 2026 (January to March)');
    expect(report.current.recorded).toBe(12 + 11);
    expect(report.current.meetings).toEqual({ held: 4, aimStated: 4, aimReviewed: 2, lxpAttendances: 10, lxpMinutes: 150 + 270 + 255 + 180 });
    expect(report.before.recorded).toBe(0);
  });

  test('the counters agree with the contributions they summarise, and with a rebuild from scratch', async () => {
    const tz = fx.deps.settings.timeZone;
    const report = await buildReport(fx.deps, P.priya, 'March 2026');
    const scope = await reportScope(fx.deps, P.priya, 'March 2026');
    const read = await contributionsIn(fx.deps, P.priya.tenantId, scope, report.period);
    expect(figuresFrom(sumCounts(read.map((c) => countsOf(c, tz))), report.current.meetings)).toEqual(report.current);
    const counters = { all: () => allDocs(fx.deps.stores.counters) as Counter[] };
    const before = counters.all().map((c) => [c.id, c.counts]);
    await rebuildCounters(fx.deps, P.priya.tenantId);
    expect(counters.all().map((c) => [c.id, c.counts]).sort()).toEqual(before.sort());
    expect(meetingFigures([], new Date()).held).toBe(0);
  });

  test('"since 15 March" reads contributions for part of a month and compares with the same number of days before', async () => {
    const report = await buildReport(fx.deps, P.priya, 'since 15 march');
    expect(report.period.months).toBeUndefined();
    // M6 (17 Mar), M8 (19 Mar) and M10 (1 Apr): 5 + 4 + 2 live contributions.
    expect(report.current.recorded).toBe(11);
  });
});

describe('who may see which report', () => {
  test('a chair sees their own workstream, and cannot report on another', async () => {
    const own = await buildReport(fx.deps, P.chris, 'March 2026');
    expect(own.scope).toBe('Crisis pathway');
    expect(own.current.recorded).toBe(12);
    await expect(buildReport(fx.deps, P.chris, 'Personality disorder March 2026')).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(buildReport(fx.deps, P.chris, 'Respite')).rejects.toMatchObject({ code: 'not_allowed' });
  });

  test('an LXP or member of staff gets no report', async () => {
    await expect(buildReport(fx.deps, P.sam, '')).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(buildReport(fx.deps, P.jordan, 'Crisis pathway')).rejects.toMatchObject({ code: 'not_allowed' });
  });

  test('words that are not a filter are refused with the names that would work', async () => {
    await expect(buildReport(fx.deps, P.priya, 'Housing March 2026')).rejects.toThrow(/didn't understand "housing".*Crisis pathway/);
  });
});
