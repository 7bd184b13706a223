import { KINDS, type Contribution, type OutcomeStatus } from '../../src/domain/contribution';
import { IMPACT_OUTCOMES, NO_AREA, areaNames, impactOf, type ImpactPeriod } from '../../src/domain/impact';
import type { Meeting } from '../../src/domain/meeting';
import type { Workstream } from '../../src/domain/workstream';
import { impactFile } from '../../src/presenters/impact';
import { buildContribution } from '../support/outcome-fixtures';
import { buildMeeting } from '../support/lxp-fixtures';

/** A small fixed pseudo-random sequence, so the 80 contributions are varied but the same on every run. */
function sequence(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s >>> 8) % n;
  };
}

const workstream = (id: string, name: string, areas: string[]): Workstream => ({
  id, tenantId: 'tenant-1', type: 'workstream', name, chairIds: ['chris'], staffIds: ['dana'], lxpIds: ['sam', 'alex'],
  priorityAreas: areas.map((a, i) => ({ id: `${id}-a${i}`, name: a, proposedBy: 'sam' })), chatIds: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
});
const WORKSTREAMS = [workstream('ws1', 'Crisis care', ['Night support', 'Waiting times', 'Peer roles']), workstream('ws2', 'Inpatient', ['Ward rounds', 'Waiting times'])];
const OUTCOMES: (OutcomeStatus | undefined)[] = ['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on', undefined];
const PERIOD: ImpactPeriod = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z'), label: 'January to March 2026' };

function world() {
  const next = sequence(22);
  const meetings: Meeting[] = [];
  for (let i = 0; i < 16; i++) {
    const ws = WORKSTREAMS[i % 2];
    const day = new Date(Date.UTC(2025, 11, 1 + i * 8, 10)); // 1 December 2025 to late April 2026
    const who = [['sam'], ['alex'], ['sam', 'alex'], []][i % 4];
    const attendance: Meeting['attendance'] = {};
    for (const p of who) attendance[p] = { name: p, spans: [{ joinedAt: day.toISOString(), leftAt: new Date(day.getTime() + 3600_000).toISOString() }] };
    // Some attendance only the chair confirmed, and one join the chair overrode.
    if (i % 5 === 0) attendance.sam = { name: 'sam', spans: [], confirmed: { present: true, by: 'chris', at: day.toISOString() } };
    if (i === 7) attendance.sam = { name: 'sam', spans: [{ joinedAt: day.toISOString() }], confirmed: { present: false, by: 'chris', at: day.toISOString() } };
    meetings.push(buildMeeting({ id: `m${i}`, workstreamId: ws.id, title: `${ws.name} ${i}`, startedAt: day.toISOString(), endedAt: new Date(day.getTime() + 3600_000).toISOString(), attendance }));
  }
  const contributions: Contribution[] = [];
  for (let i = 0; i < 80; i++) {
    const m = meetings[next(meetings.length)];
    const ws = WORKSTREAMS.find((w) => w.id === m.workstreamId)!;
    const outcome = OUTCOMES[next(OUTCOMES.length)];
    const areas = ws.priorityAreas.filter(() => next(3) === 0).map((a) => a.id);
    const lxps = [['sam'], ['alex'], ['sam', 'alex']][i % 3];
    contributions.push(
      buildContribution({
        id: `c${i}`, workstreamId: ws.id, meetingId: m.id, meetingTitle: m.title, meetingDate: m.startedAt!, lxpIds: lxps, kind: KINDS[next(KINDS.length)], priorityAreaIds: areas,
        status: i % 11 === 3 ? 'withdrawn' : outcome ? 'outcome_recorded' : 'awaiting_outcome',
        outcomes: outcome ? [{ status: outcome, whatWeDid: `We acted on c${i}`, decidedBy: 'chris', decidedAt: new Date(Date.parse(m.startedAt!) + 86400_000 * (1 + next(20))).toISOString() }] : [],
        words: i % 11 === 3 ? '' : `words ${i}`,
      }),
    );
  }
  return { meetings, contributions };
}

