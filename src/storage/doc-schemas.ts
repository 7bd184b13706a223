import { z } from 'zod';
import { KINDS, MAX_WORDS_LENGTH } from '../domain/contribution';
import { MAX_PRIORITY_AREAS } from '../domain/workstream';
import { ATTRIBUTION_CHOICES, RESTRICTION_CHOICES } from '../domain/attribution';
import type { ContainerName } from './containers';

/**
 * What a stored document of each container must look like. Fields other
 * work adds later pass through (a job's lease, a person's forgetting mark),
 * but every field the code reads has its type, and the rules the product
 * depends on are checked: words within the limit and gone once withdrawn, at
 * most five priority areas, a closed contribution saying when it closed.
 * The fuzz and privacy tests check every document against these; the app
 * does not validate on read, because a failure there would hide data rather
 * than fix it.
 */
const when = z.string().datetime({ offset: true });
const id = z.string().min(1).max(1000);
const ids = z.array(id);
const base = {
  id,
  tenantId: z.string().min(1),
  /** src/domain/partition.ts: "<tenantId>|<programmeId>" for a programme's documents, or a person's, chat's, reference's or tenant's own. */
  pk: z.string().min(3),
  programmeId: z.string().min(1).optional(),
  schemaVersion: z.number().int().positive().optional(),
  _etag: z.string().optional(),
};

const preferences = z.object({
  attribution: z.enum(['named', 'anonymous']),
  quoteInReports: z.boolean(),
  rhythm: z.enum(['as_it_happens', 'weekly', 'monthly']),
  detail: z.enum(['brief', 'detailed']),
  news: z.array(z.enum(['good_news', 'not_taken_forward', 'under_consideration'])),
  quietDays: z.array(z.number().int().min(0).max(6)),
  quietHours: z.tuple([z.number(), z.number()]).optional(),
  revealToOwner: z.boolean(),
  transcriptSuggestions: z.boolean().optional(),
});

const workstream = z.object({
  ...base,
  type: z.literal('workstream'),
  name: z.string().min(1).max(100),
  chairIds: ids,
  staffIds: ids,
  lxpIds: ids,
  priorityAreas: z.array(z.object({ id, name: z.string().min(1).max(80), proposedBy: id })).max(MAX_PRIORITY_AREAS),
  chatIds: ids,
  createdAt: when,
  updatedAt: when,
}).passthrough();

/** src/domain/programme-priority.ts: at most five confirmed at a time. */
const programmePriority = z.object({
  id, title: z.string().min(1).max(80), why: z.string().max(500), proposedBy: id, proposedAt: when, status: z.enum(['proposed', 'confirmed', 'declined', 'retired']), areaIds: ids,
  decidedBy: id.optional(), decidedAt: when.optional(), reason: z.string().max(500).optional(), retiredBy: id.optional(), retiredAt: when.optional(),
}).passthrough();
const priorities = z.array(programmePriority).refine((list) => list.filter((p) => p.status === 'confirmed').length <= 5, 'more than five confirmed programme priorities');
const programme = z.object({ ...base, type: z.literal('programme'), name: z.string().min(1).max(100).optional(), leadId: id, memberIds: ids, noticeConversationId: z.string().optional(), priorities: priorities.optional(), createdAt: when }).passthrough();

const person = z.object({
  ...base,
  type: z.literal('person'),
  name: z.string(),
  teamsId: z.string().optional(),
  programme: z.boolean(),
  preferences: preferences.optional(),
  consent: z.array(z.object({ wordingVersion: z.string(), shownAt: when, chosenAt: when, choices: preferences })),
  onboarding: z.object({ sentAt: when.optional(), completedAt: when.optional() }).optional(),
  reachability: z.object({ status: z.enum(['unknown', 'reachable', 'unreachable']), reason: z.string().optional(), at: when.optional() }),
  involvement: z.object({ paused: z.object({ at: when, stops: z.array(z.enum(['follow_ups', 'digests', 'check_in'])) }).optional(), steppingBackToldAt: when.optional(), since: when }).optional(),
  createdAt: when,
  updatedAt: when,
}).passthrough();

const meeting = z.object({
  ...base,
  type: z.literal('meeting'),
  conversationId: z.string().min(1),
  teamsMeetingId: z.string().optional(),
  workstreamId: z.string().optional(),
  title: z.string().min(1),
  startedAt: when.optional(),
  endedAt: when.optional(),
  chairId: z.string().optional(),
  organiserId: z.string().optional(),
  graphMeetingId: z.string().optional(),
  aim: z.object({ text: z.string().min(1).max(500), by: id, at: when }).optional(),
  review: z.object({ result: z.enum(['met', 'partly', 'not_met']), nextSteps: z.string().max(1000), by: id, at: when }).optional(),
  attendance: z.record(z.object({ name: z.string(), spans: z.array(z.object({ joinedAt: when, leftAt: when.optional() })) })),
  createdAt: when,
}).passthrough();

