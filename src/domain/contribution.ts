import type { Doc } from './ports';
import { DomainError } from './errors';
import { forgetPerson } from './forget-contribution';
import type { AnswerExchange } from './proposals';
import type { PendingEffect } from './effects';

export const KINDS = ['suggestion', 'challenge', 'question', 'personal_experience', 'lived_experience_knowledge', 'led_agenda_item'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABEL: Record<Kind, string> = {
  suggestion: 'Suggestion',
  challenge: 'Challenge',
  question: 'Question',
  personal_experience: 'Personal experience',
  lived_experience_knowledge: 'Lived-experience knowledge',
  led_agenda_item: 'Led an agenda item',
};

export const MAX_WORDS_LENGTH = 2000;

export type Status = 'awaiting_outcome' | 'overdue' | 'escalated' | 'outcome_recorded' | 'fed_back' | 'closed' | 'withdrawn';
export const STATUS_LABEL: Record<Status, string> = {
  awaiting_outcome: 'Waiting for an outcome',
  overdue: 'Overdue',
  escalated: 'Overdue, programme team told',
  outcome_recorded: 'Outcome recorded',
  fed_back: 'You said, we did: sent',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export type OutcomeStatus = 'adopted' | 'partly_adopted' | 'not_taken_forward' | 'under_consideration' | 'passed_on';
export const OUTCOME_LABEL: Record<OutcomeStatus, string> = {
  adopted: 'Adopted',
  partly_adopted: 'Partly adopted',
  not_taken_forward: 'Not taken forward',
  under_consideration: 'Still under consideration',
  passed_on: 'Passed to another group',
};

export interface Outcome {
  status: OutcomeStatus;
  whatWeDid: string;
  reason?: string;
  newDueAt?: string;
  passedTo?: string;
  newOwnerId?: string;
  evidenceUrl?: string;
  decidedBy: string;
  decidedAt: string;
  fedBackAt?: string;
}

export type Answer = 'helpful' | 'want_to_talk' | 'does_not_reflect' | 'disagree_decision';
export const ANSWER_LABEL: Record<Answer, string> = {
  helpful: 'This was helpful',
  want_to_talk: "I'd like to talk about it",
  does_not_reflect: "This doesn't reflect what I said",
  disagree_decision: 'I disagree with the decision',
};

export type Check = 'unchecked' | 'confirmed' | 'corrected';

export interface HistoryEntry {
  at: string;
  by: string;
  event: ContributionEvent['type'] | 'record';
  from: Status | null;
  to: Status;
}

export interface Contribution extends Doc {
  type: 'contribution';
  workstreamId: string;
  meetingId: string;
  meetingTitle: string;
  meetingDate: string;
  lxpIds: string[];
  /** Empty once withdrawn or forgotten: the words are erased, only the fact remains. */
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  ownerId: string;
  dueAt: string;
  anonymous: boolean;
  restricted: boolean;
  status: Status;
  check: Check;
  recordedBy: string;
  recordedAt: string;
  outcomes: Outcome[];
  /** Each LXP answer, with their own words if they wrote any and the owner's one reply (issue 22). */
  answers: AnswerExchange[];
  reminders: { count: number; lastAt?: string };
  carriedInto: string[];
  carriedFrom?: string;
  /** Taken from the meeting transcript by the chair (issue 24), as against typed: the LXP's check card and `my data` say so. */
  source?: 'transcript';
  /** Issue 22: 'lxp' when the LXP added it themself (their proposal, or an agenda item they led) and the chair accepted or took it. */
  addedBy?: 'chair' | 'lxp';
  /** The LXP's proposal or agenda item it came from (src/domain/proposals.ts). */
  proposalId?: string;
  closedAt?: string;
  history: HistoryEntry[];
  /** What the latest changes imply elsewhere and is not yet done (audit, jobs, counters...): see docs/whole-writes.md. */
  pending?: PendingEffect[];
}

export type ContributionEvent =
  | { type: 'confirm' }
  | { type: 'correct'; words: string }
  | { type: 'anonymise' }
  /** The LXP puts their name back on it; only they may (see checkContribution), never the chair. */
  | { type: 'name' }
  | { type: 'withdraw' }
  | { type: 'remind' }
  | { type: 'become_overdue' }
  | { type: 'escalate' }
  | { type: 'record_outcome'; outcome: Outcome; followUpAfterDue: string }
  | { type: 'feed_back' }
  /** `words`: the LXP's own words beside the answer, already checked (src/commands/feedback.ts). */
  | { type: 'respond'; answer: Answer; words?: string }
  /** The owner's one reply to the answer given at `answeredAt`, which had words (withReply checks it once; policy.ts reply_to_answer who). */
  | { type: 'reply'; answeredAt: string; words: string }
  | { type: 'carry_forward'; meetingId: string }
  | { type: 'lift_restriction' }
  /** The LXP (or the chair, when logging) keeps a story in confidence again. */
  | { type: 'restrict' }
  /**
   * "Forget me": erases the words if `personId` said it, and replaces their id
   * everywhere in the contribution with a placeholder (and their name in text
   * others typed), so counts stay but nothing points back to them.
   */
  | { type: 'forget'; personId?: string; placeholder?: string; name?: string; newOwnerId?: string };

const OPEN: Status[] = ['awaiting_outcome', 'overdue', 'escalated'];
const LIVE: Status[] = ['awaiting_outcome', 'overdue', 'escalated', 'outcome_recorded', 'fed_back', 'closed'];

/**
 * The one transition table. For each event, the states it may happen in and
 * the state it leads to ('same' keeps the status). Nothing else assigns
 * `status`.
 */
const TABLE: Record<ContributionEvent['type'], Partial<Record<Status, Status | 'same' | 'by_outcome'>>> = {
  confirm: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  correct: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  anonymise: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  name: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  restrict: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  lift_restriction: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  carry_forward: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
  withdraw: Object.fromEntries(LIVE.map((s) => [s, 'withdrawn'])),
  forget: Object.fromEntries([...LIVE, 'withdrawn'].map((s) => [s, 'same'])),
  remind: Object.fromEntries(OPEN.map((s) => [s, 'same'])),
  become_overdue: { awaiting_outcome: 'overdue' },
  escalate: { overdue: 'escalated' },
  record_outcome: Object.fromEntries(OPEN.map((s) => [s, 'by_outcome'])),
  // Interim news (under consideration, passed on) is fed back while the contribution stays open.
  feed_back: { outcome_recorded: 'fed_back', awaiting_outcome: 'same' },
  respond: { fed_back: 'closed', awaiting_outcome: 'same', closed: 'same' },
  // Wherever an answer can have been given: the reply never changes where the contribution stands.
  reply: Object.fromEntries(LIVE.map((s) => [s, 'same'])),
};

export function canApply(c: Contribution, event: ContributionEvent['type']): boolean {
  return TABLE[event][c.status] !== undefined;
}

const REFUSAL: Partial<Record<Status, string>> = {
  withdrawn: 'This contribution was withdrawn by the person who said it, so nothing more can be done with it.',
  closed: 'This contribution is closed.',
  outcome_recorded: 'An outcome has already been recorded for this contribution.',
  fed_back: 'An outcome has already been recorded and sent to the LXP.',
};

/** Applies one event. Returns a new contribution with the change and a history entry; never mutates its input. */
export function transition(c: Contribution, event: ContributionEvent, by: string, at: Date): Contribution {
  const rule = TABLE[event.type][c.status];
  if (rule === undefined) {
    throw new DomainError('stale', REFUSAL[c.status] ?? `That can't be done while the contribution is "${STATUS_LABEL[c.status].toLowerCase()}".`);
  }
  const when = at.toISOString();
  const changed = applyChange(c, event, by, when, rule === 'same' || rule === 'by_outcome' ? c.status : rule);
  let next = changed.next;
  const to = changed.to;
  // Withdrawal closes a contribution too, so retention deletes what is left of it in time.
  if ((to === 'closed' || to === 'withdrawn') && !c.closedAt) next.closedAt = when;
  next = { ...next, status: to, history: [...next.history, { at: when, by, event: event.type, from: c.status, to }] };
  return next;
}

/** `forget me` (or forgetting a contribution): their words go, they become "an LXP", and their id gives way to the placeholder. */
function forgotten(c: Contribution, event: Extract<ContributionEvent, { type: 'forget' }>): Contribution {
  let next: Contribution = { ...c, answers: forgetAnswerWords(c.answers, event.personId) };
  if (!event.personId || c.lxpIds.includes(event.personId)) next = { ...next, words: '', anonymous: true };
  if (event.personId && event.placeholder) next = forgetPerson(next, event.personId, event.placeholder, event.name, event.newOwnerId);
  return next;
}

/** The fields one event changes, and the status it leads to (an outcome decides its own). */
function applyChange(c: Contribution, event: ContributionEvent, by: string, when: string, status: Status): { next: Contribution; to: Status } {
  let next: Contribution = { ...c };
  const to = status;
  switch (event.type) {
    case 'confirm':
      next.check = 'confirmed';
      break;
    case 'correct':
      next.words = event.words;
      next.check = 'corrected';
      break;
    case 'anonymise':
      next.anonymous = true;
      break;
    case 'name':
      next.anonymous = false;
      break;
    case 'lift_restriction':
      next.restricted = false;
      break;
    case 'restrict':
      next.restricted = true;
      break;
    case 'withdraw':
      next.words = '';
      next.answers = forgetAnswerWords(c.answers); // their words beside answers, and the owner's replies to them, go too
      break;
    case 'forget':
      next = forgotten(next, event);
      break;
    case 'remind':
      next.reminders = { count: c.reminders.count + 1, lastAt: when };
      break;
    case 'record_outcome':
      return withOutcome(next, event);
    case 'feed_back': {
      const last = c.outcomes[c.outcomes.length - 1];
      if (!last) throw new DomainError('stale', 'There is no outcome to send yet.');
      next.outcomes = [...c.outcomes.slice(0, -1), { ...last, fedBackAt: when }];
      break;
    }
    case 'respond':
      next.answers = [...c.answers, { by, answer: event.answer, at: when, ...(event.words ? { words: event.words } : {}) }];
      break;
    case 'reply':
      next.answers = withReply(c.answers, event, by, when);
      break;
    case 'carry_forward':
      if (c.carriedInto.includes(event.meetingId)) throw new DomainError('already_done', 'It is already carried into that meeting.');
      next.carriedInto = [...c.carriedInto, event.meetingId];
      break;
    default:
      break;
  }
  return { next, to };
}

/** What the chair gives when logging; the rest of a Contribution starts empty. */
export type NewContribution = Pick<
  Contribution,
  'id' | 'tenantId' | 'workstreamId' | 'meetingId' | 'meetingTitle' | 'meetingDate' | 'lxpIds' | 'words' | 'kind' | 'priorityAreaIds' | 'ownerId' | 'dueAt' | 'anonymous' | 'restricted' | 'carriedFrom' | 'source' | 'addedBy' | 'proposalId'
>;

export function recordContribution(input: NewContribution, by: string, at: Date): Contribution {
  const words = input.words.trim();
  if (!words) throw new DomainError('invalid_input', 'Write down what was said, in their words.');
  if (words.length > MAX_WORDS_LENGTH) {
    throw new DomainError('invalid_input', `That is ${words.length} characters; the most a contribution can hold is ${MAX_WORDS_LENGTH}. Shorten it or log it as two.`);
  }
  if (input.lxpIds.length === 0) throw new DomainError('invalid_input', 'Choose who said it.');
  const when = at.toISOString();
  return {
    ...input,
    words,
    type: 'contribution',
    status: 'awaiting_outcome',
    check: 'unchecked',
    recordedBy: by,
    recordedAt: when,
    outcomes: [],
    answers: [],
    reminders: { count: 0 },
    carriedInto: [],
    history: [{ at: when, by, event: 'record', from: null, to: 'awaiting_outcome' }],
  };
}

/** Whether the words may be shown to this viewer: restricted stories only to the LXPs who shared them and the programme team. */
export function mayReadWords(c: Contribution, viewer: { id: string; programme: boolean }): boolean {
  if (c.status === 'withdrawn' || !c.words) return false;
  if (!c.restricted) return true;
  return viewer.programme || c.lxpIds.includes(viewer.id);
}

/** An outcome that keeps the question open (still under consideration, passed on) starts a new wait; any other is recorded. */
function withOutcome(c: Contribution, event: Extract<ContributionEvent, { type: 'record_outcome' }>): { next: Contribution; to: Status } {
  const o = event.outcome;
  const next: Contribution = { ...c, outcomes: [...c.outcomes, o] };
  if (o.status !== 'under_consideration' && o.status !== 'passed_on') return { next, to: 'outcome_recorded' };
  next.dueAt = o.status === 'under_consideration' ? (o.newDueAt as string) : event.followUpAfterDue;
  if (o.status === 'passed_on' && o.newOwnerId) next.ownerId = o.newOwnerId;
  next.reminders = { count: 0 };
  return { next, to: 'awaiting_outcome' };
}

/** The owner's one reply, kept on the answer it replies to (which had words). */
function withReply(answers: AnswerExchange[], event: Extract<ContributionEvent, { type: 'reply' }>, by: string, when: string): AnswerExchange[] {
  const x = answers.find((a) => a.at === event.answeredAt);
  // Who may reply is policy's (reply_to_answer); here, whether there is anything to reply to, and only once.
  if (!x?.words) throw new DomainError('stale', 'The LXP did not write anything to reply to.');
  if (x.reply) throw new DomainError('already_done', 'You have already replied; an owner replies once. Talk to the LXP through the programme team if more is needed.');
  return answers.map((a) => (a === x ? { ...a, reply: { by, words: event.words, at: when } } : a));
}

/** "Forget me": their words beside an answer go, and a reply to them or by them keeps only the fact that there was one. */
function forgetAnswerWords(answers: AnswerExchange[], personId?: string): AnswerExchange[] {
  const gone = (id: string) => !personId || id === personId;
  return answers.map(({ words, reply, ...a }) => ({
    ...a,
    ...(words && !gone(a.by) ? { words } : {}),
    ...(reply ? { reply: gone(a.by) || gone(reply.by) ? { ...reply, words: '' } : reply } : {}),
  }));
}
