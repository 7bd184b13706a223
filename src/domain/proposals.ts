import { createHash } from 'node:crypto';
import type { Duration } from 'date-fns';
import { ANSWER_LABEL, KINDS, MAX_WORDS_LENGTH, type Answer, type Contribution, type Kind } from './contribution';
import type { AttributionChoice, RestrictionChoice } from './attribution';
import { DomainError } from './errors';
import { addLocal } from './follow-up';
import { attended, type Meeting } from './meeting';
import type { Doc } from './ports';
import type { Workstream } from './workstream';

/**
 * What an LXP brings themselves: a contribution the chair did not record, an
 * agenda item for the next meeting, and their own words beside an answer to
 * "you said, we did". Each is a small lifecycle of its own, with one table
 * and one transition function, like src/domain/contribution.ts.
 */

const idFrom = (prefix: string, ...parts: string[]) => `${prefix}-${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 20)}`;
const MAX_REASON_LENGTH = 1000;

function required(text: string | undefined, max: number, empty: string, what: string): string {
  const t = (text ?? '').trim();
  if (!t) throw new DomainError('invalid_input', empty);
  if (t.length > max) throw new DomainError('invalid_input', `${what} is ${t.length} characters; keep it to ${max}.`);
  return t;
}

interface Entry<E extends string, S extends string> {
  at: string;
  by: string;
  event: E;
  from: S | null;
  to: S;
  reason?: string;
}

// ---------------------------------------------------------------------------
// My own contribution

export type ProposalStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';
export const PROPOSAL_STATUS_LABEL: Record<ProposalStatus, string> = {
  pending: 'With the chair',
  accepted: 'Added to the record',
  declined: 'Not added',
  withdrawn: 'Withdrawn by you',
};

export interface ContributionProposal extends Doc {
  type: 'contribution_proposal';
  lxpId: string;
  meetingId: string;
  workstreamId: string;
  meetingTitle: string;
  meetingDate: string;
  /** In the LXP's own words; erased when withdrawn or forgotten. */
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  attribution: AttributionChoice;
  restriction: RestrictionChoice;
  status: ProposalStatus;
  proposedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  /** Why the chair did not add it: the LXP sees this. */
  reason?: string;
  contributionId?: string;
  /** Set by an accept before it logs (a conditional write): a decline is then refused, so the two cannot both happen. */
  claim?: { by: string; at: string; contributionId: string };
  history: Entry<ProposalEvent['type'] | 'propose', ProposalStatus>[];
}

export type ProposalEvent =
  /** The chair adds it; the command has logged it first (saved once by its submission id) and passes the contribution's id. */
  | { type: 'accept'; contributionId: string }
  /** The chair starts adding it: claims it for the contribution about to be logged, before logging. */
  | { type: 'claim'; contributionId: string }
  | { type: 'decline'; reason: string }
  | { type: 'withdraw' }
  | { type: 'forget'; personId: string; placeholder: string };

export interface ProposeContributionInput {
  /** From the card; a second press of the same card saves once. */
  submissionId: string;
  tenantId: string;
  programmeId?: string;
  lxpId: string;
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  attribution: AttributionChoice;
  restriction: RestrictionChoice;
}

export const proposalIdFor = (submissionId: string) => idFrom('p', 'contribution', submissionId);

/**
 * An LXP may add to a meeting of a workstream they are an LXP of, that they
 * attended (a join or the chair's confirmation), once it has ended and
 * within LOG_GRACE of its end: the same window a chair has to log.
 */
