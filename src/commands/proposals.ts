import { DomainError, notAllowed, notFound } from '../domain/errors';
import { recordAnonymous } from '../domain/attribution';
import { addLocal, feedbackDue, localDate } from '../domain/follow-up';
import { attended, type Meeting } from '../domain/meeting';
import { can } from '../domain/policy';
import { WriteConflict, getMany, queryEvery, updateWithRetry, createOnce } from '../domain/ports';
import {
  agendaFor,
  checkMayProposeContribution,
  checkMayTake,
  logInputForAgendaItem,
  logInputForProposal,
  proposalIdFor,
  proposeAgendaItem as newAgendaItem,
  proposeContribution as newProposal,
  toCarryAfter,
  transitionAgenda,
  transitionProposal,
  type AcceptChoice,
  type AgendaProposal,
  type ContributionProposal,
  type ProposeAgendaInput,
  type ProposeContributionInput,
} from '../domain/proposals';
import { scopeOf } from '../domain/programme-stores';
import type { Contribution } from '../domain/contribution';
import type { Workstream } from '../domain/workstream';
import { contributionIdFor, logContribution } from './contributions';
import { completePending } from './outbox';
import { queueRefreshesOf } from './shown';
import { actorFor, audit, getProgramme, type Caller, type Deps } from './deps';
import { namesFor } from './names';
import { getMeeting } from './meeting-record';
import { getWorkstream } from './setup';

/**
 * Issue 22, what an LXP brings themselves: something they add to the record
 * after a meeting (a proposal the chair accepts or declines) and agenda items
 * for the next meeting (the chair takes one). Accepting and taking go through
 * the ordinary log command, so each becomes an ordinary contribution. Every
 * change is audited with ids, never the words or the reasons.
 */

const programmeIdOf = (deps: Deps) => scopeOf(deps.stores)?.programmeId;

async function meetingAndWorkstream(deps: Deps, tenantId: string, meetingId: string): Promise<{ meeting: Meeting; workstream?: Workstream }> {
  const meeting = await getMeeting(deps, tenantId, meetingId);
  const workstream = meeting.workstreamId ? await getWorkstream(deps, tenantId, meeting.workstreamId).catch(() => undefined) : undefined;
  return { meeting, workstream };
}

/** Creates a document whose id comes from the card: the create is the duplicate check, so a second press (or two at once) finds it saved. */
async function saveOnce<T extends ContributionProposal | AgendaProposal>(deps: Deps, doc: T): Promise<{ saved: T; alreadySaved: boolean }> {
  try {
    return { saved: (await deps.stores.proposals.create(doc)) as T, alreadySaved: false };
  } catch (err) {
    if (err instanceof WriteConflict && err.kind === 'exists') return { saved: (await deps.stores.proposals.get(doc.tenantId, doc.id)) as T, alreadySaved: true };
    throw err;
  }
}

/** Tells someone about a proposal; the job reads it when it sends, so what they see is current. Keyed by the change (its version), so a retried turn queues one. */
export async function queueProposalNotice(deps: Deps, p: ContributionProposal, to: string, about: 'submitted' | 'decided', version = p.history.length): Promise<void> {
  await deps.queue.add({ tenantId: p.tenantId, kind: 'proposal_notice', subjectId: p.id, runAt: deps.clock.now(), key: `${p.id}:${about}:${to}:${version}`, payload: { to: { kind: 'person', personId: to }, about } });
  deps.queue.runSoon();
}

type Lifecycle = ContributionProposal | AgendaProposal;

/** The version of a proposal's change: the history's length just after its latest `event` entry (0 if it never happened). */
function versionOf(p: Lifecycle, event: string): number {
  for (let i = p.history.length - 1; i >= 0; i--) if (p.history[i].event === event) return i + 1;
  return 0;
}

/**
 * The audit entry of a proposal's change, under a fixed id (`<proposalId>:v<version>`, as for contributions):
 * whoever finishes the change (the person's retry, a second run of a job) writes it once.
 */
