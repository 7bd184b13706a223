/**
 * Benchmark 3's data, made inside the bot process (bench/bot-process.ts)
 * through the same Collection API the commands use: meetings, contributions
 * whose history comes from the domain's own transition(), and the monthly
 * counters those contributions add up to (what logContribution and
 * applyEvent keep in step one change at a time). Deterministic: the same
 * arguments give the same data.
 */
import { addDays, addMinutes, addMonths } from 'date-fns';
import { KINDS, recordContribution, transition, type Answer, type Contribution, type OutcomeStatus } from '../src/domain/contribution';
import type { Meeting } from '../src/domain/meeting';
import { addCounts, counterId, countsOf, figuresFrom, meetingFigures, monthOf, overdueEntryOf, sumCounts, type Counter, type Figures, type OverdueEntry } from '../src/domain/report';
import { overdueIndex } from '../src/commands/counters';
import type { Collection, Doc } from '../src/domain/ports';
import { defaultPeriod, previousPeriod, type Period } from '../src/domain/period';
import { workstreamsOf } from '../src/commands/roles-of';
import { meetingsIn } from '../src/commands/reports';
import { inProgramme, type Deps } from '../src/commands/deps';

export interface SeedArgs {
  tenantId: string;
  /** The programme whose partition is seeded (issue 18: each programme's documents live in `<tenantId>|<programmeId>`). */
  programmeId: string;
  /** The generator's seed, so two programmes get different figures. */
  seed?: number;
  contributions: number;
  months: number;
  meetingsPerMonth: number;
  concurrency: number;
}

/** A small deterministic generator (mulberry32), so two runs seed the same programme. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeAll<T extends Doc>(collection: Collection<T>, docs: T[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < docs.length) await collection.create(docs[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const OUTCOMES: [OutcomeStatus, number][] = [['adopted', 0.45], ['partly_adopted', 0.2], ['not_taken_forward', 0.15], ['under_consideration', 0.1], ['passed_on', 0.1]];
const ANSWERS: Answer[] = ['helpful', 'helpful', 'helpful', 'want_to_talk', 'does_not_reflect'];

function pick<T>(rnd: () => number, weighted: [T, number][]): T {
  let r = rnd();
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}

/**
 * Lives a contribution through: withdrawn (3%); overdue or escalated (2% of
 * those from the last four months whose feedback is due); otherwise an
 * outcome some days after the meeting once due, fed back and answered by
 * most LXPs; open if not yet due.
 */
function live(c: Contribution, rnd: () => number, now: Date): Contribution {
  const met = new Date(c.meetingDate);
  const due = new Date(c.dueAt);
  const r = rnd();
  if (r < 0.03) return transition(c, { type: 'withdraw' }, c.lxpIds[0], addDays(met, 2));
  if (due > now) return c;
  if (r < 0.05 && met > addMonths(now, -4)) {
    const overdue = transition(c, { type: 'become_overdue' }, 'scheduler', addDays(due, 1));
    return r < 0.04 ? overdue : transition(overdue, { type: 'escalate' }, 'scheduler', addDays(due, 15));
  }
  const status = pick(rnd, OUTCOMES);
  const decidedAt = addDays(met, 1 + Math.floor(rnd() * 13));
  let out = transition(c, {
    type: 'record_outcome',
    followUpAfterDue: addDays(decidedAt, 28).toISOString(),
    outcome: { status, whatWeDid: 'We changed the night-time rota so a peer worker is on every shift.', decidedBy: c.ownerId, decidedAt: decidedAt.toISOString(), newDueAt: status === 'under_consideration' ? addDays(decidedAt, 30).toISOString() : undefined, passedTo: status === 'passed_on' ? 'Commissioning group' : undefined },
  }, c.ownerId, decidedAt);
  if (out.status !== 'outcome_recorded') return out;
  const fedBack = addDays(decidedAt, 1);
  out = transition(out, { type: 'feed_back' }, 'scheduler', fedBack);
  for (const lxp of out.lxpIds) if (rnd() < 0.7) out = transition(out, { type: 'respond', answer: ANSWERS[Math.floor(rnd() * ANSWERS.length)] }, lxp, addDays(fedBack, 2));
  return out;
}

