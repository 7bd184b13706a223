import { recordRestricted } from '../domain/attribution';
import { KINDS, KIND_LABEL } from '../domain/contribution';
import { formatDay, formatShortDay } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import { AGENDA_STATUS_LABEL, PROPOSAL_STATUS_LABEL, type AgendaProposal, type ContributionProposal } from '../domain/proposals';
import type { Workstream } from '../domain/workstream';
import { ANONYMOUS_NAME, RESTRICTED_TEXT } from './contribution-view';
import { plain, renderCard } from './render-card';
import { WHO_SEES_OTHERS } from './who-sees';

export const PROPOSAL_CARDS = { propose: 'propose-contribution', review: 'proposal-review', agenda: 'propose-agenda-item' } as const;

/** The kinds an LXP can choose for something they add; leading an agenda item is recorded by the chair taking it. */
const LXP_KINDS = KINDS.filter((k) => k !== 'led_agenda_item').map((k) => ({ title: KIND_LABEL[k], value: k }));

export interface ProposeContributionView {
  meeting: Meeting;
  workstream: Workstream;
  submissionId: string;
  /** The end of LOG_GRACE. */
  until: Date;
  timeZone: string;
}

/** In the LXP's personal chat, after a meeting they attended. */
export function proposeContributionCard(v: ProposeContributionView) {
  return renderCard(PROPOSAL_CARDS.propose, {
    meeting: plain(v.meeting.title),
    workstream: plain(v.workstream.name),
    date: formatDay(v.meeting.startedAt ?? v.meeting.createdAt, v.timeZone),
    until: formatDay(v.until, v.timeZone),
    kinds: LXP_KINDS,
    areaCount: v.workstream.priorityAreas.length,
    areas: v.workstream.priorityAreas.map((a) => ({ id: a.id, name: plain(a.name) })),
    whoSees: `The chair reads it first. ${WHO_SEES_OTHERS}`,
    meetingId: v.meeting.id,
    submissionId: v.submissionId,
  });
}

export interface ProposalReviewView {
  proposal: ContributionProposal;
  workstream: Workstream;
  names: Names;
  /** Whether it would be recorded anonymous (recordAnonymous with the LXP's choice and preferences): then the chair sees "An LXP". */
  anonymous: boolean;
  /** Whether the chair reading it is on the programme team: only they read a restricted story. */
  readerIsProgramme: boolean;
  /** The chair, preselected as owner, as on the log card. */
  defaultOwnerId: string;
  /** yyyy-MM-dd: the usual FOLLOWUP_AFTER date. */
  defaultDue: string;
  timeZone: string;
  /** Drawn for the LXP who wrote it: the chair's decision (with the reason) on what they added. */
  forLxp?: boolean;
}

const HEADING: Record<ContributionProposal['status'], string> = { pending: 'Sent to the chair', accepted: 'Added to the record', declined: 'Not added to the record', withdrawn: 'Withdrawn' };

/** The chair's card: add it to the record (owner and due date, as for any contribution) or say why not. For the LXP, the decision. */
export function proposalReviewCard(v: ProposalReviewView) {
  if (v.forLxp) return decisionCard(v);
  const p = v.proposal;
  const restricted = recordRestricted(p.restriction, p.kind);
  const pending = p.status === 'pending';
  const people = [...new Set([...v.workstream.chairIds, ...v.workstream.staffIds])];
  return renderCard(PROPOSAL_CARDS.review, {
    heading: 'An LXP wants to add to the record',
    who: v.anonymous ? ANONYMOUS_NAME : plain(v.names(p.lxpId)),
    meeting: plain(p.meetingTitle),
    date: formatShortDay(p.meetingDate, v.timeZone),
    kind: KIND_LABEL[p.kind],
    words: !p.words ? 'Withdrawn by the person who wrote it.' : restricted && !v.readerIsProgramme ? RESTRICTED_TEXT : plain(p.words),
    decided: pending ? '' : `${PROPOSAL_STATUS_LABEL[p.status]}${p.decidedBy ? ` by ${plain(v.names(p.decidedBy))}` : ''}${p.reason ? `: ${plain(p.reason)}` : '.'}`,
    pending,
    withdrawable: false,
    ownerId: v.defaultOwnerId,
    owners: people.map((id) => ({ id, name: plain(v.names(id)) })),
    dueDate: v.defaultDue,
    areaCount: v.workstream.priorityAreas.length,
    areaIds: p.priorityAreaIds.join(','),
    areas: v.workstream.priorityAreas.map((a) => ({ id: a.id, name: plain(a.name) })),
    proposalId: p.id,
  });
}

