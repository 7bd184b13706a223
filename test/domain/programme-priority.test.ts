import {
  MAX_OPEN_PROPOSALS, areasOfPriority, confirmPriority, confirmedPriorities, declinePriority, forgetProposer, linkAreas, proposePriority, retirePriority, type ProgrammePriority,
} from '../../src/domain/programme-priority';
import { buildBoard, withProgrammePriority, type BoardInput } from '../../src/domain/board';
import { parseReportFilter } from '../../src/domain/report-filter';
import { can, type Actor } from '../../src/domain/policy';
import type { Contribution } from '../../src/domain/contribution';
import type { Workstream } from '../../src/domain/workstream';
import { DomainError } from '../../src/domain/errors';

const AT = '2026-03-10T12:00:00.000Z';
const ws = (id: string, areas: string[]): Workstream => ({
  id, tenantId: 't', type: 'workstream', name: id, chairIds: ['chair'], staffIds: [], lxpIds: ['sam'], chatIds: [], createdAt: AT, updatedAt: AT,
  priorityAreas: areas.map((a) => ({ id: `${id}-${a}`, name: a, proposedBy: 'chair' })),
});
const W = [ws('crisis', ['night', 'leaving']), ws('community', ['peer', 'housing'])];

const propose = (list: ProgrammePriority[], n: number, by = 'sam') => proposePriority(list, { id: `p${n}`, title: `Priority ${n}`, why: `Because ${n}`, by, at: AT });
const confirm = (list: ProgrammePriority[], id: string, areaIds: string[] = []) => confirmPriority(list, id, { by: 'priya', at: AT, areaIds, workstreams: W });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return [(err as DomainError).code, (err as Error).message];
  }
  return undefined;
};

describe('at most five programme priorities', () => {
  let list: ProgrammePriority[] = [];
  beforeAll(() => {
    for (let n = 1; n <= 6; n++) list = propose(list, n);
    for (let n = 1; n <= 5; n++) list = confirm(list, `p${n}`);
  });

  it('a sixth confirmation is refused with a message that says what to do, and the list is unchanged', () => {
    const before = structuredClone(list);
    const [c, message] = code(() => confirm(list, 'p6'))!;
    expect(c).toBe('limit_reached');
    expect(message).toMatch(/already has 5 programme priorities.*Retire one first/);
    expect(list).toEqual(before);
    expect(list.find((p) => p.id === 'p6')!.status).toBe('proposed');
  });

  it('once the team retires one, the sixth can be confirmed', () => {
    const retired = retirePriority(list, 'p2', { by: 'priya', at: AT });
    const next = confirm(retired, 'p6', ['crisis-night']);
    expect(confirmedPriorities(next).map((p) => p.id)).toEqual(['p1', 'p3', 'p4', 'p5', 'p6']);
    expect(next.find((p) => p.id === 'p2')).toMatchObject({ status: 'retired', retiredBy: 'priya' });
  });

  it('declined and retired ones do not count; a decline needs a reason, which is kept for the LXP', () => {
    expect(code(() => declinePriority(list, 'p6', { by: 'priya', at: AT, reason: '  ' }))![0]).toBe('invalid_input');
    const declined = declinePriority(list, 'p6', { by: 'priya', at: AT, reason: 'Outside what we can change' });
    expect(declined.find((p) => p.id === 'p6')).toMatchObject({ status: 'declined', reason: 'Outside what we can change' });
    expect(code(() => confirm(declined, 'p6'))![0]).toBe('already_done');
  });

  it('proposals: a title and a why, no twin of a live one, and at most ten waiting', () => {
    expect(code(() => proposePriority([], { id: 'x', title: ' ', why: 'w', by: 'sam', at: AT }))![0]).toBe('invalid_input');
    expect(code(() => proposePriority([], { id: 'x', title: 't', why: '', by: 'sam', at: AT }))![0]).toBe('invalid_input');
    expect(code(() => proposePriority(list, { id: 'x', title: 'PRIORITY 1 ', why: 'w', by: 'alex', at: AT }))![0]).toBe('already_done');
    // The same id again (a double press) changes nothing.
    expect(propose(list, 1)).toEqual(list);
    let waiting: ProgrammePriority[] = [];
    for (let n = 1; n <= MAX_OPEN_PROPOSALS; n++) waiting = propose(waiting, n);
    expect(code(() => propose(waiting, 99))![0]).toBe('limit_reached');
  });
});

