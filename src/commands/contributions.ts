import { fromZonedTime } from 'date-fns-tz';
import { createHash } from 'node:crypto';
import { DomainError, notAllowed, notFound } from '../domain/errors';
import { can, type Action, type Actor, type Resource } from '../domain/policy';
import { getMany, queryEvery, updateWithRetry, WriteConflict } from '../domain/ports';
import { recordAnonymous, recordRestricted, type AttributionChoice, type RestrictionChoice } from '../domain/attribution';
import type { Names, Person } from '../domain/person';
import { recordContribution, transition, type Contribution, type ContributionEvent, type Kind } from '../domain/contribution';
import { addLocal, feedbackDue, onWorkingDay } from '../domain/follow-up';
import { attended, type Meeting } from '../domain/meeting';
import type { Workstream } from '../domain/workstream';
import { actorFor, type Caller, type Deps } from './deps';
import { getMeeting } from './meeting-record';
import { getWorkstream } from './setup';
import { mayOfferTranscript } from './transcript-switch';
import type { Effect } from '../domain/effects';
import { changeEffects, completePending, eraseWordsFromAudit, withPending } from './outbox';

export interface LogInput {
  /** Made when the card was rendered; the same submission saves once however often it arrives. */
  submissionId: string;
  meetingId: string;
  lxpIds: string[];
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  ownerId?: string;
  dueDate?: string;
  /** Ticked on a card made before the log card offered choices (kept so such cards still save); see `attribution`. */
  anonymous: boolean;
  /** Ticked on an older card; see `restriction`. */
  restricted: boolean;
  /** The log card's choice; without one, a ticked `anonymous` means "anonymous", otherwise "as they chose". */
  attribution?: AttributionChoice;
  /** The log card's choice; without one, a ticked `restricted` means "restricted", otherwise "as the kind says". */
  restriction?: RestrictionChoice;
  carriedFrom?: string;
  /** Saved from the chair's "Suggested contributions" card (src/app/suggestions.ts), not typed. */
  source?: 'transcript';
  /** Issue 22: the LXP added it (their proposal accepted, or their agenda item taken); see src/domain/proposals.ts. */
  addedBy?: 'chair' | 'lxp';
  proposalId?: string;
}

export function contributionIdFor(submissionId: string): string {
  return `c-${createHash('sha256').update(submissionId).digest('hex').slice(0, 20)}`;
}

/** The meeting and the workstream it is linked to. */
async function meetingOf(deps: Deps, caller: Caller, meetingId: string): Promise<{ meeting: Meeting; workstream: Workstream }> {
  const meeting = await getMeeting(deps, caller.tenantId, meetingId);
  if (!meeting.workstreamId) throw new DomainError('not_found', 'This meeting is not linked to a workstream yet.');
  return { meeting, workstream: await getWorkstream(deps, caller.tenantId, meeting.workstreamId) };
}

async function contextOf(deps: Deps, caller: Caller, meetingId: string): Promise<{ actor: Actor; meeting: Meeting; workstream: Workstream }> {
  return { ...(await meetingOf(deps, caller, meetingId)), actor: await actorFor(deps, caller) };
}

/**
 * The programme team may do whatever anyone else may (see src/domain/policy.ts), so a chair's own rights are checked
 * first and the programme document is read only when they fall short.
 */
async function allowed(deps: Deps, caller: Caller, action: Action, resource: Resource): Promise<boolean> {
  if (can({ id: caller.id, tenantId: caller.tenantId, programme: false }, action, resource)) return true;
  return can(await actorFor(deps, caller), action, resource);
}

