import { transition, type Contribution } from '../../src/domain/contribution';
import { countsOf } from '../../src/domain/report';
import { buildContribution } from '../support/outcome-fixtures';

/** Answers in the LXP's own words and the owner's one reply, through the one state machine. */
const at = (min: number) => new Date(Date.parse('2026-03-20T10:00:00Z') + min * 60_000);
const fedBack = (): Contribution =>
  transition(
    transition(buildContribution({ id: 'c1', lxpIds: ['sam'], ownerId: 'chris' }), { type: 'record_outcome', outcome: { status: 'adopted', whatWeDid: 'Done', decidedBy: 'chris', decidedAt: at(0).toISOString() }, followUpAfterDue: at(0).toISOString() }, 'chris', at(0)),
    { type: 'feed_back' },
    'golden-thread',
    at(1),
  );

describe('answers in their own words', () => {
  const answered = transition(fedBack(), { type: 'respond', answer: 'disagree_decision', words: 'Nobody answers at night' }, 'sam', at(2));

  it('keeps the words with the answer, closes as any answer does, and counts the answer, the words and a reply', () => {
    expect(answered.status).toBe('closed');
    expect(answered.answers).toEqual([{ by: 'sam', answer: 'disagree_decision', at: at(2).toISOString(), words: 'Nobody answers at night' }]);
    const replied = transition(answered, { type: 'reply', answeredAt: at(2).toISOString(), words: 'Cover starts in June' }, 'chris', at(3));
    expect(replied.status).toBe('closed');
    expect(replied.answers[0].reply).toEqual({ by: 'chris', words: 'Cover starts in June', at: at(3).toISOString() });
    expect(replied.history.at(-1)).toMatchObject({ event: 'reply', by: 'chris', from: 'closed', to: 'closed' });
    const counts = countsOf(replied, 'Europe/London');
    expect([counts['answer:disagree_decision'], counts['answer:words'], counts['answer:replied']]).toEqual([1, 1, 1]);
  });

  it('replies once, and only to an answer that had words', () => {
    const replied = transition(answered, { type: 'reply', answeredAt: at(2).toISOString(), words: 'Once' }, 'chris', at(3));
    expect(() => transition(replied, { type: 'reply', answeredAt: at(2).toISOString(), words: 'Twice' }, 'chris', at(4))).toThrow('already replied');
    const plain = transition(fedBack(), { type: 'respond', answer: 'helpful' }, 'sam', at(2));
    expect(() => transition(plain, { type: 'reply', answeredAt: at(2).toISOString(), words: 'Hello' }, 'chris', at(3))).toThrow('did not write anything');
  });

  it('forget me erases the LXP\'s words and the reply to them, keeping that they answered', () => {
    const replied = transition(answered, { type: 'reply', answeredAt: at(2).toISOString(), words: 'Cover starts in June' }, 'chris', at(3));
    const forgotten = transition(replied, { type: 'forget', personId: 'sam', placeholder: 'forgotten-1' }, 'forgotten-1', at(4));
    expect(forgotten.answers).toHaveLength(1);
    expect(forgotten.answers[0].words).toBeUndefined();
    expect(forgotten.answers[0].reply?.words).toBe('');
    expect(JSON.stringify(forgotten)).not.toMatch(/Nobody answers|June/);
  });
});
