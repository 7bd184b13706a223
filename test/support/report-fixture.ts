/*
 * A programme with 3 workstreams, 10 meetings and 55 contributions, built
 * through the real commands (setup, link, meeting events, attendance, aim,
 * log, outcomes through applyEvent as the outcome loop does, LXP answers,
 * withdrawals) so the counters are maintained exactly as in production.
 * test/commands/reports.test.ts holds the figures counted by hand from the
 * table below.
 */
import type { Caller, Deps } from '../../src/commands/deps';
import { ensurePerson } from '../../src/commands/deps';
import { claimProgrammeLead, saveWorkstream } from '../../src/commands/setup';
import { linkChat, meetingEnded, meetingStarted, recordAttendance, reviewAim, stateAim } from '../../src/commands/meetings';
import { applyEvent, checkContribution, logContribution } from '../../src/commands/contributions';
import type { Answer, Kind, OutcomeStatus } from '../../src/domain/contribution';
import type { Workstream } from '../../src/domain/workstream';

export const TENANT = '00000000-0000-0000-0000-0000000000aa';
export const ZOE_NAME = 'Zoë Ó\'Brien';
/** When the report tests ask: after every outcome below. */
export const REPORT_NOW = '2026-04-20T10:00:00Z';

const person = (key: string, name: string): Caller => ({ id: `aad-${key}`, tenantId: TENANT, name, teamsId: `29:1-${key}` });
export const P = {
  priya: person('priya', 'Priya Shah'),
  chris: person('chris', 'Chris Morgan'),
  dana: person('dana', 'Dana Whitfield'),
  elliot: person('elliot', 'Elliot Park'),
  jordan: person('jordan', 'Jordan Lee'),
  sam: person('sam', 'Sam Okafor'),
  alex: person('alex', 'Alex Rivera'),
  zoe: person('zoe', ZOE_NAME),
  morgan: person('morgan', 'Morgan Blake'),
};
type Who = keyof typeof P;

const WORKSTREAMS = {
  w1: { name: 'Crisis pathway', chair: 'chris', staff: ['jordan'], lxps: ['sam', 'alex', 'zoe'], areas: ['Crisis care at night', 'Waiting times'] },
  w2: { name: 'Personality disorder', chair: 'dana', staff: [], lxps: ['sam', 'morgan'], areas: ['Diagnosis', 'Peer support'] },
  w3: { name: 'Carers', chair: 'elliot', staff: [], lxps: ['alex', 'zoe'], areas: ['Respite', 'Waiting times'] },
} as const;
type Ws = keyof typeof WORKSTREAMS;
/** Short names for the areas in the table: [workstream, index in its list]. */
const AREA = { night: ['w1', 0], wait1: ['w1', 1], diag: ['w2', 0], peer: ['w2', 1], respite: ['w3', 0], wait3: ['w3', 1] } as const;
type Area = keyof typeof AREA;

/** Meetings last 90 minutes; attendance is minutes present per LXP (0 = absent). */
const MEETINGS: Record<string, { ws: Ws; at: string; aim: boolean; review: boolean; minutes: Partial<Record<Who, number>> }> = {
  M1: { ws: 'w1', at: '2026-02-03T10:00:00Z', aim: true, review: true, minutes: { sam: 90, alex: 60 } },
  M3: { ws: 'w2', at: '2026-02-10T14:00:00Z', aim: false, review: false, minutes: { sam: 45, morgan: 90 } },
  M2: { ws: 'w1', at: '2026-02-17T10:00:00Z', aim: true, review: false, minutes: { sam: 90, alex: 90, zoe: 90 } },
  M4: { ws: 'w3', at: '2026-02-24T10:00:00Z', aim: true, review: true, minutes: { alex: 90, zoe: 30 } },
  M5: { ws: 'w1', at: '2026-03-03T10:00:00Z', aim: true, review: true, minutes: { sam: 90, alex: 90, zoe: 75 } },
  M7: { ws: 'w2', at: '2026-03-05T14:00:00Z', aim: true, review: true, minutes: { sam: 90, morgan: 90 } },
  M9: { ws: 'w3', at: '2026-03-12T10:00:00Z', aim: true, review: true, minutes: { alex: 90, zoe: 90 } },
  M6: { ws: 'w1', at: '2026-03-17T10:00:00Z', aim: true, review: false, minutes: { alex: 90, zoe: 90 } },
  M8: { ws: 'w2', at: '2026-03-19T14:00:00Z', aim: false, review: false, minutes: { sam: 60 } },
  // 00:30 on 1 April in London (BST): an April meeting, though March in UTC.
  M10: { ws: 'w3', at: '2026-03-31T23:30:00Z', aim: false, review: false, minutes: { alex: 90 } },
};