async function auditChange(deps: Deps, p: Lifecycle, event: string, action: string, detail: Record<string, unknown>): Promise<void> {
  const version = versionOf(p, event);
  // Never happened (withdrawn by forget me, say): nothing of this change to audit.
  if (!version) return;
  const entry = p.history[version - 1];
  await createOnce(deps.stores.audit, { id: `${p.id}:v${version}`, tenantId: p.tenantId, type: 'audit', at: entry.at, actorId: entry.by, action, subjectType: 'proposal', subjectId: p.id, detail });
}

/** The contribution an accept or a take logged: what its log left pending (a crash half-way) is finished by the retry. */
async function finishContribution(deps: Deps, tenantId: string, contributionId: string | undefined): Promise<void> {
  const c = contributionId ? await deps.stores.contributions.get(tenantId, contributionId) : undefined;
  if (c?.pending?.length) await completePending(deps, c, 'after');
}

/**
 * What a change of a proposal implies once it is stored: its audit entry and the notices. Each is safe to repeat,
 * so it runs whenever the proposal is found in the change's state (the first press, a retry after a failure).
 */
async function afterSubmit(deps: Deps, p: ContributionProposal): Promise<void> {
  await auditChange(deps, p, 'propose', 'proposal.submit', { meetingId: p.meetingId, kind: p.kind });
  if (p.status !== 'pending') return;
  const { meeting, workstream } = await meetingAndWorkstream(deps, p.tenantId, p.meetingId);
  if (workstream) for (const chair of reviewersOf(meeting, workstream)) await queueProposalNotice(deps, p, chair, 'submitted', 1);
}

/**
 * Messages that show a proposal or an agenda item (the chair's review card, the LXP's decision, the meeting card
 * at the start, the chair's agenda notes) are drawn again after it changes: one refresh job per message and
 * version, so a repeat queues none more.
 */
export function queueProposalRefreshes(deps: Deps, p: Lifecycle): Promise<number> {
  return queueRefreshesOf(deps, p.tenantId, p.id, p.history.length);
}

async function afterDecision(deps: Deps, p: ContributionProposal): Promise<void> {
  if (p.status === 'accepted') await auditChange(deps, p, 'accept', 'proposal.accept', { contributionId: p.contributionId, from: 'pending', to: 'accepted' });
  else if (p.status === 'declined') await auditChange(deps, p, 'decline', 'proposal.decline', { from: 'pending', to: 'declined' });
  else return;
  await queueProposalNotice(deps, p, p.lxpId, 'decided', versionOf(p, p.status === 'accepted' ? 'accept' : 'decline'));
  // Every chair sent the review card sees it decided; no buttons left to press.
  await queueProposalRefreshes(deps, p);
}

/** Who reviews an LXP's addition: the meeting's chair while they still chair the workstream, else each chair of it. */
export function reviewersOf(meeting: Meeting, workstream: Workstream): string[] {
  if (meeting.chairId && workstream.chairIds.includes(meeting.chairId)) return [meeting.chairId];
  return workstream.chairIds;
}

// ---------------------------------------------------------------------------
// My own contribution

