import { logContribution, type LogInput } from '../../src/commands/contributions';
import type { Deps } from '../../src/commands/deps';
import type { Meeting } from '../../src/domain/meeting';
import { PROGRAMME_ID, type Workstream } from '../../src/domain/workstream';
import { DEFAULT_SETTINGS, TEST_NOW, testDeps } from '../support/memory-collection';

// Issue 17: the chosen feedback date was read in the server's time zone while outcomes use PROGRAMME_TIMEZONE.
const T = 'tenant-1';
const workstream: Workstream = {
  id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis pathway', chairIds: ['chris'], staffIds: ['jordan'], lxpIds: ['sam'],
  priorityAreas: [], chatIds: ['chat1'], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const meeting: Meeting = { id: 'm1', tenantId: T, type: 'meeting', conversationId: 'chat1', workstreamId: 'ws1', title: 'Monthly', startedAt: TEST_NOW, chairId: 'chris', attendance: {}, createdAt: TEST_NOW };
const input: LogInput = { submissionId: 'card-1', meetingId: 'm1', lxpIds: ['sam'], words: 'Night lines', kind: 'suggestion', priorityAreaIds: [], anonymous: false, restricted: false };

async function dueAtFor(timeZone: string, dueDate: string): Promise<string> {
  const deps: Deps = testDeps({ settings: { ...DEFAULT_SETTINGS, timeZone } });
  await deps.stores.workstreams.create(workstream);
  await deps.stores.workstreams.create({ id: PROGRAMME_ID, tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya'], createdAt: '2026-01-01T00:00:00Z' });
  await deps.stores.meetings.create(meeting);
  const r = await logContribution(deps, { id: 'chris', tenantId: T, name: 'Chris' }, { ...input, dueDate });
  return r.contribution.dueAt;
}

test.each([
  // 10:00 on Wednesday 1 April in each programme's own zone, whatever zone the server runs in.
  ['Pacific/Kiritimati', '2026-04-01', '2026-03-31T20:00:00.000Z'],
  ['Pacific/Auckland', '2026-04-01', '2026-03-31T21:00:00.000Z'],
  ['America/Los_Angeles', '2026-04-01', '2026-04-01T17:00:00.000Z'],
  ['Europe/London', '2026-04-01', '2026-04-01T09:00:00.000Z'],
])('a chosen due date is 10:00 on that day in PROGRAMME_TIMEZONE (%s)', async (timeZone, day, expected) => {
  expect(await dueAtFor(timeZone, day)).toBe(expected);
});