/** Checks a submission against the meeting and workstream as they are now, and builds the contribution it would save. */
function draftContribution(deps: Deps, caller: Caller, input: LogInput, id: string, meeting: Meeting, workstream: Workstream, lxps: Map<string, Person>, proposedInTime = false): Contribution {
  const now = deps.clock.now();
  const end = meeting.endedAt ? new Date(meeting.endedAt) : undefined;
  // An LXP's proposal was checked against LOG_GRACE when they made it; the chair may accept it after.
  if (end && !proposedInTime) {
    if (addLocal(end, deps.settings.logGrace, deps.settings.timeZone) < now) {
      throw new DomainError('too_late', 'This meeting ended too long ago to log contributions for it. Ask the programme team if something important was missed.');
    }
  }
  const notLxp = input.lxpIds.filter((p) => !workstream.lxpIds.includes(p));
  if (notLxp.length) throw new DomainError('invalid_input', `Only the LXPs of ${workstream.name} can be chosen as who said it. Refresh the card and choose again.`);
  const unknownAreas = input.priorityAreaIds.filter((a) => !workstream.priorityAreas.some((p) => p.id === a));
  if (unknownAreas.length) throw new DomainError('stale', 'A priority area on this card no longer exists. Open a fresh card and choose again.');
  const ownerId = input.ownerId || meeting.chairId || workstream.chairIds[0] || caller.id;
  const isMember = workstream.chairIds.includes(ownerId) || workstream.staffIds.includes(ownerId);
  if (!isMember) throw new DomainError('invalid_input', `The owner must be a chair or member of staff in ${workstream.name}.`);
  const meetingAt = new Date(meeting.startedAt ?? meeting.createdAt);
  let due = feedbackDue(meetingAt, deps.settings.followUpAfter, deps.settings.timeZone);
  if (input.dueDate) {
    // The day chosen on the card is a day in the programme's time zone, as outcomes' new dates are, whatever the server's zone.
    const chosen = fromZonedTime(`${input.dueDate}T10:00:00`, deps.settings.timeZone);
    if (Number.isNaN(chosen.getTime())) throw new DomainError('invalid_input', 'The feedback due date is not a date.');
    if (chosen < meetingAt) throw new DomainError('invalid_input', 'Feedback cannot be due before the meeting it came from.');
    due = onWorkingDay(chosen, deps.settings.timeZone);
  }

  return recordContribution(
    {
      id,
      tenantId: caller.tenantId,
      workstreamId: workstream.id,
      meetingId: meeting.id,
      meetingTitle: meeting.title,
      meetingDate: meeting.startedAt ?? meeting.createdAt,
      lxpIds: [...new Set(input.lxpIds)],
      words: input.words,
      kind: input.kind,
      priorityAreaIds: input.priorityAreaIds,
      ownerId,
      dueAt: due.toISOString(),
      // The LXP's default, not only the chair's tick, decides: see src/domain/attribution.ts.
      anonymous: recordAnonymous(
        input.attribution ?? (input.anonymous ? 'anonymous' : 'as_chosen'),
        [...new Set(input.lxpIds)].map((p) => ({ name: lxps.get(p)?.name || 'This LXP', preferences: lxps.get(p)?.preferences })),
      ),
      restricted: recordRestricted(input.restriction ?? (input.restricted ? 'restricted' : 'as_kind'), input.kind),
      carriedFrom: input.carriedFrom,
      ...(input.source ? { source: input.source } : {}),
      ...(input.addedBy ? { addedBy: input.addedBy } : {}),
      ...(input.proposalId ? { proposalId: input.proposalId } : {}),
    },
    caller.id,
    now,
  );
}

/**
 * Logs a contribution. A double click, a retry or a stale card saves once: the id comes from the card's submission id,
 * so the create itself is the duplicate check, and only a submission already saved costs a read. The contribution
 * is created with everything it implies pending on it (docs/whole-writes.md), so a retry that finds it "already
 * saved" still finishes the audit entry, the owner's follow-up and the counters an earlier attempt left undone.
 * The meeting and workstream it read are returned too, so the caller need not read them again for the next card.
 */
export async function logContribution(deps: Deps, caller: Caller, input: LogInput): Promise<{ contribution: Contribution; alreadySaved: boolean; meeting: Meeting; workstream: Workstream; names?: Names }> {
  const { meeting, workstream } = await meetingOf(deps, caller, input.meetingId);
  if (!(await allowed(deps, caller, 'log_contribution', { type: 'meeting', meeting, workstream }))) {
    throw notAllowed(`Only the chairs of ${workstream.name} or the programme team can log contributions. Ask the chair to log it, or to add you as a chair.`);
  }
  const id = contributionIdFor(input.submissionId);
  const already = async (existing: Contribution) => ({ contribution: await completePending(deps, existing, 'after'), alreadySaved: true, meeting, workstream, names });

  let contribution: Contribution;
  // The LXPs' choices decide how it is recorded; the rest of the workstream's people are read in the same query, for the next card's names.
  const people = await getMany(deps.stores.people, caller.tenantId, [...input.lxpIds, ...workstream.lxpIds, ...workstream.chairIds, ...workstream.staffIds]);
  const names: Names = (pid) => people.get(pid)?.name || 'someone';
  try {
    const inTime = await proposedInTime(deps, caller.tenantId, input, meeting);
    contribution = draftContribution(deps, caller, input, id, meeting, workstream, people, inTime);
  } catch (err) {
    // A card saved before the meeting ended or an area was removed still answers "already saved" when sent again.
    const existing = err instanceof DomainError ? await deps.stores.contributions.get(caller.tenantId, id) : undefined;
    if (existing) return already(existing);
    throw err;
  }
  let saved: Contribution;
  try {
    saved = await deps.stores.contributions.create(withPending(contribution, recordedEffects(deps, caller, meeting, contribution)));
  } catch (err) {
    if (err instanceof WriteConflict && err.kind === 'exists') return already(await getContribution(deps, caller.tenantId, id));
    throw err;
  }
  saved = await completePending(deps, saved, 'after');
  if (meeting.endedAt) deps.queue.runSoon();
  return { contribution: saved, alreadySaved: false, meeting, workstream, names };
}