/** What the "Add something to the record" card needs: the meeting (the one named, else the latest the LXP may still add to) and until when. */
export async function proposalForm(deps: Deps, caller: Caller, meetingId?: string): Promise<{ meeting: Meeting; workstream: Workstream; until: Date }> {
  const now = deps.clock.now();
  const { logGrace, timeZone } = deps.settings;
  let meeting: Meeting | undefined;
  if (meetingId) meeting = (await meetingAndWorkstream(deps, caller.tenantId, meetingId)).meeting;
  else {
    const ended = await queryEvery(deps.stores.meetings, caller.tenantId, [{ field: 'endedAt', op: 'defined' }]);
    const mine = new Set((await lxpWorkstreams(deps, caller)).map((w) => w.id));
    meeting = ended
      .filter((m) => mine.has(m.workstreamId ?? '') && m.attendance[caller.id] && attended(m.attendance[caller.id]) && addLocal(new Date(m.endedAt!), logGrace, timeZone) >= now)
      .sort((a, b) => b.endedAt!.localeCompare(a.endedAt!))[0];
    if (!meeting) throw new DomainError('not_found', 'There is no meeting you attended that you can still add to. You can add to a meeting after it ends, for a short while; or propose an agenda item for the next one (type propose agenda item).');
  }
  const { workstream } = await meetingAndWorkstream(deps, caller.tenantId, meeting.id);
  const ws = checkMayProposeContribution(meeting, workstream, caller.id, now, logGrace, timeZone);
  return { meeting, workstream: ws, until: addLocal(new Date(meeting.endedAt!), logGrace, timeZone) };
}

export type ProposalInput = Omit<ProposeContributionInput, 'tenantId' | 'programmeId' | 'lxpId'> & { meetingId: string };

/** The LXP adds something to the record: it reaches the chair as a proposal. A second press of the same card saves once. */
export async function proposeContribution(deps: Deps, caller: Caller, input: ProposalInput): Promise<{ proposal: ContributionProposal; alreadySaved: boolean }> {
  const { meeting, workstream } = await meetingAndWorkstream(deps, caller.tenantId, input.meetingId);
  if (workstream && !can(await actorFor(deps, caller), 'propose_to_workstream', { type: 'workstream', workstream })) {
    throw notAllowed(`Only the LXPs of ${workstream.name} can add to its meetings.`);
  }
  const now = deps.clock.now();
  let made: ContributionProposal;
  try {
    const ws = checkMayProposeContribution(meeting, workstream, caller.id, now, deps.settings.logGrace, deps.settings.timeZone);
    made = newProposal({ ...input, tenantId: caller.tenantId, programmeId: programmeIdOf(deps), lxpId: caller.id }, meeting, ws, now);
  } catch (err) {
    // The same card sent again after the window closed still answers "already sent".
    const existing = err instanceof DomainError ? await deps.stores.proposals.get(caller.tenantId, proposalIdFor(input.submissionId)) : undefined;
    if (existing?.type === 'contribution_proposal' && existing.lxpId === caller.id) {
      await afterSubmit(deps, existing);
      return { proposal: existing, alreadySaved: true };
    }
    throw err;
  }
  const { saved, alreadySaved } = await saveOnce(deps, made);
  // Saved by an earlier press that stopped half-way: the chair is told and it is audited now, once.
  await afterSubmit(deps, saved);
  return { proposal: saved, alreadySaved };
}

async function proposalOrFail(deps: Deps, tenantId: string, id: string): Promise<ContributionProposal> {
  const p = await deps.stores.proposals.get(tenantId, id);
  if (p?.type !== 'contribution_proposal') throw notFound('Golden Thread has no record of that addition. It may have been withdrawn.');
  return p;
}

/** Only those who may log contributions in the meeting (its chairs, the programme team) decide on an LXP's addition. */
async function authoriseDecision(deps: Deps, caller: Caller, p: ContributionProposal): Promise<void> {
  const { meeting, workstream } = await meetingAndWorkstream(deps, caller.tenantId, p.meetingId);
  if (!can(await actorFor(deps, caller), 'log_contribution', { type: 'meeting', meeting, workstream })) {
    throw notAllowed(`Only the chairs of ${workstream?.name ?? 'the workstream'} or the programme team can add an LXP's words to the record.`);
  }
}

/**
 * The chair adds it, choosing owner and due date as for any contribution: logged through logContribution (saved
 * once per proposal), then the proposal is marked accepted with the contribution's id and the LXP is told.
 */
