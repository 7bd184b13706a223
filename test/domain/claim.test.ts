import {
  amountsFor,
  canApplyClaim,
  claimIdFor,
  claimNeedsEscalation,
  formatHours,
  formatPounds,
  minutesFromHours,
  payFor,
  penceFromPounds,
  prefilledMeetingMinutes,
  programmeDuration,
  submitClaim,
  transitionClaim,
  type Claim,
  type ClaimDetails,
  type ClaimEvent,
  type ClaimRates,
  type ClaimStatus,
} from '../../src/domain/claim';
import { DomainError } from '../../src/domain/errors';
import { buildMeeting } from '../support/lxp-fixtures';

const T = 'tenant-1';
const P = 'programme-1';
const at = new Date('2026-03-10T12:00:00Z');
const RATES: ClaimRates = { hourly: { meeting: 2000, preparation: 1500 }, fixed: { meeting: 0, preparation: 0 } };

const details = (over: Partial<ClaimDetails> = {}): ClaimDetails => ({
  minutes: { meeting: 90, preparation: 60 },
  expenses: { travel: 1240, other: 0, carer: 500 },
  note: 'Bus both ways',
  paymentDeclined: false,
  ...over,
});

const submitted = (over: Partial<ClaimDetails> = {}): Claim => submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: buildMeeting(), details: details(over), rates: RATES }, undefined, at).claim;
const inState = (status: ClaimStatus): Claim => ({ ...submitted(), status });

const EVENTS: Record<ClaimEvent['type'], ClaimEvent> = {
  resubmit: { type: 'resubmit', details: details({ minutes: { meeting: 90, preparation: 30 } }), rates: RATES },
  query: { type: 'query', reason: 'Was the bus fare a return?' },
  approve: { type: 'approve' },
  decline: { type: 'decline', reason: 'Claimed twice on paper' },
  escalate: { type: 'escalate' },
  forget: { type: 'forget', personId: 'sam', placeholder: 'forgotten-1' },
};

const S: ClaimStatus[] = ['submitted', 'queried', 'approved', 'declined'];
// What each event leads to from each state; '-' is refused.
const EXPECTED: Record<ClaimEvent['type'], (ClaimStatus | '-')[]> = {
  //          submitted    queried      approved    declined
  resubmit: ['-',         'submitted', '-',        '-'],
  query:    ['queried',   '-',         '-',        '-'],
  approve:  ['approved',  '-',         '-',        '-'],
  decline:  ['declined',  'declined',  '-',        '-'],
  escalate: ['submitted', '-',         '-',        '-'],
  forget:   ['submitted', 'queried',   'approved', 'declined'],
};

