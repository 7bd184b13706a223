import type { Job } from '../../src/domain/job';
import { feedBackHandler } from '../../src/jobs/feed-back';
import { digestHandler } from '../../src/jobs/digest';
import { ensureDigestScheduled } from '../../src/commands/digests';
import { testDeps, fixedClock } from '../support/memory-collection';
import { T, addLxp, decided } from '../support/outcome-fixtures';
import type { Involvement } from '../../src/domain/stepping-back';

/** A pause stops the follow-ups the LXP chose, and only those; what was done stays stored for `my contributions`. */
const clock = fixedClock('2026-03-09T10:00:00Z');
const job = (kind: Job['kind'], subjectId: string, payload: Record<string, unknown>): Job =>
  ({ id: `${kind}-${subjectId}`, tenantId: T, type: 'job', kind, runAt: clock.now().toISOString(), status: 'running', subjectId, payload, attempts: 0, createdAt: clock.now().toISOString() });
const paused = (stops: NonNullable<Involvement['paused']>['stops']): Involvement => ({ since: '2026-01-01T00:00:00.000Z', paused: { at: '2026-03-01T00:00:00.000Z', stops } });

it('"you said, we did" as it happens is not sent while the LXP paused it, and is sent to someone who paused only check-ins', async () => {
  const deps = testDeps({ clock });
  const sam = await addLxp(deps, 'sam', {});
  const alex = await addLxp(deps, 'alex', {});
  await deps.stores.people.replace({ ...sam, involvement: paused(['check_in', 'follow_ups']) });
  await deps.stores.people.replace({ ...alex, involvement: paused(['check_in']) });
  await deps.stores.contributions.create(decided('c-sam', '2026-03-08T10:00:00.000Z', {}, { lxpIds: ['sam'] }));
  await deps.stores.contributions.create(decided('c-alex', '2026-03-08T10:00:00.000Z', {}, { lxpIds: ['alex'] }));
  expect(await feedBackHandler.plan(deps, job('feed_back', 'c-sam', { lxpId: 'sam', decidedAt: '2026-03-08T10:00:00.000Z' }), clock.now())).toBeUndefined();
  expect(await feedBackHandler.plan(deps, job('feed_back', 'c-alex', { lxpId: 'alex', decidedAt: '2026-03-08T10:00:00.000Z' }), clock.now())).toBeDefined();
  expect((await deps.stores.contributions.get(T, 'c-sam'))!.outcomes[0].whatWeDid).toBe('did c-sam');
});

it('a digest paused is not sent, and the next one is still queued', async () => {
  const deps = testDeps({ clock });
  const sam = await addLxp(deps, 'sam', { rhythm: 'weekly' });
  await deps.stores.people.replace({ ...sam, involvement: paused(['check_in', 'digests']) });
  await ensureDigestScheduled(deps, T, 'sam');
  const [digest] = (await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'digest' }])).items;
  const inPeriod = new Date(Date.parse(String(digest.payload.from)) + 3_600_000).toISOString();
  await deps.stores.contributions.create(decided('c-1', inPeriod, {}, { lxpIds: ['sam'] }));
  expect(await digestHandler.plan(deps, { ...digest, status: 'running' }, new Date(digest.runAt))).toBeUndefined();
  expect((await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'digest' }])).items.length).toBe(2);
  // Resumed: the same digest is sent.
  await deps.stores.people.replace({ ...(await deps.stores.people.get(T, 'sam'))!, involvement: { since: '2026-03-09T10:00:00.000Z' } });
  expect(await digestHandler.plan(deps, { ...digest, status: 'running' }, new Date(digest.runAt))).toBeDefined();
});