export async function acceptProposal(deps: Deps, caller: Caller, proposalId: string, choice: AcceptChoice): Promise<{ proposal: ContributionProposal; contribution?: Contribution; alreadyDone: boolean }> {
  const p = await proposalOrFail(deps, caller.tenantId, proposalId);
  await authoriseDecision(deps, caller, p);
  if (p.status === 'accepted') {
    await finishContribution(deps, p.tenantId, p.contributionId);
    await afterDecision(deps, p);
    return { proposal: p, alreadyDone: true };
  }
  // Claimed first (a conditional write), so a decline pressed meanwhile is refused rather than both happening.
  const input = logInputForProposal(p, choice);
  const contributionId = contributionIdFor(input.submissionId);
  await updateWithRetry(deps.stores.proposals, caller.tenantId, proposalId, (doc) =>
    (doc as ContributionProposal).claim?.contributionId === contributionId ? undefined : transitionProposal(doc as ContributionProposal, { type: 'claim', contributionId }, caller.id, deps.clock.now()),
  );
  const { contribution } = await logContribution(deps, caller, input).catch((err: unknown) => releaseClaim(deps, p, contributionId, err));
  const r = await updateWithRetry(deps.stores.proposals, caller.tenantId, proposalId, (doc) =>
    doc.type === 'contribution_proposal' && doc.status === 'accepted' && doc.contributionId === contribution.id ? undefined : transitionProposal(doc as ContributionProposal, { type: 'accept', contributionId: contribution.id }, caller.id, deps.clock.now()),
  );
  const after = r!.after as ContributionProposal;
  await afterDecision(deps, after);
  return { proposal: after, contribution, alreadyDone: r!.before === r!.after };
}

/**
 * The log refused the accept (an owner who cannot own it, a date in the past) and nothing was logged: the claim is
 * let go, so the chair can choose again or decline. A failure of the store keeps the claim: the retry finishes.
 */
async function releaseClaim(deps: Deps, p: ContributionProposal, contributionId: string, err: unknown): Promise<never> {
  if (err instanceof DomainError && !(await deps.stores.contributions.get(p.tenantId, contributionId))) {
    await updateWithRetry(deps.stores.proposals, p.tenantId, p.id, (doc) => {
      if (doc.type !== 'contribution_proposal' || doc.status !== 'pending' || doc.claim?.contributionId !== contributionId) return undefined;
      const { claim: _, ...rest } = doc;
      void _;
      return rest;
    });
  }
  throw err;
}

/** The chair does not add it, with a reason the LXP sees. Pressed again after a failure, it finishes telling the LXP. */
export async function declineProposal(deps: Deps, caller: Caller, proposalId: string, reason: string): Promise<{ proposal: ContributionProposal; alreadyDone: boolean }> {
  const p = await proposalOrFail(deps, caller.tenantId, proposalId);
  await authoriseDecision(deps, caller, p);
  if (p.status === 'declined') {
    await afterDecision(deps, p);
    return { proposal: p, alreadyDone: true };
  }
  // An accept that claimed it (and may have logged it) is finished by "Add to the record": transitionProposal refuses.
  const r = await updateWithRetry(deps.stores.proposals, caller.tenantId, proposalId, (doc) => transitionProposal(doc as ContributionProposal, { type: 'decline', reason }, caller.id, deps.clock.now()));
  const after = r!.after as ContributionProposal;
  await afterDecision(deps, after);
  return { proposal: after, alreadyDone: false };
}

/**
 * The LXP takes back their own addition while it is with the chair, or their agenda item while it waits: its words
 * are erased, it is audited (ids only), and the messages that showed it are drawn again. Pressed again, it finishes
 * what the first press left.
 */
