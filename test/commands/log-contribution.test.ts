import { contributionIdFor, logContribution, type LogInput } from '../../src/commands/contributions';
import { readCounts } from '../../src/commands/counters';
import type { Caller, Deps } from '../../src/commands/deps';
import { DomainError } from '../../src/domain/errors';
import type { Meeting } from '../../src/domain/meeting';
import type { Stores } from '../../src/domain/stores';
import { PROGRAMME_ID, type Workstream } from '../../src/domain/workstream';
import { DEFAULT_PREFERENCES, newPerson } from '../../src/domain/person';
import { TEST_NOW, fixedClock, testDeps, type MemoryCollection } from '../support/memory-collection';
import { allDocs } from '../support/memory-collection';

const T = 'tenant-1';
const chris: Caller = { id: 'chris', tenantId: T, name: 'Chris' };
const priya: Caller = { id: 'priya', tenantId: T, name: 'Priya' };
const jordan: Caller = { id: 'jordan', tenantId: T, name: 'Jordan' };

const workstream: Workstream = {
  id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis pathway', chairIds: ['chris'], staffIds: ['jordan'], lxpIds: ['sam', 'alex'],
  priorityAreas: [{ id: 'area1', name: 'Crisis care at night', proposedBy: 'sam' }], chatIds: ['chat1'], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const meeting: Meeting = {
  id: 'm1', tenantId: T, type: 'meeting', conversationId: 'chat1', workstreamId: 'ws1', title: 'Crisis pathway monthly', startedAt: TEST_NOW, chairId: 'chris', attendance: {}, createdAt: TEST_NOW,
};

async function setUp(overrides: Partial<Deps> = {}): Promise<Deps> {
  const deps = testDeps(overrides);
  await deps.stores.workstreams.create(workstream);
  await deps.stores.workstreams.create({ id: PROGRAMME_ID, tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya'], createdAt: '2026-01-01T00:00:00Z' });
  await deps.stores.meetings.create(meeting);
  return deps;
}

const input = (overrides: Partial<LogInput> = {}): LogInput => ({
  submissionId: 'card-1', meetingId: 'm1', lxpIds: ['sam'], words: 'Night-time crisis lines need people who have been there', kind: 'suggestion',
  priorityAreaIds: ['area1'], anonymous: false, restricted: false, ...overrides,
});

/** Records every store call ("people.get"), in order, as the store sees them. */
function recordCalls(stores: Stores): string[] {
  const calls: string[] = [];
  for (const [name, collection] of Object.entries(stores) as [string, Record<string, (...a: unknown[]) => unknown>][]) {
    for (const method of ['get', 'create', 'replace', 'upsert', 'delete', 'query', 'queryAll']) {
      const original = collection[method].bind(collection);
      collection[method] = (...args: unknown[]) => {
        calls.push(`${name}.${method}`);
        return original(...args);
      };
    }
  }
  return calls;
}

const all = <T>(deps: Deps, name: keyof Stores) => allDocs(deps.stores[name] as never) as (T & { id: string; tenantId: string })[];

describe('logContribution', () => {
  test("a chair's save: the create is the duplicate check, and the programme team is not looked up", async () => {
    const deps = await setUp();
    const calls = recordCalls(deps.stores);
    const r = await logContribution(deps, chris, input());
    expect(r.alreadySaved).toBe(false);
    expect(r.contribution.id).toBe(contributionIdFor('card-1'));
    // The LXPs' own choices (anonymous by default?) are read in one query before the create.
    expect(calls.slice(0, 4)).toEqual(['meetings.get', 'workstreams.get', 'people.query', 'contributions.create']);
    expect([...calls.slice(4)].sort()).toEqual(['audit.create', 'counters.create', 'counters.get', 'jobs.create']);
  });

  test('the same card sent twice, one after the other or at once, saves once and answers "already saved" with what was saved', async () => {
    const deps = await setUp();
    const first = await logContribution(deps, chris, input());
    const again = await logContribution(deps, chris, input({ words: 'A different wording on a stale copy of the card' }));
    expect(again.alreadySaved).toBe(true);
    expect(again.contribution).toEqual(first.contribution);
    const both = await Promise.all([logContribution(deps, chris, input({ submissionId: 'card-2' })), logContribution(deps, chris, input({ submissionId: 'card-2' }))]);
    expect(both.map((b) => b.alreadySaved).sort()).toEqual([false, true]);
    expect(both[0].contribution.id).toBe(both[1].contribution.id);
    expect(all(deps, 'contributions')).toHaveLength(2);
    expect(all(deps, 'audit')).toHaveLength(2);
    expect(all(deps, 'jobs')).toHaveLength(2);
    expect(await readCounts(deps, T, ['ws1'], ['2026-03'])).toMatchObject({ recorded: 2 });
  });

  test('a card already saved still answers "already saved" after the meeting closed for logging; a new card is refused', async () => {
    const clock = fixedClock(TEST_NOW);
    const deps = await setUp({ clock });
    await logContribution(deps, chris, input());
    await deps.stores.meetings.upsert({ ...meeting, endedAt: TEST_NOW });
    clock.set('2026-03-30T10:00:00Z');
    const again = await logContribution(deps, chris, input());
    expect(again.alreadySaved).toBe(true);
    await expect(logContribution(deps, chris, input({ submissionId: 'card-2' }))).rejects.toMatchObject({ code: 'too_late' });
  });

  test('the programme team may log in any workstream; anyone else who is not its chair may not', async () => {
    const deps = await setUp();
    expect((await logContribution(deps, priya, input())).alreadySaved).toBe(false);
    const refused = logContribution(deps, jordan, input({ submissionId: 'card-2' }));
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'not_allowed' });
    expect(all(deps, 'contributions')).toHaveLength(1);
  });

  test('when one of the writes after the save fails, the others still finish before the error is reported', async () => {
    const deps = await setUp();
    const audit = deps.stores.audit as unknown as { create: (doc: unknown) => Promise<unknown> };
    audit.create = () => Promise.reject(new Error('audit store unavailable'));
    await expect(logContribution(deps, chris, input())).rejects.toThrow('audit store unavailable');
    expect(all(deps, 'contributions')).toHaveLength(1);
    expect(all(deps, 'jobs')).toHaveLength(1);
    expect(await readCounts(deps, T, ['ws1'], ['2026-03'])).toMatchObject({ recorded: 1 });
  });

  describe("the LXP's choices, not only the chair's ticks", () => {
    async function withAlexAnonymous() {
      const deps = await setUp();
      await deps.stores.people.create({
        ...newPerson(T, 'alex', 'Alex Rivera', new Date(TEST_NOW)),
        preferences: { ...DEFAULT_PREFERENCES, attribution: 'anonymous' },
      });
      return deps;
    }

    test('a contribution from an LXP whose default is anonymous is recorded anonymous, box untouched', async () => {
      const deps = await withAlexAnonymous();
      expect((await logContribution(deps, chris, input({ lxpIds: ['alex'] }))).contribution.anonymous).toBe(true);
      // Said together with Sam, the whole contribution is anonymous: naming Sam beside "an LXP" would point to Alex.
      expect((await logContribution(deps, chris, input({ submissionId: 'card-2', lxpIds: ['sam', 'alex'] }))).contribution.anonymous).toBe(true);
      expect((await logContribution(deps, chris, input({ submissionId: 'card-3', lxpIds: ['sam'] }))).contribution.anonymous).toBe(false);
    });

    test('the chair may record anyone anonymous, but recording Alex by name is refused and saves nothing', async () => {
      const deps = await withAlexAnonymous();
      const named = logContribution(deps, chris, input({ lxpIds: ['alex'], attribution: 'named' }));
      await expect(named).rejects.toMatchObject({ code: 'not_allowed', message: expect.stringContaining('Alex Rivera asked to be recorded as "an LXP"') });
      expect(all(deps, 'contributions')).toHaveLength(0);
      expect((await logContribution(deps, chris, input({ submissionId: 'card-2', attribution: 'anonymous' }))).contribution.anonymous).toBe(true);
      expect((await logContribution(deps, chris, input({ submissionId: 'card-3', attribution: 'named' }))).contribution.anonymous).toBe(false);
    });

    test('a personal experience is restricted without a tick; the chair may say it can be shown, or restrict any kind', async () => {
      const deps = await setUp();
      const log = async (submissionId: string, extra: Partial<LogInput>) => (await logContribution(deps, chris, input({ submissionId, ...extra }))).contribution.restricted;
      expect(await log('k1', { kind: 'personal_experience' })).toBe(true);
      expect(await log('k2', { kind: 'personal_experience', restriction: 'shown' })).toBe(false);
      expect(await log('k3', { kind: 'suggestion' })).toBe(false);
      expect(await log('k4', { kind: 'suggestion', restriction: 'restricted' })).toBe(true);
      // A card from before the choice existed: a tick still restricts, no tick leaves it to the kind.
      expect(await log('k5', { kind: 'personal_experience', restricted: false })).toBe(true);
    });
  });
});
