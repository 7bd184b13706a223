import { can, type Action, type Actor, type Resource } from '../../src/domain/policy';
import type { Workstream } from '../../src/domain/workstream';
import type { Contribution } from '../../src/domain/contribution';
import type { Meeting } from '../../src/domain/meeting';

const T = 'tenant-1';
const ws = (id: string, chair: string, lxps: string[], staff: string[] = []): Workstream => ({
  id, tenantId: T, type: 'workstream', name: id, chairIds: [chair], lxpIds: lxps, staffIds: staff, priorityAreas: [], chatIds: [], createdAt: '', updatedAt: '',
});
const A = ws('A', 'chairA', ['lxp1', 'lxp2'], ['staffA']);
const B = ws('B', 'chairB', ['lxp3']);
const meetingA: Meeting = { id: 'm1', tenantId: T, type: 'meeting', conversationId: 'chat', workstreamId: 'A', title: 'M', organiserId: 'organiser', attendance: {}, createdAt: '' };
const contribution = (over: Partial<Contribution> = {}): Contribution => ({
  id: 'c1', tenantId: T, type: 'contribution', workstreamId: 'A', meetingId: 'm1', meetingTitle: 'M', meetingDate: '', lxpIds: ['lxp1'], words: 'w', kind: 'suggestion',
  priorityAreaIds: [], ownerId: 'staffA', dueAt: '', anonymous: false, restricted: false, status: 'awaiting_outcome', check: 'unchecked', recordedBy: 'chairA',
  recordedAt: '', outcomes: [], answers: [], reminders: { count: 0 }, carriedInto: [], history: [], ...over,
});

const actors: Record<string, Actor> = {
  programme: { id: 'prog', tenantId: T, programme: true },
  chairA: { id: 'chairA', tenantId: T, programme: false },
  chairB: { id: 'chairB', tenantId: T, programme: false },
  staffA: { id: 'staffA', tenantId: T, programme: false },
  lxp1: { id: 'lxp1', tenantId: T, programme: false },
  lxp2: { id: 'lxp2', tenantId: T, programme: false },
  organiser: { id: 'organiser', tenantId: T, programme: false },
  outsider: { id: 'outsider', tenantId: T, programme: false },
  otherTenantProgramme: { id: 'prog', tenantId: 'tenant-2', programme: true },
};

type Row = [string, Action, Resource, string[]];
const wsA: Resource = { type: 'workstream', workstream: A };
const wsB: Resource = { type: 'workstream', workstream: B };
const mtgA: Resource = { type: 'meeting', meeting: meetingA, workstream: A };
const cA: Resource = { type: 'contribution', contribution: contribution(), workstream: A };
const restricted: Resource = { type: 'contribution', contribution: contribution({ restricted: true }), workstream: A };

/** Every action, with exactly the actors allowed; everyone else in `actors` must be refused. */
const TABLE: Row[] = [
  ['manage the programme team', 'manage_programme_team', { type: 'programme' }, ['programme']],
  ['create a workstream', 'create_workstream', { type: 'programme' }, ['programme']],
  ['edit workstream A', 'edit_workstream', wsA, ['programme', 'chairA']],
  ['edit workstream B (a chair of A cannot)', 'edit_workstream', wsB, ['programme', 'chairB']],
  ['edit priority areas of A', 'edit_priority_areas', wsA, ['programme', 'chairA', 'lxp1', 'lxp2']],
  ['link a meeting to A', 'link_meeting', mtgA, ['programme', 'chairA', 'organiser']],
  ['state the aim', 'state_aim', mtgA, ['programme', 'chairA']],
  ['log a contribution in A', 'log_contribution', mtgA, ['programme', 'chairA']],
  ['confirm minutes', 'confirm_minutes', mtgA, ['programme', 'chairA']],
  ['carry forward', 'carry_forward', mtgA, ['programme', 'chairA']],
  ['check a contribution (only the LXP who said it)', 'check_contribution', cA, ['lxp1']],
  ['answer "you said, we did"', 'answer_feedback', cA, ['lxp1']],
  ['record an outcome', 'record_outcome', cA, ['programme', 'chairA', 'staffA']],
  ["change lxp1's preferences (not another LXP)", 'edit_preferences', { type: 'person', personId: 'lxp1' }, ['lxp1']],
  ["see lxp1's data", 'view_person_data', { type: 'person', personId: 'lxp1' }, ['lxp1']],
  ['programme report', 'view_report', { type: 'programme' }, ['programme']],
  ['report on A', 'view_report', wsA, ['programme', 'chairA']],
  ['report on B', 'view_report', wsB, ['programme', 'chairB']],
  ['programme overdue list', 'view_overdue', { type: 'programme' }, ['programme']],
  ['overdue item', 'view_overdue', cA, ['programme', 'chairA', 'staffA']],
  ['export', 'export', { type: 'programme' }, ['programme']],
  ['audit', 'view_audit', { type: 'programme' }, ['programme']],
  ["lxp1's attendance", 'view_attendance', { type: 'person', personId: 'lxp1' }, ['programme', 'lxp1']],
  ['read a restricted story', 'read_restricted', restricted, ['programme', 'lxp1']],
  ["the programme's board", 'view_board', { type: 'programme' }, ['programme']],
  ['a contribution on the board (its LXP, its chair)', 'view_board', cA, ['programme', 'chairA', 'lxp1']],
  ['publish the board', 'publish_board', { type: 'programme' }, ['programme']],
];

describe('who may do what', () => {
  const cases = TABLE.flatMap(([what, action, resource, allowed]) =>
    Object.keys(actors).map((who) => [what, who, action, resource, allowed.includes(who) && who !== 'otherTenantProgramme'] as const),
  );
  it.each(cases)('%s: %s → allowed %#', (_what, who, action, resource, expected) => {
    // A programme member of another tenant is refused wherever a workstream is involved.
    const actor = actors[who];
    const result = can(actor, action, resource);
    if (who === 'otherTenantProgramme') {
      const hasWorkstream = 'workstream' in resource && !!resource.workstream;
      if (hasWorkstream) expect(result).toBe(false);
      return;
    }
    expect(result).toBe(expected);
  });

  // logContribution checks a chair's own rights before reading the programme team (src/commands/contributions.ts):
  // that is only sound while joining the programme team never takes a permission away.
  it.each(TABLE.map(([what, action, resource]) => [what, action, resource] as const))('joining the programme team takes nothing away: %s', (_what, action, resource) => {
    for (const actor of Object.values(actors)) {
      if (can({ ...actor, programme: false }, action, resource)) expect(can({ ...actor, programme: true }, action, resource)).toBe(true);
    }
  });

  it('covers every action', () => {
    const all: Action[] = ['manage_programme_team', 'create_workstream', 'edit_workstream', 'edit_priority_areas', 'link_meeting', 'state_aim', 'log_contribution', 'confirm_minutes', 'check_contribution', 'record_outcome', 'answer_feedback', 'carry_forward', 'edit_preferences', 'view_person_data', 'view_report', 'view_overdue', 'export', 'view_audit', 'view_attendance', 'read_restricted', 'view_board', 'publish_board'];
    expect(new Set(TABLE.map((r) => r[1]))).toEqual(new Set(all));
  });
});
