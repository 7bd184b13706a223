import type { Workstream } from './workstream';
import type { Contribution } from './contribution';
import type { Meeting } from './meeting';
import type { Claim } from './claim';

/** Who is asking: their id and whether they are on the programme team. */
export interface Actor {
  id: string;
  tenantId: string;
  programme: boolean;
}

export type Resource =
  /** `leadId`: who leads the programme, for what only the lead may do. */
  | { type: 'programme'; leadId?: string; lxpIds?: readonly string[]; memberIds?: readonly string[] }
  | { type: 'workstream'; workstream: Workstream }
  | { type: 'meeting'; meeting: Meeting; workstream?: Workstream }
  /** Who owns it and who said it are all the rules read: an overdue index entry does as well as the contribution. */
  | { type: 'contribution'; contribution: Pick<Contribution, 'ownerId' | 'lxpIds'>; workstream?: Workstream }
  | { type: 'person'; personId: string }
  /** Whose claim it is is all the rules read. */
  | { type: 'claim'; claim: Pick<Claim, 'lxpId'> }
  /** An LXP's answer to "you said, we did" (`by`), on its contribution; `sharedChat`: the reader is a chat, not a person. */
  | { type: 'answer'; contribution: Pick<Contribution, 'ownerId' | 'restricted' | 'status'>; by: string; sharedChat?: boolean };

export type Action =
  | 'manage_programme_team'
  | 'create_workstream'
  | 'edit_workstream'
  | 'edit_priority_areas'
  | 'link_meeting'
  | 'state_aim'
  | 'log_contribution'
  | 'confirm_minutes'
  | 'check_contribution'
  | 'record_outcome'
  | 'answer_feedback'
  | 'carry_forward'
  | 'edit_preferences'
  | 'view_person_data'
  | 'view_report'
  | 'view_overdue'
  | 'export'
  | 'view_audit'
  | 'view_attendance'
  | 'read_restricted'
  /** The "you said, we did" board: the programme's, or one contribution on someone's thread. */
  | 'view_board'
  | 'publish_board'
  /** Issue 22: an LXP acts. */
  | 'submit_claim'
  | 'view_claim'
  | 'decide_claim'
  /** The programme's rates and how long a claim may wait: the programme team's, like the team itself. */
  | 'set_claim_rates'
  | 'propose_to_workstream'
  | 'reply_to_answer'
  /** An LXP tells the programme team the attendance recorded for them is wrong. */
  | 'flag_attendance'
  /** Issue 24: suggested contributions from meeting transcripts, on or off for the programme. */
  | 'switch_transcript_suggestions'
  /** Issue 18: export everything, then erase the programme. */
  | 'close_programme'
  /** Issue 23: programme priorities (LXPs propose; the programme team confirms, declines, retires and links areas) and "who takes part". */
  | 'propose_programme_priority'
  | 'confirm_programme_priority'
  | 'answer_equality_questions'
  | 'view_who_takes_part'
  /** The LXP's own words beside an answer, and the owner's reply to them. */
  | 'read_answer_words'
  /** Programme priorities are seen by the people of the programme (`memberIds`: every workstream's members). */
  | 'view_programme_priorities'
  /** Pausing one's involvement: an LXP of a workstream of the programme (`lxpIds`), for themself. */
  | 'pause_involvement';

const isChair = (ws: Workstream | undefined, id: string) => !!ws && ws.chairIds.includes(id);
const isLxp = (ws: Workstream | undefined, id: string) => !!ws && ws.lxpIds.includes(id);
const isMember = (ws: Workstream | undefined, id: string) => !!ws && (ws.chairIds.includes(id) || ws.lxpIds.includes(id) || ws.staffIds.includes(id));

function workstreamOf(r: Resource): Workstream | undefined {
  if (r.type === 'workstream') return r.workstream;
  if (r.type === 'meeting' || r.type === 'contribution') return r.workstream;
  return undefined;
}

/**
 * The one place that decides who may do what. Every command asks it; the
 * Teams layer never decides permissions itself.
 */
