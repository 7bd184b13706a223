import { recordContribution, transition, type Contribution } from '../../src/domain/contribution';
import { FORGOTTEN_NAME, NAME_REMOVED, mentions, scrub, tracesOf } from '../../src/domain/forget';

const at = new Date('2026-03-09T10:00:00Z');
const said = (lxpIds: string[], words: string, overrides: Partial<Contribution> = {}): Contribution => ({
  ...recordContribution({ id: 'c1', tenantId: 't', workstreamId: 'w', meetingId: 'm', meetingTitle: 'Catch-up with Sam Okafor', meetingDate: at.toISOString(), lxpIds, words, kind: 'suggestion', priorityAreaIds: [], ownerId: 'chris', dueAt: at.toISOString(), anonymous: false, restricted: true }, 'chris', at),
  ...overrides,
});
const forget = (c: Contribution, personId: string, newOwnerId?: string) =>
  transition(c, { type: 'forget', personId, placeholder: 'forgotten-1', name: 'Sam Okafor', newOwnerId }, 'forgotten-1', at);

describe('forget me, in one contribution', () => {
  it('what they said: words erased, anonymous, their id replaced everywhere, still counted as one LXP contribution', () => {
    const answered = transition(transition(said(['sam'], 'More peer support at night'), { type: 'confirm' }, 'sam', at), { type: 'anonymise' }, 'sam', at);
    const next = forget(answered, 'sam');
    expect(next).toMatchObject({ words: '', anonymous: true, lxpIds: ['forgotten-1'], status: 'awaiting_outcome', restricted: true, meetingTitle: `Catch-up with ${NAME_REMOVED}` });
    expect(JSON.stringify(next)).not.toContain('sam');
    expect(next.history.map((h) => h.by)).toEqual(['chris', 'forgotten-1', 'forgotten-1', 'forgotten-1']);
  });

  it('what someone else said: their words stay; the forgotten owner is replaced by the chair who takes it on', () => {
    const next = forget(said(['alex'], 'Sam Okafor was right about the letters', { ownerId: 'sam' }), 'sam', 'chris');
    expect(next).toMatchObject({ words: `${NAME_REMOVED} was right about the letters`, lxpIds: ['alex'], ownerId: 'chris', anonymous: false });
  });

  it('a withdrawn contribution can still be forgotten', () => {
    const withdrawn = transition(said(['sam'], 'x'.repeat(20)), { type: 'withdraw' }, 'sam', at);
    expect(forget(withdrawn, 'sam')).toMatchObject({ status: 'withdrawn', lxpIds: ['forgotten-1'] });
  });
});

describe('finding and scrubbing a person in any document', () => {
  const who = tracesOf(['aad-sam', '29:1-sam'], 'Sam Okafor', ['More peer support at night', 'short']);

  it('matches ids anywhere (inside other ids too), the name, and their words as JSON holds them', () => {
    expect(mentions({ id: 'lxp_check:aad-sam:m1' }, who)).toBe(true);
    expect(mentions({ attendance: { 'aad-sam': { spans: [] } } }, who)).toBe(true);
    expect(mentions({ text: 'I agree with Sam Okafor' }, who)).toBe(true);
    expect(mentions({ payload: { words: 'More peer support at night' } }, who)).toBe(true);
    expect(mentions({ words: 'short' }, who)).toBe(false); // too short to be told from anyone else's words
    expect(mentions({ id: 'aad-samantha-other' }, tracesOf(['aad-sam2']))).toBe(false);
  });

  it('replaces ids (values and keys) with the placeholder, the name with "[name removed]", and cuts their words out', () => {
    const out = scrub({ chairId: 'aad-sam', attendance: { 'aad-sam': { name: 'Sam Okafor' } }, ref: 'a:1-aad-sam', note: 'From Sam Okafor: More peer support at night' }, who, 'forgotten-9');
    expect(out).toEqual({ chairId: 'forgotten-9', attendance: { 'forgotten-9': { name: NAME_REMOVED } }, ref: 'a:1-forgotten-9', note: `From ${NAME_REMOVED}: ` });
  });

  it('never treats the tombstone name as someone to find', () => {
    expect(tracesOf(['x'], FORGOTTEN_NAME).name).toBeUndefined();
  });
});