export async function withdrawProposal(deps: Deps, caller: Caller, proposalId: string): Promise<{ item: Lifecycle; alreadyDone: boolean }> {
  const p = await deps.stores.proposals.get(caller.tenantId, proposalId);
  if (!p || (p.type !== 'contribution_proposal' && p.type !== 'agenda_proposal')) throw notFound('Golden Thread has no record of that. It may have gone already.');
  if (p.lxpId !== caller.id) throw notAllowed('Only the LXP who proposed this can take it back.');
  const now = deps.clock.now();
  const r = await updateWithRetry(deps.stores.proposals, caller.tenantId, proposalId, (doc) => {
    if (doc.status === 'withdrawn') return undefined;
    return doc.type === 'contribution_proposal' ? transitionProposal(doc, { type: 'withdraw' }, caller.id, now) : transitionAgenda(doc as AgendaProposal, { type: 'withdraw' }, caller.id, now);
  });
  const after = r!.after as Lifecycle;
  await auditChange(deps, after, 'withdraw', after.type === 'contribution_proposal' ? 'proposal.withdraw' : 'agenda.withdraw', { from: after.history[versionOf(after, 'withdraw') - 1]?.from, to: 'withdrawn' });
  await queueProposalRefreshes(deps, after);
  return { item: after, alreadyDone: r!.before === r!.after };
}

// ---------------------------------------------------------------------------
// Agenda items

/** The caller's agenda items still waiting, in any workstream. */
export async function waitingAgendaItems(deps: Deps, caller: Caller): Promise<AgendaProposal[]> {
  const mine = await queryEvery(deps.stores.proposals, caller.tenantId, [{ field: 'lxpId', op: '=', value: caller.id }]);
  return mine.filter((p): p is AgendaProposal => p.type === 'agenda_proposal' && p.status === 'proposed');
}

/** The workstreams the caller is an LXP of, for the agenda card. */
export async function lxpWorkstreams(deps: Deps, caller: Caller): Promise<Workstream[]> {
  const all = await queryEvery(deps.stores.workstreams, caller.tenantId, [{ field: 'type', op: '=', value: 'workstream' }]);
  return (all as Workstream[]).filter((w) => w.lxpIds.includes(caller.id)).sort((a, b) => a.name.localeCompare(b.name));
}

/** An LXP proposes an agenda item for the next meeting of a workstream they are an LXP of. A second press saves once. */
export async function proposeAgendaItem(deps: Deps, caller: Caller, input: Omit<ProposeAgendaInput, 'tenantId' | 'programmeId' | 'lxpId'> & { workstreamId: string }): Promise<{ item: AgendaProposal; alreadySaved: boolean }> {
  const workstream = await getWorkstream(deps, caller.tenantId, input.workstreamId);
  if (!can(await actorFor(deps, caller), 'propose_to_workstream', { type: 'workstream', workstream })) {
    throw notAllowed(`Only the LXPs of ${workstream.name} can propose agenda items for its meetings.`);
  }
  const made = newAgendaItem({ ...input, tenantId: caller.tenantId, programmeId: programmeIdOf(deps), lxpId: caller.id }, workstream, await waitingAgendaItems(deps, caller), deps.clock.now());
  const { saved, alreadySaved } = await saveOnce(deps, made);
  await auditChange(deps, saved, 'propose', 'agenda.propose', { workstreamId: workstream.id });
  return { item: saved, alreadySaved };
}

/** What the chair sees at the start of a meeting: its workstream's waiting agenda items, and those taken in it. */
export async function agendaOfMeeting(deps: Deps, meeting: Meeting): Promise<{ waiting: AgendaProposal[]; taken: AgendaProposal[] }> {
  if (!meeting.workstreamId) return { waiting: [], taken: [] };
  const all = await queryEvery(deps.stores.proposals, meeting.tenantId, [{ field: 'workstreamId', op: '=', value: meeting.workstreamId }]);
  const items = all.filter((p): p is AgendaProposal => p.type === 'agenda_proposal');
  return { waiting: agendaFor(items, meeting), taken: items.filter((p) => p.taken?.meetingId === meeting.id) };
}

/**
 * The agenda at the start of a meeting, as the meeting chat may see it: who would lead each item is named unless
 * they asked to be recorded anonymous (as "led an agenda item" would record them). Notes go to the chair only.
 */
