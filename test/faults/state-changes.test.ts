/*
 * Fault injection for every state change (issue 19, docs/whole-writes.md): a store that fails the Nth write (a
 * 503, and the store is fine again), and separately one that "crashes" after the Nth write (the write lands, then
 * the command and every later call of that process die), for every N of every change. After the person's retry
 * (or, when the command answered, or for the sweep path, one sweep) the stored state must equal one fault-free
 * run's, every follow-up job exists once, and the counters and overdue index equal a recount.
 * In-process over the memory stores, so every N of every row runs in a few seconds.
 */
import { createHash } from 'node:crypto';
import { applyEvent, checkContribution, carryForward, contributionIdFor, logContribution, type LogInput } from '../../src/commands/contributions';
import type { Caller, Deps } from '../../src/commands/deps';
import { answerFeedback, markFedBack } from '../../src/commands/feedback';
import { forgetMe } from '../../src/commands/forget-me';
import { reconcileOverdueIndex } from '../../src/commands/counters';
import { clearsSettled, sweepPending } from '../../src/commands/outbox';
import { recordOutcome } from '../../src/commands/outcomes';
import { liftRestriction } from '../../src/commands/restriction';
import { handOverLead, saveWorkstream, setProgrammeMember, sweepSetupPending } from '../../src/commands/setup';
import type { Contribution } from '../../src/domain/contribution';
import { DomainError } from '../../src/domain/errors';
import type { Meeting } from '../../src/domain/meeting';
import { DEFAULT_PREFERENCES, newPerson } from '../../src/domain/person';
import type { Collection, Doc } from '../../src/domain/ports';
import { programmeStores } from '../../src/domain/programme-stores';
import { addCounts, counterId, countsOf, monthOf, overdueEntryOf, type Counts, type Counter, type OverdueEntry } from '../../src/domain/report';
import type { Stores } from '../../src/domain/stores';
import { PROGRAMME_ID, type Workstream } from '../../src/domain/workstream';
import { applyIfStill } from '../../src/jobs/ask-owner';
import { pauseInvolvement, resumeInvolvement } from '../../src/commands/involvement';
import { addMemberships } from '../../src/commands/memberships';
import { confirmProgrammePriority, proposeProgrammePriority } from '../../src/commands/programme-priorities';
import { deleteEqualityAnswers, saveEqualityAnswers } from '../../src/commands/about-me';
import { acceptProposal, declineProposal, proposeAgendaItem, proposeContribution, takeAgendaItem, withdrawProposal } from '../../src/commands/proposals';
import { agendaIdFor, proposalIdFor } from '../../src/domain/proposals';
import { agendaCarryHandler } from '../../src/jobs/proposals';
import { SCHEDULER_ACTOR } from '../../src/commands/feedback';
import { confirmAttendance } from '../../src/commands/meeting-end';
import { DEFAULT_SETTINGS, TEST_NOW, TEST_PROGRAMME, fixedClock, memoryStores, type MemoryCollection } from '../support/memory-collection';
import { testDeps } from '../support/memory-collection';

const T = 'tenant-1';
const who = (id: string): Caller => ({ id, tenantId: T, name: id });
const ID = contributionIdFor('card-1');
/** What the daily sweep completes (src/jobs/retention.ts): contributions' pending effects, and the setup changes left on the programme and workstreams. */
const sweep = async (deps: Deps) => {
  await sweepPending(deps, T);
  await sweepSetupPending(deps, T);
};

/** What the store says when it cannot take a write now (Cosmos DB's 503 / 429). */
class Unavailable extends Error {
  readonly code = 503;
}
/** The process died: the command is abandoned mid-way and nothing more of it runs. */
class Crashed extends Error {}

type Plan = { mode: 'count' } | { mode: 'fail' | 'crash'; n: number };
const WRITES = ['create', 'replace', 'upsert', 'delete'] as const;