const status = z.enum(['awaiting_outcome', 'overdue', 'escalated', 'outcome_recorded', 'fed_back', 'closed', 'withdrawn']);
const contribution = z
  .object({
    ...base,
    type: z.literal('contribution'),
    workstreamId: id,
    meetingId: id,
    meetingTitle: z.string(),
    meetingDate: when,
    lxpIds: ids.min(1),
    words: z.string().max(MAX_WORDS_LENGTH),
    kind: z.enum(KINDS),
    priorityAreaIds: ids.max(MAX_PRIORITY_AREAS),
    ownerId: id,
    dueAt: when,
    anonymous: z.boolean(),
    restricted: z.boolean(),
    status,
    check: z.enum(['unchecked', 'confirmed', 'corrected']),
    recordedBy: id,
    recordedAt: when,
    outcomes: z.array(z.object({ status: z.enum(['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on']), whatWeDid: z.string(), decidedBy: id, decidedAt: when }).passthrough()),
    answers: z.array(z.object({
      by: id,
      answer: z.enum(['helpful', 'want_to_talk', 'does_not_reflect', 'disagree_decision']),
      at: when,
      words: z.string().min(1).max(1000).optional(),
      // Empty once "forget me" erased it: the fact of a reply stays.
      reply: z.object({ by: id, words: z.string().max(1000), at: when }).optional(),
    })),
    reminders: z.object({ count: z.number().int().min(0), lastAt: when.optional() }),
    carriedInto: ids,
    carriedFrom: z.string().optional(),
    source: z.literal('transcript').optional(),
    addedBy: z.enum(['chair', 'lxp']).optional(),
    proposalId: z.string().optional(),
    closedAt: when.optional(),
    history: z.array(z.object({ at: when, by: id, event: z.string().min(1), from: status.nullable(), to: status })).min(1),
  })
  .passthrough()
  .refine((c) => c.status !== 'withdrawn' || c.words === '', 'a withdrawn contribution still has words')
  .refine((c) => c.status !== 'closed' || !!c.closedAt, 'a closed contribution has no closedAt');

const job = z.object({
  ...base,
  type: z.literal('job'),
  // Kinds are added by other work; their handlers decide what a payload means.
  kind: z.string().regex(/^[a-z_]+$/),
  runAt: when,
  status: z.enum(['pending', 'running', 'done', 'failed', 'held']),
  subjectId: id,
  payload: z.record(z.unknown()),
  attempts: z.number().int().min(0),
  createdAt: when,
}).passthrough();

/** src/jobs/instances.ts: the scheduler instances alive, kept in the jobs container under a partition no tenant has. */
const instances = z.object({ ...base, tenantId: z.literal('_system'), type: z.literal('instances'), seen: z.record(when) }).passthrough();

const audit = z.object({
  ...base,
  type: z.literal('audit'),
  at: when,
  actorId: id,
  action: z.string().min(1),
  subjectType: z.enum(['workstream', 'person', 'meeting', 'contribution', 'programme', 'consent', 'claim', 'proposal']),
  subjectId: id,
  detail: z.record(z.unknown()).optional(),
}).passthrough();

const conversation = z.object({ ...base, type: z.literal('conversation'), kind: z.enum(['person', 'chat', 'service']), reference: z.record(z.unknown()), updatedAt: when }).passthrough();

/** src/domain/report.ts OverdueEntry: the overdue index, beside the counters. */
const overdueEntry = z.object({
  ...base, type: z.literal('overdue'), contributionId: id, workstreamId: id, ownerId: id, lxpIds: ids, dueAt: when, meetingDate: when, priorityAreaIds: ids, status: z.enum(['overdue', 'escalated']),
}).passthrough();

const counter = z.object({ ...base, type: z.literal('counter'), workstreamId: id, month: z.string().regex(/^\d{4}-\d{2}$/), counts: z.record(z.number().int()) }).passthrough();

/** src/domain/shown.ts ShownMessage: a posted message that shows contributions, by id. */
const shown = z.object({
  ...base,
  type: z.literal('shown'),
  to: z.union([z.object({ kind: z.literal('person'), personId: id }), z.object({ kind: z.literal('chat'), conversationId: z.string().min(1) })]),
  activityId: z.string().min(1),
  view: z.object({ card: z.enum(['minutes', 'log', 'carry_forward', 'ask_owner', 'meeting_closed', 'digest', 'answer_notice', 'answer_reply', 'proposal', 'meeting_start', 'agenda_notes']) }).passthrough(),
  contributionIds: ids,
  postedAt: when,
  gone: z.object({ at: when, reason: z.string() }).optional(),
}).passthrough();

/** src/domain/who-takes-part.ts: an LXP's optional equality answers, apart from their name (no name, no words). */
const equality = z.object({ ...base, type: z.literal('equality'), personId: id, answers: z.record(z.string().max(40)), wordingVersion: z.string(), answeredAt: when, updatedAt: when }).passthrough();

