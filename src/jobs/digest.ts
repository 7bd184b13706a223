import { digestEntries, ensureDigestScheduled, periodOf, type DigestPayload } from '../commands/digests';
import { markFedBack } from '../commands/feedback';
import { namesFor } from '../commands/names';
import { preferencesOf } from '../domain/news';
import { digestCard, feedbackItem } from '../presenters/outcome';
import type { JobHandler } from './job-handler';

/**
 * One LXP's weekly or monthly "you said, we did". The next digest is queued
 * before anything else, so an empty period (nothing is sent) still keeps
 * the chain going.
 */
export const digestHandler: JobHandler = {
  async plan(deps, job) {
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    if (!person) return undefined;
    const period = periodOf(job.payload as DigestPayload);
    await ensureDigestScheduled(deps, job.tenantId, person.id, period);
    const entries = await digestEntries(deps, person, period);
    if (entries.length === 0) return undefined;
    const prefs = preferencesOf(person);
    const names = await namesFor(deps, job.tenantId, entries.flatMap((e) => [e.outcome.decidedBy, e.outcome.newOwnerId ?? '']));
    const items = entries.map((e) => feedbackItem({ ...e, lxpId: person.id, names, detail: prefs.detail, timeZone: deps.settings.timeZone, via: 'digest' }));
    const summary = period.rhythm === 'weekly' ? 'You said, we did: your week' : 'You said, we did: your month';
    return { to: { kind: 'person', personId: person.id }, message: { card: digestCard(period.rhythm, period.from, period.to, items, deps.settings.timeZone), summary } };
  },
  async sent(deps, job) {
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    if (!person) return;
    for (const e of await digestEntries(deps, person, periodOf(job.payload as DigestPayload))) {
      await markFedBack(deps, job.tenantId, e.contribution.id, e.outcome.decidedAt);
    }
  },
};
