import type { Doc } from './ports';
import type { Involvement } from './stepping-back';

export type Rhythm = 'as_it_happens' | 'weekly' | 'monthly';
export type NewsKind = 'good_news' | 'not_taken_forward' | 'under_consideration';

export interface Preferences {
  attribution: 'named' | 'anonymous';
  quoteInReports: boolean;
  rhythm: Rhythm;
  detail: 'brief' | 'detailed';
  news: NewsKind[];
  /** Days (0 = Sunday … 6 = Saturday) with no messages. */
  quietDays: number[];
  /** Local hours [from, to) with no messages, e.g. [18, 9] for evenings and nights. */
  /** [from, to) local hours with no messages; wraps past midnight when from > to. One of QUIET_HOURS. */
  quietHours?: [number, number];
  /** Whether an owner may see who said an anonymous contribution. */
  revealToOwner: boolean;
  /** "My words may be suggested to the chair from the meeting transcript" (issue 24); absent is no. */
  transcriptSuggestions?: boolean;
}

export interface ConsentRecord {
  wordingVersion: string;
  shownAt: string;
  chosenAt: string;
  choices: Preferences;
}

export interface Reachability {
  status: 'unknown' | 'reachable' | 'unreachable';
  reason?: string;
  at?: string;
}

export interface Person extends Doc {
  type: 'person';
  name: string;
  /** Teams user id (29:...), needed to open a 1:1 chat. */
  teamsId?: string;
  /** Email or UPN from the members API: shown beside the name in pickers, where two people may share a name. */
  email?: string;
  programme: boolean;
  preferences?: Preferences;
  consent: ConsentRecord[];
  onboarding?: { sentAt?: string; completedAt?: string };
  reachability: Reachability;
  /** Issue 22: paused by them, and when the programme team was last told they may be stepping back. */
  involvement?: Involvement;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_PREFERENCES: Preferences = {
  attribution: 'named',
  quoteInReports: false,
  rhythm: 'as_it_happens',
  detail: 'detailed',
  news: ['good_news', 'not_taken_forward', 'under_consideration'],
  quietDays: [0, 6],
  revealToOwner: false,
  transcriptSuggestions: false,
};

/** Bumped whenever the onboarding wording changes, so the consent record says what the person saw. */
export const CONSENT_WORDING_VERSION = '2026-12-v3';

export function newPerson(tenantId: string, id: string, name: string, now: Date, teamsId?: string): Person {
  return {
    id,
    tenantId,
    type: 'person',
    name,
    teamsId,
    programme: false,
    consent: [],
    reachability: { status: 'unknown' },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** Display names by person id, looked up once for a card. */
export type Names = (id: string) => string;

/** The quiet hours a person can choose on the preferences card: "none" means any time is fine. */
export const QUIET_HOURS = {
  none: undefined,
  evenings: [18, 9],
  nights: [21, 8],
  working_hours: [17, 9],
} as const satisfies Record<string, readonly [number, number] | undefined>;
export type QuietHoursChoice = keyof typeof QUIET_HOURS;

/** The card's choice for stored quiet hours; hours no choice matches (set before the card offered them) show as "none". */
export function quietHoursChoice(hours: [number, number] | undefined): QuietHoursChoice {
  const found = (Object.entries(QUIET_HOURS) as [QuietHoursChoice, readonly [number, number] | undefined][]).find(([, h]) => (h ? !!hours && h[0] === hours[0] && h[1] === hours[1] : !hours));
  return found ? found[0] : 'none';
}
