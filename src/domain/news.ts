import type { Outcome, OutcomeStatus } from './contribution';
import { DEFAULT_PREFERENCES, type NewsKind, type Person, type Preferences, type Rhythm } from './person';

const KIND_OF: Record<OutcomeStatus, NewsKind> = {
  adopted: 'good_news',
  partly_adopted: 'good_news',
  passed_on: 'good_news',
  not_taken_forward: 'not_taken_forward',
  under_consideration: 'under_consideration',
};

export function preferencesOf(person: Person | undefined): Preferences {
  return person?.preferences ?? DEFAULT_PREFERENCES;
}

/** Only the kinds of news the LXP asked for. */
export function wantsNews(prefs: Preferences, outcome: Pick<Outcome, 'status'>): boolean {
  return prefs.news.includes(KIND_OF[outcome.status]);
}

/**
 * The rhythm in force at a moment, from the consent record: each outcome
 * reaches the LXP by the rhythm they had chosen when it was decided, so
 * changing rhythm neither drops nor repeats news.
 */
export function rhythmAt(person: Person | undefined, at: string): Rhythm {
  let rhythm: Rhythm = DEFAULT_PREFERENCES.rhythm;
  for (const c of person?.consent ?? []) {
    if (c.chosenAt <= at) rhythm = c.choices.rhythm;
  }
  return rhythm;
}
