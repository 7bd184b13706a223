import type { LogInput } from '../../src/commands/contributions';
import { ANSWER_LABEL, transition } from '../../src/domain/contribution';
import { DomainError } from '../../src/domain/errors';
import { can } from '../../src/domain/policy';
import {
  agendaFor,
  answerCounts,
  checkMayProposeContribution,
  checkMayTake,
  logInputForAgendaItem,
  logInputForProposal,
  proposalIdFor,
  proposeAgendaItem,
  proposeContribution,
  toCarryAfter,
  transitionAgenda,
  transitionProposal,
  type AgendaEvent,
  type AgendaProposal,
  type AgendaStatus,
  type ContributionProposal,
  type ProposalEvent,
  type ProposalStatus,
} from '../../src/domain/proposals';
import type { Workstream } from '../../src/domain/workstream';
import { buildMeeting } from '../support/lxp-fixtures';
import { agendaNotesCard, meetingAgenda } from '../../src/presenters/proposals';
import { buildContribution } from '../support/outcome-fixtures';

const TZ = 'Europe/London';
const GRACE = { days: 7 };
const at = new Date('2026-03-10T12:00:00Z');
const WS: Workstream = {
  id: 'ws1', tenantId: 'tenant-1', type: 'workstream', name: 'Crisis care', chairIds: ['chris'], staffIds: ['dana'], lxpIds: ['sam', 'alex'],
  priorityAreas: [{ id: 'a1', name: 'Night support', proposedBy: 'sam' }], chatIds: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const meeting = buildMeeting();

const refused = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('my own contribution', () => {
  const propose = (over: Partial<Parameters<typeof proposeContribution>[0]> = {}) =>
    proposeContribution({ submissionId: 's1', tenantId: 'tenant-1', lxpId: 'sam', words: '  Nobody asked about carers at night  ', kind: 'suggestion', priorityAreaIds: ['a1'], attribution: 'as_chosen', restriction: 'as_kind', ...over }, meeting, WS, at);

  it('may be added by an LXP of the workstream who attended, after the meeting, within LOG_GRACE', () => {
    expect(checkMayProposeContribution(meeting, WS, 'sam', at, GRACE, TZ)).toBe(WS);
    const p = propose();
    expect(p).toMatchObject({ id: proposalIdFor('s1'), status: 'pending', words: 'Nobody asked about carers at night', meetingId: 'm1', workstreamId: 'ws1', lxpId: 'sam' });
    expect(propose().id).toBe(p.id);
  });

  it('is refused to an LXP who was not in the meeting', () => {
    const e = refused(() => checkMayProposeContribution(meeting, WS, 'alex', at, GRACE, TZ));
    expect(e.code).toBe('not_allowed');
    expect(e.message).toMatch(/no record of you at "Crisis pathway review"/);
  });

  it('counts attendance the chair confirmed, and refuses a join the chair said was wrong', () => {
    const confirmed = buildMeeting({ attendance: { alex: { name: 'Alex', spans: [], confirmed: { present: true, by: 'chris', at: at.toISOString() } } } });
    expect(() => checkMayProposeContribution(confirmed, WS, 'alex', at, GRACE, TZ)).not.toThrow();
    const overridden = buildMeeting({ attendance: { alex: { name: 'Alex', spans: [{ joinedAt: meeting.startedAt! }], confirmed: { present: false, by: 'chris', at: at.toISOString() } } } });
    expect(refused(() => checkMayProposeContribution(overridden, WS, 'alex', at, GRACE, TZ)).code).toBe('not_allowed');
  });

  it('is refused to someone who is not an LXP of the workstream, before the end, and after LOG_GRACE', () => {
    const staffThere = buildMeeting({ attendance: { dana: { name: 'Dana', spans: [{ joinedAt: meeting.startedAt! }] } } });
    expect(refused(() => checkMayProposeContribution(staffThere, WS, 'dana', at, GRACE, TZ)).message).toMatch(/Only the LXPs of Crisis care/);
    expect(refused(() => checkMayProposeContribution(buildMeeting({ endedAt: undefined }), WS, 'sam', at, GRACE, TZ)).message).toMatch(/once it has ended/);
    expect(checkMayProposeContribution(meeting, WS, 'sam', new Date('2026-03-16T11:30:00Z'), GRACE, TZ)).toBe(WS);
    expect(refused(() => checkMayProposeContribution(meeting, WS, 'sam', new Date('2026-03-16T11:31:00Z'), GRACE, TZ)).code).toBe('too_late');
    expect(refused(() => checkMayProposeContribution(buildMeeting({ workstreamId: undefined }), undefined, 'sam', at, GRACE, TZ)).code).toBe('not_found');
  });

  it('needs words, a kind an LXP can choose and areas that exist', () => {
    expect(() => propose({ words: '   ' })).toThrow(/in your own words/);
    expect(() => propose({ words: 'x'.repeat(2001) })).toThrow(/keep it to 2000/);
    expect(() => propose({ kind: 'led_agenda_item' })).toThrow(/what kind/);
    expect(() => propose({ priorityAreaIds: ['gone'] })).toThrow(/no longer exists/);
  });

  const EVENTS: Record<ProposalEvent['type'], ProposalEvent> = {
    accept: { type: 'accept', contributionId: 'c-1' },
    decline: { type: 'decline', reason: 'It was recorded as Alex\'s point' },
    withdraw: { type: 'withdraw' },
    forget: { type: 'forget', personId: 'sam', placeholder: 'forgotten-1' },
    claim: { type: 'claim', contributionId: 'c-1' },
  };
  const S: ProposalStatus[] = ['pending', 'accepted', 'declined', 'withdrawn'];
  const EXPECTED: Record<ProposalEvent['type'], (ProposalStatus | '-')[]> = {
    //        pending      accepted    declined    withdrawn
    accept:  ['accepted',  '-',        '-',        '-'],
    decline: ['declined',  '-',        '-',        '-'],
    withdraw:['withdrawn', '-',        '-',        '-'],
    forget:  ['withdrawn', 'accepted', 'declined', 'withdrawn'],
    claim:   ['pending',   '-',        '-',        '-'],
  };
  const cases = Object.entries(EXPECTED).flatMap(([e, row]) => row.map((x, i) => [e as ProposalEvent['type'], S[i], x] as const));
  it.each(cases)('%s in %s → %s', (event, from, expected) => {
    const p: ContributionProposal = { ...propose(), status: from };
    if (expected === '-') {
      expect(refused(() => transitionProposal(p, EVENTS[event], 'chris', at)).message).not.toMatch(/undefined/);
      return;
    }
    const next = transitionProposal(p, EVENTS[event], 'chris', at);
    expect(next.status).toBe(expected);
    expect(next.history.at(-1)).toMatchObject({ event, from, to: expected });
  });

  it('once an accept has claimed it, a decline or a withdrawal is refused; the same claim again is not', () => {
    const claimed = transitionProposal(propose(), EVENTS.claim, 'chris', at);
    expect(claimed).toMatchObject({ status: 'pending', claim: { by: 'chris', contributionId: 'c-1' } });
    expect(refused(() => transitionProposal(claimed, EVENTS.decline, 'dana', at)).message).toMatch(/being added to the record/);
    expect(refused(() => transitionProposal(claimed, EVENTS.withdraw, 'sam', at)).code).toBe('already_done');
    expect(transitionProposal(claimed, EVENTS.claim, 'dana', at).claim?.contributionId).toBe('c-1');
    expect(transitionProposal(claimed, EVENTS.accept, 'chris', at).status).toBe('accepted');
  });

  it('forgotten while with the chair: withdrawn, words erased, out of the queue', () => {
    const gone = transitionProposal(propose(), EVENTS.forget, 'sam', at);
    expect(gone).toMatchObject({ status: 'withdrawn', words: '', lxpId: 'forgotten-1' });
  });

  it('declined, carries the reason the LXP sees; accepted, the contribution it became', () => {
    expect(transitionProposal(propose(), EVENTS.decline, 'chris', at)).toMatchObject({ reason: "It was recorded as Alex's point", decidedBy: 'chris', decidedAt: at.toISOString() });
    expect(() => transitionProposal(propose(), { type: 'decline', reason: ' ' }, 'chris', at)).toThrow(/the LXP sees it/);
    expect(transitionProposal(propose(), EVENTS.accept, 'chris', at)).toMatchObject({ contributionId: 'c-1', decidedBy: 'chris' });
  });

  it('accepted, becomes the log command\'s input, marked as added by the LXP, logged once', () => {
    const p = propose();
    const input = logInputForProposal(p, { ownerId: 'dana', dueDate: '2026-04-01' });
    const asLogged: LogInput = input; // the log command takes it as it is
    expect(asLogged).toMatchObject({ submissionId: `proposal:${p.id}`, meetingId: 'm1', lxpIds: ['sam'], words: p.words, kind: 'suggestion', priorityAreaIds: ['a1'], ownerId: 'dana', dueDate: '2026-04-01', attribution: 'as_chosen', restriction: 'as_kind' });
    expect(input).toMatchObject({ addedBy: 'lxp', proposalId: p.id });
    expect(logInputForProposal(p, {}).submissionId).toBe(input.submissionId);
    expect(logInputForProposal(p, {}).ownerId).toBeUndefined();
    expect(() => logInputForProposal({ ...p, status: 'accepted' }, {})).toThrow(/already been added/);
  });

  it('withdrawn or forgotten, keeps no words', () => {
    expect(transitionProposal(propose(), EVENTS.withdraw, 'sam', at).words).toBe('');
    const gone = transitionProposal(transitionProposal(propose(), EVENTS.decline, 'chris', at), EVENTS.forget, 'sam', at);
    expect(JSON.stringify(gone)).not.toMatch(/"sam"|carers/);
    expect(gone.reason).toBe("It was recorded as Alex's point");
  });
});

describe('agenda items', () => {
  const item = (submissionId = 'g1', over: Partial<Parameters<typeof proposeAgendaItem>[0]> = {}, open: AgendaProposal[] = []) =>
    proposeAgendaItem({ submissionId, tenantId: 'tenant-1', lxpId: 'sam', title: ' Peer support on the ward ', note: '10 minutes', ...over }, WS, open, at);

  it('may be proposed by an LXP of the workstream, not by staff', () => {
    expect(item()).toMatchObject({ status: 'proposed', title: 'Peer support on the ward', workstreamId: 'ws1', carriedPast: [] });
    expect(refused(() => item('g2', { lxpId: 'dana' })).message).toMatch(/Only the LXPs of Crisis care/);
    expect(() => item('g2', { title: '' })).toThrow(/what the agenda item is/);
  });

  it('keeps at most three waiting per LXP and workstream; the same card again is not a fourth', () => {
    const three = [item('g1'), item('g2'), item('g3')];
    expect(refused(() => item('g4', {}, three)).code).toBe('limit_reached');
    expect(item('g3', {}, three).id).toBe(three[2].id);
    expect(() => item('g4', {}, [...three.slice(0, 2), { ...three[2], status: 'taken' }])).not.toThrow();
  });

  const EVENTS: Record<AgendaEvent['type'], AgendaEvent> = {
    take: { type: 'take', meetingId: 'm1', contributionId: 'c-9' },
    carry: { type: 'carry', meetingId: 'm1' },
    withdraw: { type: 'withdraw' },
    forget: { type: 'forget', personId: 'sam', placeholder: 'forgotten-1' },
  };
  const S: AgendaStatus[] = ['proposed', 'taken', 'withdrawn'];
  const EXPECTED: Record<AgendaEvent['type'], (AgendaStatus | '-')[]> = {
    //         proposed     taken    withdrawn
    take:     ['taken',     '-',     '-'],
    carry:    ['proposed',  '-',     '-'],
    withdraw: ['withdrawn', '-',     '-'],
    forget:   ['withdrawn', 'taken', 'withdrawn'],
  };
  const cases = Object.entries(EXPECTED).flatMap(([e, row]) => row.map((x, i) => [e as AgendaEvent['type'], S[i], x] as const));
  it.each(cases)('%s in %s → %s', (event, from, expected) => {
    const p: AgendaProposal = { ...item(), status: from };
    if (expected === '-') {
      expect(() => transitionAgenda(p, EVENTS[event], 'chris', at)).toThrow(DomainError);
      return;
    }
    expect(transitionAgenda(p, EVENTS[event], 'chris', at)).toMatchObject({ status: expected });
  });

  it('are shown at the start of the next meeting of their workstream, longest waiting first', () => {
    const older = { ...item('g1'), proposedAt: '2026-03-01T00:00:00.000Z' };
    const other = { ...item('g2'), workstreamId: 'ws2' };
    const taken = { ...item('g3'), status: 'taken' as const };
    const newer = item('g4');
    expect(agendaFor([newer, other, taken, older], meeting).map((p) => p.id)).toEqual([older.id, newer.id]);
  });

  it('taken, record "led an agenda item" for that LXP in that meeting, once', () => {
    const p = item();
    checkMayTake(p, meeting, WS);
    const input = logInputForAgendaItem(p, meeting, 'chris');
    const asLogged: LogInput = input;
    expect(asLogged).toMatchObject({ submissionId: `agenda:${p.id}`, meetingId: 'm1', lxpIds: ['sam'], kind: 'led_agenda_item', words: 'Peer support on the ward', ownerId: 'chris' });
    const done = transitionAgenda(p, EVENTS.take, 'chris', at);
    expect(done.taken).toEqual({ meetingId: 'm1', by: 'chris', at: at.toISOString(), contributionId: 'c-9' });
    expect(() => logInputForAgendaItem(done, meeting)).toThrow(/already been taken/);
  });

  it('cannot be taken in another workstream\'s meeting, or once the LXP has left it', () => {
    expect(() => checkMayTake(item(), buildMeeting({ workstreamId: 'ws2' }), { ...WS, id: 'ws2' })).toThrow(/another workstream/);
    expect(() => checkMayTake(item(), meeting, { ...WS, lxpIds: ['alex'] })).toThrow(/no longer in Crisis care/);
  });

  it('not taken, are carried to the next meeting once per meeting (the LXP is told each time)', () => {
    const before = { ...item('g1'), proposedAt: '2026-03-01T00:00:00.000Z' };
    const during = { ...item('g2'), proposedAt: '2026-03-09T11:29:00.000Z' };
    const after = { ...item('g3'), proposedAt: '2026-03-09T11:31:00.000Z' };
    expect(toCarryAfter([before, during, after], meeting).map((p) => p.id)).toEqual([before.id, during.id]);
    const carried = transitionAgenda(before, EVENTS.carry, 'scheduler', at);
    expect(carried.carriedPast).toEqual(['m1']);
    expect(toCarryAfter([carried], meeting)).toEqual([]);
    expect(() => transitionAgenda(carried, EVENTS.carry, 'scheduler', at)).toThrow(/already been carried/);
    expect(toCarryAfter([before], buildMeeting({ endedAt: undefined }))).toEqual([]);
  });

  it('withdrawn or forgotten, keep no title', () => {
    expect(transitionAgenda(item(), EVENTS.withdraw, 'sam', at)).toMatchObject({ title: '', note: '' });
    const gone = transitionAgenda(transitionAgenda(item(), EVENTS.take, 'chris', at), EVENTS.forget, 'sam', at);
    expect(JSON.stringify(gone)).not.toMatch(/"sam"|Peer support/);
    expect(gone.taken?.by).toBe('chris');
  });

  it('on the meeting card the chat sees: no note, and "an LXP" for someone who asked to be anonymous; the note reaches the chair', () => {
    const mine = item();
    const theirs = item('g2', { lxpId: 'alex', title: 'Night buses' });
    const names = (id: string) => ({ sam: 'Sam Okafor', alex: 'Alex Moss' })[id] ?? id;
    const shared = meetingAgenda('m1', [mine, theirs], [], names, new Set(['sam']));
    expect(shared.agenda.map((a) => a.take)).toEqual(['Take: led by an LXP', 'Take: led by Alex Moss']);
    expect(JSON.stringify(shared)).not.toMatch(/10 minutes|Sam Okafor/);
    const notes = JSON.stringify(agendaNotesCard(buildMeeting(), [mine, theirs], names, new Set(['sam'])));
    expect(notes).toContain('10 minutes');
    expect(notes).toContain('An LXP');
    expect(notes).not.toContain('Sam Okafor');
  });
});

describe('answers in their own words', () => {
  const sent = buildContribution({ status: 'fed_back', outcomes: [{ status: 'not_taken_forward', whatWeDid: 'No budget', reason: 'No budget this year', decidedBy: 'chris', decidedAt: at.toISOString(), fedBackAt: at.toISOString() }] });

  const answered = (words?: string) => transition(sent, { type: 'respond', answer: 'disagree_decision', ...(words ? { words } : {}) }, 'sam', at);

  it('offer a fourth answer, "I disagree with the decision", kept with the LXP\'s words', () => {
    expect(ANSWER_LABEL.disagree_decision).toBe('I disagree with the decision');
    expect(answered('There was money for the pilot').answers).toEqual([{ by: 'sam', answer: 'disagree_decision', at: at.toISOString(), words: 'There was money for the pilot' }]);
    expect(answered().answers[0]).not.toHaveProperty('words');
  });

  it('get one reply from the owner, kept on the answer; none to an answer without words', () => {
    const reply = { type: 'reply' as const, answeredAt: at.toISOString(), words: 'The pilot money was for the ward; I will ask again in May.' };
    const replied = transition(answered('There was money for the pilot'), reply, 'chris', at);
    expect(replied.answers[0].reply).toEqual({ by: 'chris', words: reply.words, at: at.toISOString() });
    expect(refused(() => transition(replied, { ...reply, words: 'And another thing' }, 'chris', at)).code).toBe('already_done');
    expect(() => transition(answered(), reply, 'chris', at)).toThrow(/did not write anything/);
    const owner = (id: string) => can({ id, tenantId: 'tenant-1', programme: false }, 'reply_to_answer', { type: 'contribution', contribution: sent });
    expect([owner('chris'), owner('dana'), owner('sam')]).toEqual([true, false, false]);
  });

  it('reach the owner and the programme team; a restricted story\'s words reach only the programme team; withdrawn, nobody', () => {
    const may = (c: typeof sent, id: string, programme = false, sharedChat = false) => can({ id, tenantId: 'tenant-1', programme }, 'read_answer_words', { type: 'answer', contribution: c, by: 'sam', sharedChat });
    expect([may(sent, 'sam'), may(sent, 'chris'), may(sent, 'jordan', true), may(sent, 'dana'), may(sent, ''), may(sent, '', false, true)]).toEqual([true, true, true, false, false, true]);
    const restricted = { ...sent, restricted: true };
    expect([may(restricted, 'sam'), may(restricted, 'chris'), may(restricted, 'jordan', true), may(restricted, '', false, true)]).toEqual([true, false, true, false]);
    expect(may({ ...sent, status: 'withdrawn' }, 'jordan', true)).toBe(false);
  });

  it('are erased with every reply when the LXP withdraws the contribution', () => {
    const replied = transition(answered('There was money for the pilot'), { type: 'reply', answeredAt: at.toISOString(), words: 'I will ask again in May' }, 'chris', at);
    const gone = transition({ ...replied, status: 'closed' }, { type: 'withdraw' }, 'sam', at);
    expect(JSON.stringify(gone)).not.toMatch(/money for the pilot|ask again in May/);
    expect(gone.answers[0]).toMatchObject({ by: 'sam', answer: 'disagree_decision', reply: { by: 'chris', words: '' } });
  });

  it('are counted for the report: each LXP\'s latest answer once, with words and replies', () => {
    const a = (by: string, answer: 'helpful' | 'disagree_decision', words?: string, reply = false) => ({ by, answer, at: at.toISOString(), words, reply: reply ? { by: 'chris', words: 'ok', at: at.toISOString() } : undefined });
    expect(answerCounts([a('sam', 'helpful'), a('sam', 'disagree_decision', 'no', true), a('alex', 'helpful', 'yes')])).toEqual({ 'answer:disagree_decision': 1, 'answer:helpful': 1, 'answer:words': 2, 'answer:replied': 1 });
  });
});
