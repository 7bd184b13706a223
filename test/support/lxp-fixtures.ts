import type { Meeting } from '../../src/domain/meeting';

/** A meeting of workstream ws1 that has ended, with Sam present for 86 minutes. */
export function buildMeeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'm1', tenantId: 'tenant-1', type: 'meeting', conversationId: '19:chat', workstreamId: 'ws1', title: 'Crisis pathway review',
    startedAt: '2026-03-09T10:00:00.000Z', endedAt: '2026-03-09T11:30:00.000Z', createdAt: '2026-03-09T09:55:00.000Z',
    attendance: { sam: { name: 'Sam', spans: [{ joinedAt: '2026-03-09T10:02:00.000Z', leftAt: '2026-03-09T11:28:00.000Z' }] } },
    ...overrides,
  };
}
