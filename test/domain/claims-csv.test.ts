import { BOM } from '../../src/domain/csv';
import { submitClaim, transitionClaim, type Claim, type ClaimDetails, type ClaimRates } from '../../src/domain/claim';
import { CLAIMS_CSV_HEADER, claimsCsv, claimsInMonth } from '../../src/domain/claims-csv';
import { buildMeeting } from '../support/lxp-fixtures';
import { readCsv } from '../support/read-csv';


const TZ = 'Europe/London';
const RATES: ClaimRates = { hourly: { meeting: 2250, preparation: 1500 }, fixed: { meeting: 0, preparation: 0 } };
const NAMES: Record<string, string> = { sam: 'Sam Okafor', alex: 'Alex "AJ" Rivera, Jr', jo: '=Jo Quiet', jordan: 'Jordan Lee' };
const names = (id: string) => NAMES[id] ?? id;

function claimFor(lxpId: string, meetingId: string, day: string, d: Partial<ClaimDetails>): Claim {
  const meeting = buildMeeting({
    id: meetingId,
    title: `Reference group, ${day}`,
    startedAt: `${day}T10:00:00.000Z`,
    endedAt: `${day}T12:00:00.000Z`,
    attendance: { [lxpId]: { name: lxpId, spans: [{ joinedAt: `${day}T10:00:00.000Z`, leftAt: `${day}T12:00:00.000Z` }] } },
  });
  const details: ClaimDetails = { minutes: { meeting: 120, preparation: 0 }, expenses: { travel: 0, other: 0, carer: 0 }, note: '', paymentDeclined: false, ...d };
  return submitClaim({ tenantId: 't', programmeId: 'p', lxpId, meeting, details, rates: RATES }, undefined, new Date(`${day}T13:00:00Z`)).claim;
}

const decidedAt = new Date('2026-03-25T16:45:00Z');
const CLAIMS = [
  transitionClaim(claimFor('sam', 'm1', '2026-03-09', { minutes: { meeting: 120, preparation: 45 }, expenses: { travel: 1240, other: 350, carer: 2000 }, note: 'Taxi, "late" bus' }), { type: 'approve' }, 'jordan', decidedAt),
  // Declines payment (benefits): time only.
  claimFor('alex', 'm1', '2026-03-09', { minutes: { meeting: 90, preparation: 20 }, paymentDeclined: true }),
  // Queried: amounts as claimed, not decided.
  transitionClaim(claimFor('jo', 'm2', '2026-03-23', { minutes: { meeting: 100, preparation: 30 }, expenses: { travel: 480, other: 0, carer: 0 } }), { type: 'query', reason: 'Which bus?' }, 'jordan', decidedAt),
  transitionClaim(claimFor('sam', 'm2', '2026-03-23', { minutes: { meeting: 60, preparation: 0 } }), { type: 'decline', reason: 'Claimed on paper' }, 'jordan', decidedAt),
  // April: not in March's file.
  claimFor('sam', 'm3', '2026-04-01', {}),
];

const pounds = (s: string) => {
  const m = /^(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an amount: ${s}`);
  return Number(m[1]) * 100 + Number(m[2]);
};
const minutes = (s: string) => Math.round(Number(s) * 60);

describe('export claims <month>', () => {
  const csv = claimsCsv(claimsInMonth(CLAIMS, '2026-03', TZ), names, TZ);
  const [header, ...rows] = readCsv(csv.slice(BOM.length));
  const col = (row: string[], name: string) => row[CLAIMS_CSV_HEADER.indexOf(name)];

  it('is a CSV with a BOM, a header and one line per claim of the month', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(header).toEqual(CLAIMS_CSV_HEADER);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === CLAIMS_CSV_HEADER.length)).toBe(true);
    expect(rows.map((r) => col(r, 'Claim'))).toEqual(expect.arrayContaining(CLAIMS.slice(0, 4).map((c) => c.id)));
  });

  it('has amounts that are the rates times the hours, plus expenses, adding up to the total', () => {
    for (const r of rows) {
      const declined = col(r, 'Payment declined') === 'yes';
      const meetingPay = declined ? 0 : Math.floor((minutes(col(r, 'Meeting hours')) * RATES.hourly.meeting + 30) / 60);
      const prepPay = declined ? 0 : Math.floor((minutes(col(r, 'Preparation hours')) * RATES.hourly.preparation + 30) / 60);
      expect(pounds(col(r, 'Meeting pay (£)'))).toBe(meetingPay);
      expect(pounds(col(r, 'Preparation pay (£)'))).toBe(prepPay);
      const expenses = ['Travel (£)', 'Other expenses (£)', 'Carer costs (£)'].reduce((s, n) => s + pounds(col(r, n)), 0);
      expect(pounds(col(r, 'Total (£)'))).toBe(meetingPay + prepPay + expenses);
    }
  });

  it('says each figure as finance expects it', () => {
    const sam = rows.find((r) => col(r, 'Person') === 'Sam Okafor' && col(r, 'Status') === 'Approved')!;
    expect(sam.slice(2)).toEqual(['Reference group, 2026-03-09', '2026-03-09', '2.00', '0.75', '45.00', '11.25', '12.40', '3.50', '20.00', '92.15', 'no', 'Approved', 'Jordan Lee', '2026-03-25 16:45']);
  });

  it('shows a declined payment with its time and nothing to pay', () => {
    const alex = rows.find((r) => col(r, 'Person') === 'Alex "AJ" Rivera, Jr')!;
    expect(col(alex, 'Payment declined')).toBe('yes');
    expect([col(alex, 'Meeting hours'), col(alex, 'Preparation hours')]).toEqual(['1.50', '0.33']);
    expect(['Meeting pay (£)', 'Preparation pay (£)', 'Travel (£)', 'Other expenses (£)', 'Carer costs (£)', 'Total (£)'].map((n) => col(alex, n))).toEqual(Array(6).fill('0.00'));
    expect([col(alex, 'Status'), col(alex, 'Decided by'), col(alex, 'Decided at')]).toEqual(['Waiting for the programme team', '', '']);
  });

  it('shows a queried claim with its amounts, undecided', () => {
    const jo = rows.find((r) => col(r, 'Status') === 'The programme team has a question')!;
    // A name that starts like a formula is kept as text.
    expect(col(jo, 'Person')).toBe("'=Jo Quiet");
    expect(col(jo, 'Total (£)')).toBe('49.80'); // 100 min at £22.50 = 3750p, 30 min at £15 = 750p, travel 480p
    expect([col(jo, 'Decided by'), col(jo, 'Decided at')]).toEqual(['', '']);
  });

  it('shows a declined claim with who declined it and when', () => {
    const declined = rows.find((r) => col(r, 'Status') === 'Declined')!;
    expect([col(declined, 'Total (£)'), col(declined, 'Decided by'), col(declined, 'Decided at')]).toEqual(['22.50', 'Jordan Lee', '2026-03-25 16:45']);
  });

  it('does not carry the LXP\'s note or a query\'s reason to finance', () => {
    expect(csv).not.toContain('Taxi');
    expect(csv).not.toContain('Which bus');
  });

  it('takes the month by the meeting date in local time', () => {
    const lateNight = claimFor('sam', 'm4', '2026-03-31', {});
    const april = { ...lateNight, meetingDate: '2026-03-31T23:30:00.000Z' }; // 00:30 on 1 April in London (BST)
    expect(claimsInMonth([april], '2026-03', TZ)).toEqual([]);
    expect(claimsInMonth([april], '2026-04', TZ)).toEqual([april]);
  });
});