describe('the claim lifecycle', () => {
  const cases = Object.entries(EXPECTED).flatMap(([event, row]) => row.map((expected, i) => [event as ClaimEvent['type'], S[i], expected] as const));
  it.each(cases)('%s in %s → %s', (event, from, expected) => {
    const c = inState(from);
    expect(canApplyClaim(c, event)).toBe(expected !== '-');
    if (expected === '-') {
      let err: unknown;
      try {
        transitionClaim(c, EVENTS[event], 'jordan', at);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).not.toMatch(/undefined|\$\{/);
      return;
    }
    const next = transitionClaim(c, EVENTS[event], 'jordan', at);
    expect(next.status).toBe(expected);
    expect(next.history).toHaveLength(c.history.length + 1);
    expect(next.history[next.history.length - 1]).toMatchObject({ event, from, to: expected });
    expect(c.status).toBe(from);
  });

  it('records who decided and when, and the reason the LXP sees', () => {
    const declined = transitionClaim(submitted(), EVENTS.decline, 'jordan', at);
    expect(declined).toMatchObject({ decidedBy: 'jordan', decidedAt: at.toISOString(), reason: 'Claimed twice on paper' });
    expect(declined.history.at(-1)?.reason).toBe('Claimed twice on paper');
  });

  it('needs a reason to query or decline, not to approve', () => {
    expect(() => transitionClaim(submitted(), { type: 'query', reason: '  ' }, 'jordan', at)).toThrow(/Give a reason/);
    expect(() => transitionClaim(submitted(), { type: 'decline', reason: '' }, 'jordan', at)).toThrow(/Give a reason/);
    expect(transitionClaim(submitted(), { type: 'approve' }, 'jordan', at).reason).toBeUndefined();
  });

  it('a resubmission recomputes the amounts, keeps the old figures in the history and starts a new wait', () => {
    const later = new Date('2026-03-20T09:00:00Z');
    const queried = transitionClaim(submitted(), EVENTS.query, 'jordan', at);
    const again = transitionClaim(queried, EVENTS.resubmit, 'sam', later);
    expect(again.amounts.activity.preparation).toBe(750);
    expect(again.waitingSince).toBe(later.toISOString());
    expect(again.reason).toBeUndefined();
    expect(again.history.at(-1)?.previous).toEqual({ minutes: { meeting: 90, preparation: 60 }, expenses: { travel: 1240, other: 0, carer: 500 }, paymentDeclined: false, total: 3000 + 1500 + 1740 });
  });
});

describe('submitting', () => {
  it('makes one id per LXP and meeting, so a second submission saves once', () => {
    const first = submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: buildMeeting(), details: details(), rates: RATES }, undefined, at);
    const second = submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: buildMeeting(), details: details({ note: 'again' }), rates: RATES }, first.claim, at);
    expect(first.alreadySaved).toBe(false);
    expect(second).toEqual({ claim: first.claim, alreadySaved: true });
    expect(first.claim.id).toBe(claimIdFor(T, P, 'sam', 'm1'));
    expect(claimIdFor(T, P, 'sam', 'm1')).toBe(claimIdFor(T, P, 'sam', 'm1'));
    expect(new Set([claimIdFor(T, P, 'sam', 'm2'), claimIdFor(T, P, 'alex', 'm1'), claimIdFor(T, 'programme-2', 'sam', 'm1'), claimIdFor(T, P, 'sam', 'm1')]).size).toBe(4);
    expect(first.claim.id).toMatch(/^[a-z0-9-]+$/);
  });

  it('refuses a meeting the LXP did not attend, or one the chair says they were not at', () => {
    const notThere = buildMeeting({ attendance: {} });
    expect(() => submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: notThere, details: details(), rates: RATES }, undefined, at)).toThrow(/no record of you/);
    const chairSaysNo = buildMeeting({ attendance: { sam: { name: 'Sam', spans: [{ joinedAt: '2026-03-09T10:00:00.000Z' }], confirmed: { present: false, by: 'chris', at: at.toISOString() } } } });
    expect(() => submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: chairSaysNo, details: details(), rates: RATES }, undefined, at)).toThrow(DomainError);
  });

  it('accepts attendance the chair confirmed without any join event', () => {
    const confirmed = buildMeeting({ attendance: { sam: { name: 'Sam', spans: [], confirmed: { present: true, by: 'chris', at: at.toISOString() } } } });
    const { claim } = submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: confirmed, details: details(), rates: RATES }, undefined, at);
    expect(claim.status).toBe('submitted');
    expect(prefilledMeetingMinutes(confirmed, 'sam')).toBe(90);
  });

  it('refuses a meeting that has not ended', () => {
    expect(() => submitClaim({ tenantId: T, programmeId: P, lxpId: 'sam', meeting: buildMeeting({ endedAt: undefined }), details: details(), rates: RATES }, undefined, at)).toThrow(/once it has ended/);
  });

  it('prefills the minutes present, rounded up to the quarter hour', () => {
    expect(prefilledMeetingMinutes(buildMeeting(), 'sam')).toBe(90); // 86 minutes
    expect(prefilledMeetingMinutes(buildMeeting(), 'alex')).toBe(0);
  });

  it.each([
    [{ minutes: { meeting: -15, preparation: 0 } }, /0 or more/],
    [{ minutes: { meeting: 0, preparation: 0 } }, /how long/],
    [{ minutes: { meeting: 25 * 60, preparation: 0 } }, /more than 24 hours/],
    [{ expenses: { travel: 12.5, other: 0, carer: 0 } }, /pounds and pence/],
    [{ expenses: { travel: 100_001, other: 0, carer: 0 } }, /more than £1,000/],
    [{ paymentDeclined: true }, /time only/],
    [{ note: 'x'.repeat(1001) }, /keep it to 1000/],
  ] as [Partial<ClaimDetails>, RegExp][])('refuses %j in plain words', (over, message) => {
    expect(() => submitted(over)).toThrow(message);
  });
});

describe('amounts', () => {
  it('are the hours at the rates plus the expenses, in whole pence', () => {
    const c = submitted();
    expect(c.amounts).toEqual({ activity: { meeting: 3000, preparation: 1500 }, expenses: { travel: 1240, other: 0, carer: 500 }, total: 6240 });
  });

  it('round each line to the nearest penny, halves up, and the total is the sum of the lines', () => {
    // 20 minutes at £10.01 an hour is 333.67p → 334p; 10 minutes at 3p an hour is 0.5p → 1p.
    expect(payFor(20, 1001)).toBe(334);
    expect(payFor(10, 3)).toBe(1);
    expect(payFor(10, 2)).toBe(0);
    const a = amountsFor({ minutes: { meeting: 20, preparation: 10 }, expenses: { travel: 0, other: 1, carer: 0 }, paymentDeclined: false }, { hourly: { meeting: 1001, preparation: 3 }, fixed: { meeting: 0, preparation: 0 } });
    expect(a.total).toBe(334 + 1 + 1);
  });

  it('add a fixed fee once for each activity done at all', () => {
    const rates: ClaimRates = { hourly: { meeting: 2000, preparation: 1500 }, fixed: { meeting: 2500, preparation: 1000 } };
    expect(amountsFor({ minutes: { meeting: 60, preparation: 0 }, expenses: { travel: 0, other: 0, carer: 0 }, paymentDeclined: false }, rates).activity).toEqual({ meeting: 4500, preparation: 0 });
  });

  it('are all zero when payment is declined: the time is still recorded', () => {
    const c = submitted({ paymentDeclined: true, expenses: { travel: 0, other: 0, carer: 0 } });
    expect(c.amounts.total).toBe(0);
    expect(c.minutes).toEqual({ meeting: 90, preparation: 60 });
  });

  it('are kept with the rates they were made at', () => {
    const c = submitted();
    expect(c.rates).toEqual(RATES);
  });
});

