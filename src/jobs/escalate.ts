import type { Recipient } from '../domain/ports';
import { getProgramme } from '../commands/deps';
import { programmeTeam } from '../commands/programme-team';
import { listOverdue, overdueDetail } from '../commands/overdue';
import { overdueCard, overdueSummary } from '../presenters/overdue';
import type { Viewer } from '../presenters/contribution-view';
import type { JobHandler } from './job-handler';
import { scheduleJob } from './schedule';
import { applyIfStill } from './ask-owner';

const OPEN = ['awaiting_outcome', 'overdue', 'escalated'];

/**
 * ESCALATE_AFTER past due with no outcome. This job sends nothing itself:
 * it moves the contribution to escalated and queues one overdue_notice per
 * programme-team member (or one post in their chat), each sent, limited and
 * retried on its own. Every step is safe to repeat.
 */
export const escalateHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (!c || c.dueAt !== job.payload.dueAt || !OPEN.includes(c.status)) return undefined;
    // Overdue may not be marked yet if no reminder could be sent.
    await applyIfStill(deps, c, 'become_overdue', () => true);
    await applyIfStill(deps, c, 'escalate', () => true);
    for (const r of await programmeTeam(deps, c.tenantId)) {
      await scheduleJob(deps, { tenantId: c.tenantId, kind: 'overdue_notice', subjectId: c.id, key: `${c.dueAt}:${r.key}`, runAt: scheduledAt, payload: { to: r.to, viewer: r.viewer } });
    }
    deps.queue.runSoon();
    return undefined;
  },
};

/**
 * The programme team's overdue list, as the `overdue` command shows it: to a
 * member, every overdue contribution with owner, days overdue and a nudge
 * button; to a shared chat, counts only.
 */
export const overdueNoticeHandler: JobHandler = {
  async plan(deps, job) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (!c || !['overdue', 'escalated'].includes(c.status)) return undefined;
    const { to, viewer } = job.payload as unknown as { to: Recipient; viewer: Viewer };
    const readerId = to.kind === 'person' ? to.personId : (await getProgramme(deps, job.tenantId))?.leadId;
    if (!readerId) return undefined;
    const items = await listOverdue(deps, { id: readerId, tenantId: job.tenantId, name: '' });
    if (to.kind === 'chat') return { to, message: { text: `Escalated to the programme team. ${overdueSummary(items)} Type overdue in a personal chat with me to see them and nudge owners.` } };
    const { shown, names } = await overdueDetail(deps, job.tenantId, items);
    const notice = 'Escalated to you: at least one of these is now well past its feedback due date.';
    return { to, message: { card: overdueCard(items, shown, names, viewer, deps.settings.timeZone, notice), summary: 'Overdue contributions' } };
  },
};