export async function agendaStartView(deps: Deps, meeting: Meeting) {
  const workstream = await getWorkstream(deps, meeting.tenantId, meeting.workstreamId!);
  const { waiting, taken } = await agendaOfMeeting(deps, meeting);
  const lxpIds = [...waiting, ...taken].map((p) => p.lxpId);
  const people = await getMany(deps.stores.people, meeting.tenantId, [...workstream.chairIds, ...(meeting.chairId ? [meeting.chairId] : []), ...lxpIds]);
  const names = (id: string) => people.get(id)?.name || 'someone';
  const anonymous = new Set(lxpIds.filter((id) => recordAnonymous('as_chosen', [{ name: names(id), preferences: people.get(id)?.preferences }])));
  return { workstream, waiting, taken, names, anonymous, ids: [...waiting, ...taken].map((p) => p.id) };
}

/** To the chair 1:1 when a meeting starts with agenda items that have notes: read when it is sent (and redrawn), so a withdrawal or forget me takes the note away. */
export async function queueAgendaNotes(deps: Deps, meeting: Meeting, waiting: AgendaProposal[]): Promise<void> {
  if (!meeting.chairId || !waiting.some((p) => p.note)) return;
  await deps.queue.add({ tenantId: meeting.tenantId, kind: 'proposal_notice', subjectId: meeting.id, runAt: deps.clock.now(), key: `agenda-notes:${meeting.id}`, payload: { to: { kind: 'person', personId: meeting.chairId }, about: 'agenda_notes' } });
  deps.queue.runSoon();
}

/** The chair takes an item in the meeting: "led an agenda item" is logged for that LXP there, once. */
export async function takeAgendaItem(deps: Deps, caller: Caller, meetingId: string, proposalId: string): Promise<{ item: AgendaProposal; alreadyDone: boolean }> {
  const { meeting, workstream } = await meetingAndWorkstream(deps, caller.tenantId, meetingId);
  if (!workstream || !can(await actorFor(deps, caller), 'log_contribution', { type: 'meeting', meeting, workstream })) {
    throw notAllowed(`Only the chairs of ${workstream?.name ?? 'the workstream'} or the programme team can take an agenda item.`);
  }
  const p = await deps.stores.proposals.get(caller.tenantId, proposalId);
  if (p?.type !== 'agenda_proposal') throw notFound('That agenda item is no longer in Golden Thread.');
  if (p.status === 'taken' && p.taken?.meetingId === meetingId) {
    await finishContribution(deps, p.tenantId, p.taken.contributionId);
    await auditTake(deps, p);
    return { item: p, alreadyDone: true };
  }
  checkMayTake(p, meeting, workstream);
  const { contribution } = await logContribution(deps, caller, logInputForAgendaItem(p, meeting, meeting.chairId && workstream.chairIds.includes(meeting.chairId) ? meeting.chairId : caller.id));
  const r = await updateWithRetry(deps.stores.proposals, caller.tenantId, proposalId, (doc) =>
    doc.type === 'agenda_proposal' && doc.taken?.contributionId === contribution.id ? undefined : transitionAgenda(doc as AgendaProposal, { type: 'take', meetingId, contributionId: contribution.id }, caller.id, deps.clock.now()),
  );
  await auditTake(deps, r!.after as AgendaProposal);
  await queueProposalRefreshes(deps, r!.after as AgendaProposal);
  return { item: r!.after as AgendaProposal, alreadyDone: r!.before === r!.after };
}

const auditTake = (deps: Deps, p: AgendaProposal) => auditChange(deps, p, 'take', 'agenda.take', { meetingId: p.taken?.meetingId, contributionId: p.taken?.contributionId });

/**
 * After a meeting ends: each waiting item offered there and not taken is carried past it, once, audited under a
 * fixed id. Returns every waiting item carried past the meeting, by this run or an earlier one that stopped
 * half-way, so the job tells each LXP (its notice is keyed by item and meeting: told once).
 */