/** src/domain/programme.ts: the per-person and per-chat indexes. */
const memberships = z.object({ ...base, type: z.literal('memberships'), personId: id, programmes: z.record(z.object({ name: z.string(), since: when })) }).passthrough();
const chatLink = z.object({ ...base, type: z.literal('chat_link'), conversationId: z.string().min(1), programmeId: id, workstreamId: id, linkedBy: id, linkedAt: when }).passthrough();
/** src/storage/migrate.ts: the marker that makes the version-2 migration run once. */
const migration = z.object({ ...base, tenantId: z.literal('_system'), type: z.literal('migration'), state: z.enum(['running', 'done']), owner: z.string(), until: when }).passthrough();

const minutesBy = z.object({ meeting: z.number().int().min(0), preparation: z.number().int().min(0) });
const pence = z.number().int().min(0);
const claimStatus = z.enum(['submitted', 'queried', 'approved', 'declined']);
/** One step of a claim's or a proposal's history. */
const entry = <S extends z.ZodTypeAny>(status: S) => z.object({ at: when, by: id, event: z.string(), from: status.nullable(), to: status, reason: z.string().optional() }).passthrough();
/** What a claim and an LXP's addition to the record share: whose it is and the meeting it is about. */
const ofAnLxpAtAMeeting = { programmeId: id, lxpId: id, meetingId: id, workstreamId: id, meetingTitle: z.string(), meetingDate: when };
/** src/domain/claim.ts Claim: whole pence and whole minutes only; a forgotten LXP leaves the placeholder and no note. */
const claim = z.object({
  ...base,
  type: z.literal('claim'),
  ...ofAnLxpAtAMeeting,
  minutes: minutesBy,
  expenses: z.object({ travel: pence, other: pence, carer: pence }),
  note: z.string().max(1000),
  paymentDeclined: z.boolean(),
  rates: z.object({ hourly: minutesBy, fixed: minutesBy }),
  amounts: z.object({ activity: z.object({ meeting: pence, preparation: pence }), expenses: z.object({ travel: pence, other: pence, carer: pence }), total: pence }),
  status: claimStatus,
  reason: z.string().max(1000).optional(),
  decidedBy: id.optional(),
  decidedAt: when.optional(),
  submittedAt: when,
  waitingSince: when,
  escalatedAt: when.optional(),
  history: z.array(entry(claimStatus)),
}).passthrough();

const proposalStatus = z.enum(['pending', 'accepted', 'declined', 'withdrawn']);
/** src/domain/proposals.ts ContributionProposal: the LXP's words, erased when withdrawn or forgotten. */
const contributionProposal = z.object({
  ...base,
  type: z.literal('contribution_proposal'),
  ...ofAnLxpAtAMeeting,
  words: z.string().max(MAX_WORDS_LENGTH),
  kind: z.enum(KINDS),
  priorityAreaIds: ids.max(MAX_PRIORITY_AREAS),
  attribution: z.enum(ATTRIBUTION_CHOICES),
  restriction: z.enum(RESTRICTION_CHOICES),
  status: proposalStatus,
  proposedAt: when,
  decidedBy: id.optional(),
  decidedAt: when.optional(),
  reason: z.string().max(1000).optional(),
  contributionId: id.optional(),
  claim: z.object({ by: id, at: when, contributionId: id }).optional(),
  history: z.array(entry(proposalStatus)).min(1),
}).passthrough();
const agendaStatus = z.enum(['proposed', 'taken', 'withdrawn']);
/** src/domain/proposals.ts AgendaProposal. */
const agendaProposal = z.object({
  ...base,
  type: z.literal('agenda_proposal'),
  programmeId: id,
  lxpId: id,
  workstreamId: id,
  title: z.string().max(200),
  note: z.string().max(MAX_WORDS_LENGTH),
  status: agendaStatus,
  proposedAt: when,
  carriedPast: ids,
  taken: z.object({ meetingId: id, by: id, at: when, contributionId: id }).optional(),
  history: z.array(entry(agendaStatus)).min(1),
}).passthrough();

export const DOC_SCHEMAS: Record<ContainerName, z.ZodTypeAny> = {
  workstreams: z.union([workstream, programme, chatLink]),
  people: z.union([person, memberships, equality]),
  meetings: meeting,
  contributions: contribution,
  jobs: z.union([job, instances, migration]),
  audit,
  conversations: conversation,
  counters: z.union([counter, overdueEntry]),
  shown,
  claims: claim,
  proposals: z.union([contributionProposal, agendaProposal]),
};

/** The first problem with a stored document, in words, or undefined when it is fine. */
export function docProblem(container: ContainerName, doc: unknown): string | undefined {
  const r = DOC_SCHEMAS[container].safeParse(doc);
  if (r.success) return undefined;
  const i = r.error.issues[0];
  return `${i.path.join('.') || '(document)'}: ${i.message}`;
}