/** The memory stores behind a wrapper that counts writes and fails or crashes at the planned one. */
function faulty(raw: Stores, plan: Plan): { stores: Stores; writes: () => number } {
  let writes = 0;
  let dead = false;
  const wrap = <T extends Doc>(c: Collection<T>): Collection<T> => {
    const out = {} as Record<string, unknown>;
    for (const m of ['get', 'query', 'queryAll'] as const) {
      out[m] = (...a: unknown[]) => (dead ? Promise.reject(new Crashed('crashed')) : (c[m] as (...x: unknown[]) => unknown).apply(c, a));
    }
    for (const m of WRITES) {
      out[m] = async (...a: unknown[]) => {
        if (dead) throw new Crashed('crashed');
        const n = ++writes;
        if (plan.mode === 'fail' && n === plan.n) throw new Unavailable('503: the store is busy, try again');
        const r = await (c[m] as (...x: unknown[]) => Promise<unknown>).apply(c, a);
        if (plan.mode === 'crash' && n === plan.n) {
          dead = true;
          throw new Crashed('crashed after the write');
        }
        return r;
      };
    }
    return out as unknown as Collection<T>;
  };
  const stores = Object.fromEntries(Object.entries(raw).map(([k, c]) => [k, wrap(c as Collection<Doc>)])) as unknown as Stores;
  return { stores, writes: () => writes };
}

function depsOver(raw: Stores, ids: { n: number }): Deps {
  return testDeps({ stores: programmeStores(raw, { programmeId: TEST_PROGRAMME }), clock: fixedClock(TEST_NOW), settings: { ...DEFAULT_SETTINGS }, newId: () => `id-${++ids.n}` });
}