/** What a new contribution implies: its audit entry, the owner's question at the due date, the counters, and late checks. */
function recordedEffects(deps: Deps, caller: Caller, meeting: Meeting, c: Contribution): Effect[] {
  return [
    ...changeEffects(deps, undefined, c, 'contribution.recorded', caller.id, {
      meetingId: meeting.id, lxpIds: c.lxpIds, kind: c.kind, anonymous: c.anonymous, restricted: c.restricted, ownerId: c.ownerId,
      ...(c.source ? { source: c.source } : {}),
    }),
    { kind: 'job', job: { kind: 'ask_owner', subjectId: c.id, runAt: c.dueAt } },
    ...lateChecks(deps, meeting, c),
  ];
}

/** Whether this logs an LXP's proposal that is still with the chair and was made within LOG_GRACE of the meeting's end. */
async function proposedInTime(deps: Deps, tenantId: string, input: LogInput, meeting: Meeting): Promise<boolean> {
  if (!input.proposalId || !meeting.endedAt) return false;
  const p = await deps.stores.proposals.get(tenantId, input.proposalId);
  if (p?.type !== 'contribution_proposal' || p.status !== 'pending' || p.meetingId !== meeting.id) return false;
  return new Date(p.proposedAt) <= addLocal(new Date(meeting.endedAt), deps.settings.logGrace, deps.settings.timeZone);
}

/**
 * Logged after the meeting ended (an old log card, within LOG_GRACE): the checks already went out, so each LXP
 * on it gets their check card again, now with this item. Keyed by the contribution, so a retry queues one.
 */
function lateChecks(deps: Deps, meeting: Meeting, c: Contribution): Effect[] {
  if (!meeting.endedAt) return [];
  const runAt = deps.clock.now().toISOString();
  return c.lxpIds.map((lxp) => ({ kind: 'job', job: { kind: 'lxp_check', subjectId: lxp, key: `${meeting.id}:late:${c.id}`, runAt, payload: { meetingId: meeting.id } } }));
}

export async function getContribution(deps: Deps, tenantId: string, id: string): Promise<Contribution> {
  const c = await deps.stores.contributions.get(tenantId, id);
  if (!c) throw notFound('That contribution is no longer in Golden Thread.');
  return c;
}

/**
 * The one way a stored contribution changes: read, transition (the state machine), then one conditional write
 * holding the change and what it implies (audit, counters, overdue index, refreshes, and the caller's `more`,
 * such as follow-up jobs), which are then carried out and cleared (src/commands/outbox.ts). A lost race is retried
 * from fresh data; an event the new state no longer allows is refused, after finishing what is still pending.
 */
export async function applyEvent(
  deps: Deps,
  tenantId: string,
  id: string,
  event: ContributionEvent,
  by: string,
  authorise?: (c: Contribution) => void,
  auditDetail?: (before: Contribution) => Record<string, unknown>,
  more?: (before: Contribution, after: Contribution) => Effect[] | Promise<Effect[]>,
): Promise<{ before: Contribution; after: Contribution }> {
  let seen: Contribution | undefined;
  let r: { before: Contribution; after: Contribution } | undefined;
  try {
    r = await updateWithRetry(deps.stores.contributions, tenantId, id, async (c) => {
      seen = c;
      authorise?.(c);
      const after = transition(c, event, by, deps.clock.now());
      const detail = { from: c.status, to: after.status, ...auditDetail?.(c) };
      const effects = [...changeEffects(deps, c, after, `contribution.${event.type}`, by, detail), ...eventEffects(c, after, event), ...((await more?.(c, after)) ?? [])];
      return withPending(after, effects, erasesWords(c, event));
    });
  } catch (err) {
    // The same event again (a retry after a failure) is refused now, but what the first attempt left is finished.
    if (err instanceof DomainError && seen?.pending?.length) await completePending(deps, seen, 'after');
    throw err;
  }
  if (!r) throw notFound('That contribution is no longer in Golden Thread.');
  return { before: r.before, after: await completePending(deps, r.after, 'after') };
}