export function checkMayProposeContribution(meeting: Meeting, workstream: Workstream | undefined, lxpId: string, now: Date, logGrace: Duration, timeZone: string): Workstream {
  if (!workstream || meeting.workstreamId !== workstream.id) throw new DomainError('not_found', 'This meeting is not linked to a workstream, so nothing can be added to it yet.');
  if (!workstream.lxpIds.includes(lxpId)) throw new DomainError('not_allowed', `Only the LXPs of ${workstream.name} can add to its meetings.`);
  const a = meeting.attendance[lxpId];
  if (!a || !attended(a)) {
    throw new DomainError('not_allowed', `Golden Thread has no record of you at "${meeting.title}", so you cannot add to it. If you were there, ask the chair to confirm your attendance.`);
  }
  if (!meeting.endedAt) throw new DomainError('too_late', 'You can add to this meeting once it has ended. While it is on, tell the chair, who can log it now.');
  if (addLocal(new Date(meeting.endedAt), logGrace, timeZone) < now) {
    throw new DomainError('too_late', `"${meeting.title}" ended too long ago to add to it. Bring it to the next meeting, or propose it as an agenda item.`);
  }
  return workstream;
}

export function proposeContribution(input: ProposeContributionInput, meeting: Meeting, workstream: Workstream, at: Date): ContributionProposal {
  const words = required(input.words, MAX_WORDS_LENGTH, 'Write what you want to add, in your own words.', 'What you wrote');
  if (!KINDS.includes(input.kind) || input.kind === 'led_agenda_item') throw new DomainError('invalid_input', 'Choose what kind of contribution it is.');
  if (input.priorityAreaIds.some((id) => !workstream.priorityAreas.some((p) => p.id === id))) {
    throw new DomainError('stale', 'A priority area on this card no longer exists. Open a fresh card and choose again.');
  }
  const when = at.toISOString();
  return {
    id: proposalIdFor(input.submissionId),
    tenantId: input.tenantId,
    programmeId: input.programmeId,
    type: 'contribution_proposal',
    lxpId: input.lxpId,
    meetingId: meeting.id,
    workstreamId: workstream.id,
    meetingTitle: meeting.title,
    meetingDate: meeting.startedAt ?? meeting.createdAt,
    words,
    kind: input.kind,
    priorityAreaIds: [...new Set(input.priorityAreaIds)],
    attribution: input.attribution,
    restriction: input.restriction,
    status: 'pending',
    proposedAt: when,
    history: [{ at: when, by: input.lxpId, event: 'propose', from: null, to: 'pending' }],
  };
}

const PROPOSAL_TABLE: Record<ProposalEvent['type'], Partial<Record<ProposalStatus, ProposalStatus | 'same'>>> = {
  accept: { pending: 'accepted' },
  decline: { pending: 'declined' },
  withdraw: { pending: 'withdrawn' },
  // Forgotten while still with the chair: nothing is left to add, so it leaves the chair's queue.
  forget: { pending: 'withdrawn', accepted: 'same', declined: 'same', withdrawn: 'same' },
  claim: { pending: 'same' },
};

const PROPOSAL_REFUSAL: Record<ProposalStatus, string> = {
  pending: 'This is still with the chair.',
  accepted: 'This has already been added to the record.',
  declined: 'The chair has already decided not to add this.',
  withdrawn: 'The LXP withdrew this, so nothing more can be done with it.',
};