const workstream: Workstream = {
  id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis pathway', chairIds: ['chris'], staffIds: ['jordan'], lxpIds: ['sam', 'alex'],
  priorityAreas: [{ id: 'area1', name: 'Crisis care at night', proposedBy: 'sam' }], chatIds: ['chat1'], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const meeting = (id: string, extra: Partial<Meeting> = {}): Meeting => ({
  id, tenantId: T, type: 'meeting', conversationId: `chat-${id}`, workstreamId: 'ws1', title: `Crisis pathway ${id}`, startedAt: TEST_NOW, chairId: 'chris', attendance: {}, createdAt: TEST_NOW, ...extra,
});
const logInput = (extra: Partial<LogInput> = {}): LogInput => ({
  submissionId: 'card-1', meetingId: 'm1', lxpIds: ['sam'], words: 'Night-time crisis lines need people who have been there', kind: 'suggestion', priorityAreaIds: ['area1'], anonymous: false, restricted: false, ...extra,
});

/** The programme, a workstream, two meetings and its people; sam hears news as it happens, alex weekly. */
async function base(deps: Deps, meetingExtra: Partial<Meeting> = {}): Promise<void> {
  await deps.stores.workstreams.create(workstream);
  await deps.stores.workstreams.create({ id: PROGRAMME_ID, tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya', 'kim'], createdAt: '2026-01-01T00:00:00Z' });
  await deps.stores.meetings.create(meeting('m1', meetingExtra));
  await deps.stores.meetings.create(meeting('m2'));
  for (const id of ['chris', 'jordan', 'priya']) await deps.stores.people.create(newPerson(T, id, id, deps.clock.now()));
  await deps.stores.people.create({ ...newPerson(T, 'kim', 'kim', deps.clock.now()), programme: true });
  for (const [id, rhythm] of [['sam', 'as_it_happens'], ['alex', 'weekly']] as const) {
    await deps.stores.people.create({ ...newPerson(T, id, id, deps.clock.now()), preferences: { ...DEFAULT_PREFERENCES, rhythm, quietDays: [] } });
  }
}

const logged = async (deps: Deps, extra: Partial<LogInput> = {}) => {
  await base(deps);
  await logContribution(deps, who('chris'), logInput({ lxpIds: ['sam', 'alex'], ...extra }));
};
const current = async (deps: Deps): Promise<Contribution> => (await deps.stores.contributions.get(T, ID))!;
// As the owner's card sends it: the due date it asked about, so a second press after interim news is out of date.
const adopted = { contributionId: ID, dueAt: '2026-03-23T10:00:00.000Z', status: 'adopted' as const, whatWeDid: 'We now run a peer support line at night.' };
const scheduler = (event: 'remind' | 'become_overdue' | 'escalate') => async (deps: Deps) => applyIfStill(deps, await current(deps), event, (c) => event !== 'remind' || c.reminders.count < 1);

/** Sam on the programme's index, as adding them to a workstream leaves them (a pause covers every programme on it). */
const withIndex = async (deps: Deps) => {
  await base(deps);
  await addMemberships(deps, T, ['sam']);
};
const PRIORITY = { title: 'Crisis care at night', why: 'Nobody answers after midnight', submissionId: 'pp-card-1' };
const priorityProposed = async (deps: Deps) => {
  await base(deps);
  return proposeProgrammePriority(deps, who('sam'), PRIORITY);
};
const PRIORITY_ID = `pp-${createHash('sha256').update(`sam|${PRIORITY.submissionId}`).digest('hex').slice(0, 16)}`;
const ABOUT_ME = { age: '25_34' };
/** Priya leads as claiming the programme leaves her: flagged, and the programme on her index. */
const leading = async (deps: Deps) => {
  await logged(deps);
  await deps.stores.people.replace({ ...(await deps.stores.people.get(T, 'priya'))!, programme: true });
  await addMemberships(deps, T, ['priya']);
};

interface Row {
  name: string;
  setup: (deps: Deps) => Promise<unknown>;
  act: (deps: Deps) => Promise<unknown>;
  /** Whether the sweep, with nobody retrying, repairs it (the outbox on the contribution); otherwise only a retry does. */
  sweep: boolean;
}

/** What an LXP brings themselves (issue 22): sam attended m1, which ended an hour after TEST_NOW. */
const ENDED = new Date(Date.parse(TEST_NOW) + 3600_000).toISOString();
const inM1 = (d: Deps) => base(d, { endedAt: ENDED, attendance: { sam: { name: 'sam', spans: [{ joinedAt: TEST_NOW, leftAt: ENDED }] } } });
const propose = (d: Deps) => proposeContribution(d, who('sam'), { meetingId: 'm1', submissionId: 'p-card', words: 'Leaflets in Polish too', kind: 'suggestion', priorityAreaIds: ['area1'], attribution: 'as_chosen', restriction: 'as_kind' });
const proposed = async (d: Deps) => { await inM1(d); await propose(d); };
const agendaItem = async (d: Deps) => { await inM1(d); await proposeAgendaItem(d, who('sam'), { workstreamId: 'ws1', submissionId: 'a-card', title: 'Night staffing' }); };
const carryJob = (d: Deps) => agendaCarryHandler.plan(d, { id: 'carry', tenantId: T, type: 'job', kind: 'agenda_carry', runAt: ENDED, status: 'running', subjectId: 'm1', payload: {}, attempts: 0, createdAt: ENDED }, new Date(ENDED));

/** One row per state change: a new one is one more row. */
const ROWS: Row[] = [
  { name: 'log', setup: (d) => base(d), act: (d) => logContribution(d, who('chris'), logInput({ lxpIds: ['sam', 'alex'] })), sweep: true },
  { name: 'log after the meeting ended (late checks)', setup: (d) => base(d, { endedAt: TEST_NOW }), act: (d) => logContribution(d, who('chris'), logInput({ lxpIds: ['sam', 'alex'] })), sweep: true },
  { name: 'correct', setup: logged, act: (d) => checkContribution(d, who('sam'), ID, 'correct', 'Crisis lines at night need peer workers'), sweep: true },
  { name: 'anonymise', setup: logged, act: (d) => checkContribution(d, who('sam'), ID, 'anonymise'), sweep: true },
  {
    name: 'withdraw (after a correction, whose words the audit then forgets)',
    setup: async (d) => { await logged(d); await checkContribution(d, who('sam'), ID, 'correct', 'Crisis lines at night need peer workers'); },
    act: (d) => checkContribution(d, who('sam'), ID, 'withdraw'),
    sweep: true,
  },
  { name: 'lift restriction', setup: (d) => logged(d, { restricted: true, lxpIds: ['sam'] }), act: (d) => liftRestriction(d, who('sam'), ID), sweep: true },
  { name: 'carry forward', setup: logged, act: (d) => carryForward(d, who('chris'), ID, 'm2'), sweep: true },
  { name: 'record outcome (adopted: chasers stop, sam hears now, alex in the digest)', setup: logged, act: (d) => recordOutcome(d, who('chris'), adopted), sweep: true },
  {
    name: 'record outcome (still under consideration: a new ask at the new date)',
    setup: logged,
    act: (d) => recordOutcome(d, who('chris'), { ...adopted, status: 'under_consideration', newDate: '2026-06-01' }),
    sweep: true,
  },
  { name: 'remind', setup: logged, act: scheduler('remind'), sweep: true },
  { name: 'overdue', setup: logged, act: scheduler('become_overdue'), sweep: true },
  { name: 'escalate', setup: async (d) => { await logged(d); await scheduler('become_overdue')(d); }, act: scheduler('escalate'), sweep: true },
  {
    name: 'feed back',
    setup: async (d) => { await logged(d); await recordOutcome(d, who('chris'), adopted); },
    act: async (d) => markFedBack(d, T, ID, (await current(d)).outcomes[0].decidedAt),
    sweep: true,
  },
  {
    name: 'LXP answer (wants to talk: owner and programme team told)',
    setup: async (d) => { await logged(d); await recordOutcome(d, who('chris'), adopted); await markFedBack(d, T, ID, (await current(d)).outcomes[0].decidedAt); },
    act: (d) => answerFeedback(d, who('sam'), { contributionId: ID, answer: 'want_to_talk' }),
    sweep: true,
  },
  { name: 'LXP proposes an addition (chair told, audited)', setup: inM1, act: propose, sweep: false },
  { name: 'chair accepts an addition (logged, LXP told)', setup: proposed, act: (d) => acceptProposal(d, who('chris'), proposalIdFor('p-card'), {}), sweep: false },
  { name: 'chair declines an addition (LXP told)', setup: proposed, act: (d) => declineProposal(d, who('chris'), proposalIdFor('p-card'), 'Already on the log'), sweep: false },
  { name: 'LXP proposes an agenda item', setup: inM1, act: (d) => proposeAgendaItem(d, who('sam'), { workstreamId: 'ws1', submissionId: 'a-card', title: 'Night staffing' }), sweep: false },
  { name: 'chair takes an agenda item (led an agenda item logged)', setup: agendaItem, act: (d) => takeAgendaItem(d, who('chris'), 'm2', agendaIdFor('a-card')), sweep: false },
  { name: 'LXP takes back their addition', setup: proposed, act: (d) => withdrawProposal(d, who('sam'), proposalIdFor('p-card')), sweep: false },
  { name: 'LXP takes back their agenda item', setup: agendaItem, act: (d) => withdrawProposal(d, who('sam'), agendaIdFor('a-card')), sweep: false },
  { name: 'agenda item carried past a meeting (LXP told), the job run again', setup: agendaItem, act: carryJob, sweep: false },
  { name: 'forget me', setup: logged, act: (d) => forgetMe(d, who('sam'), 'sam'), sweep: false },
  { name: 'remove a person from the programme team', setup: logged, act: (d) => setProgrammeMember(d, who('priya'), 'kim', false), sweep: true },
  // The old lead's retry is refused ("Only the programme lead ..."), having finished what the hand-over left.
  { name: 'hand over the lead (to a workstream member: both flags and indexes move, audited)', setup: leading, act: (d) => handOverLead(d, who('priya'), 'jordan'), sweep: true },
  { name: 'hand over the lead (to someone on the programme team)', setup: leading, act: (d) => handOverLead(d, who('priya'), 'kim'), sweep: true },
  {
    name: 'remove a person from a workstream (and add one)',
    setup: logged,
    act: (d) => saveWorkstream(d, who('priya'), { workstreamId: 'ws1', expectedUpdatedAt: workstream.updatedAt, name: workstream.name, chairIds: ['chris'], staffIds: ['kim'], lxpIds: ['sam', 'alex'], priorityAreas: ['Crisis care at night'] }),
    sweep: true,
  },
  {
    name: 'create a workstream (its LXPs welcomed)',
    setup: logged,
    act: (d) => saveWorkstream(d, who('priya'), { submissionId: 'new-ws', name: 'Perinatal care', chairIds: ['chris'], staffIds: [], lxpIds: ['alex', 'kim'], priorityAreas: ['Night feeds'] }),
    sweep: true,
  },
  // Changes outside a contribution: a retry that finds the change made writes its audit entry (and its notice) once.
  { name: 'confirm attendance (sam ticked here with nothing recorded is told, alex not here)', setup: (d) => base(d, { endedAt: TEST_NOW }), act: (d) => confirmAttendance(d, who('chris'), 'm1', ['sam']), sweep: false },
  { name: 'pause', setup: withIndex, act: (d) => pauseInvolvement(d, who('sam'), ['digests']), sweep: false },
  { name: 'resume', setup: async (d) => { await withIndex(d); await pauseInvolvement(d, who('sam'), []); }, act: (d) => resumeInvolvement(d, who('sam')), sweep: false },
  { name: 'propose a programme priority', setup: base, act: (d) => proposeProgrammePriority(d, who('sam'), PRIORITY), sweep: false },
  { name: 'confirm a programme priority (the proposer is told)', setup: priorityProposed, act: (d) => confirmProgrammePriority(d, who('priya'), PRIORITY_ID, []), sweep: false },
  { name: 'answer the about-me questions', setup: base, act: (d) => saveEqualityAnswers(d, who('sam'), ABOUT_ME), sweep: false },
  { name: 'delete the about-me answers', setup: async (d) => { await base(d); await saveEqualityAnswers(d, who('sam'), ABOUT_ME); }, act: (d) => deleteEqualityAnswers(d, who('sam')), sweep: false },
];

/**
 * Every document, without etags; sorted so two runs compare as sets. Ids made by newId (random in production: an
 * audit entry's id, forget me's placeholder) count in order of first appearance, so a retry that used a fresh one
 * for the same thing still compares equal, and a second entry still shows.
 */
function snapshot(raw: Stores): Record<string, Doc[]> {
  const out: Record<string, Doc[]> = {};
  for (const [name, c] of Object.entries(raw)) {
    out[name] = (c as MemoryCollection<Doc>).all().map(({ _etag, ...d }) => (void _etag, d));
  }
  const seen = new Map<string, string>();
  const text = JSON.stringify(out).replace(/id-\d+/g, (id) => seen.get(id) ?? (seen.set(id, `new-${seen.size + 1}`), `new-${seen.size}`));
  const renamed = JSON.parse(text) as Record<string, Doc[]>;
  for (const docs of Object.values(renamed)) docs.sort((a, b) => `${a.pk}|${a.id}`.localeCompare(`${b.pk}|${b.id}`));
  return renamed;
}

/** The counters and overdue index as a recount from the contributions would have them (src/domain/report.ts). */
function expectRecount(raw: Stores): void {
  const all = (raw.counters as unknown as MemoryCollection<Counter | OverdueEntry>).all();
  const contributions = (raw.contributions as unknown as MemoryCollection<Contribution>).all();
  const want = new Map<string, Counts>();
  for (const c of contributions) {
    const id = counterId(c.workstreamId, monthOf(c, DEFAULT_SETTINGS.timeZone));
    want.set(id, addCounts(want.get(id) ?? {}, countsOf(c, DEFAULT_SETTINGS.timeZone)));
  }
  const have = new Map(all.filter((d): d is Counter => d.type === 'counter').map((d) => [d.id, d.counts]));
  expect(Object.fromEntries(have)).toEqual(Object.fromEntries(want));
  const entries = all.filter((d): d is OverdueEntry => d.type === 'overdue' && !d.cleared).map((e) => e.contributionId).sort();
  expect(entries).toEqual(contributions.filter((c) => overdueEntryOf(c)).map((c) => c.id).sort());
}

async function ignoreRefusal(run: Promise<unknown>): Promise<void> {
  // A retry of a change that was stored is refused ("already ..."): the person sees that, and what was left is done.
  await run.catch((err: unknown) => {
    if (!(err instanceof DomainError)) throw err;
  });
}

/** Setup, then the change through a store with the plan; returns the memory stores and the outcome. */
async function attempt(row: Row, plan: Plan): Promise<{ raw: Stores; deps: Deps; failed: boolean; writes: number; before: Record<string, Doc[]> }> {
  const raw = memoryStores();
  const ids = { n: 0 };
  const healthy = depsOver(raw, ids);
  await row.setup(healthy);
  await clearsSettled();
  const before = snapshot(raw);
  const wrapped = faulty(raw, plan);
  const deps = { ...healthy, stores: programmeStores(wrapped.stores, { programmeId: TEST_PROGRAMME }) };
  const sick: Deps = { ...deps, queue: healthy.queue.in(deps.stores) };
  let failed = false;
  await row.act(sick).catch((err: unknown) => {
    if (plan.mode === 'count' || !(err instanceof Unavailable || err instanceof Crashed)) throw err;
    failed = true;
  });
  await clearsSettled();
  return { raw, deps: healthy, failed, writes: wrapped.writes(), before };
}

describe.each(ROWS)('$name', (row) => {
  let expected: Record<string, Doc[]>;
  let writes = 0;
  beforeAll(async () => {
    const clean = await attempt(row, { mode: 'count' });
    expected = snapshot(clean.raw);
    writes = clean.writes;
    expectRecount(clean.raw);
  });

  test('the fault-free run writes something, and leaves nothing pending', () => {
    expect(writes).toBeGreaterThan(0);
    expect(expected.contributions.every((c) => !(c as Contribution).pending)).toBe(true);
    expect(expected.workstreams.filter((w) => 'pendingTeam' in w || 'pendingEdits' in w)).toEqual([]);
  });

  test.each(['fail', 'crash'] as const)('%s at every write, then the retry (or, had it answered, the sweep): as one fault-free run', async (mode) => {
    for (let n = 1; n <= writes; n++) {
      const r = await attempt(row, { mode, n });
      if (r.failed) await ignoreRefusal(Promise.resolve(row.act(r.deps)));
      else await sweep(r.deps);
      await clearsSettled();
      expect({ n, mode, state: snapshot(r.raw) }).toEqual({ n, mode, state: expected });
      expectRecount(r.raw);
    }
  });

  if (row.sweep) {
    test.each(['fail', 'crash'] as const)('%s at every write, nobody retries, one sweep: nothing or everything', async (mode) => {
      for (let n = 1; n <= writes; n++) {
        const r = await attempt(row, { mode, n });
        await sweep(r.deps);
        await clearsSettled();
        const state = snapshot(r.raw);
        // Before the change was stored, nothing of it may be there; after, all of it.
        if (JSON.stringify(state) !== JSON.stringify(r.before)) expect({ n, mode, state }).toEqual({ n, mode, state: expected });
        expectRecount(r.raw);
      }
    });
  }
});

test('a refused repeat of an applied event still finishes what its first attempt left pending', async () => {
  const raw = memoryStores();
  const deps = depsOver(raw, { n: 0 });
  await logged(deps);
  await clearsSettled();
  const wrapped = faulty(raw, { mode: 'fail', n: 2 });
  const sick = { ...deps, stores: programmeStores(wrapped.stores, { programmeId: TEST_PROGRAMME }) };
  // The confirm is stored (write 1), its audit entry is not (write 2 fails).
  await expect(applyEvent({ ...sick, queue: deps.queue.in(sick.stores) }, T, ID, { type: 'confirm' }, 'sam')).rejects.toThrow(Unavailable);
  expect((await current(deps)).pending?.length).toBeGreaterThan(0);
  await expect(applyEvent(deps, T, ID, { type: 'become_overdue' }, SCHEDULER_ACTOR, () => {
    throw new DomainError('already_done', 'nothing to do');
  })).rejects.toThrow('nothing to do');
  await clearsSettled();
  expect((await current(deps)).pending).toBeUndefined();
  expect((raw.audit as unknown as MemoryCollection<Doc & { action: string }>).all().map((a) => a.action)).toContain('contribution.confirm');
});

describe('writes that used to be unconditional stay right when events race', () => {
  test('the overdue index: an older version written late never brings back or overwrites a newer one', async () => {
    const raw = memoryStores();
    const deps = depsOver(raw, { n: 0 });
    await logged(deps);
    await scheduler('become_overdue')(deps);
    const overdue = await current(deps);
    await recordOutcome(deps, who('chris'), adopted);
    await clearsSettled();
    // The overdue change's index effect carried out again, late (a slow instance, a sweep): the entry stays cleared.
    const { applyOverdueEffect } = await import('../../src/commands/counters');
    await applyOverdueEffect(deps, T, ID, overdue.history.length, overdueEntryOf(overdue));
    expectRecount(raw);
  });

  test('escalation and an outcome racing, many times: the index and the counters equal a recount', async () => {
    for (let i = 0; i < 20; i++) {
      const raw = memoryStores();
      const deps = depsOver(raw, { n: 0 });
      await logged(deps);
      await scheduler('become_overdue')(deps);
      await Promise.allSettled([scheduler('escalate')(deps), recordOutcome(deps, who('chris'), adopted), scheduler('remind')(deps)]);
      await clearsSettled();
      expectRecount(raw);
    }
  });

  test.each(['counter', 'overdue'] as const)('two versions pending, the older one\'s %s write fails and the newer one\'s succeeds: after the sweep the report equals a recount', async (target) => {
    const raw = memoryStores();
    const deps = depsOver(raw, { n: 0 });
    await logged(deps);
    await clearsSettled();
    // Becoming overdue is stored (write 1) with its effects, then the process dies: version 2 pending.
    const crashed = faulty(raw, { mode: 'crash', n: 1 });
    const view = programmeStores(crashed.stores, { programmeId: TEST_PROGRAMME });
    await expect(scheduler('become_overdue')({ ...deps, stores: view, queue: deps.queue.in(view) })).rejects.toThrow(Crashed);
    // The outcome (version 3) carries out version 2's effects and its own together; the first write of the target fails once.
    let failed = 0;
    const counters = raw.counters as Collection<Doc>;
    const flaky: Collection<Doc> = Object.create(counters) as Collection<Doc>;
    for (const m of WRITES) {
      flaky[m] = (async (...a: unknown[]) => {
        const doc = a[0] as { type?: string } | undefined;
        if (m !== 'delete' && doc?.type === target && failed++ === 0) throw new Unavailable('503: the store is busy, try again');
        return (counters[m] as (...x: unknown[]) => Promise<unknown>).apply(counters, a);
      }) as never;
    }
    const shaky = programmeStores({ ...raw, counters: flaky } as Stores, { programmeId: TEST_PROGRAMME });
    await expect(recordOutcome({ ...deps, stores: shaky, queue: deps.queue.in(shaky) }, who('chris'), adopted)).rejects.toThrow(Unavailable);
    expect(failed).toBeGreaterThan(0);
    await clearsSettled();
    await sweepPending(deps, T);
    await clearsSettled();
    expect((await current(deps)).pending).toBeUndefined();
    expectRecount(raw);
  });

  test.each([
    ['brings back an entry an outcome cleared', 'become_overdue', true],
    ['removes an entry the contribution gained since', 'none', false],
  ] as const)('the daily overdue-index repair, late with what it read, never %s', async (_, readAfter, overdueAtEnd) => {
    const raw = memoryStores();
    const deps = depsOver(raw, { n: 0 });
    await logged(deps);
    if (readAfter === 'become_overdue') await scheduler('become_overdue')(deps);
    await clearsSettled();
    // The repair reads the contributions now ...
    const read = memoryStores();
    await depsOver(read, { n: 0 }).stores.contributions.create((({ _etag, ...c }) => (void _etag, c))(await current(deps)));
    // ... then the contribution changes (an outcome clears its entry; becoming overdue gives it one) ...
    if (overdueAtEnd) await recordOutcome(deps, who('chris'), adopted);
    else await scheduler('become_overdue')(deps);
    await clearsSettled();
    // ... and only then the repair writes, from what it read.
    const contributions = Object.create(raw.contributions) as Collection<Doc>;
    contributions.query = read.contributions.query.bind(read.contributions);
    contributions.queryAll = read.contributions.queryAll.bind(read.contributions);
    const late = { ...deps, stores: programmeStores({ ...raw, contributions } as Stores, { programmeId: TEST_PROGRAMME }) };
    await reconcileOverdueIndex(late, T);
    expectRecount(raw);
    expect(await reconcileOverdueIndex(deps, T)).toBe(0);
  });

  test("a withdrawal after a correction whose audit entry failed: no audit entry and nothing pending keeps the LXP's words", async () => {
    const raw = memoryStores();
    const deps = depsOver(raw, { n: 0 });
    await logged(deps);
    await clearsSettled();
    const sick = faulty(raw, { mode: 'fail', n: 2 });
    const view = programmeStores(sick.stores, { programmeId: TEST_PROGRAMME });
    await expect(checkContribution({ ...deps, stores: view, queue: deps.queue.in(view) }, who('sam'), ID, 'correct', 'My own wording')).rejects.toThrow(Unavailable);
    await checkContribution(deps, who('sam'), ID, 'withdraw');
    await clearsSettled();
    const everything = JSON.stringify(snapshot(raw));
    expect(everything).not.toContain('My own wording');
    expect(everything).not.toContain('Night-time crisis lines');
    expect((raw.audit as unknown as MemoryCollection<Doc & { action: string }>).all().map((a) => a.action)).toEqual(expect.arrayContaining(['contribution.correct', 'contribution.withdraw']));
  });
});

test("forget me after another LXP's correction: the audit keeps neither version of the words, erased by the forget event", async () => {
  const raw = memoryStores();
  const deps = depsOver(raw, { n: 0 });
  await logged(deps);
  await checkContribution(deps, who('alex'), ID, 'correct', 'Crisis lines at night need peer workers');
  await clearsSettled();
  const audit = raw.audit as unknown as MemoryCollection<Doc & { action: string; detail?: Record<string, unknown> }>;
  expect(JSON.stringify(audit.all())).toContain('Crisis lines at night need peer workers');
  await forgetMe(deps, who('sam'), 'sam');
  await clearsSettled();
  const everything = JSON.stringify(snapshot(raw));
  expect(everything).not.toContain('Crisis lines at night need peer workers');
  expect(everything).not.toContain('Night-time crisis lines');
  // Alex's correction stays in the audit, as a fact without words.
  expect(audit.all().filter((a) => a.action === 'contribution.correct').map((a) => a.detail?.wordsErased)).toEqual([true]);
});

test("the programme's daily sweep job finishes what a request left pending when nobody retried", async () => {
  const { retentionHandler, sweepJob } = await import('../../src/jobs/retention');
  const raw = memoryStores();
  const deps = depsOver(raw, { n: 0 });
  await base(deps);
  const sick = faulty(raw, { mode: 'crash', n: 1 });
  const view = programmeStores(sick.stores, { programmeId: TEST_PROGRAMME });
  await expect(logContribution({ ...deps, stores: view, queue: deps.queue.in(view) }, who('chris'), logInput())).rejects.toThrow(Crashed);
  expect((await current(deps)).pending?.length).toBeGreaterThan(0);
  const job = sweepJob(T, '2026-03-10');
  await retentionHandler.plan(deps, { id: 'sweep', tenantId: T, type: 'job', kind: job.kind, runAt: job.runAt.toISOString(), status: 'running', subjectId: job.subjectId, payload: {}, attempts: 0, createdAt: TEST_NOW }, job.runAt);
  expect((await current(deps)).pending).toBeUndefined();
  expect((await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'ask_owner' }])).items).toHaveLength(1);
  expectRecount(raw);
});