describe('what the card typed', () => {
  it.each([
    ['1.5', 90], ['2', 120], ['0.25', 15], ['', 0], [undefined, 0],
  ] as [string | undefined, number][])('hours %p are %p minutes', (text, minutes) => expect(minutesFromHours(text, 'Meeting time')).toBe(minutes));
  it.each(['1,5', '-1', 'two', '100'])('hours %p are refused', (text) => expect(() => minutesFromHours(text, 'Meeting time')).toThrow(/Meeting time: write the hours/));
  it.each([
    ['12.40', 1240], ['£3', 300], ['7.5', 750], ['1,200.05', 120005], ['', 0], ['0.07', 7],
  ] as [string, number][])('pounds %p are %p pence', (text, pence) => expect(penceFromPounds(text, 'Travel')).toBe(pence));
  it.each(['12.345', '-3', 'ten', '1e3'])('pounds %p are refused', (text) => expect(() => penceFromPounds(text, 'Travel')).toThrow(/Travel: write an amount/));
  it('formats pence and minutes for people and finance', () => {
    expect([0, 7, 1240, 120005].map(formatPounds)).toEqual(['0.00', '0.07', '12.40', '1200.05']);
    expect([0, 15, 90, 20].map(formatHours)).toEqual(['0.00', '0.25', '1.50', '0.33']);
  });
});

describe('escalation', () => {
  const wait = programmeDuration('P5D', 'claims waiting');
  const tz = 'Europe/London';
  it('happens once the programme-set time has passed, once per wait', () => {
    const c = submitted();
    expect(claimNeedsEscalation(c, wait, new Date('2026-03-15T11:59:59Z'), tz)).toBe(false);
    expect(claimNeedsEscalation(c, wait, new Date('2026-03-15T12:00:00Z'), tz)).toBe(true);
    const told = transitionClaim(c, { type: 'escalate' }, 'scheduler', new Date('2026-03-15T12:00:00Z'));
    expect(claimNeedsEscalation(told, wait, new Date('2026-04-15T12:00:00Z'), tz)).toBe(false);
    expect(() => transitionClaim(told, { type: 'escalate' }, 'scheduler', at)).toThrow(/already been told/);
  });

  it('never happens to a claim waiting for the LXP or already decided', () => {
    const late = new Date('2027-01-01T00:00:00Z');
    for (const s of ['queried', 'approved', 'declined'] as const) expect(claimNeedsEscalation(inState(s), wait, late, tz)).toBe(false);
  });

  it('accepts second-scale durations for tests and refuses what is not one', () => {
    expect(programmeDuration('PT2S', 'x')).toEqual(expect.objectContaining({ seconds: 2 }));
    expect(() => programmeDuration('5 days', 'claims waiting')).toThrow(/P10D for ten days/);
    expect(() => programmeDuration('P0D', 'claims waiting')).toThrow(/longer than zero/);
  });
});

describe('forget me', () => {
  it('keeps the amounts, hours and dates, replaces the person and erases their note', () => {
    const decided = transitionClaim(submitted(), { type: 'approve' }, 'jordan', at);
    const gone = transitionClaim(decided, EVENTS.forget, 'sam', new Date('2026-04-01T00:00:00Z'));
    expect(gone).toMatchObject({ lxpId: 'forgotten-1', note: '', amounts: decided.amounts, minutes: decided.minutes, submittedAt: decided.submittedAt, decidedAt: decided.decidedAt, decidedBy: 'jordan', status: 'approved' });
    expect(JSON.stringify(gone)).not.toContain('"sam"');
    expect(JSON.stringify(gone)).not.toContain('Bus both ways');
  });

  it('replaces a programme team member who decided, and keeps the LXP\'s note', () => {
    const decided = transitionClaim(submitted(), { type: 'approve' }, 'jordan', at);
    const gone = transitionClaim(decided, { type: 'forget', personId: 'jordan', placeholder: 'forgotten-2' }, 'jordan', at);
    expect(gone).toMatchObject({ lxpId: 'sam', decidedBy: 'forgotten-2', note: 'Bus both ways' });
    expect(JSON.stringify(gone)).not.toContain('jordan');
  });
});