export function transitionProposal(p: ContributionProposal, event: ProposalEvent, by: string, at: Date): ContributionProposal {
  const rule = PROPOSAL_TABLE[event.type][p.status];
  if (rule === undefined) throw new DomainError(p.status === 'pending' ? 'stale' : 'already_done', PROPOSAL_REFUSAL[p.status]);
  const when = at.toISOString();
  const to = rule === 'same' ? p.status : rule;
  let next: ContributionProposal = { ...p };
  let reason: string | undefined;
  switch (event.type) {
    case 'claim':
      if (p.claim && p.claim.contributionId !== event.contributionId) throw new DomainError('already_done', 'Another chair is already adding this to the record.');
      next.claim = { by, at: when, contributionId: event.contributionId };
      break;
    case 'accept':
      next = { ...next, contributionId: event.contributionId, decidedBy: by, decidedAt: when };
      break;
    case 'decline':
      if (p.claim) throw new DomainError('already_done', 'This is being added to the record. Press "Add to the record" to finish adding it; the LXP is then told.');
      reason = required(event.reason, MAX_REASON_LENGTH, 'Give a reason: the LXP sees it.', 'The reason');
      next = { ...next, reason, decidedBy: by, decidedAt: when };
      break;
    case 'withdraw':
      if (p.claim) throw new DomainError('already_done', 'The chair is adding this to the record, so it can no longer be taken back here. You can withdraw the contribution once it is recorded.');
      next.words = '';
      break;
    case 'forget': {
      const swap = (id: string) => (id === event.personId ? event.placeholder : id);
      next = {
        ...next,
        claim: p.claim && { ...p.claim, by: swap(p.claim.by) },
        lxpId: swap(p.lxpId),
        words: p.lxpId === event.personId ? '' : p.words,
        decidedBy: p.decidedBy && swap(p.decidedBy),
        history: p.history.map((h) => ({ ...h, by: swap(h.by) })),
      };
      by = swap(by);
      break;
    }
  }
  const entry: ContributionProposal['history'][number] = { at: when, by, event: event.type, from: p.status, to };
  if (reason) entry.reason = reason;
  return { ...next, status: to, history: [...next.history, entry] };
}

/** What the chair chooses when accepting, as for any contribution. */
export interface AcceptChoice {
  ownerId?: string;
  /** yyyy-MM-dd, local; empty for the usual FOLLOWUP_AFTER. */
  dueDate?: string;
  /** The chair may adjust the areas and kind the LXP chose. */
  priorityAreaIds?: string[];
  kind?: Kind;
}

/**
 * The input of the log command (src/commands/contributions.ts LogInput) for
 * an accepted proposal, so it becomes an ordinary contribution, marked as
 * added by the LXP. The submission id comes from the proposal, so a second
 * "accept" logs once. The LXP's own attribution and restriction choices are
 * kept: the chair cannot name someone who asked not to be.
 */
export interface ProposalLogInput {
  submissionId: string;
  meetingId: string;
  lxpIds: string[];
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  ownerId?: string;
  dueDate?: string;
  anonymous: boolean;
  restricted: boolean;
  attribution: AttributionChoice;
  restriction: RestrictionChoice;
  addedBy: 'lxp';
  proposalId: string;
}

export function logInputForProposal(p: ContributionProposal, choice: AcceptChoice): ProposalLogInput {
  if (p.status !== 'pending') throw new DomainError(p.status === 'withdrawn' ? 'stale' : 'already_done', PROPOSAL_REFUSAL[p.status]);
  return {
    submissionId: `proposal:${p.id}`,
    meetingId: p.meetingId,
    lxpIds: [p.lxpId],
    words: p.words,
    kind: choice.kind ?? p.kind,
    priorityAreaIds: choice.priorityAreaIds ?? p.priorityAreaIds,
    ownerId: choice.ownerId || undefined,
    dueDate: choice.dueDate || undefined,
    anonymous: false,
    restricted: false,
    attribution: p.attribution,
    restriction: p.restriction,
    addedBy: 'lxp',
    proposalId: p.id,
  };
}

// ---------------------------------------------------------------------------
// Agenda items

export type AgendaStatus = 'proposed' | 'taken' | 'withdrawn';
export const AGENDA_STATUS_LABEL: Record<AgendaStatus, string> = { proposed: 'Waiting for the next meeting', taken: 'Taken: you led it', withdrawn: 'Withdrawn by you' };
/** Open agenda proposals one LXP may have in one workstream at once, so the start of a meeting stays readable. */
export const MAX_OPEN_AGENDA_ITEMS = 3;
export const MAX_AGENDA_TITLE = 200;

export interface AgendaProposal extends Doc {
  type: 'agenda_proposal';
  lxpId: string;
  workstreamId: string;
  title: string;
  note: string;
  status: AgendaStatus;
  proposedAt: string;
  /** Meetings where it was offered and not taken, oldest first; each carried it on to the next. */
  carriedPast: string[];
  taken?: { meetingId: string; by: string; at: string; contributionId: string };
  history: Entry<AgendaEvent['type'] | 'propose', AgendaStatus>[];
}