const KIND: Record<string, Kind> = { s: 'suggestion', c: 'challenge', q: 'question', p: 'personal_experience', k: 'lived_experience_knowledge', l: 'led_agenda_item' };
const OUTCOME: Record<string, OutcomeStatus> = { A: 'adopted', P: 'partly_adopted', N: 'not_taken_forward', U: 'under_consideration', O: 'passed_on' };
const ANSWER: Record<string, Answer> = { h: 'helpful', t: 'want_to_talk', d: 'does_not_reflect' };

/**
 * One row per contribution: meeting, LXPs, kind, areas, flags.
 * Flags: A5 adopted 5 days after the meeting (P partly, N not taken forward;
 * U under consideration, O passed on), h/t/d each LXP's answer, od overdue,
 * esc escalated, W withdrawn by the LXP, R restricted, anon, J owned by Jordan.
 */
export const ROWS: [string, Who[], string, Area[], string][] = [
  ['M1', ['sam'], 's', ['night'], 'A5 h'],
  ['M1', ['alex'], 'c', ['wait1'], 'P9 t'],
  ['M1', ['sam'], 'q', [], 'N12 d'],
  ['M1', ['sam', 'alex'], 'k', ['night', 'wait1'], 'A5 h'],
  ['M1', ['alex'], 'l', [], 'A2'],
  ['M1', ['sam'], 'p', ['night'], 'R od'],
  ['M2', ['zoe'], 's', ['wait1'], 'U'],
  ['M2', ['zoe'], 'c', ['night'], 'A14 h'],
  ['M2', ['alex'], 's', ['wait1'], 'J esc'],
  ['M2', ['sam'], 'q', [], 'W'],
  ['M2', ['alex'], 'k', ['night'], 'N30'],
  ['M2', ['zoe'], 'l', [], 'P7 h'],
  ['M3', ['morgan'], 's', ['diag'], 'A3 h'],
  ['M3', ['sam'], 'p', ['peer'], 'R anon O'],
  ['M3', ['morgan'], 'c', ['diag', 'peer'], 'od'],
  ['M3', ['sam'], 's', ['peer'], 'A10 t'],
  ['M3', ['morgan'], 'q', [], 'U'],
  ['M3', ['morgan'], 'l', [], 'A1 h'],
  ['M4', ['alex'], 's', ['respite'], 'P6'],
  ['M4', ['zoe'], 'c', ['wait3'], 'A8 d'],
  ['M4', ['zoe'], 'p', ['respite'], 'R od'],
  ['M4', ['alex'], 'k', ['wait3'], 'N15'],
  ['M4', ['alex'], 'q', [], 'A4 h W'],
  ['M5', ['sam'], 's', ['night'], 'A7 h'],
  ['M5', ['alex'], 's', ['wait1'], 'A7 h'],
  ['M5', ['zoe'], 'c', ['wait1'], 'P10 t'],
  ['M5', ['sam'], 'q', [], 'U'],
  ['M5', ['zoe'], 'k', ['night'], 'anon A3 h'],
  ['M5', ['alex'], 'l', [], 'A0'],
  ['M5', ['sam'], 'p', ['night'], 'R od'],
  ['M6', ['zoe'], 's', ['wait1'], 'J od'],
  ['M6', ['alex'], 'c', ['night'], 'N6 d'],
  ['M6', ['sam'], 's', [], 'W'],
  ['M6', ['zoe'], 'q', ['wait1'], 'A2'],
  ['M6', ['alex'], 'k', ['wait1', 'night'], 'O'],
  ['M6', ['zoe'], 'l', [], ''],
  ['M7', ['morgan'], 's', ['diag'], 'A9 h'],
  ['M7', ['sam'], 'c', ['peer'], 'P4 h'],
  ['M7', ['morgan'], 'p', ['diag'], 'R anon'],
  ['M7', ['sam'], 'k', ['peer'], 'N11 t'],
  ['M7', ['morgan'], 'q', ['diag'], 'esc'],
  ['M7', ['sam'], 'l', [], 'A1 h'],
  ['M8', ['morgan'], 's', ['peer'], 'A5'],
  ['M8', ['sam'], 'c', ['diag'], 'U'],
  ['M8', ['morgan'], 'k', [], 'od'],
  ['M8', ['sam'], 's', ['peer'], 'W'],
  ['M8', ['morgan'], 'q', ['diag', 'peer'], ''],
  ['M9', ['alex'], 's', ['respite'], 'A6 h'],
  ['M9', ['zoe'], 'c', ['wait3'], 'P13 d'],
  ['M9', ['alex'], 'p', ['respite'], 'R N8'],
  ['M9', ['zoe'], 'q', [], 'od'],
  ['M9', ['alex'], 'l', [], 'A2 h'],
  ['M9', ['zoe'], 'k', ['wait3'], 'anon U'],
  ['M10', ['alex'], 's', ['respite'], 'A1 h'],
  ['M10', ['zoe'], 'c', ['wait3'], ''],
];

