import type { Recipient } from '../domain/ports';
import { renderCard } from '../presenters/render-card';
import type { JobHandler } from './job-handler';

/**
 * A ready-made message: payload { to, template, data, summary? }. Unlike
 * other kinds the payload is the message itself, so whoever schedules one
 * must already have applied plain() to anything a person typed.
 */
export const notifyHandler: JobHandler = {
  async plan(_deps, job) {
    const { to, template, data, summary } = job.payload as { to?: Recipient; template?: unknown; data?: unknown; summary?: unknown };
    if (!to || (to.kind !== 'person' && to.kind !== 'chat') || typeof template !== 'string' || !/^[a-z0-9-]+$/.test(template)) {
      throw new Error(`notify job ${job.id} has no usable recipient or template`);
    }
    const card = renderCard(template, (data as object) ?? {});
    return { to, message: { card, summary: typeof summary === 'string' ? summary : 'Golden Thread' } };
  },
};