export async function seedReports(all: Deps, args: SeedArgs): Promise<{ meetings: number; contributions: number; counters: number; overdue: number; seconds: number; bytes: number }> {
  const started = Date.now();
  const deps = inProgramme(all, args.tenantId, args.programmeId);
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const rnd = random(args.seed ?? 20261123);
  const workstreams = await workstreamsOf(deps, args.tenantId);
  if (!workstreams.length) throw new Error('no workstreams to seed');

  const meetings: Meeting[] = [];
  for (const w of workstreams) {
    for (let m = 0; m < args.months; m++) {
      for (let k = 0; k < args.meetingsPerMonth; k++) {
        // Within the month, on a weekday morning; the current month only up to today.
        const monthStart = addMonths(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 10)), -m);
        const startedAt = addDays(monthStart, 2 + k * 10 + Math.floor(rnd() * 5));
        if (startedAt > now) continue;
        const id = `seed-${args.programmeId}-${w.id}-${m}-${k}`;
        const attendance = Object.fromEntries(w.lxpIds.map((l) => [l, { name: '', spans: rnd() < 0.85 ? [{ joinedAt: startedAt.toISOString(), leftAt: addMinutes(startedAt, 30 + Math.floor(rnd() * 60)).toISOString() }] : [] }]));
        meetings.push({
          id, tenantId: args.tenantId, type: 'meeting', conversationId: `19:seed-${w.id}@thread.v2`, workstreamId: w.id, title: `${w.name} monthly`,
          startedAt: startedAt.toISOString(), endedAt: addMinutes(startedAt, 90).toISOString(), chairId: w.chairIds[0], attendance,
          aim: rnd() < 0.8 ? { text: 'Agree what to change first', by: w.chairIds[0], at: startedAt.toISOString() } : undefined,
          review: rnd() < 0.6 ? { result: 'met', nextSteps: '', by: w.chairIds[0], at: addMinutes(startedAt, 85).toISOString() } : undefined,
          createdAt: startedAt.toISOString(),
        });
      }
    }
  }

  const byId = new Map(workstreams.map((w) => [w.id, w]));
  const contributions: Contribution[] = [];
  const counters = new Map<string, Counter>();
  // What countChange keeps beside the counters as contributions become overdue (src/commands/counters.ts).
  const overdue: OverdueEntry[] = [];
  let bytes = 0;
  for (let i = 0; i < args.contributions; i++) {
    const meeting = meetings[i % meetings.length];
    const w = byId.get(meeting.workstreamId!)!;
    const met = new Date(meeting.startedAt!);
    const kind = KINDS[Math.floor(rnd() * KINDS.length)];
    const lxpIds = rnd() < 0.15 ? [...w.lxpIds] : [w.lxpIds[Math.floor(rnd() * w.lxpIds.length)]];
    const areas = w.priorityAreas.filter(() => rnd() < 0.35).map((a) => a.id);
    const fresh = recordContribution({
      id: `seed-${args.programmeId}-c-${i}`, tenantId: args.tenantId, workstreamId: w.id, meetingId: meeting.id, meetingTitle: meeting.title, meetingDate: meeting.startedAt!,
      lxpIds, words: `Contribution ${i}: the crisis line should call back within the hour, and say who is calling.`, kind, priorityAreaIds: areas,
      ownerId: rnd() < 0.2 && w.staffIds.length ? w.staffIds[0] : w.chairIds[0], dueAt: addDays(met, 14).toISOString(),
      anonymous: rnd() < 0.1, restricted: kind === 'personal_experience' && rnd() < 0.5,
    }, w.chairIds[0], addMinutes(met, 30));
    const c = live(fresh, rnd, now);
    contributions.push(c);
    bytes += JSON.stringify(c).length;
    const month = monthOf(c, tz);
    const id = counterId(c.workstreamId, month);
    const counter = counters.get(id) ?? { id, tenantId: args.tenantId, type: 'counter' as const, workstreamId: c.workstreamId, month, counts: {} };
    counter.counts = addCounts(counter.counts, countsOf(c, tz));
    counters.set(id, counter);
    const entry = overdueEntryOf(c);
    if (entry) overdue.push(entry);
  }

  await writeAll(deps.stores.meetings, meetings, args.concurrency);
  await writeAll(deps.stores.contributions, contributions, args.concurrency);
  await writeAll(deps.stores.counters, [...counters.values()], args.concurrency);
  await writeAll(overdueIndex(deps), overdue, args.concurrency);
  return { meetings: meetings.length, contributions: contributions.length, counters: counters.size, overdue: overdue.length, seconds: (Date.now() - started) / 1000, bytes };
}

/**
 * The baseline: the report's figures without the counters, by reading every
 * contribution in scope page by page (queryEvery's loop, 1,000 a page) and
 * the period's meetings, as the report does. `budgetMs` bounds it: past the
 * budget it stops between pages and says how far it got.
 */
export async function baselineReport(
  all: Deps,
  args: { tenantId: string; programmeId: string; workstreamId?: string; budgetMs: number },
): Promise<{ ms: number; read: number; pages: number; complete: boolean; current?: Figures; before?: Figures }> {
  const deps = inProgramme(all, args.tenantId, args.programmeId);
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const period = defaultPeriod(now, tz);
  const previous = previousPeriod(period, tz);
  const filters = args.workstreamId ? [{ field: 'workstreamId', op: '=' as const, value: args.workstreamId }] : [{ field: 'type', op: '=' as const, value: 'contribution' }];
  const read: Contribution[] = [];
  let continuation: string | undefined;
  let pages = 0;
  do {
    const page = await deps.stores.contributions.query(args.tenantId, filters, { pageSize: 1000, continuation });
    read.push(...page.items);
    continuation = page.continuation;
    pages++;
  } while (continuation && elapsed() < args.budgetMs);
  if (continuation) return { ms: elapsed(), read: read.length, pages, complete: false };
  const inPeriod = (p: Period) => read.filter((c) => c.meetingDate >= p.from.toISOString() && c.meetingDate < p.to.toISOString());
  const scope = args.workstreamId ? [args.workstreamId] : 'all';
  const figures = async (p: Period) => figuresFrom(sumCounts(inPeriod(p).map((c) => countsOf(c, tz))), meetingFigures(await meetingsIn(deps, args.tenantId, scope, p), now));
  const current = await figures(period);
  const before = await figures(previous);
  return { ms: elapsed(), read: read.length, pages, complete: true, current, before };
}

/**
 * One query over the contributions container, as the report turn made before
 * the overdue index (and as an export still does): what the embedded store
 * charges per query at this size. The SDK gives up on a
 * request after 60 s (and reports it once the event loop is free again), so
 * an error is returned with the time it took, not thrown.
 */
export async function probeQuery(all: Deps, args: { tenantId: string; programmeId: string }): Promise<{ ms: number; found?: number; error?: string }> {
  const deps = inProgramme(all, args.tenantId, args.programmeId);
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    const page = await deps.stores.contributions.query(args.tenantId, [{ field: 'status', op: '=', value: 'escalated' }], { pageSize: 200 });
    return { ms: ms(), found: page.items.length };
  } catch (err) {
    return { ms: ms(), error: (err as Error).message };
  }
}
