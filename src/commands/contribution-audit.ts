import type { AuditEvent } from '../domain/audit';
import { ANSWER_LABEL, OUTCOME_LABEL, STATUS_LABEL, type Answer, type Contribution, type OutcomeStatus, type Status } from '../domain/contribution';
import { DomainError, notAllowed } from '../domain/errors';
import { FORGOTTEN_ACTION, FORGOTTEN_NAME } from '../domain/forget';
import { isStorableId } from '../domain/ids';
import { can } from '../domain/policy';
import { queryEvery } from '../domain/ports';
import { actorFor, type Caller, type Deps } from './deps';
import { namesFor } from './names';

export interface AuditLine {
  at: string;
  who: string;
  what: string;
}

export interface ContributionAudit {
  id: string;
  /** null once retention deleted it: the audit keeps the fact. */
  contribution: Pick<Contribution, 'meetingTitle' | 'meetingDate' | 'kind' | 'status' | 'restricted' | 'anonymous'> | null;
  lines: AuditLine[];
}

const SYSTEM: Record<string, string> = { teams: 'Teams', 'golden-thread': 'Golden Thread', retention: 'Golden Thread (retention)' };

const WHAT: Record<string, string> = {
  'contribution.recorded': 'Recorded it',
  'contribution.confirm': 'Confirmed it as recorded',
  'contribution.correct': 'Corrected the wording',
  'contribution.anonymise': 'Made it anonymous',
  'contribution.name': 'Put their name back on it',
  'contribution.restrict': 'Kept it in confidence: a personal story only the LXP and the programme team can read',
  'contribution.message_gone': 'A message that showed it could no longer be updated in Teams',
  'contribution.withdraw': 'Withdrew it; the words were erased',
  'contribution.lift_restriction': 'Lifted the restriction: no longer a personal story kept in confidence',
  'contribution.remind': 'Reminded the owner',
  'contribution.become_overdue': 'Feedback became overdue',
  'contribution.escalate': 'Told the programme team it is overdue',
  'contribution.record_outcome': 'Recorded an outcome',
  'contribution.feed_back': 'Sent "you said, we did" to the LXP',
  'contribution.respond': 'The LXP answered',
  'contribution.reply': 'The owner replied to what the LXP wrote',
  'contribution.carry_forward': 'Carried it into a later meeting',
  'contribution.forget': 'A person asked to be forgotten',
  'contribution.nudged': 'Nudged the owner',
  'contribution.deleted_by_retention': 'Deleted at the end of the retention period',
  [FORGOTTEN_ACTION]: 'A person asked to be forgotten',
};

/** A line for one audit entry. Only labels and statuses are read from the detail: never words, whatever else it holds. */
function describe(e: AuditEvent): string {
  const d = e.detail ?? {};
  let what = WHAT[e.action] ?? e.action.replace(/^[a-z_]+\./, '').replace(/[._]/g, ' ');
  if (typeof d.outcome === 'string' && d.outcome in OUTCOME_LABEL) what += `: ${OUTCOME_LABEL[d.outcome as OutcomeStatus]}`;
  if (typeof d.answer === 'string' && d.answer in ANSWER_LABEL) what += `: "${ANSWER_LABEL[d.answer as Answer]}"`;
  if (typeof d.from === 'string' && typeof d.to === 'string' && d.from !== d.to && d.to in STATUS_LABEL) what += ` (now ${STATUS_LABEL[d.to as Status].toLowerCase()})`;
  if (d.withWords === true) what += ', in their own words';
  if (d.wordsErased) what += '. Words erased since.';
  return what;
}

/**
 * `audit <contribution id>` (programme team): who recorded, changed,
 * confirmed, answered it, and when. Names are resolved, except that the LXP
 * behind an anonymous contribution stays "the LXP", as everywhere else.
 */
export async function contributionAudit(deps: Deps, caller: Caller, contributionId: string): Promise<ContributionAudit> {
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'view_audit', { type: 'programme' })) throw notAllowed('The history of a contribution is for the programme team.');
  const id = contributionId.trim();
  if (!id) throw new DomainError('invalid_input', 'Say which contribution: "audit" followed by its id, as in the export (for example audit c-1a2b3c).');
  if (!isStorableId(id)) throw new DomainError('not_found', `I can't find a contribution with that id here. The id is in the first column of the export.`);
  const events = (await queryEvery(deps.stores.audit, caller.tenantId, [{ field: 'subjectId', op: '=', value: id }]))
    .filter((e) => e.subjectType === 'contribution')
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const c = await deps.stores.contributions.get(caller.tenantId, id);
  if (!c && events.length === 0) throw new DomainError('not_found', `I can't find a contribution with the id "${id.slice(0, 60)}" here. The id is in the first column of the export.`);
  const names = await namesFor(deps, caller.tenantId, events.map((e) => e.actorId));
  const hidden = new Set(c?.anonymous ? c.lxpIds : []);
  const who = (actorId: string) => SYSTEM[actorId] ?? (hidden.has(actorId) ? 'The LXP (anonymous)' : names(actorId) === 'someone' && actorId.startsWith('forgotten-') ? FORGOTTEN_NAME : names(actorId));
  return {
    id,
    contribution: c ? { meetingTitle: c.meetingTitle, meetingDate: c.meetingDate, kind: c.kind, status: c.status, restricted: c.restricted, anonymous: c.anonymous } : null,
    lines: events.map((e) => ({ at: e.at, who: who(e.actorId), what: describe(e) })),
  };
}