test('a second setup change while an earlier one is unfinished keeps both; the daily sweep finishes what nobody retried', async () => {
  const { retentionHandler, sweepJob } = await import('../../src/jobs/retention');
  const raw = memoryStores();
  const deps = depsOver(raw, { n: 0 });
  await logged(deps);
  await clearsSettled();
  const crashingAfterFirstWrite = (): Deps => {
    const view = programmeStores(faulty(raw, { mode: 'crash', n: 1 }).stores, { programmeId: TEST_PROGRAMME });
    return { ...deps, stores: view, queue: deps.queue.in(view) };
  };
  const actions = () => (raw.audit as unknown as MemoryCollection<Doc & { action: string; subjectId: string }>).all().map((a) => `${a.action} ${a.subjectId}`);
  const person = async (id: string) => (await deps.stores.people.get(T, id))!;

  // Kim's removal from the programme team is stored, then the process dies; Priya then adds Jordan: both are done and audited.
  await expect(setProgrammeMember(crashingAfterFirstWrite(), who('priya'), 'kim', false)).rejects.toThrow(Crashed);
  await setProgrammeMember(deps, who('priya'), 'jordan', true);
  expect(actions()).toEqual(expect.arrayContaining(['programme.member_removed kim', 'programme.member_added jordan']));
  expect([(await person('kim')).programme, (await person('jordan')).programme]).toEqual([false, true]);

  // Two workstream edits, each stored and cut short: Kim joins as an LXP, then Jordan leaves. Nobody presses again.
  const edit = { workstreamId: 'ws1', name: workstream.name, chairIds: ['chris'], priorityAreas: ['Crisis care at night'] };
  await expect(saveWorkstream(crashingAfterFirstWrite(), who('priya'), { ...edit, staffIds: ['jordan'], lxpIds: ['sam', 'alex', 'kim'] })).rejects.toThrow(Crashed);
  await expect(saveWorkstream(crashingAfterFirstWrite(), who('priya'), { ...edit, staffIds: [], lxpIds: ['sam', 'alex', 'kim'] })).rejects.toThrow(Crashed);
  const job = sweepJob(T, '2026-03-10');
  await retentionHandler.plan(deps, { id: 'sweep', tenantId: T, type: 'job', kind: job.kind, runAt: job.runAt.toISOString(), status: 'running', subjectId: job.subjectId, payload: {}, attempts: 0, createdAt: TEST_NOW }, job.runAt);
  await clearsSettled();
  expect(actions().filter((a) => a === 'workstream.edited ws1')).toHaveLength(2);
  expect((await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'onboard' }])).items.map((j) => j.subjectId)).toEqual(['kim']);
  // Kim, back in the programme as an LXP, has it in their index again; Jordan, off the workstream but on the team, keeps it.
  const { membershipsOf } = await import('../../src/commands/memberships');
  for (const id of ['kim', 'jordan']) expect(Object.keys((await membershipsOf(deps, T, id))?.programmes ?? {})).toEqual([TEST_PROGRAMME]);
  // Nothing is left pending on the programme or the workstream.
  const left = (raw.workstreams as unknown as MemoryCollection<Doc>).all().filter((w) => 'pendingTeam' in w || 'pendingEdits' in w);
  expect(left).toEqual([]);
});
