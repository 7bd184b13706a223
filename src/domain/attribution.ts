import { DomainError } from './errors';
import type { Kind } from './contribution';
import type { Preferences } from './person';

/**
 * How the chair records who said something. "As they chose" is the default on the log card, so an LXP's own
 * choice in `preferences` applies without the chair having to remember it; the chair may still hide a name
 * (anonymous is always allowed), but never show one the LXP asked to keep out. Only the LXP can switch an
 * anonymous contribution back to their name, from their check card.
 */
export const ATTRIBUTION_CHOICES = ['as_chosen', 'anonymous', 'named'] as const;
export type AttributionChoice = (typeof ATTRIBUTION_CHOICES)[number];

/**
 * Whether a personal story is kept in confidence. "As the kind says" is the default: a personal experience is
 * restricted unless the chair says it may be shown (and the LXP is asked again in their check card); other kinds
 * are shown unless the chair restricts them. A story should never reach the shared chat because someone forgot a tick.
 */
export const RESTRICTION_CHOICES = ['as_kind', 'restricted', 'shown'] as const;
export type RestrictionChoice = (typeof RESTRICTION_CHOICES)[number];

/** The LXPs a contribution is recorded from, as far as attribution needs them. */
export interface Speaker {
  name: string;
  preferences?: Pick<Preferences, 'attribution'>;
}

const wantsAnonymity = (s: Speaker) => s.preferences?.attribution === 'anonymous';

/**
 * Whether the contribution is recorded anonymous. One LXP who asked not to be named makes the whole contribution
 * anonymous: the names of several LXPs are shown together, so naming the others would point to them too.
 */
export function recordAnonymous(choice: AttributionChoice, speakers: Speaker[]): boolean {
  const anonymousByChoice = speakers.filter(wantsAnonymity);
  if (choice === 'anonymous') return true;
  if (choice === 'named' && anonymousByChoice.length) {
    const who = anonymousByChoice.map((s) => s.name).join(' and ');
    throw new DomainError(
      'not_allowed',
      `${who} asked to be recorded as "an LXP", without their name, so it cannot be saved with their name. Choose "As they chose" or "Anonymous" and save again. Only ${who} can change this, in their check card or preferences.`,
    );
  }
  return choice === 'as_chosen' && anonymousByChoice.length > 0;
}

export function recordRestricted(choice: RestrictionChoice, kind: Kind): boolean {
  if (choice === 'as_kind') return kind === 'personal_experience';
  return choice === 'restricted';
}

/** Whether an LXP's words may be quoted in reports and exports; anyone who has not chosen yet is not quoted (the default). */
export function mayQuote(lxps: ({ preferences?: Pick<Preferences, 'quoteInReports'> } | undefined)[]): boolean {
  return lxps.length > 0 && lxps.every((p) => p?.preferences?.quoteInReports === true);
}
