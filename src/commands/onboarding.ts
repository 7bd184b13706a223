import { DomainError, notAllowed } from '../domain/errors';
import { can } from '../domain/policy';
import { updateWithRetry } from '../domain/ports';
import { CONSENT_WORDING_VERSION, DEFAULT_PREFERENCES, QUIET_HOURS, type NewsKind, type Person, type Preferences, type QuietHoursChoice } from '../domain/person';
import { actorFor, audit, type Caller, type Deps } from './deps';
import { ensureDigestScheduled } from './digests';

/** Queues the plain-English welcome for LXPs who have not had it; the scheduler sends it the first time they can be reached. */
export async function scheduleOnboarding(deps: Deps, tenantId: string, personIds: string[]): Promise<void> {
  for (const personId of personIds) {
    const person = await deps.stores.people.get(tenantId, personId);
    if (!person || person.onboarding?.completedAt) continue;
    await deps.queue.add({ tenantId, kind: 'onboard', subjectId: personId, runAt: deps.clock.now(), key: 'welcome' });
  }
  deps.queue.runSoon();
}

const hoursOf = (choice: QuietHoursChoice): [number, number] | undefined => {
  const h = QUIET_HOURS[choice];
  return h ? [h[0], h[1]] : undefined;
};

export interface PreferencesInput {
  personId?: string;
  attribution: Preferences['attribution'];
  quoteInReports: boolean;
  rhythm: Preferences['rhythm'];
  detail: Preferences['detail'];
  news: NewsKind[];
  quietDays: number[];
  quietHours?: QuietHoursChoice;
  revealToOwner: boolean;
  /** "My words may be suggested to the chair from the meeting transcript"; a card without the toggle means no. */
  transcriptSuggestions?: boolean;
}

/** Records a person's choices and the consent record: what wording they saw, when, and what they chose. */
export async function savePreferences(deps: Deps, caller: Caller, input: PreferencesInput): Promise<Person> {
  const actor = await actorFor(deps, caller);
  const subject = input.personId ?? caller.id;
  if (!can(actor, 'edit_preferences', { type: 'person', personId: subject })) {
    throw notAllowed('You can only change your own preferences.');
  }
  if (input.news.length === 0) throw new DomainError('invalid_input', 'Choose at least one kind of news, so we can tell you what happened.');
  const now = deps.clock.now().toISOString();
  const choices: Preferences = {
    ...DEFAULT_PREFERENCES,
    attribution: input.attribution,
    quoteInReports: input.quoteInReports,
    rhythm: input.rhythm,
    detail: input.detail,
    news: [...new Set(input.news)],
    quietDays: [...new Set(input.quietDays)].sort(),
    quietHours: hoursOf(input.quietHours ?? 'none'),
    revealToOwner: input.revealToOwner,
    transcriptSuggestions: input.transcriptSuggestions === true,
  };
  const r = await updateWithRetry(deps.stores.people, caller.tenantId, subject, (p) => ({
    ...p,
    preferences: choices,
    consent: [...p.consent, { wordingVersion: CONSENT_WORDING_VERSION, shownAt: p.onboarding?.sentAt ?? now, chosenAt: now, choices }],
    onboarding: { ...p.onboarding, completedAt: p.onboarding?.completedAt ?? now },
    updatedAt: now,
  }));
  if (!r) throw new DomainError('not_found', 'I could not find your record. Type help and try again.');
  const changed = diffPreferences(r.before.preferences, choices);
  await audit(deps, caller.tenantId, caller.id, r.before.preferences ? 'preferences.changed' : 'consent.recorded', { subjectType: 'consent', subjectId: subject }, {
    wordingVersion: CONSENT_WORDING_VERSION,
    changed,
  });
  await ensureDigestScheduled(deps, caller.tenantId, subject);
  return r.after;
}

function diffPreferences(before: Preferences | undefined, after: Preferences): string[] {
  if (!before) return Object.keys(after);
  return (Object.keys(after) as (keyof Preferences)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export async function markOnboardingSent(deps: Deps, tenantId: string, personId: string): Promise<void> {
  const now = deps.clock.now().toISOString();
  await updateWithRetry(deps.stores.people, tenantId, personId, (p) => (p.onboarding?.sentAt ? undefined : { ...p, onboarding: { ...p.onboarding, sentAt: now }, updatedAt: now }));
}