export function can(actor: Actor, action: Action, resource: Resource): boolean {
  const ws = workstreamOf(resource);
  if (ws && ws.tenantId !== actor.tenantId) return false;
  if (isLxpAction(action)) return canLxpAction(actor, action, resource, ws);
  if (isReadAction(action)) return canRead(actor, action, resource, ws);
  const p = actor.programme;
  switch (action) {
    case 'manage_programme_team':
    case 'set_claim_rates':
    case 'create_workstream':
    case 'export':
    case 'view_audit':
      return p;
    case 'edit_workstream':
      return p || isChair(ws, actor.id);
    case 'close_programme':
    case 'switch_transcript_suggestions':
      // The lead's call alone: closing erases everyone's records; the switch decides whether the programme reads meeting transcripts at all.
      return p && resource.type === 'programme' && !!resource.leadId && resource.leadId === actor.id;
    case 'edit_priority_areas':
      return p || isLxp(ws, actor.id) || isChair(ws, actor.id);
    case 'link_meeting':
      if (resource.type !== 'meeting') return false;
      return p || resource.meeting.organiserId === actor.id || isChair(ws, actor.id);
    case 'state_aim':
    case 'log_contribution':
    case 'confirm_minutes':
    case 'carry_forward':
      // The meeting's chair is who chaired the workstream when it started: taken off the workstream since, they are no longer (issue 18).
      if (resource.type === 'meeting') return p || isChair(ws, actor.id) || (!!resource.meeting.chairId && resource.meeting.chairId === actor.id && (!ws || ws.staffIds.includes(actor.id)));
      return p || isChair(ws, actor.id);
    case 'check_contribution':
    case 'answer_feedback':
      return resource.type === 'contribution' && resource.contribution.lxpIds.includes(actor.id);
    case 'record_outcome':
      return resource.type === 'contribution' && (p || resource.contribution.ownerId === actor.id || isChair(ws, actor.id));
    case 'edit_preferences':
    case 'view_person_data':
      return resource.type === 'person' && resource.personId === actor.id;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Who may read what: reports, overdue lists, attendance, restricted stories, the board. */
const READ_ACTIONS = ['view_report', 'view_overdue', 'view_attendance', 'read_restricted', 'view_board', 'publish_board'] as const;
type ReadAction = (typeof READ_ACTIONS)[number];
const isReadAction = (action: Action): action is ReadAction => (READ_ACTIONS as readonly Action[]).includes(action);

function canRead(actor: Actor, action: ReadAction, resource: Resource, ws: Workstream | undefined): boolean {
  const p = actor.programme;
  switch (action) {
    case 'view_report':
      if (resource.type === 'programme') return p;
      return p || isChair(ws, actor.id);
    case 'view_overdue':
      if (resource.type === 'programme') return p;
      if (resource.type === 'contribution') return p || isChair(ws, actor.id) || resource.contribution.ownerId === actor.id;
      return p || isChair(ws, actor.id);
    case 'view_attendance':
      if (resource.type === 'person') return p || resource.personId === actor.id;
      return p;
    case 'read_restricted':
      return resource.type === 'contribution' && (p || resource.contribution.lxpIds.includes(actor.id));
    case 'view_board':
      if (resource.type === 'workstream') return p || isChair(ws, actor.id) || isLxp(ws, actor.id);
      if (resource.type === 'contribution') return p || resource.contribution.lxpIds.includes(actor.id) || isChair(ws, actor.id);
      return p;
    case 'publish_board':
      return p;
  }
}

/** What LXPs bring themselves (issues 22 and 23): claims, additions and agenda items, replies to their answers, programme priorities, answers about them. */
const LXP_ACTIONS = ['submit_claim', 'view_claim', 'decide_claim', 'propose_to_workstream', 'reply_to_answer', 'flag_attendance', 'propose_programme_priority', 'confirm_programme_priority', 'view_who_takes_part', 'answer_equality_questions', 'read_answer_words', 'view_programme_priorities', 'pause_involvement'] as const;
type LxpAction = (typeof LXP_ACTIONS)[number];
const isLxpAction = (action: Action): action is LxpAction => (LXP_ACTIONS as readonly Action[]).includes(action);

function canLxpAction(actor: Actor, action: LxpAction, resource: Resource, ws: Workstream | undefined): boolean {
  const p = actor.programme;
  switch (action) {
    // Only the LXP whose claim it is submits it or answers a query: nobody claims for someone else, the programme team included.
    case 'submit_claim':
      return resource.type === 'claim' && resource.claim.lxpId === actor.id;
    case 'view_claim':
      return resource.type === 'claim' && (p || resource.claim.lxpId === actor.id);
    // The programme team decides, but never on their own claim; staff and chairs never do.
    case 'decide_claim':
      return resource.type === 'claim' && p && resource.claim.lxpId !== actor.id;
    // Adding to the record and proposing agenda items: the workstream's LXPs (attendance and time are checked in src/domain/proposals.ts).
    case 'propose_to_workstream':
    case 'flag_attendance':
      return isLxp(ws, actor.id);
    case 'reply_to_answer':
      return resource.type === 'contribution' && resource.contribution.ownerId === actor.id;
    // `lxpIds`: every workstream's LXPs. The programme team may not propose on the LXPs' behalf.
    case 'propose_programme_priority':
      return resource.type === 'programme' && !!resource.lxpIds?.includes(actor.id);
    case 'confirm_programme_priority':
    case 'view_who_takes_part':
      return p;
    // Answering is for the programme's LXPs; changing or deleting one's own answers, for whoever they are.
    case 'answer_equality_questions':
      if (resource.type === 'person') return resource.personId === actor.id;
      return resource.type === 'programme' && !!resource.lxpIds?.includes(actor.id);
    // The LXP and the programme team always; the owner unless it is a personal story kept in confidence (words about it
    // could tell the story); a shared chat only when it is not. Withdrawn: nobody.
    case 'read_answer_words':
      if (resource.type !== 'answer' || resource.contribution.status === 'withdrawn') return false;
      if (resource.sharedChat) return !resource.contribution.restricted;
      if (actor.id === resource.by || p) return true;
      return actor.id === resource.contribution.ownerId && !resource.contribution.restricted;
    case 'view_programme_priorities':
      return p || (resource.type === 'programme' && !!(resource.lxpIds?.includes(actor.id) || resource.memberIds?.includes(actor.id)));
    case 'pause_involvement':
      return resource.type === 'programme' && !!resource.lxpIds?.includes(actor.id);
  }
}

export { isMember };
