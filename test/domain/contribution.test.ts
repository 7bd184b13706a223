import { transition, recordContribution, type Contribution, type ContributionEvent, type Status, MAX_WORDS_LENGTH } from '../../src/domain/contribution';
import { DomainError } from '../../src/domain/errors';

const at = new Date('2026-03-09T10:00:00Z');
const base = (): Contribution =>
  recordContribution({ id: 'c1', tenantId: 't', workstreamId: 'w', meetingId: 'm', meetingTitle: 'M', meetingDate: at.toISOString(), lxpIds: ['sam'], words: 'More peer support at night', kind: 'suggestion', priorityAreaIds: [], ownerId: 'chris', dueAt: at.toISOString(), anonymous: false, restricted: false }, 'chris', at);
const inState = (status: Status): Contribution => ({ ...base(), status, outcomes: [{ status: 'adopted', whatWeDid: 'x', decidedBy: 'chris', decidedAt: at.toISOString() }] });

const outcome = (status: 'adopted' | 'under_consideration') => ({ type: 'record_outcome', outcome: { status, whatWeDid: 'We funded it', decidedBy: 'chris', decidedAt: at.toISOString(), newDueAt: '2026-04-01T10:00:00Z' }, followUpAfterDue: '2026-04-01T10:00:00Z' }) as ContributionEvent;

const EVENTS: Record<string, ContributionEvent> = {
  confirm: { type: 'confirm' },
  withdraw: { type: 'withdraw' },
  remind: { type: 'remind' },
  become_overdue: { type: 'become_overdue' },
  escalate: { type: 'escalate' },
  record_outcome: outcome('adopted'),
  feed_back: { type: 'feed_back' },
  respond: { type: 'respond', answer: 'helpful' },
};

const S: Status[] = ['awaiting_outcome', 'overdue', 'escalated', 'outcome_recorded', 'fed_back', 'closed', 'withdrawn'];
// Expected resulting state for each (event, state); '-' means refused.
const EXPECTED: Record<string, (Status | '-')[]> = {
  //                awaiting            overdue    escalated  outcome_rec  fed_back  closed    withdrawn
  confirm:        ['awaiting_outcome', 'overdue', 'escalated', 'outcome_recorded', 'fed_back', 'closed', '-'],
  withdraw:       ['withdrawn', 'withdrawn', 'withdrawn', 'withdrawn', 'withdrawn', 'withdrawn', '-'],
  remind:         ['awaiting_outcome', 'overdue', 'escalated', '-', '-', '-', '-'],
  become_overdue: ['overdue', '-', '-', '-', '-', '-', '-'],
  escalate:       ['-', 'escalated', '-', '-', '-', '-', '-'],
  record_outcome: ['outcome_recorded', 'outcome_recorded', 'outcome_recorded', '-', '-', '-', '-'],
  feed_back:      ['awaiting_outcome', '-', '-', 'fed_back', '-', '-', '-'],
  respond:        ['awaiting_outcome', '-', '-', '-', 'closed', 'closed', '-'],
};

describe('the contribution lifecycle', () => {
  const cases = Object.entries(EXPECTED).flatMap(([event, row]) => row.map((expected, i) => [event, S[i], expected] as const));
  it.each(cases)('%s in %s → %s', (event, from, expected) => {
    const c = inState(from);
    if (expected === '-') {
      expect(() => transition(c, EVENTS[event], 'someone', at)).toThrow(DomainError);
      return;
    }
    const next = transition(c, EVENTS[event], 'someone', at);
    expect(next.status).toBe(expected);
    expect(next.history.at(-1)).toMatchObject({ event, from, to: expected, by: 'someone' });
    expect(c.status).toBe(from); // never mutates its input
  });

  it('withdrawing erases the words and keeps only the fact', () => {
    const next = transition(base(), { type: 'withdraw' }, 'sam', at);
    expect(next.words).toBe('');
    expect(JSON.stringify(next)).not.toContain('peer support');
    expect(next.history.map((h) => h.event)).toEqual(['record', 'withdraw']);
  });

  it('a correction replaces the words; "still under consideration" reopens with the new date', () => {
    expect(transition(base(), { type: 'correct', words: 'Peer support overnight' }, 'sam', at).words).toBe('Peer support overnight');
    const next = transition(base(), outcome('under_consideration'), 'chris', at);
    expect(next.status).toBe('awaiting_outcome');
    expect(next.dueAt).toBe('2026-04-01T10:00:00Z');
  });

  it('refuses empty or over-long words when recording', () => {
    expect(() => recordContribution({ ...base(), words: '   ' }, 'chris', at)).toThrow(/Write down what was said/);
    expect(() => recordContribution({ ...base(), words: 'x'.repeat(MAX_WORDS_LENGTH + 1) }, 'chris', at)).toThrow(/the most a contribution can hold is 2000/);
  });
});
