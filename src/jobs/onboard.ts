import type { JobHandler } from './job-handler';
import { preferencesCard } from '../presenters/setup';
import { markOnboardingSent } from '../commands/onboarding';

/** The plain-English welcome with the preferences form, sent 1:1 the first time an LXP can be reached. */
export const onboardHandler: JobHandler = {
  async plan(deps, job) {
    const person = await deps.stores.people.get(job.tenantId, job.subjectId);
    if (!person || person.onboarding?.completedAt) return undefined;
    return { to: { kind: 'person', personId: person.id }, message: { card: preferencesCard(person, true), summary: 'Welcome to Golden Thread' } };
  },
  async sent(deps, job) {
    await markOnboardingSent(deps, job.tenantId, job.subjectId);
  },
};