/** Words that make a CSV work: commas, quotes, line breaks, non-ASCII, and one that starts like a formula. */
export function wordsOf(n: number): string {
  if (n === 1) return 'Night staff should "listen first", then act.\nCall back within the hour.';
  if (n === 8) return 'Zoë said: crisis cafés close too early, at 6pm';
  if (n === 13) return '=SUM(1,2) is how the waiting list feels';
  return `Contribution ${n}: what the LXP said, in their words`;
}

export interface Fixture {
  deps: Deps;
  workstreams: Record<Ws, Workstream>;
  areaIds: Record<Area, string>;
  /** Contribution id by row number (1-based). */
  ids: string[];
}

type Clock = { set(iso: string): void };
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export async function buildReportFixture(deps: Deps, clock: Clock): Promise<Fixture> {
  clock.set('2026-01-05T09:00:00Z');
  for (const p of Object.values(P)) await ensurePerson(deps, p);
  await claimProgrammeLead(deps, P.priya);
  const workstreams = {} as Record<Ws, Workstream>;
  for (const [key, w] of Object.entries(WORKSTREAMS) as [Ws, (typeof WORKSTREAMS)[Ws]][]) {
    const r = await saveWorkstream(deps, P.priya, {
      submissionId: `fixture-${key}`, name: w.name, chairIds: [P[w.chair].id], staffIds: w.staff.map((s) => P[s].id), lxpIds: w.lxps.map((l) => P[l].id), priorityAreas: [...w.areas],
    });
    workstreams[key] = r.workstream;
    await linkChat(deps, P[w.chair], chatOf(key), r.workstream.id);
  }
  const areaIds = Object.fromEntries(Object.entries(AREA).map(([k, [ws, i]]) => [k, workstreams[ws].priorityAreas[i].id])) as Record<Area, string>;

  const ids: string[] = [];
  const meetingIds: Record<string, string> = {};
  for (const [key, m] of Object.entries(MEETINGS)) {
    const chat = chatOf(m.ws);
    const chair = P[WORKSTREAMS[m.ws].chair];
    clock.set(m.at);
    const { meeting } = await meetingStarted(deps, chat, { title: `${WORKSTREAMS[m.ws].name} ${key}`, startTime: m.at });
    meetingIds[key] = meeting.id;
    const present = (Object.entries(m.minutes) as [Who, number][]).filter(([, min]) => min > 0);
    await recordAttendance(deps, chat, 'join', present.map(([w]) => ({ id: P[w].id, name: P[w].name })), new Date(m.at));
    if (m.aim) await stateAim(deps, chair, meeting.id, `Aim of ${key}`);
    clock.set(plus(m.at, 30));
    for (const [i, row] of ROWS.entries()) {
      if (row[0] !== key) continue;
      const [, lxps, kind, areas, flags] = row;
      const f = flags.split(' ');
      const { contribution } = await logContribution(deps, chair, {
        submissionId: `fixture-row-${i + 1}`, meetingId: meeting.id, lxpIds: lxps.map((l) => P[l].id), words: wordsOf(i + 1), kind: KIND[kind],
        priorityAreaIds: areas.map((a) => areaIds[a]), ownerId: f.includes('J') ? P.jordan.id : undefined, anonymous: f.includes('anon'), restricted: f.includes('R'),
      });
      ids[i] = contribution.id;
    }
    for (const [w, min] of present) if (min < 90) await recordAttendance(deps, chat, 'leave', [{ id: P[w].id, name: P[w].name }], new Date(plus(m.at, min)));
    clock.set(plus(m.at, 90));
    await meetingEnded(deps, chat, plus(m.at, 90));
    if (m.review) await reviewAim(deps, chair, meeting.id, 'met', '');
  }

  for (const [i, [key, lxps, , , flags]] of ROWS.entries()) await applyFlags(deps, clock, ids[i], MEETINGS[key].at, lxps, flags.split(' ').filter(Boolean));
  clock.set(REPORT_NOW);
  return { deps, workstreams, areaIds, ids };
}

