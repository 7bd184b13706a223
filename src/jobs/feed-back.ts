import { preferencesOf, wantsNews } from '../domain/news';
import { pausedFor } from '../domain/stepping-back';
import { markFedBack } from '../commands/feedback';
import { namesFor } from '../commands/names';
import { feedbackItem, youSaidWeDidCard } from '../presenters/outcome';
import type { JobHandler } from './job-handler';

interface FeedBackPayload {
  lxpId: string;
  decidedAt: string;
}

/** "You said, we did" to one LXP, as it happens; built at send time, so a withdrawal or a change of mind is respected. */
export const feedBackHandler: JobHandler = {
  async plan(deps, job) {
    const { lxpId, decidedAt } = job.payload as unknown as FeedBackPayload;
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (!c || c.status === 'withdrawn' || !c.lxpIds.includes(lxpId)) return undefined;
    const outcome = c.outcomes.find((o) => o.decidedAt === decidedAt);
    const person = await deps.stores.people.get(job.tenantId, lxpId);
    const prefs = preferencesOf(person);
    // Paused by them (issue 22): not sent; the outcome stays in my contributions.
    if (!outcome || !wantsNews(prefs, outcome) || pausedFor(person?.involvement, 'follow_ups')) return undefined;
    const names = await namesFor(deps, job.tenantId, [outcome.decidedBy, outcome.newOwnerId ?? '']);
    const item = feedbackItem({ contribution: c, outcome, lxpId, names, detail: prefs.detail, timeZone: deps.settings.timeZone, via: 'card' });
    return { to: { kind: 'person', personId: lxpId }, message: { card: youSaidWeDidCard(item), summary: 'You said, we did' } };
  },
  async sent(deps, job) {
    const { decidedAt } = job.payload as unknown as FeedBackPayload;
    await markFedBack(deps, job.tenantId, job.subjectId, decidedAt);
  },
};