const erasesWords = (c: Contribution, event: ContributionEvent) => event.type === 'withdraw' || (event.type === 'forget' && (!event.personId || c.lxpIds.includes(event.personId)));

/** A withdrawal stops the contribution's waiting work; it and "forget me" erase words kept in the audit. */
function eventEffects(c: Contribution, after: Contribution, event: ContributionEvent): Effect[] {
  const effects: Effect[] = [];
  if (event.type === 'withdraw') effects.push({ kind: 'cancel_jobs', at: after.history[after.history.length - 1].at });
  if (event.type === 'withdraw' && c.proposalId) effects.push({ kind: 'erase_proposal', proposalId: c.proposalId });
  if (erasesWords(c, event)) effects.push({ kind: 'erase_words' });
  return effects;
}

export type CheckAction = 'confirm' | 'correct' | 'anonymise' | 'name' | 'withdraw' | 'restrict' | 'lift_restriction';

/**
 * The LXP checks what was recorded from them: confirm, correct (both versions kept in the audit), make anonymous or
 * put their name back, keep a story in confidence or let it be shown, or withdraw. Only the LXP may name themself or
 * lift a restriction: that is their choice, not the chair's.
 */
export async function checkContribution(deps: Deps, caller: Caller, id: string, action: CheckAction, words?: string): Promise<Contribution> {
  const actor = await actorFor(deps, caller);
  let event: ContributionEvent;
  if (action === 'correct') {
    const text = (words ?? '').trim();
    if (!text) throw new DomainError('invalid_input', 'Write your wording in the box, then choose "Use my wording".');
    if (text.length > 2000) throw new DomainError('invalid_input', `Your wording is ${text.length} characters; the most is 2,000.`);
    event = { type: 'correct', words: text };
  } else {
    event = { type: action } as ContributionEvent;
  }
  let repeat = false;
  const authorise = (c: Contribution) => {
    if (!can(actor, 'check_contribution', { type: 'contribution', contribution: c })) throw notAllowed('Only the person who said this can check it.');
    // The same press again (a retry after an error, a double click) is not a second change: it answers as the first
    // did, once what that left pending is finished. (A second withdrawal is refused by the state machine.)
    const last = c.history[c.history.length - 1];
    repeat = event.type !== 'withdraw' && last?.event === event.type && last.by === caller.id && (event.type !== 'correct' || c.words === event.words);
    if (repeat) throw new DomainError('already_done', 'That is already done.');
  };
  try {
    // A withdrawal's erasure of the audit's words and its cancelled jobs are part of the change (eventEffects).
    const { after } = await applyEvent(deps, caller.tenantId, id, event, caller.id, authorise, (before) =>
      action === 'correct' ? { previousWords: before.words, words: (event as { words: string }).words } : {},
    );
    return after;
  } catch (err) {
    if (repeat) return getContribution(deps, caller.tenantId, id);
    throw err;
  }
}

export { eraseWordsFromAudit };

export async function contributionsOfMeeting(deps: Deps, tenantId: string, meetingId: string): Promise<Contribution[]> {
  return queryEvery(deps.stores.contributions, tenantId, [{ field: 'meetingId', op: '=', value: meetingId }], { orderBy: { field: 'recordedAt', direction: 'ASC' } });
}

/** Carries a contribution into a later meeting, so the trail from first mention to decision is visible in both. */
export async function carryForward(deps: Deps, caller: Caller, id: string, toMeetingId: string): Promise<Contribution> {
  const c = await getContribution(deps, caller.tenantId, id);
  const { actor, meeting, workstream } = await contextOf(deps, caller, toMeetingId);
  const from = await getWorkstream(deps, caller.tenantId, c.workstreamId);
  if (!can(actor, 'carry_forward', { type: 'meeting', meeting, workstream }) && !can(actor, 'carry_forward', { type: 'workstream', workstream: from })) {
    throw notAllowed('Only a chair of either workstream or the programme team can carry a contribution forward.');
  }
  const { after } = await applyEvent(deps, caller.tenantId, id, { type: 'carry_forward', meetingId: toMeetingId }, caller.id);
  return after;
}

