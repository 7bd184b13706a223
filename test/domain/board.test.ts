import { buildBoard, boardEntry, hideSmallGroups, median, monthRange, ANONYMOUS_NAME, type BoardInput, type BoardPerson } from '../../src/domain/board';
import type { Contribution, Outcome } from '../../src/domain/contribution';
import type { Meeting } from '../../src/domain/meeting';
import type { Workstream } from '../../src/domain/workstream';

const T = 'tenant-1';
const TZ = 'Europe/London';
const ws = (id: string, name: string, lxpIds: string[], areas: string[]): Workstream => ({
  id, tenantId: T, type: 'workstream', name, chairIds: ['chair'], staffIds: [], lxpIds, chatIds: [], createdAt: '', updatedAt: '',
  priorityAreas: areas.map((a) => ({ id: `${id}-${a}`, name: a, proposedBy: 'chair' })),
});
const W = [ws('crisis', 'Crisis pathway', ['sam', 'alex'], ['night', 'leaving']), ws('community', 'Community', ['alex'], ['peer'])];
const people: BoardPerson[] = [
  { id: 'sam', name: 'Sam Okafor', preferences: { quoteInReports: true } },
  { id: 'alex', name: 'Alex Rivera', preferences: { quoteInReports: false } },
  { id: 'kim', name: 'Kim Ng', preferences: { quoteInReports: true } },
  { id: 'lee', name: 'Lee Po' },
];
const outcome = (status: Outcome['status'], decidedAt: string, over: Partial<Outcome> = {}): Outcome => ({ status, whatWeDid: `did ${status}`, decidedBy: 'owner', decidedAt, ...over });
let n = 0;
const c = (over: Partial<Contribution> = {}): Contribution => ({
  id: `c${++n}`, tenantId: T, type: 'contribution', workstreamId: 'crisis', meetingId: 'm1', meetingTitle: 'M', meetingDate: '2026-03-03T10:00:00Z', lxpIds: ['sam'],
  words: `words ${n}`, kind: 'suggestion', priorityAreaIds: ['crisis-night'], ownerId: 'owner', dueAt: '', anonymous: false, restricted: false, status: 'awaiting_outcome',
  check: 'unchecked', recordedBy: 'chair', recordedAt: '', outcomes: [], answers: [], reminders: { count: 0 }, carriedInto: [], history: [], ...over,
});
const input = (contributions: Contribution[], over: Partial<BoardInput> = {}): BoardInput => ({ contributions, meetings: [], people, workstreams: W, timeZone: TZ, audience: 'programme', ...over });
const ctx = (audience: 'programme' | 'public') => ({ people: new Map(people.map((p) => [p.id, p])), workstreams: new Map(W.map((w) => [w.id, w])), timeZone: TZ, audience });

describe('what one contribution shows', () => {
  // [case, contribution, audience, saidBy, words shown]
  const rows: [string, Partial<Contribution>, 'programme' | 'public', string, boolean][] = [
    ['named, quoting allowed', { lxpIds: ['sam'] }, 'programme', 'Sam Okafor', true],
    ['named, quoting allowed, public', { lxpIds: ['sam'] }, 'public', 'Sam Okafor', true],
    ['named, quoting not allowed', { lxpIds: ['alex'] }, 'programme', 'Alex Rivera', false],
    ['named, quoting not allowed, public: no name either', { lxpIds: ['alex'] }, 'public', ANONYMOUS_NAME, false],
    ['never chose (default: not quoted)', { lxpIds: ['lee'] }, 'programme', 'Lee Po', false],
    ['anonymous, quoting allowed: words but no name', { lxpIds: ['sam'], anonymous: true }, 'programme', ANONYMOUS_NAME, true],
    ['anonymous, public', { lxpIds: ['sam'], anonymous: true }, 'public', ANONYMOUS_NAME, true],
    ['two LXPs, both allow', { lxpIds: ['sam', 'kim'] }, 'programme', 'Sam Okafor and Kim Ng', true],
    ['two LXPs, one does not allow', { lxpIds: ['sam', 'alex'] }, 'programme', 'Sam Okafor and Alex Rivera', false],
    ['someone forgotten (no person record): no name, no words', { lxpIds: ['forgotten-1'] }, 'programme', ANONYMOUS_NAME, false],
  ];
  it.each(rows)('%s', (_case, over, audience, saidBy, words) => {
    const contribution = c(over);
    const e = boardEntry(contribution, ctx(audience));
    expect(e.saidBy).toBe(saidBy);
    expect(e.words).toBe(words ? contribution.words : undefined);
  });

  it('carries the workstream, its priority areas (by name), the kind and the latest outcome', () => {
    const e = boardEntry(c({ priorityAreaIds: ['crisis-leaving', 'gone'], outcomes: [outcome('under_consideration', '2026-03-10T10:00:00Z'), outcome('adopted', '2026-03-20T10:00:00Z', { reason: 'r' })] }), ctx('programme'));
    expect(e).toMatchObject({ workstreamName: 'Crisis pathway', priorityAreas: [{ id: 'crisis-leaving', name: 'leaving' }], kind: 'Suggestion', status: 'adopted', month: '2026-03' });
    expect(e.outcome).toEqual({ whatWeDid: 'did adopted', reason: 'r', decidedAt: '2026-03-20T10:00:00Z' });
    expect(e.latestAt).toBe('2026-03-20T10:00:00Z');
  });
});