async function applyFlags(deps: Deps, clock: Clock, id: string, meetingAt: string, lxps: Who[], flags: string[]): Promise<void> {
  const c = await deps.stores.contributions.get(TENANT, id);
  for (const flag of flags) {
    const m = /^([APNUO])(\d*)$/.exec(flag);
    if (m) {
      clock.set(plus(meetingAt, Number(m[2] || 20) * 1440 + 120));
      const now = plus(meetingAt, Number(m[2] || 20) * 1440 + 120);
      const status = OUTCOME[m[1]];
      await applyEvent(deps, TENANT, id, {
        type: 'record_outcome',
        followUpAfterDue: plus(now, 60 * 24 * 28),
        outcome: {
          status, whatWeDid: `We acted on it, "as agreed", in ${status}`, decidedBy: c!.ownerId, decidedAt: now,
          reason: status === 'not_taken_forward' ? 'No budget this year, sadly' : undefined,
          newDueAt: status === 'under_consideration' ? plus(now, 60 * 24 * 30) : undefined,
          passedTo: status === 'passed_on' ? 'Commissioning group' : undefined,
        },
      }, c!.ownerId);
    }
    if (flag in ANSWER) {
      await applyEvent(deps, TENANT, id, { type: 'feed_back' }, 'scheduler');
      for (const l of lxps) await applyEvent(deps, TENANT, id, { type: 'respond', answer: ANSWER[flag] }, P[l].id);
    }
    if (flag === 'od' || flag === 'esc') await applyEvent(deps, TENANT, id, { type: 'become_overdue' }, 'scheduler');
    if (flag === 'esc') await applyEvent(deps, TENANT, id, { type: 'escalate' }, 'scheduler');
    if (flag === 'W') await checkContribution(deps, P[lxps[0]], id, 'withdraw');
  }
}

export function chatOf(ws: Ws) {
  return { tenantId: TENANT, conversationId: `19:fixture-${ws}@thread.v2` };
}