/**
 * After a meeting, one lxp_check job per LXP, keyed by the meeting, so it is sent once however often this runs:
 * "here is what was recorded from you" to each LXP with something recorded, and "nothing was recorded from you"
 * to each LXP of the workstream who attended with nothing recorded (a job of its own, see below).
 */
export async function scheduleLxpChecks(deps: Deps, meeting: Meeting): Promise<string[]> {
  const contributions = await contributionsOfMeeting(deps, meeting.tenantId, meeting.id);
  const lxps = [...new Set(contributions.filter((c) => c.status !== 'withdrawn').flatMap((c) => c.lxpIds))];
  for (const lxp of lxps) {
    await deps.queue.add({ tenantId: meeting.tenantId, kind: 'lxp_check', subjectId: lxp, key: meeting.id, runAt: deps.clock.now(), payload: { meetingId: meeting.id } });
  }
  const unrecorded = await scheduleNothingRecordedChecks(deps, meeting, lxps);
  deps.queue.runSoon();
  return [...lxps, ...unrecorded];
}

/**
 * When the chair will be offered suggestions from the meeting's transcript (issue 24), what they save from it is
 * recorded in the hours after the end: "nothing was recorded from you" waits this long, and goes only to those the
 * chair saved nothing for, rather than arrive just before "here is what was recorded from you".
 */
export const NOTHING_RECORDED_AFTER_TRANSCRIPT_HOURS = 24;

/**
 * The LXPs of the meeting's workstream who attended it (Teams' events, or the chair's "was here"; the chair's
 * "not here" wins) and have nothing live recorded in it are told so, with "Add something to the record" (the job
 * decides when it runs: src/jobs/lxp-check.ts). Also run when the chair confirms attendance after the end, for
 * those they ticked; the job's key makes it one message per LXP and meeting.
 */
export async function scheduleNothingRecordedChecks(deps: Deps, meeting: Meeting, recorded?: string[]): Promise<string[]> {
  const ws = meeting.workstreamId ? await getWorkstream(deps, meeting.tenantId, meeting.workstreamId).catch(() => undefined) : undefined;
  if (!ws || !meeting.endedAt) return [];
  const live = recorded ?? (await contributionsOfMeeting(deps, meeting.tenantId, meeting.id)).filter((c) => c.status !== 'withdrawn').flatMap((c) => c.lxpIds);
  const lxps = ws.lxpIds.filter((id) => !live.includes(id) && meeting.attendance[id] && attended(meeting.attendance[id]));
  // The day's wait counts from the end, not from now: a "was here" tick late in LOG_GRACE must not push it past.
  const now = deps.clock.now();
  const held = new Date(Date.parse(meeting.endedAt) + NOTHING_RECORDED_AFTER_TRANSCRIPT_HOURS * 3_600_000);
  const runAt = held > now && (await mayOfferTranscript(deps, meeting)) ? held : now;
  // A job of its own (key `<meeting>:none`), which never sends a check card: the LXP's check, if the chair records
  // something for them meanwhile, goes as for anything logged late.
  for (const lxp of lxps) await deps.queue.add({ tenantId: meeting.tenantId, kind: 'lxp_check', subjectId: lxp, key: `${meeting.id}:none`, runAt, payload: { meetingId: meeting.id, nothingRecorded: true } });
  if (lxps.length) deps.queue.runSoon();
  return lxps;
}

/** More than a carry-forward card can show (it shows the newest that fit in one message). */
const CARRY_CANDIDATES = 100;

/**
 * Open contributions of a workstream from meetings other than this one, what a chair may carry forward: the
 * newest, one page, not the workstream's whole history.
 */
export async function carryCandidates(deps: Deps, tenantId: string, workstreamId: string, meetingId: string): Promise<Contribution[]> {
  const page = await deps.stores.contributions.query(
    tenantId,
    [
      { field: 'workstreamId', op: '=', value: workstreamId },
      { field: 'meetingId', op: '!=', value: meetingId },
      { field: 'status', op: '!=', value: 'withdrawn' },
      { field: 'status', op: '!=', value: 'closed' },
    ],
    { orderBy: { field: 'recordedAt', direction: 'DESC' }, pageSize: CARRY_CANDIDATES },
  );
  return page.items;
}

/** Contributions carried into a meeting from earlier ones, for its minutes. */
export async function carriedInto(deps: Deps, tenantId: string, meetingId: string): Promise<Contribution[]> {
  return queryEvery(deps.stores.contributions, tenantId, [{ field: 'carriedInto', op: 'contains', value: meetingId }]);
}
