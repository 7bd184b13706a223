import { recordContribution, transition, type Contribution } from '../../src/domain/contribution';
import { addCounts, countsOf, medianDays, monthOf } from '../../src/domain/report';
import { defaultPeriod, findPeriod, previousPeriod } from '../../src/domain/period';
import { parseReportFilter } from '../../src/domain/report-filter';
import type { Workstream } from '../../src/domain/workstream';

const TZ = 'Europe/London';
const at = (iso: string) => new Date(iso);
const base = (over: Partial<Parameters<typeof recordContribution>[0]> = {}): Contribution =>
  recordContribution({
    id: 'c1', tenantId: 't', workstreamId: 'w', meetingId: 'm', meetingTitle: 'M', meetingDate: '2026-03-03T10:00:00.000Z', lxpIds: ['a', 'b'], words: 'w',
    kind: 'challenge', priorityAreaIds: ['p1', 'p2'], ownerId: 'o', dueAt: '2026-03-17T10:00:00.000Z', anonymous: false, restricted: true, ...over,
  }, 'chair', at('2026-03-03T10:30:00Z'));
const outcome = (status: 'adopted' | 'under_consideration', decidedAt: string) => ({
  type: 'record_outcome' as const, followUpAfterDue: '2026-05-01T10:00:00Z', outcome: { status, whatWeDid: 'x', decidedBy: 'o', decidedAt, newDueAt: '2026-04-30T10:00:00Z' },
});

describe('countsOf: what one contribution adds to its month', () => {
  const recorded = base();
  const interim = transition(recorded, outcome('under_consideration', '2026-03-10T12:00:00Z'), 'o', at('2026-03-10T12:00:00Z'));
  const decided = transition(interim, outcome('adopted', '2026-03-29T23:30:00Z'), 'o', at('2026-03-29T23:30:00Z'));
  const fedBack = transition(decided, { type: 'feed_back' }, 's', at('2026-03-30T09:00:00Z'));
  const answered = transition(transition(fedBack, { type: 'respond', answer: 'want_to_talk' }, 'a', at('2026-03-30T10:00:00Z')), { type: 'respond', answer: 'helpful' }, 'a', at('2026-03-30T11:00:00Z'));
  const overdue = transition(recorded, { type: 'become_overdue' }, 's', at('2026-03-24T10:00:00Z'));
  const rows: [string, Contribution, Record<string, number>][] = [
    ['recorded', recorded, { recorded: 1, 'kind:challenge': 1, 'area:p1': 1, 'area:p2': 1, restricted: 1 }],
    ['overdue', overdue, { recorded: 1, 'kind:challenge': 1, 'area:p1': 1, 'area:p2': 1, restricted: 1, overdue: 1 }],
    ['interim news is an outcome but not "we did"', interim, { recorded: 1, 'kind:challenge': 1, 'area:p1': 1, 'area:p2': 1, restricted: 1, withOutcome: 1, 'outcome:under_consideration': 1 }],
    // 23:30 UTC on 29 March is 00:30 on the 30th in London (BST): 27 local days after the meeting.
    ['decided: days on the local calendar', decided, { recorded: 1, 'kind:challenge': 1, 'area:p1': 1, 'area:p2': 1, restricted: 1, withOutcome: 1, 'outcome:adopted': 1, 'weDid:n': 1, 'weDid:sum': 27, 'weDid:d:27': 1 }],
    ['an LXP who changes their answer counts once', answered, { recorded: 1, 'kind:challenge': 1, 'area:p1': 1, 'area:p2': 1, restricted: 1, withOutcome: 1, 'outcome:adopted': 1, 'weDid:n': 1, 'weDid:sum': 27, 'weDid:d:27': 1, 'answer:helpful': 1 }],
    ['withdrawn: out of every figure', transition(answered, { type: 'withdraw' }, 'a', at('2026-04-01T10:00:00Z')), { withdrawn: 1 }],
  ];
  test.each(rows)('%s', (_name, c, expected) => expect(countsOf(c, TZ)).toEqual(expected));

  test('the change between two states moves exactly the figures that differ', () => {
    expect(addCounts(countsOf(overdue, TZ), countsOf(recorded, TZ), -1)).toEqual({ overdue: 1 });
  });

  test('month of the meeting, local time', () => {
    expect(monthOf({ meetingDate: '2026-03-31T23:30:00Z' }, TZ)).toBe('2026-04');
    expect(monthOf({ meetingDate: '2026-01-31T23:30:00Z' }, TZ)).toBe('2026-01');
  });
});

describe('medianDays from the histogram', () => {
  test.each([
    [{}, undefined],
    [{ 'weDid:d:4': 1 }, 4],
    [{ 'weDid:d:1': 1, 'weDid:d:9': 1 }, 5],
    [{ 'weDid:d:2': 2, 'weDid:d:10': 1 }, 2],
    [{ 'weDid:d:0': 1, 'weDid:d:3': 2, 'weDid:d:366': 2, recorded: 9 }, 3],
  ])('%j → %s', (counts, median) => expect(medianDays(counts)).toBe(median));
});

describe('periods in plain words (now: Mon 9 March 2026, London)', () => {
  const now = at('2026-03-09T10:00:00Z');
  test.each([
    ['last quarter', 'Q4 2025 (October to December)', '2025-10-01T00:00:00+01:00', 'Q3 2025 (July to September)'],
    ['since 1 march', 'since 1 March 2026', '2026-03-01T00:00:00Z', 'February 2026'],
    ['2026', '2026', '2026-01-01T00:00:00Z', '2025'],
    ['march 2026', 'March 2026', '2026-03-01T00:00:00Z', 'February 2026'],
    ['last month', 'February 2026', '2026-02-01T00:00:00Z', 'January 2026'],
    ['april', 'April 2025', '2025-04-01T00:00:00+01:00', 'March 2025'],
    ['since 15 february', 'since 15 February 2026', '2026-02-15T00:00:00Z', '23 January 2026 to 14 February 2026'],
  ])('"%s" is %s', (text, label, from, previous) => {
    const { period } = findPeriod(text, now, 'Europe/London');
    expect(period?.label).toBe(label);
    expect(period?.from.toISOString()).toBe(at(from).toISOString());
    expect(previousPeriod(period!, 'Europe/London').label).toBe(previous);
  });

  test('a date still to come is refused; no period means the last 3 months', () => {
    expect(() => findPeriod('since 1 december 2026', now, 'Europe/London')).toThrow(/still to come/);
    expect(defaultPeriod(now, 'Europe/London')).toMatchObject({ label: 'the last 3 months', months: { first: '2026-01', count: 3 } });
  });

  test('names are read before periods, so a workstream called "May group" is not May', () => {
    const ws = { id: 'w', name: 'May group', priorityAreas: [{ id: 'p', name: 'Housing', proposedBy: 'x' }] } as Workstream;
    const f = parseReportFilter('May group, housing, last quarter', [ws], now, 'Europe/London');
    expect(f.workstreams.map((w) => w.id)).toEqual(['w']);
    expect(f.areaIds).toEqual(['p']);
    expect(f.period?.label).toBe('Q4 2025 (October to December)');
  });
});
