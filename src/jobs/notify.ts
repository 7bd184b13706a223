import type { Recipient } from '../domain/ports';
import { renderCard } from '../presenters/render-card';
import type { JobHandler } from './job-handler';

/**
 * A ready-made message: payload { to, template, data, summary? }. Unlike
 * other kinds the payload is the message itself, so whoever schedules one
 * must already have applied plain() to anything a person typed.
 */
export const notifyHandler: JobHandler = {
  recipient(job) {
    return recipientOf(job.payload);
  },
  async plan(_deps, job) {
    const { template, data, summary } = job.payload as { template?: unknown; data?: unknown; summary?: unknown };
    const to = recipientOf(job.payload);
    if (!to || typeof template !== 'string' || !/^[a-z0-9-]+$/.test(template)) {
      throw new Error(`notify job ${job.id} has no usable recipient or template`);
    }
    const card = renderCard(template, (data as object) ?? {});
    return { to, message: { card, summary: typeof summary === 'string' ? summary : 'Golden Thread' } };
  },
};

function recipientOf(payload: Record<string, unknown> | undefined): Recipient | undefined {
  const to = payload?.to as Recipient | undefined;
  return to && (to.kind === 'person' || to.kind === 'chat') ? to : undefined;
}
