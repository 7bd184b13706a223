import type { Doc } from './ports';

export interface AuditEvent extends Doc {
  type: 'audit';
  at: string;
  actorId: string;
  action: string;
  subjectType: 'workstream' | 'person' | 'meeting' | 'contribution' | 'programme' | 'consent' | 'claim' | 'proposal';
  subjectId: string;
  /** Never the words of a contribution unless they are needed (a correction keeps both versions until withdrawal or forget me). */
  detail?: Record<string, unknown>;
}