export async function carryAgendaItems(deps: Deps, tenantId: string, meetingId: string): Promise<AgendaProposal[]> {
  const meeting = await deps.stores.meetings.get(tenantId, meetingId);
  if (!meeting?.endedAt) return [];
  const carried: AgendaProposal[] = [];
  const waiting = (await agendaOfMeeting(deps, meeting)).waiting;
  const already = waiting.filter((p) => p.carriedPast.includes(meetingId));
  for (const p of [...already, ...toCarryAfter(waiting, meeting)]) {
    let after = p;
    if (!p.carriedPast.includes(meetingId)) {
      try {
        const r = await updateWithRetry(deps.stores.proposals, tenantId, p.id, (doc) => transitionAgenda(doc as AgendaProposal, { type: 'carry', meetingId }, 'system', deps.clock.now()));
        if (!r) continue;
        after = r.after as AgendaProposal;
      } catch (err) {
        // Carried by a run at the same time, or taken or withdrawn since: nothing to tell here.
        if (err instanceof DomainError) continue;
        throw err;
      }
    }
    await auditCarry(deps, tenantId, `${p.id}:carry:${meetingId}`, 'agenda.carry', p.id, { meetingId });
    carried.push(after);
  }
  return carried;
}

async function auditCarry(deps: Deps, tenantId: string, id: string, action: string, subjectId: string, detail: Record<string, unknown>): Promise<void> {
  await createOnce(deps.stores.audit, { id, tenantId, type: 'audit', at: deps.clock.now().toISOString(), actorId: 'system', action, subjectType: 'proposal', subjectId, detail });
}

/** What the chair's review card needs, read as the reader may see it (see proposalReviewCard). */
export async function reviewOf(deps: Deps, tenantId: string, p: ContributionProposal, readerId: string) {
  const { meeting, workstream } = await meetingAndWorkstream(deps, tenantId, p.meetingId);
  if (!workstream) throw notFound('This meeting is no longer linked to a workstream.');
  const lxp = await deps.stores.people.get(tenantId, p.lxpId);
  const names = await namesFor(deps, tenantId, [p.lxpId, p.decidedBy ?? '', ...workstream.chairIds, ...workstream.staffIds]);
  const programme = await getProgramme(deps, tenantId);
  const due = feedbackDue(new Date(meeting.startedAt ?? meeting.createdAt), deps.settings.followUpAfter, deps.settings.timeZone);
  return {
    proposal: p,
    workstream,
    names,
    anonymous: recordAnonymous(p.attribution, [{ name: lxp?.name || 'This LXP', preferences: lxp?.preferences }]),
    readerIsProgramme: !!programme?.memberIds.includes(readerId),
    defaultOwnerId: reviewersOf(meeting, workstream)[0] ?? readerId,
    defaultDue: localDate(due, deps.settings.timeZone),
    timeZone: deps.settings.timeZone,
  };
}

/**
 * RETENTION for what LXPs proposed: once decided (added, not added, taken or withdrawn) and the retention time
 * has passed since, the proposal goes (an accepted one lives on as its contribution, under the contribution's
 * own retention). One audit entry under a fixed id, so a second run adds nothing. Still waiting: kept.
 */
export async function deleteExpiredProposals(deps: Deps, tenantId: string, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (const p of await queryEvery(deps.stores.proposals, tenantId, [])) {
    const last = p.history[p.history.length - 1]?.at ?? p.proposedAt;
    if (p.status === 'pending' || p.status === 'proposed' || new Date(last) > cutoff) continue;
    try {
      await deps.stores.audit.create({ id: `retention-${p.id}`, tenantId, type: 'audit', at: deps.clock.now().toISOString(), actorId: 'retention', action: 'proposal.deleted_by_retention', subjectType: 'proposal', subjectId: p.id, detail: { type: p.type, status: p.status } });
    } catch (err) {
      if (!(err instanceof WriteConflict)) throw err;
    }
    await deps.stores.proposals.delete(tenantId, p.id);
    deleted++;
  }
  return deleted;
}
