import { pausedFor } from '../domain/stepping-back';
import { digestEntries, ensureDigestScheduled, periodOf, type DigestPayload } from '../commands/digests';
import { markFedBack } from '../commands/feedback';
import { namesFor } from '../commands/names';
import { preferencesOf } from '../domain/news';
import { digestCard, feedbackItem } from '../presenters/outcome';
import type { JobHandler } from './job-handler';
import type { Deps } from '../commands/deps';
import type { Person } from '../domain/person';
import type { DigestPeriod } from '../domain/digest-period';
import type { CardJson } from '../presenters/render-card';

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
    // Paused by them (issue 22): the chain goes on, this period is not sent; my contributions still shows it.
    if (pausedFor(person.involvement, 'digests')) return undefined;
    const drawn = await digestMessage(deps, person, period);
    if (!drawn) return undefined;
    // Remembered, so a correction, a withdrawal or a change of name in what it shows draws it again (issue 20).
    const { rhythm, from, to, key } = job.payload as DigestPayload;
    const shows = { view: { card: 'digest' as const, personId: person.id, period: { rhythm, from, to, key } }, contributionIds: drawn.contributionIds };
    return { to: { kind: 'person', personId: person.id }, message: { card: drawn.card, summary: drawn.summary }, shows };
  },
  async sent(deps, job) {
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    if (!person) return;
    for (const e of await digestEntries(deps, person, periodOf(job.payload as DigestPayload))) {
      await markFedBack(deps, job.tenantId, e.contribution.id, e.outcome.decidedAt);
    }
  },
};

/** The digest as the record stands now: what the job sends, and what a later change draws again. Undefined when nothing is left to show. */
export async function digestMessage(deps: Deps, person: Person, period: DigestPeriod): Promise<{ card: CardJson; summary: string; contributionIds: string[] } | undefined> {
  const entries = await digestEntries(deps, person, period);
  if (entries.length === 0) return undefined;
  const prefs = preferencesOf(person);
  const names = await namesFor(deps, person.tenantId, entries.flatMap((e) => [e.outcome.decidedBy, e.outcome.newOwnerId ?? '']));
  const items = entries.map((e) => feedbackItem({ ...e, lxpId: person.id, names, detail: prefs.detail, timeZone: deps.settings.timeZone, via: 'digest' }));
  const summary = period.rhythm === 'weekly' ? 'You said, we did: your week' : 'You said, we did: your month';
  const card = digestCard(period.rhythm, period.from, period.to, items, deps.settings.timeZone);
  return { card, summary, contributionIds: [...new Set(entries.map((e) => e.contribution.id))] };
}
