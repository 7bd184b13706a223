import { countChange, overdueIndex, readCounts, rebuildCounters, reconcileOverdueIndex } from '../../src/commands/counters';
import { recordContribution, transition, type Contribution } from '../../src/domain/contribution';
import { counterId, overdueEntryOf } from '../../src/domain/report';
import { testDeps, type MemoryCollection } from '../support/memory-collection';
import { allDocs } from '../support/memory-collection';
import type { Counter, OverdueEntry } from '../../src/domain/report';

const contribution = (n: number, meetingDate = '2026-03-03T10:00:00Z'): Contribution =>
  recordContribution({
    id: `c${n}`, tenantId: 't', workstreamId: 'w', meetingId: 'm', meetingTitle: 'M', meetingDate, lxpIds: ['a'], words: 'w', kind: 'question',
    priorityAreaIds: [], ownerId: 'o', dueAt: '2026-03-17T10:00:00Z', anonymous: false, restricted: false,
  }, 'chair', new Date('2026-03-03T10:30:00Z'));

const index = (deps: ReturnType<typeof testDeps>) =>
  (allDocs(deps.stores.counters) as (Counter | OverdueEntry)[]).filter((d): d is OverdueEntry => d.type === 'overdue');

describe('the overdue index beside the counters', () => {
  test('holds a contribution while it is overdue or escalated, and lets go when an outcome is recorded or it is withdrawn; a rebuild agrees', async () => {
    const deps = testDeps();
    const at = (d: string) => new Date(`2026-03-${d}T10:00:00Z`);
    const [a, b, c] = [contribution(1), contribution(2), contribution(3)];
    for (const x of [a, b, c]) await countChange(deps, undefined, x);
    expect(index(deps)).toEqual([]);

    const aLate = transition(a, { type: 'become_overdue' }, 's', at('18'));
    const bLate = transition(b, { type: 'become_overdue' }, 's', at('18'));
    const cLate = transition(c, { type: 'become_overdue' }, 's', at('18'));
    for (const [before, after] of [[a, aLate], [b, bLate], [c, cLate]]) await countChange(deps, before, after);
    expect(index(deps).map((e) => [e.contributionId, e.status, e.ownerId, e.dueAt]).sort()).toEqual([
      ['c1', 'overdue', 'o', '2026-03-17T10:00:00Z'], ['c2', 'overdue', 'o', '2026-03-17T10:00:00Z'], ['c3', 'overdue', 'o', '2026-03-17T10:00:00Z'],
    ]);

    const aEscalated = transition(aLate, { type: 'escalate' }, 's', at('25'));
    await countChange(deps, aLate, aEscalated);
    const bDone = transition(bLate, { type: 'record_outcome', followUpAfterDue: bLate.dueAt, outcome: { status: 'adopted', whatWeDid: 'Done.', decidedBy: 'o', decidedAt: at('26').toISOString() } }, 'o', at('26'));
    await countChange(deps, bLate, bDone);
    const cGone = transition(cLate, { type: 'withdraw' }, 'a', at('27'));
    await countChange(deps, cLate, cGone);
    expect(index(deps).map((e) => [e.contributionId, e.status])).toEqual([['c1', 'escalated']]);

    // Rebuilt from the contributions themselves, the index is the same.
    for (const x of [aEscalated, bDone, cGone]) await deps.stores.contributions.create(x);
    const running = index(deps).map(({ _etag, ...e }) => e);
    await rebuildCounters(deps, 't');
    expect(index(deps).map(({ _etag, ...e }) => e)).toEqual(running);
  });

  test('the daily sweep puts a missing, stale or leftover entry right, and a second run changes nothing', async () => {
    const deps = testDeps();
    const at = new Date('2026-03-18T10:00:00Z');
    const late = [1, 2].map((n) => transition(contribution(n), { type: 'become_overdue' }, 's', at));
    for (const c of late) await deps.stores.contributions.create(c);
    // c1's entry was never written (a crash); c2's names the wrong owner; c9's contribution no longer exists.
    await overdueIndex(deps).upsert({ ...overdueEntryOf(late[1])!, ownerId: 'someone-else' });
    await overdueIndex(deps).upsert({ ...overdueEntryOf(late[1])!, id: 'overdue:c9', contributionId: 'c9' });
    expect(await reconcileOverdueIndex(deps, 't')).toBe(3);
    expect(index(deps).map((e) => [e.contributionId, e.ownerId]).sort()).toEqual([['c1', 'o'], ['c2', 'o']]);
    expect(await reconcileOverdueIndex(deps, 't')).toBe(0);
  });
});

describe('countChange', () => {
  test('twenty first changes to a month at once: one counter, created once, nothing lost', async () => {
    const deps = testDeps();
    await Promise.all(Array.from({ length: 20 }, (_, i) => countChange(deps, undefined, contribution(i))));
    const docs = (allDocs(deps.stores.counters) as Counter[]);
    expect(docs.map((d) => d.id)).toEqual([counterId('w', '2026-03')]);
    expect(docs[0].counts).toEqual({ recorded: 20, 'kind:question': 20 });
  });

  test('a change moves only what differs; withdrawing takes it out of every figure; no-op writes nothing', async () => {
    const deps = testDeps();
    const c = contribution(1);
    await countChange(deps, undefined, c);
    const overdue = transition(c, { type: 'become_overdue' }, 's', new Date('2026-03-20T10:00:00Z'));
    await countChange(deps, c, overdue);
    expect(await readCounts(deps, 't', ['w'], ['2026-03'])).toEqual({ recorded: 1, 'kind:question': 1, overdue: 1 });
    const before = (allDocs(deps.stores.counters) as (Counter | OverdueEntry)[])[0]._etag;
    await countChange(deps, overdue, overdue);
    expect((allDocs(deps.stores.counters) as (Counter | OverdueEntry)[])[0]._etag).toBe(before);
    await countChange(deps, overdue, transition(overdue, { type: 'withdraw' }, 'a', new Date('2026-03-21T10:00:00Z')));
    expect(await readCounts(deps, 't', 'all', ['2026-01', '2026-02', '2026-03'])).toEqual({ withdrawn: 1 });
  });

  test('changes arriving while a counter is being written are summed into one next write; each caller waits for its own', async () => {
    const deps = testDeps();
    await countChange(deps, undefined, contribution(0));
    const counters = Object.assign(deps.stores.counters, { all: () => allDocs(deps.stores.counters) as Counter[] });
    const replace = counters.replace.bind(counters);
    let replaces = 0;
    counters.replace = (doc) => {
      replaces++;
      return replace(doc);
    };
    const done: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => countChange(deps, undefined, contribution(i + 1)).then(() => done.push(i))));
    expect(done).toHaveLength(20);
    expect(replaces).toBe(2);
    expect(counters.all()[0].counts).toEqual({ recorded: 21, 'kind:question': 21 });
  });

  test('a write that fails fails every change it carried, and only those; later changes are still written', async () => {
    const deps = testDeps();
    await countChange(deps, undefined, contribution(0));
    const counters = Object.assign(deps.stores.counters, { all: () => allDocs(deps.stores.counters) as Counter[] });
    const replace = counters.replace.bind(counters);
    let failNext = true;
    counters.replace = (doc) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('store unavailable'));
      }
      return replace(doc);
    };
    const results = await Promise.allSettled([1, 2, 3].map((n) => countChange(deps, undefined, contribution(n))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(counters.all()[0].counts).toEqual({ recorded: 3, 'kind:question': 3 });
  });
});
