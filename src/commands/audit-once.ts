import { createHash } from 'node:crypto';
import type { AuditEvent } from '../domain/audit';
import { createOnce } from '../domain/ports';
import type { Deps } from './deps';

/**
 * An audit entry under an id the change itself decides (the document's id and the time or version of the change),
 * so writing it again after a failure, or from a retried press that finds the change already made, makes one entry.
 * For changes outside a contribution's outbox (docs/whole-writes.md): the person's pause, programme priorities, about me.
 * The key may name the person; the stored id is its hash, so no document id keeps a person's id after `forget me`.
 */
export async function auditOnce(deps: Deps, entry: { id: string; tenantId: string; at: string; actorId: string; action: string; subjectType: AuditEvent['subjectType']; subjectId: string; detail?: Record<string, unknown> }): Promise<void> {
  await createOnce(deps.stores.audit, { type: 'audit', ...entry, id: `a-${createHash('sha256').update(entry.id).digest('hex').slice(0, 32)}` });
}
