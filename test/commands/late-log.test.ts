import { logContribution, type LogInput } from '../../src/commands/contributions';
import type { Caller, Deps } from '../../src/commands/deps';
import type { Job } from '../../src/domain/job';
import type { Meeting } from '../../src/domain/meeting';
import { PROGRAMME_ID, type Workstream } from '../../src/domain/workstream';
import { TEST_NOW, testDeps } from '../support/memory-collection';

/*
 * Issue 21: a chair may still save from an old log card after the meeting ended (within LOG_GRACE). The LXPs'
 * checks already went out, so the LXP on the late item is sent their check card again, once.
 */

const T = 'tenant-1';
const chris: Caller = { id: 'chris', tenantId: T, name: 'Chris' };
const workstream: Workstream = {
  id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis pathway', chairIds: ['chris'], staffIds: [], lxpIds: ['sam', 'alex'],
  priorityAreas: [{ id: 'area1', name: 'Crisis care at night', proposedBy: 'sam' }], chatIds: ['chat1'], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const hourBefore = new Date(new Date(TEST_NOW).getTime() - 3_600_000).toISOString();
const meeting = (ended: boolean): Meeting => ({
  id: 'm1', tenantId: T, type: 'meeting', conversationId: 'chat1', workstreamId: 'ws1', title: 'Crisis pathway monthly', startedAt: hourBefore, chairId: 'chris', attendance: {}, createdAt: hourBefore,
  ...(ended ? { endedAt: TEST_NOW } : {}),
});
const input = (overrides: Partial<LogInput> = {}): LogInput => ({
  submissionId: 'card-late', meetingId: 'm1', lxpIds: ['sam'], words: 'Said at the end, after the chair closed the meeting', kind: 'suggestion',
  priorityAreaIds: ['area1'], anonymous: false, restricted: false, ...overrides,
});

async function setUp(ended: boolean): Promise<Deps> {
  const deps = testDeps();
  await deps.stores.workstreams.create(workstream);
  await deps.stores.workstreams.create({ id: PROGRAMME_ID, tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya'], createdAt: '2026-01-01T00:00:00Z' });
  await deps.stores.meetings.create(meeting(ended));
  return deps;
}

const checks = async (deps: Deps): Promise<Job[]> => (await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'lxp_check' }])).items;

test('a contribution saved after the meeting ended sends its LXP a check card again, once however often the card is saved', async () => {
  const deps = await setUp(true);
  await logContribution(deps, chris, input());
  await logContribution(deps, chris, input());
  const queued = await checks(deps);
  expect(queued.map((j) => [j.subjectId, j.payload.meetingId])).toEqual([['sam', 'm1']]);
});

test('during the meeting nothing is queued: the checks go out when it ends', async () => {
  const deps = await setUp(false);
  await logContribution(deps, chris, input());
  expect(await checks(deps)).toEqual([]);
});