/** The same card as the LXP who wrote it sees the decision: their own words, who decided, and why not. */
function decisionCard(v: ProposalReviewView) {
  const p = v.proposal;
  const by = p.decidedBy ? ` by ${plain(v.names(p.decidedBy))}` : '';
  const decided = p.status === 'pending' ? 'Sent to the chair. You will be told when they add it to the record, or why not. Until then you can take it back.' : p.status === 'accepted' ? `Added to the record${by}, marked as added by you. You will hear what happens to it, as for anything recorded from you.` : `${PROPOSAL_STATUS_LABEL[p.status]}${by}${p.reason ? `: ${plain(p.reason)}` : '.'}`;
  return renderCard(PROPOSAL_CARDS.review, {
    heading: HEADING[p.status],
    who: 'You',
    meeting: plain(p.meetingTitle),
    date: formatShortDay(p.meetingDate, v.timeZone),
    kind: KIND_LABEL[p.kind],
    words: p.words ? plain(p.words) : 'Erased.',
    decided,
    pending: false,
    withdrawable: p.status === 'pending' && !p.claim,
    ownerId: '',
    owners: [],
    dueDate: '',
    areaCount: 0,
    areaIds: '',
    areas: [],
    proposalId: p.id,
  });
}

export interface ProposeAgendaView {
  /** The workstreams the LXP is an LXP of. */
  workstreams: Workstream[];
  /** Their proposals still waiting. */
  waiting: AgendaProposal[];
  submissionId: string;
  /** Said at the top, e.g. that an item was carried past a meeting. */
  notice?: string;
}

export function proposeAgendaCard(v: ProposeAgendaView) {
  return renderCard(PROPOSAL_CARDS.agenda, agendaCardData(v));
}

/** What the agenda card is filled with; the notify job keeps this to draw it later. */
export function agendaCardData(v: ProposeAgendaView) {
  const name = (id: string) => plain(v.workstreams.find((w) => w.id === id)?.name ?? 'a workstream');
  return {
    notice: v.notice ?? '',
    workstreamId: v.workstreams[0]?.id ?? '',
    workstreams: v.workstreams.map((w) => ({ id: w.id, name: plain(w.name) })),
    waitingCount: v.waiting.length,
    waiting: v.waiting.map((p) => ({
      title: plain(p.title),
      workstream: name(p.workstreamId),
      proposalId: p.id,
      state: p.carriedPast.length ? `Carried on from ${p.carriedPast.length === 1 ? 'one meeting' : `${p.carriedPast.length} meetings`}.` : AGENDA_STATUS_LABEL[p.status] + '.',
    })),
    submissionId: v.submissionId,
  };
}

/** To the LXP when a meeting ended without taking their agenda item: their agenda card, saying so (the notify job's data). */
export function agendaCarriedNotice(p: AgendaProposal, meeting: Meeting, v: Omit<ProposeAgendaView, 'notice'>, timeZone: string) {
  const notice = `"${plain(p.title)}" was not taken at ${plain(meeting.title)} on ${formatDay(meeting.startedAt ?? meeting.createdAt, timeZone)}. It is carried to the next meeting, where the chair sees it again.`;
  return agendaCardData({ ...v, notice });
}

/**
 * The agenda part of the meeting card at the start, which everyone in the meeting chat sees: each item waiting,
 * with "Take: led by <name>" ("an LXP" for someone who asked to be anonymous), and those taken in this meeting.
 * The LXPs' notes are not here: they go to the chair 1:1 (agendaNotesCard).
 */
export function meetingAgenda(meetingId: string, waiting: AgendaProposal[], taken: AgendaProposal[], names: Names, anonymous: ReadonlySet<string> = new Set()) {
  const who = (id: string) => (anonymous.has(id) ? ANONYMOUS_NAME : plain(names(id)));
  // Withdrawn or forgotten since: nothing of it is drawn.
  waiting = waiting.filter((p) => p.title);
  taken = taken.filter((p) => p.title);
  return {
    agendaCount: waiting.length,
    agenda: waiting.map((p) => ({ title: plain(p.title), take: `Take: led by ${anonymous.has(p.lxpId) ? 'an LXP' : who(p.lxpId)}`, meetingId, proposalId: p.id })),
    takenText: taken.map((p) => `Taken: ${who(p.lxpId)} leads "${plain(p.title)}".`).join(' '),
  };
}

/** To the chair 1:1: the notes LXPs wrote on the agenda items waiting for this meeting. */
export function agendaNotesCard(meeting: Meeting, waiting: AgendaProposal[], names: Names, anonymous: ReadonlySet<string>) {
  const withNotes = waiting.filter((p) => p.note);
  return renderCard('notice', {
    title: `Agenda items for ${plain(meeting.title)}`,
    text: withNotes.length ? 'The LXPs who would lead these wrote a note for you. Only you see this; take an item on the meeting card.' : 'The notes on this meeting\'s agenda items were withdrawn.',
    facts: withNotes.map((p) => ({ title: `${plain(p.title)} (${anonymous.has(p.lxpId) ? ANONYMOUS_NAME : plain(names(p.lxpId))})`, value: plain(p.note) })),
  });
}