export type AgendaEvent =
  | { type: 'take'; meetingId: string; contributionId: string }
  | { type: 'carry'; meetingId: string }
  | { type: 'withdraw' }
  | { type: 'forget'; personId: string; placeholder: string };

export const agendaIdFor = (submissionId: string) => idFrom('a', 'agenda', submissionId);

export interface ProposeAgendaInput {
  submissionId: string;
  tenantId: string;
  programmeId?: string;
  lxpId: string;
  title: string;
  note?: string;
}

/** An LXP proposes for a workstream they are an LXP of, at most MAX_OPEN_AGENDA_ITEMS waiting at once. */
export function proposeAgendaItem(input: ProposeAgendaInput, workstream: Workstream, open: AgendaProposal[], at: Date): AgendaProposal {
  if (!workstream.lxpIds.includes(input.lxpId)) throw new DomainError('not_allowed', `Only the LXPs of ${workstream.name} can propose agenda items for its meetings.`);
  const title = required(input.title, MAX_AGENDA_TITLE, 'Say what the agenda item is.', 'The agenda item');
  const note = (input.note ?? '').trim();
  if (note.length > MAX_WORDS_LENGTH) throw new DomainError('invalid_input', `The note is ${note.length} characters; keep it to ${MAX_WORDS_LENGTH}.`);
  const id = agendaIdFor(input.submissionId);
  const waiting = open.filter((p) => p.id !== id && p.lxpId === input.lxpId && p.workstreamId === workstream.id && p.status === 'proposed');
  if (waiting.length >= MAX_OPEN_AGENDA_ITEMS) {
    throw new DomainError('limit_reached', `You already have ${MAX_OPEN_AGENDA_ITEMS} agenda items waiting for ${workstream.name}. Withdraw one, or wait until the chair takes one.`);
  }
  const when = at.toISOString();
  return {
    id,
    tenantId: input.tenantId,
    programmeId: input.programmeId,
    type: 'agenda_proposal',
    lxpId: input.lxpId,
    workstreamId: workstream.id,
    title,
    note,
    status: 'proposed',
    proposedAt: when,
    carriedPast: [],
    history: [{ at: when, by: input.lxpId, event: 'propose', from: null, to: 'proposed' }],
  };
}

const AGENDA_TABLE: Record<AgendaEvent['type'], Partial<Record<AgendaStatus, AgendaStatus | 'same'>>> = {
  take: { proposed: 'taken' },
  carry: { proposed: 'same' },
  withdraw: { proposed: 'withdrawn' },
  // Forgotten while waiting: an empty item is neither shown to the chair nor carried on.
  forget: { proposed: 'withdrawn', taken: 'same', withdrawn: 'same' },
};

const AGENDA_REFUSAL: Record<AgendaStatus, string> = {
  proposed: 'This agenda item is still waiting.',
  taken: 'This agenda item has already been taken.',
  withdrawn: 'The LXP withdrew this agenda item.',
};

export function transitionAgenda(p: AgendaProposal, event: AgendaEvent, by: string, at: Date): AgendaProposal {
  const rule = AGENDA_TABLE[event.type][p.status];
  if (rule === undefined) throw new DomainError(p.status === 'taken' ? 'already_done' : 'stale', AGENDA_REFUSAL[p.status]);
  const when = at.toISOString();
  const to = rule === 'same' ? p.status : rule;
  let next: AgendaProposal = { ...p };
  switch (event.type) {
    case 'take':
      next.taken = { meetingId: event.meetingId, by, at: when, contributionId: event.contributionId };
      break;
    case 'carry':
      // A second end-of-meeting run carries nothing twice.
      if (p.carriedPast.includes(event.meetingId)) throw new DomainError('already_done', 'It has already been carried on from that meeting.');
      next.carriedPast = [...p.carriedPast, event.meetingId];
      break;
    case 'withdraw':
      next = { ...next, title: '', note: '' };
      break;
    case 'forget': {
      const swap = (id: string) => (id === event.personId ? event.placeholder : id);
      const theirs = p.lxpId === event.personId;
      next = {
        ...next,
        lxpId: swap(p.lxpId),
        title: theirs ? '' : p.title,
        note: theirs ? '' : p.note,
        taken: p.taken && { ...p.taken, by: swap(p.taken.by) },
        history: p.history.map((h) => ({ ...h, by: swap(h.by) })),
      };
      by = swap(by);
      break;
    }
  }
  return { ...next, status: to, history: [...next.history, { at: when, by, event: event.type, from: p.status, to }] };
}

