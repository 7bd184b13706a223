/*
 * "Who takes part" (opt-in): a few equality questions an LXP may answer, at
 * the coarse level of the ONS 2021 census for England and Wales, each with
 * "Prefer not to say", and the programme team's view of participation and
 * adoption by group. Answers are kept apart from names (a document of their
 * own, holding the person id only) and only ever shown as counts for groups
 * of MIN_GROUP_SIZE people or more (hideSmallGroups).
 */
import { DomainError } from './errors';
import type { Contribution } from './contribution';
import { attended, type Meeting } from './meeting';
import type { Doc } from './ports';
import { hideSmallGroups } from './board';

export const PREFER_NOT_TO_SAY = 'prefer_not';

const choices = (pairs: [string, string][]) => [...pairs.map(([value, label]) => ({ value, label })), { value: PREFER_NOT_TO_SAY, label: 'Prefer not to say' }];

export const EQUALITY_QUESTIONS = [
  { key: 'age', title: 'Age', question: 'What is your age?', choices: choices([['16_24', '16 to 24'], ['25_34', '25 to 34'], ['35_44', '35 to 44'], ['45_54', '45 to 54'], ['55_64', '55 to 64'], ['65_plus', '65 or over']]) },
  {
    key: 'ethnicity', title: 'Ethnic group', question: 'What is your ethnic group?',
    choices: choices([['asian', 'Asian or Asian British'], ['black', 'Black, Black British, Caribbean or African'], ['mixed', 'Mixed or multiple ethnic groups'], ['white', 'White'], ['other', 'Another ethnic group']]),
  },
  {
    key: 'disability', title: 'Disability', question: 'Are your day-to-day activities limited by a health problem or disability that has lasted, or is expected to last, 12 months or more?',
    choices: choices([['yes_a_lot', 'Yes, limited a lot'], ['yes_a_little', 'Yes, limited a little'], ['no', 'No']]),
  },
  { key: 'sex', title: 'Sex', question: 'What is your sex?', choices: choices([['female', 'Female'], ['male', 'Male']]) },
  { key: 'genderSame', title: 'Gender identity', question: 'Is the gender you identify with the same as your sex registered at birth?', choices: choices([['yes', 'Yes'], ['no', 'No']]) },
  {
    key: 'orientation', title: 'Sexual orientation', question: 'Which of these best describes your sexual orientation?',
    choices: choices([['straight', 'Straight or heterosexual'], ['gay_lesbian', 'Gay or lesbian'], ['bisexual', 'Bisexual'], ['other', 'Another sexual orientation']]),
  },
  {
    key: 'carer', title: 'Unpaid carer', question: 'Do you look after, or give help or support to, anyone because of a long-term condition, illness or problems related to old age (not as a job)?',
    choices: choices([['yes', 'Yes'], ['no', 'No']]),
  },
] as const satisfies readonly { key: string; title: string; question: string; choices: { value: string; label: string }[] }[];

export type EqualityKey = (typeof EQUALITY_QUESTIONS)[number]['key'];
export type EqualityAnswers = Partial<Record<EqualityKey, string>>;

/** Bumped when the questions or the words around them change, so a record says what the person saw. */
export const EQUALITY_WORDING_VERSION = '2026-12-v1';

/** One LXP's answers, in the programme's `people` partition under an id of its own: no name, no words. */
export interface EqualityRecord extends Doc {
  type: 'equality';
  personId: string;
  answers: EqualityAnswers;
  wordingVersion: string;
  answeredAt: string;
  updatedAt: string;
}

export const equalityId = (personId: string) => `equality-${personId}`;

/** The answers from the card: a question left blank is not answered; anything not offered is refused. */
export function checkAnswers(input: Record<string, string | undefined>): EqualityAnswers {
  const out: EqualityAnswers = {};
  for (const q of EQUALITY_QUESTIONS) {
    const v = input[q.key]?.trim();
    if (!v) continue;
    if (!q.choices.some((c) => c.value === v)) throw new DomainError('stale', `The answer to "${q.title}" is not one the card offers. Type about me for a fresh card.`);
    out[q.key] = v;
  }
  return out;
}

export interface GroupFigures {
  group: string;
  label: string;
  people: number;
  /** People in the group who attended at least one meeting. */
  attended: number;
  /** People in the group with at least one contribution (withdrawn ones do not count). */
  contributed: number;
  /** Their contributions with an outcome, and of those, adopted fully or partly. */
  decided: number;
  adopted: number;
}

export interface WhoTakesPart {
  /** LXPs of the programme, and how many answered at least one question. */
  lxps: number;
  answered: number;
  questions: { key: EqualityKey; title: string; groups: GroupFigures[]; hidden: number }[];
}

/**
 * Participation and adoption by group, for the LXPs of the programme who
 * answered. Each LXP's latest outcome per contribution counts once; a
 * contribution from two LXPs counts in each one's group.
 */
export function whoTakesPart(input: { records: EqualityRecord[]; lxpIds: ReadonlySet<string>; contributions: Contribution[]; meetings: Meeting[] }): WhoTakesPart {
  const records = input.records.filter((r) => input.lxpIds.has(r.personId) && Object.keys(r.answers).length);
  const went = new Set(input.meetings.flatMap((m) => Object.entries(m.attendance ?? {}).filter(([, a]) => attended(a)).map(([id]) => id)));
  const mine = new Map<string, Contribution[]>();
  for (const c of input.contributions) {
    if (c.status === 'withdrawn') continue;
    for (const id of c.lxpIds) mine.set(id, [...(mine.get(id) ?? []), c]);
  }
  const questions = EQUALITY_QUESTIONS.map((q) => {
    const groups: GroupFigures[] = q.choices.map((choice) => {
      const people = records.filter((r) => r.answers[q.key] === choice.value).map((r) => r.personId);
      const theirs = people.flatMap((id) => mine.get(id) ?? []);
      const outcomes = theirs.map((c) => c.outcomes[c.outcomes.length - 1]).filter((o) => !!o);
      return {
        group: choice.value,
        label: choice.label,
        people: people.length,
        attended: people.filter((id) => went.has(id)).length,
        contributed: people.filter((id) => mine.has(id)).length,
        decided: outcomes.length,
        adopted: outcomes.filter((o) => o.status === 'adopted' || o.status === 'partly_adopted').length,
      };
    });
    const { shown, hidden } = hideSmallGroups(groups);
    return { key: q.key, title: q.title, groups: shown, hidden };
  });
  return { lxps: input.lxpIds.size, answered: records.length, questions };
}