describe('linking workstream priority areas', () => {
  const base = confirm(propose([], 1), 'p1', ['crisis-night', 'community-peer']);

  it('keeps the areas the team picked; an area no workstream has is refused as stale', () => {
    expect(base[0].areaIds).toEqual(['crisis-night', 'community-peer']);
    expect(code(() => linkAreas(base, 'p1', { areaIds: ['gone'], workstreams: W }))![0]).toBe('stale');
    expect(linkAreas(base, 'p1', { areaIds: ['community-housing'], workstreams: W })[0].areaIds).toEqual(['community-housing']);
  });

  it('an area a workstream removes later drops out of the programme priority', () => {
    const fewer = [ws('crisis', ['leaving']), W[1]];
    expect(areasOfPriority(base[0], fewer)).toEqual(['community-peer']);
  });

  it('the board reads a programme priority as its linked areas: a contribution belongs when one of its areas is linked', () => {
    let n = 0;
    const c = (workstreamId: string, areas: string[]): Contribution => ({
      id: `c${++n}`, tenantId: 't', type: 'contribution', workstreamId, meetingId: 'm', meetingTitle: 'M', meetingDate: '2026-03-03T10:00:00Z', lxpIds: ['sam'], words: `w${n}`,
      kind: 'suggestion', priorityAreaIds: areas, ownerId: 'o', dueAt: '', anonymous: false, restricted: false, status: 'awaiting_outcome', check: 'unchecked', recordedBy: 'chair',
      recordedAt: '', outcomes: [], answers: [], reminders: { count: 0 }, carriedInto: [], history: [],
    });
    const input: BoardInput = {
      contributions: [c('crisis', ['crisis-night']), c('crisis', ['crisis-leaving']), c('community', ['community-peer', 'community-housing']), c('community', [])],
      meetings: [], people: [{ id: 'sam', name: 'Sam' }], workstreams: W, timeZone: 'Europe/London', audience: 'programme',
    };
    const priorities = [{ id: 'p1', areaIds: areasOfPriority(base[0], W) }, { id: 'p2', areaIds: [] }];
    const ids = (programmePriorityId?: string) => buildBoard(input, withProgrammePriority({ programmePriorityId }, priorities)).entries.map((e) => e.id).sort();
    expect(ids('p1')).toEqual(['c1', 'c3']);
    // Linked to nothing yet: nothing belongs to it (not everything).
    expect(ids('p2')).toEqual([]);
    // Not (or no longer) a programme priority: no filter.
    expect(ids('retired')).toHaveLength(4);
  });

  it('`report` reads a programme priority by name as its linked areas, and says so when none is linked', () => {
    const now = new Date('2026-03-20T12:00:00Z');
    const f = parseReportFilter('programme priority crisis care that is there at night last quarter', W, now, 'Europe/London', [{ title: 'Crisis care that is there at night', areaIds: ['crisis-night', 'community-peer'] }]);
    expect(f).toMatchObject({ programmePriority: 'Crisis care that is there at night', areaIds: ['crisis-night', 'community-peer'] });
    expect(f.period?.label).toBe('Q4 2025 (October to December)');
    const both = parseReportFilter('community, crisis care that is there at night', W, now, 'Europe/London', [{ title: 'Crisis care that is there at night', areaIds: ['community-peer'] }]);
    expect(both).toMatchObject({ workstreams: [{ id: 'community' }], programmePriority: 'Crisis care that is there at night', areaIds: ['community-peer'] });
    expect(() => parseReportFilter('Belonging', W, now, 'Europe/London', [{ title: 'Belonging', areaIds: [] }])).toThrow(/No workstream priority area is linked/);
  });
});

describe('who may do what (policy.ts)', () => {
  const lxp: Actor = { id: 'sam', tenantId: 't', programme: false };
  const team: Actor = { id: 'priya', tenantId: 't', programme: true };
  const chair: Actor = { id: 'chair', tenantId: 't', programme: false };
  const programme = { type: 'programme' as const, lxpIds: ['sam'] };
  it.each([
    ['an LXP proposes', lxp, 'propose_programme_priority', true],
    ['the programme team does not propose for the LXPs', team, 'propose_programme_priority', false],
    ['a chair does not propose', chair, 'propose_programme_priority', false],
    ['the programme team confirms', team, 'confirm_programme_priority', true],
    ['an LXP does not confirm', lxp, 'confirm_programme_priority', false],
    ['the programme team sees who takes part', team, 'view_who_takes_part', true],
    ['a chair does not', chair, 'view_who_takes_part', false],
    ['an LXP does not', lxp, 'view_who_takes_part', false],
    ['an LXP answers the questions about them', lxp, 'answer_equality_questions', true],
    ['a chair is not asked them', chair, 'answer_equality_questions', false],
  ] as const)('%s', (_case, actor, action, allowed) => {
    expect(can(actor, action, programme)).toBe(allowed);
  });
  it('the board attendance rule: the programme team sees a meeting\'s attendance, a chair only their own', () => {
    const meeting = { type: 'meeting' as const, meeting: { id: 'm' } as never, workstream: W[0] };
    expect(can(team, 'view_attendance', meeting)).toBe(true);
    expect(can(chair, 'view_attendance', meeting)).toBe(false);
    expect(can(chair, 'view_attendance', { type: 'person', personId: 'chair' })).toBe(true);
  });
});

describe('forget me', () => {
  it('waiting proposals are taken back and confirmed ones lose the words, keeping the title the programme adopted', () => {
    let list = propose(propose([], 1), 2);
    list = proposePriority(list, { id: 'p3', title: 'Alex own', why: 'Alex why', by: 'alex', at: AT });
    list = confirm(list, 'p1');
    const after = forgetProposer(list, 'sam');
    expect(after.map((p) => [p.id, p.status, p.why])).toEqual([['p1', 'confirmed', ''], ['p3', 'proposed', 'Alex why']]);
  });
});