/** What the chair sees on the meeting card at the start: the workstream's waiting proposals, longest-waiting first. */
export function agendaFor(proposals: AgendaProposal[], meeting: Meeting): AgendaProposal[] {
  return proposals
    .filter((p) => p.status === 'proposed' && p.workstreamId === meeting.workstreamId)
    .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.id.localeCompare(b.id));
}

/** The chair takes one in a meeting of its workstream, while the LXP is still an LXP there. */
export function checkMayTake(p: AgendaProposal, meeting: Meeting, workstream: Workstream): void {
  if (meeting.workstreamId !== p.workstreamId || workstream.id !== p.workstreamId) throw new DomainError('invalid_input', 'This agenda item was proposed for another workstream.');
  if (!workstream.lxpIds.includes(p.lxpId)) throw new DomainError('stale', `The LXP who proposed this is no longer in ${workstream.name}.`);
}

/** "Led an agenda item" for that LXP in that meeting, through the ordinary log command; saved once per proposal. */
export function logInputForAgendaItem(p: AgendaProposal, meeting: Meeting, ownerId?: string): ProposalLogInput {
  if (p.status !== 'proposed') throw new DomainError(p.status === 'taken' ? 'already_done' : 'stale', AGENDA_REFUSAL[p.status]);
  return {
    submissionId: `agenda:${p.id}`,
    meetingId: meeting.id,
    lxpIds: [p.lxpId],
    words: p.title,
    kind: 'led_agenda_item',
    priorityAreaIds: [],
    ownerId,
    anonymous: false,
    restricted: false,
    // Leading an item is done in front of everyone; their name goes with it unless they asked to be anonymous.
    attribution: 'as_chosen',
    restriction: 'as_kind',
    addedBy: 'lxp',
    proposalId: p.id,
  };
}

/** After a meeting ends: the waiting proposals offered there (made before it ended) and not taken, to carry on and tell their LXPs about. */
export function toCarryAfter(proposals: AgendaProposal[], meeting: Meeting): AgendaProposal[] {
  if (!meeting.endedAt) return [];
  const end = meeting.endedAt;
  return agendaFor(proposals, meeting).filter((p) => p.proposedAt < end && !p.carriedPast.includes(meeting.id));
}

// ---------------------------------------------------------------------------
// Answers in their own words

export const MAX_ANSWER_WORDS = 1000;

/** One LXP's answer with their words, and the owner's one reply: kept in the contribution's answers (its history). */
export interface AnswerExchange {
  by: string;
  answer: Answer;
  at: string;
  words?: string;
  reply?: { by: string; words: string; at: string };
}

/** The figures the report adds for answers: each LXP's latest answer once, and how many had words and a reply. */
export function answerCounts(answers: AnswerExchange[]): Record<string, number> {
  const latest = new Map<string, AnswerExchange>();
  for (const a of answers) latest.set(a.by, a);
  const out: Record<string, number> = {};
  for (const a of latest.values()) {
    out[`answer:${a.answer}`] = (out[`answer:${a.answer}`] ?? 0) + 1;
    if (a.words) out['answer:words'] = (out['answer:words'] ?? 0) + 1;
    if (a.reply) out['answer:replied'] = (out['answer:replied'] ?? 0) + 1;
  }
  return out;
}
