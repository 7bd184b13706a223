import { checkAnswers, whoTakesPart, type EqualityRecord } from '../../src/domain/who-takes-part';
import type { Contribution, Outcome } from '../../src/domain/contribution';
import type { Meeting } from '../../src/domain/meeting';

const AT = '2026-03-10T12:00:00.000Z';
const record = (personId: string, answers: EqualityRecord['answers']): EqualityRecord => ({ id: `equality-${personId}`, tenantId: 't', type: 'equality', personId, answers, wordingVersion: 'v', answeredAt: AT, updatedAt: AT });
const outcome = (status: Outcome['status']): Outcome => ({ status, whatWeDid: 'x', decidedBy: 'o', decidedAt: AT });
const contribution = (id: string, lxpIds: string[], outcomes: Outcome[] = [], status: Contribution['status'] = 'awaiting_outcome') =>
  ({ id, lxpIds, outcomes, status }) as unknown as Contribution;
const meeting = (ids: string[]) => ({ attendance: Object.fromEntries(ids.map((id) => [id, { name: id, spans: [{ joinedAt: AT, leftAt: '2026-03-10T13:00:00.000Z' }] }])) }) as unknown as Meeting;

describe('who takes part', () => {
  const young = ['a1', 'a2', 'a3', 'a4', 'a5'];
  const older = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
  const records = [...young.map((id) => record(id, { age: '25_34', carer: 'yes' })), ...older.map((id) => record(id, { age: '45_54', carer: 'no' })), record('c1', { age: '65_plus' }), record('c2', { age: 'prefer_not' })];
  const lxpIds = new Set([...young, ...older, 'c1', 'c2', 'not-answered']);
  const result = whoTakesPart({
    records: [...records, record('chair-not-lxp', { age: '25_34' })],
    lxpIds,
    contributions: [
      contribution('x1', ['a1'], [outcome('adopted')]),
      contribution('x2', ['a1', 'b1'], [outcome('not_taken_forward')]),
      contribution('x3', ['b2'], [outcome('under_consideration'), outcome('partly_adopted')]),
      contribution('x4', ['b3'], [], 'withdrawn'),
    ],
    meetings: [meeting(['a1', 'a2', 'b1'])],
  });

  it('counts people, attendance, contributions and adoption per group; groups under five are hidden, and never a name', () => {
    const age = result.questions.find((q) => q.key === 'age')!;
    expect(age.groups.map((g) => [g.label, g.people, g.attended, g.contributed, g.decided, g.adopted])).toEqual([
      ['25 to 34', 5, 2, 1, 2, 1],
      ['45 to 54', 6, 1, 2, 2, 1],
    ]);
    expect(age.hidden).toBe(2);
    expect(JSON.stringify(result)).not.toMatch(/a1|b1|c1|chair-not-lxp/);
    expect(result).toMatchObject({ lxps: 14, answered: 13 });
  });

  it('a question nobody answered in groups of five shows no group', () => {
    expect(result.questions.find((q) => q.key === 'sex')).toMatchObject({ groups: [], hidden: 0 });
  });

  it('answers the card did not offer are refused; blank ones are not answered', () => {
    expect(checkAnswers({ age: '25_34', sex: '', carer: undefined })).toEqual({ age: '25_34' });
    expect(() => checkAnswers({ age: '99' })).toThrow(/not one the card offers/);
  });
});