describe('the board', () => {
  const withdrawn = c({ status: 'withdrawn', words: 'withdrawn words kept by mistake' });
  const restricted = c({ restricted: true, words: 'a personal story' });
  const old = c({ meetingDate: '2026-01-13T10:00:00Z', outcomes: [outcome('adopted', '2026-01-20T10:00:00Z')], status: 'closed', answers: [{ by: 'sam', answer: 'helpful', at: '' }] });
  const waiting = c({ meetingDate: '2026-03-03T10:00:00Z', workstreamId: 'community', priorityAreaIds: ['community-peer'], lxpIds: ['alex'] });
  const recent = c({ meetingDate: '2026-02-10T10:00:00Z', outcomes: [outcome('not_taken_forward', '2026-03-25T10:00:00Z', { reason: 'cost' })], status: 'fed_back' });
  const all = [withdrawn, restricted, old, waiting, recent];

  it('never shows withdrawn or restricted contributions, and lists the rest newest first', () => {
    const board = buildBoard(input(all));
    expect(board.entries.map((e) => e.id)).toEqual([recent.id, waiting.id, old.id]);
    expect(JSON.stringify(board)).not.toMatch(/withdrawn words|personal story/);
  });

  it.each([
    ['priority area', { areaIds: ['community-peer'] }, ['waiting']],
    ['workstream', { workstreamId: 'crisis' }, ['recent', 'old']],
    ['status', { status: 'waiting' as const }, ['waiting']],
    ['status: not taken forward', { status: 'not_taken_forward' as const }, ['recent']],
    ['period from', { fromMonth: '2026-02' }, ['recent', 'waiting']],
    ['period to', { toMonth: '2026-02' }, ['recent', 'old']],
    ['one month', { fromMonth: '2026-01', toMonth: '2026-01' }, ['old']],
    ['nothing matches', { workstreamId: 'community', status: 'adopted' as const }, []],
  ])('filters by %s', (_what, filter, expected) => {
    const names: Record<string, string> = { [old.id]: 'old', [waiting.id]: 'waiting', [recent.id]: 'recent' };
    expect(buildBoard(input(all), filter).entries.map((e) => names[e.id])).toEqual(expected);
  });

  it('counts each month from first to last (gaps as zero), without withdrawn or restricted ones', () => {
    const { months } = buildBoard(input(all));
    expect(months.map((m) => [m.month, m.contributions])).toEqual([['2026-01', 1], ['2026-02', 1], ['2026-03', 1]]);
    expect(months[0]).toMatchObject({ outcomes: { adopted: 1 }, medianDaysToWeDid: 7, answers: { helpful: 1, want_to_talk: 0 } });
    expect(months[1]).toMatchObject({ outcomes: { not_taken_forward: 1 }, medianDaysToWeDid: 43 });
    expect(months[2].medianDaysToWeDid).toBeUndefined();
  });

  it('the figures follow the workstream, area and period filters, not the status one', () => {
    expect(buildBoard(input(all), { status: 'waiting' }).months.reduce((s, m) => s + m.contributions, 0)).toBe(3);
    expect(buildBoard(input(all), { workstreamId: 'community' }).months.map((m) => m.month)).toEqual(['2026-03']);
  });

  it("counts each LXP's latest answer once", () => {
    const changed = c({ answers: [{ by: 'sam', answer: 'does_not_reflect', at: '1' }, { by: 'sam', answer: 'helpful', at: '2' }] });
    expect(buildBoard(input([changed])).months[0].answers).toEqual({ helpful: 1, want_to_talk: 0, does_not_reflect: 0, disagree_decision: 0 });
  });

  it("counts attendance of each workstream's LXPs (or only the given people) by the meeting's month", () => {
    const meeting = (id: string, startedAt: string, workstreamId: string, att: Meeting['attendance']): Meeting => ({ id, tenantId: T, type: 'meeting', conversationId: 'x', workstreamId, title: 't', startedAt, attendance: att, createdAt: '' });
    const joined = (name: string) => ({ name, spans: [{ joinedAt: '2026-03-03T10:00:00Z' }] });
    const meetings = [
      meeting('m1', '2026-03-03T10:00:00Z', 'crisis', { sam: joined('Sam'), alex: joined('Alex'), chair: joined('Chair') }),
      meeting('m2', '2026-03-10T10:00:00Z', 'community', { alex: { ...joined('Alex'), confirmed: { present: false, by: 'chair', at: '' } } }),
    ];
    expect(buildBoard(input([c()], { meetings })).months[0].attendance).toBe(2);
    expect(buildBoard(input([c()], { meetings, attendeeIds: ['sam'] })).months[0].attendance).toBe(1);
    expect(buildBoard(input([c()], { meetings }), { workstreamId: 'community' }).months).toEqual([]);
  });

  it('is empty for no contributions', () => {
    expect(buildBoard(input([]))).toEqual({ entries: [], months: [] });
  });
});

describe('small parts', () => {
  it('median', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('monthRange crosses a year', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-02', '2026-02')).toEqual(['2026-02']);
  });
});

describe('who takes part: groups under five are hidden', () => {
  const g = (group: string, people: number) => ({ group, people });
  it.each([
    ['all large enough', [g('A', 5), g('B', 12)], ['A', 'B'], 0],
    ['two small ones hidden', [g('A', 4), g('B', 1), g('C', 20)], ['C'], 2],
    ['one small one takes the next smallest with it', [g('A', 3), g('B', 9), g('C', 20)], ['C'], 2],
    ['empty groups are not shown and hide nothing', [g('A', 0), g('B', 7)], ['B'], 0],
    ['prefer not to say is a group like any other', [g('Prefer not to say', 2), g('X', 2)], [], 2],
    ['everything small', [g('A', 4)], [], 1],
  ])('%s', (_case, groups, shown, hidden) => {
    const result = hideSmallGroups(groups);
    expect(result.shown.map((x) => x.group)).toEqual(shown);
    expect(result.hidden).toBe(hidden);
    for (const s of result.shown) expect(s.people).toBeGreaterThanOrEqual(5);
  });
});