describe('my impact', () => {
  const { meetings, contributions } = world();

  it('is tested over at least 30 of the LXP\'s contributions across two workstreams', () => {
    const sams = contributions.filter((c) => c.lxpIds.includes('sam') && c.status !== 'withdrawn' && Date.parse(c.meetingDate) < PERIOD.to.getTime() && Date.parse(c.meetingDate) >= PERIOD.from.getTime());
    expect(sams.length).toBeGreaterThanOrEqual(30);
    expect(new Set(sams.map((c) => c.workstreamId))).toEqual(new Set(['ws1', 'ws2']));
    // The world has what the rules are about: withdrawn ones, contributions outside the period, confirmed and overridden attendance.
    expect(contributions.some((c) => c.status === 'withdrawn' && c.lxpIds.includes('sam'))).toBe(true);
    expect(contributions.some((c) => c.lxpIds.includes('sam') && c.meetingDate < '2026-01-01')).toBe(true);
    // And every figure has something to count, so the recount below compares more than zeros.
    const impact = impactOf('sam', PERIOD, contributions, meetings);
    expect(IMPACT_OUTCOMES.filter((o) => impact.byOutcome[o] === 0)).toEqual([]);
    expect(impact.changes.length).toBeGreaterThan(0);
    expect(impact.agendaItemsLed).toBeGreaterThan(0);
    expect(Object.keys(impact.byArea).length).toBeGreaterThan(3);
  });

  it.each(['sam', 'alex'])('equals a direct recount over the stored contributions and meetings for %s', (lxp) => {
    const impact = impactOf(lxp, PERIOD, contributions, meetings);
    const counted = contributions.filter((c) => c.lxpIds.indexOf(lxp) >= 0 && c.status !== 'withdrawn' && c.meetingDate >= '2026-01-01' && c.meetingDate < '2026-04-01');

    expect(impact.contributions).toBe(counted.length);
    for (const o of IMPACT_OUTCOMES) {
      expect([o, impact.byOutcome[o]]).toEqual([o, counted.filter((c) => (o === 'waiting' ? c.outcomes.length === 0 : c.outcomes.at(-1)?.status === o)).length]);
    }
    expect(IMPACT_OUTCOMES.reduce((s, o) => s + impact.byOutcome[o], 0)).toBe(counted.length);
    for (const ws of WORKSTREAMS) {
      for (const a of ws.priorityAreas) expect([a.id, impact.byArea[a.id] ?? 0]).toEqual([a.id, counted.filter((c) => c.priorityAreaIds.includes(a.id)).length]);
      expect(impact.byWorkstream[ws.id] ?? 0).toBe(counted.filter((c) => c.workstreamId === ws.id).length);
    }
    expect(impact.byArea[NO_AREA] ?? 0).toBe(counted.filter((c) => c.priorityAreaIds.length === 0).length);
    expect(impact.agendaItemsLed).toBe(counted.filter((c) => c.kind === 'led_agenda_item').length);
    expect(impact.changes.map((x) => x.contributionId).sort()).toEqual(counted.filter((c) => ['adopted', 'partly_adopted'].includes(c.outcomes.at(-1)?.status ?? '')).map((c) => c.id).sort());
    expect(impact.changes.every((x) => x.whatWeDid === `We acted on ${x.contributionId}`)).toBe(true);

    const wasThere = (m: Meeting) => {
      const a = m.attendance[lxp];
      if (!a) return false;
      return a.confirmed ? a.confirmed.present : a.spans.length > 0;
    };
    const there = meetings.filter((m) => m.startedAt! >= '2026-01-01' && m.startedAt! < '2026-04-01' && wasThere(m));
    expect(impact.meetingsAttended).toBe(there.length);
    expect(impact.meetingsAttended).toBeGreaterThan(0);
  });

  it('counts attendance the chair confirmed, and not a join the chair said was wrong', () => {
    const confirmedOnly = meetings.find((m) => m.attendance.sam?.confirmed?.present && m.attendance.sam.spans.length === 0 && m.startedAt! >= '2026-01-01' && m.startedAt! < '2026-04-01')!;
    const overridden = meetings.find((m) => m.attendance.sam?.confirmed?.present === false)!;
    const impact = impactOf('sam', PERIOD, contributions, meetings);
    expect(impact.meetingIds).toContain(confirmedOnly.id);
    expect(impact.meetingIds).not.toContain(overridden.id);
  });

  it('leaves out withdrawn contributions entirely, and lists changes newest decision first', () => {
    const impact = impactOf('sam', PERIOD, contributions, meetings);
    const withdrawn = contributions.filter((c) => c.status === 'withdrawn').map((c) => c.id);
    expect(impact.changes.some((x) => withdrawn.includes(x.contributionId))).toBe(false);
    const order = impact.changes.map((x) => x.decidedAt);
    expect(order).toEqual([...order].sort().reverse());
  });

  it('counts a personal story kept in confidence as a change, but neither the card nor the file says what was done or where', () => {
    const story = buildContribution({ id: 'story', lxpIds: ['sam'], restricted: true, meetingTitle: 'Ward 7 carers evening', meetingDate: '2026-02-02T10:00:00Z', status: 'outcome_recorded', outcomes: [{ status: 'adopted', whatWeDid: 'Changed the discharge letter after her son died', decidedBy: 'chris', decidedAt: '2026-02-10T10:00:00Z' }] });
    const impact = impactOf('sam', PERIOD, [story], []);
    expect(impact).toMatchObject({ contributions: 1, byOutcome: { adopted: 1 }, changes: [{ contributionId: 'story', restricted: true }] });
    const file = impactFile([{ programme: 'North', impact, areaNames: areaNames(WORKSTREAMS), timeZone: 'Europe/London' }], new Date('2026-04-02T10:00:00Z'));
    expect(file.text).toContain('1 change made because of what you said');
    expect(JSON.stringify(impact) + file.text).not.toMatch(/discharge letter|Ward 7/);
  });

  it('is empty, not an error, for a period with nothing in it', () => {
    const impact = impactOf('sam', { from: new Date('2030-01-01'), to: new Date('2030-02-01'), label: 'January 2030' }, contributions, meetings);
    expect(impact).toMatchObject({ contributions: 0, changes: [], agendaItemsLed: 0, meetingsAttended: 0, byArea: {} });
  });

  it('names priority areas, telling apart two workstreams\' areas of the same name', () => {
    expect(areaNames(WORKSTREAMS)).toMatchObject({ 'ws1-a0': 'Night support', 'ws1-a1': 'Waiting times (Crisis care)', 'ws2-a1': 'Waiting times (Inpatient)', [NO_AREA]: 'No priority area' });
  });
});
