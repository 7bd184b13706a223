import { recordContribution, transition, type Contribution } from '../../src/domain/contribution';
import { queryEvery } from '../../src/domain/ports';
import { jobHandlers } from '../../src/jobs/handlers';
import { ensureRetentionSweep } from '../../src/jobs/retention';
import { runDueJobs } from '../../src/jobs/scheduler';
import { scheduleJob } from '../../src/jobs/schedule';
import { audit } from '../../src/commands/deps';
import { fakeSender, movableClock, storeDeps, TENANT } from '../support/job-store';
import type { Deps } from '../../src/commands/deps';
import type { OpenStore } from '../../src/storage/cosmos/open-store';

const DAY = 86_400_000;
const WORDS = 'Peer support workers on every night shift';

/** A contribution that went all the way to closed at `at`, with a correction kept in the audit and a job still about it. */
async function closedContribution(deps: Deps, id: string, at: Date): Promise<Contribution> {
  let c = recordContribution({ id, tenantId: TENANT, workstreamId: 'w', meetingId: 'm', meetingTitle: 'M', meetingDate: at.toISOString(), lxpIds: ['sam'], words: WORDS, kind: 'suggestion', priorityAreaIds: [], ownerId: 'chris', dueAt: at.toISOString(), anonymous: false, restricted: false }, 'chris', at);
  c = transition(c, { type: 'record_outcome', outcome: { status: 'adopted', whatWeDid: 'Funded', decidedBy: 'chris', decidedAt: at.toISOString() }, followUpAfterDue: at.toISOString() }, 'chris', at);
  c = transition(c, { type: 'feed_back' }, 'golden-thread', at);
  c = transition(c, { type: 'respond', answer: 'helpful' }, 'sam', at);
  await deps.stores.contributions.create(c);
  await audit(deps, TENANT, 'sam', 'contribution.correct', { subjectType: 'contribution', subjectId: id }, { previousWords: 'x', words: WORDS });
  await scheduleJob(deps, { tenantId: TENANT, kind: 'ask_owner', subjectId: id, runAt: new Date(at.getTime() + 400 * DAY) });
  return c;
}

describe('retention: closed contributions are deleted RETENTION after they close; the audit keeps the fact', () => {
  const clock = movableClock('2026-03-09T12:00:00Z');
  let deps: Deps;
  let store: OpenStore;
  beforeAll(async () => {
    ({ deps, store } = await storeDeps(clock));
    deps.settings = { ...deps.settings, retention: { years: 6 } };
  });
  afterAll(async () => store.close());

  const tick = () => runDueJobs(deps, { handlers: jobHandlers(), sender: fakeSender(), owner: 'test', scheduledAt: clock.now() });

  it('a daily sweep per tenant deletes only what is due, is safe to run twice, and schedules the next day', async () => {
    const closedAt = new Date('2026-03-09T12:00:00Z');
    const old = await closedContribution(deps, 'c-old', closedAt);
    const open = recordContribution({ ...old, id: 'c-open', words: 'Still open', lxpIds: ['sam'] }, 'chris', closedAt);
    await deps.stores.contributions.create(open);
    // A withdrawn contribution closes at its withdrawal, so what is left of it goes too.
    const withdrawn = transition(recordContribution({ ...old, id: 'c-withdrawn', words: 'Taken back', lxpIds: ['sam'] }, 'chris', closedAt), { type: 'withdraw' }, 'sam', closedAt);
    await deps.stores.contributions.create(withdrawn);

    await ensureRetentionSweep(deps, TENANT);
    await ensureRetentionSweep(deps, TENANT); // a second turn the same day: one job
    expect((await queryEvery(deps.stores.jobs, TENANT, [{ field: 'kind', op: '=', value: 'retention' }])).length).toBe(1);
    await tick();
    expect(await deps.stores.contributions.get(TENANT, 'c-old')).toBeDefined();

    // One day short of six years: kept.
    clock.advance(new Date('2032-03-08T12:00:00Z').getTime() - clock.now().getTime());
    await ensureRetentionSweep(deps, TENANT);
    await tick();
    expect(await deps.stores.contributions.get(TENANT, 'c-old')).toBeDefined();

    clock.advance(2 * DAY);
    await ensureRetentionSweep(deps, TENANT);
    await tick();
    expect(await deps.stores.contributions.get(TENANT, 'c-old')).toBeUndefined();
    expect(await deps.stores.contributions.get(TENANT, 'c-withdrawn')).toBeUndefined();
    expect(await deps.stores.contributions.get(TENANT, 'c-open')).toBeDefined();
    expect(await queryEvery(deps.stores.jobs, TENANT, [{ field: 'subjectId', op: '=', value: 'c-old' }])).toEqual([]);
    const trail = await queryEvery(deps.stores.audit, TENANT, [{ field: 'subjectId', op: '=', value: 'c-old' }]);
    expect(trail.map((e) => e.action)).toContain('contribution.deleted_by_retention');
    expect(JSON.stringify(trail)).not.toContain(WORDS);

    // The same sweep again (a second instance, a retry) changes nothing and adds no second fact.
    const { deleteExpired } = await import('../../src/jobs/retention');
    expect(await deleteExpired(deps, TENANT, clock.now())).toBe(0);
    expect((await queryEvery(deps.stores.audit, TENANT, [{ field: 'action', op: '=', value: 'contribution.deleted_by_retention' }])).length).toBe(2); // the closed one and the withdrawn one

    // Tomorrow's sweep is waiting, under a per-day id.
    const pending = await queryEvery(deps.stores.jobs, TENANT, [{ field: 'kind', op: '=', value: 'retention' }, { field: 'status', op: '=', value: 'pending' }]);
    expect(pending.map((j) => j.id)).toEqual([`retention:sweep-${TENANT}:2032-03-11`]);
  });
});
