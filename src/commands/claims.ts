import { formatInTimeZone, toZonedTime } from 'date-fns-tz';
import {
  NO_RATES,
  claimIdFor,
  checkClaimable,
  programmeDuration,
  submitClaim as newClaim,
  transitionClaim,
  type Claim,
  type ClaimDetails,
  type ClaimRates,
} from '../domain/claim';
import { claimsCsv, claimsCsvFileName, claimsInMonth } from '../domain/claims-csv';
import { DomainError, notAllowed, notFound } from '../domain/errors';
import { addLocal } from '../domain/follow-up';
import { attended, type Meeting } from '../domain/meeting';
import { findPeriod, monthsFrom } from '../domain/period';
import { can } from '../domain/policy';
import { WriteConflict, queryEvery, updateWithRetry } from '../domain/ports';
import { scopeOf } from '../domain/programme-stores';
import type { Programme } from '../domain/workstream';
import { actorFor, audit, getProgramme, type Caller, type Deps } from './deps';
import type { ExportFile } from './export';
import { namesFor } from './names';
import { startSteppingBackCheck } from './involvement';

/**
 * Involvement claims (issue 22): an LXP claims for a meeting they attended,
 * the programme team decides. Every change is audited with ids and figures,
 * never the note or the reasons (those are the LXP's and the team's words).
 */

const programmeIdOf = (deps: Deps) => scopeOf(deps.stores)?.programmeId ?? '';

export const ratesOf = (programme: Programme | undefined): ClaimRates => programme?.payment?.rates ?? NO_RATES;

async function programmeOrFail(deps: Deps, tenantId: string): Promise<Programme> {
  const programme = await getProgramme(deps, tenantId);
  if (!programme) throw notFound('There is no programme yet. Type setup to claim it.');
  return programme;
}

async function meetingOrFail(deps: Deps, tenantId: string, meetingId: string): Promise<Meeting> {
  const meeting = await deps.stores.meetings.get(tenantId, meetingId);
  if (!meeting) throw notFound('Golden Thread has no record of that meeting. Type my claims for the meetings you can claim for.');
  return meeting;
}

async function claimOrFail(deps: Deps, tenantId: string, claimId: string): Promise<Claim> {
  const claim = await deps.stores.claims.get(tenantId, claimId);
  if (!claim) throw notFound('Golden Thread has no record of that claim. Type my claims to see yours.');
  return claim;
}

/** Queues the reminder to the programme team for the wait that starts now; the job checks again when it runs. */
async function queueEscalation(deps: Deps, claim: Claim, programme: Programme): Promise<void> {
  const after = programme.payment?.claimsEscalateAfter;
  if (!after) return;
  const runAt = addLocal(new Date(claim.waitingSince), programmeDuration(after, 'claims waiting'), deps.settings.timeZone);
  await deps.queue.add({ tenantId: claim.tenantId, kind: 'claim_escalate', subjectId: claim.id, runAt, key: `${claim.id}:${claim.waitingSince}` });
}

/** Tells someone about a claim; the job reads the claim when it sends, so what they see is current. */
async function queueNotice(deps: Deps, claim: Claim, to: string, about: 'submitted' | 'decided' | 'escalated'): Promise<void> {
  // One notice per change of the claim (its history length), so a retried turn queues it once.
  await deps.queue.add({ tenantId: claim.tenantId, kind: 'claim_notice', subjectId: claim.id, runAt: deps.clock.now(), key: `${claim.id}:${about}:${to}:${claim.history.length}`, payload: { to: { kind: 'person', personId: to }, about } });
}

async function tellTeam(deps: Deps, claim: Claim, programme: Programme, about: 'submitted' | 'escalated'): Promise<void> {
  for (const member of programme.memberIds) if (member !== claim.lxpId) await queueNotice(deps, claim, member, about);
}

export interface ClaimInput {
  meetingId: string;
  details: ClaimDetails;
}

/**
 * The LXP's claim for one meeting. The id is the claim (one per LXP and
 * meeting), so a second submission returns the stored claim unchanged; a
 * queried claim is answered by sending it again (`resubmit`).
 */
export async function submitClaim(deps: Deps, caller: Caller, input: ClaimInput): Promise<{ claim: Claim; alreadySaved: boolean; resubmitted: boolean }> {
  const tenantId = caller.tenantId;
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'submit_claim', { type: 'claim', claim: { lxpId: caller.id } })) throw notAllowed('Only you can claim for your own involvement.');
  const programme = await programmeOrFail(deps, tenantId);
  const meeting = await meetingOrFail(deps, tenantId, input.meetingId);
  const rates = ratesOf(programme);
  const id = claimIdFor(tenantId, programmeIdOf(deps), caller.id, meeting.id);
  const existing = await deps.stores.claims.get(tenantId, id);
  if (existing?.status === 'queried') {
    const r = await updateWithRetry(deps.stores.claims, tenantId, id, (c) => (c.status === 'queried' ? transitionClaim(c, { type: 'resubmit', details: input.details, rates }, caller.id, deps.clock.now()) : undefined));
    const claim = r!.after;
    if (r!.before === r!.after) return { claim, alreadySaved: true, resubmitted: false };
    await audit(deps, tenantId, caller.id, 'claim.resubmit', { subjectType: 'claim', subjectId: id }, { total: claim.amounts.total, paymentDeclined: claim.paymentDeclined });
    await queueEscalation(deps, claim, programme);
    await tellTeam(deps, claim, programme, 'submitted');
    return { claim, alreadySaved: false, resubmitted: true };
  }
  const made = newClaim({ tenantId, programmeId: programmeIdOf(deps), lxpId: caller.id, meeting, details: input.details, rates }, existing, deps.clock.now());
  if (made.alreadySaved) return { ...made, resubmitted: false };
  let claim: Claim;
  try {
    claim = await deps.stores.claims.create(made.claim);
  } catch (err) {
    // Two presses at once: the other one saved it.
    if (err instanceof WriteConflict && err.kind === 'exists') return { claim: await claimOrFail(deps, tenantId, id), alreadySaved: true, resubmitted: false };
    throw err;
  }
  await audit(deps, tenantId, caller.id, 'claim.submit', { subjectType: 'claim', subjectId: id }, { meetingId: meeting.id, total: claim.amounts.total, paymentDeclined: claim.paymentDeclined });
  await queueEscalation(deps, claim, programme);
  await tellTeam(deps, claim, programme, 'submitted');
  return { claim, alreadySaved: false, resubmitted: false };
}

export type ClaimDecision = { type: 'approve'; reason?: string } | { type: 'query'; reason: string } | { type: 'decline'; reason: string };

/** The programme team approves, queries or declines; the LXP is told, with the reason. */
export async function decideClaim(deps: Deps, caller: Caller, claimId: string, decision: ClaimDecision): Promise<Claim> {
  const tenantId = caller.tenantId;
  const claim = await claimOrFail(deps, tenantId, claimId);
  if (!can(await actorFor(deps, caller), 'decide_claim', { type: 'claim', claim })) {
    throw notAllowed(claim.lxpId === caller.id ? 'You cannot decide on your own claim: someone else on the programme team must.' : 'Only the programme team can approve, query or decline claims.');
  }
  const r = await updateWithRetry(deps.stores.claims, tenantId, claimId, (c) => transitionClaim(c, decision, caller.id, deps.clock.now()));
  if (!r) throw notFound('Golden Thread has no record of that claim.');
  await audit(deps, tenantId, caller.id, `claim.${decision.type}`, { subjectType: 'claim', subjectId: claimId }, { from: r.before.status, to: r.after.status });
  await queueNotice(deps, r.after, r.after.lxpId, 'decided');
  return r.after;
}

/** One claim, for the LXP whose it is and the programme team. */
export async function viewClaim(deps: Deps, caller: Caller, claimId: string): Promise<{ claim: Claim; meeting?: Meeting }> {
  const claim = await claimOrFail(deps, caller.tenantId, claimId);
  if (!can(await actorFor(deps, caller), 'view_claim', { type: 'claim', claim })) throw notAllowed('Claims are seen by the LXP who made them and the programme team.');
  return { claim, meeting: await deps.stores.meetings.get(caller.tenantId, claim.meetingId) };
}

/** What the claim card needs for one meeting: the meeting, the rates, and the claim if there is one. */
export async function claimForm(deps: Deps, caller: Caller, meetingId: string): Promise<{ meeting: Meeting; rates: ClaimRates; claim?: Claim }> {
  const programme = await programmeOrFail(deps, caller.tenantId);
  const meeting = await meetingOrFail(deps, caller.tenantId, meetingId);
  const claim = await deps.stores.claims.get(caller.tenantId, claimIdFor(caller.tenantId, programmeIdOf(deps), caller.id, meetingId));
  // The form shows the meeting and the programme's rates: only to someone who can claim for it (issue 18).
  if (!claim) checkClaimable(meeting, caller.id);
  return { meeting, rates: ratesOf(programme), claim };
}

/** `my claims`: every claim the caller made, and the meetings they attended that have ended and are not yet claimed for. */
export async function myClaims(deps: Deps, caller: Caller): Promise<{ claims: Claim[]; claimable: Meeting[] }> {
  const claims = await queryEvery(deps.stores.claims, caller.tenantId, [{ field: 'lxpId', op: '=', value: caller.id }]);
  const claimed = new Set(claims.map((c) => c.meetingId));
  const ended = await queryEvery(deps.stores.meetings, caller.tenantId, [{ field: 'endedAt', op: 'defined' }]);
  const claimable = ended
    .filter((m) => m.workstreamId && !claimed.has(m.id) && m.attendance[caller.id] && attended(m.attendance[caller.id]))
    .sort((a, b) => (b.startedAt ?? b.createdAt).localeCompare(a.startedAt ?? a.createdAt));
  return { claims, claimable };
}

/** "March 2026", "last month" or "2026-03" as "2026-03". */
function monthOf(text: string, now: Date, timeZone: string): string {
  const t = text.trim().toLowerCase();
  if (/^\d{4}-\d{2}$/.test(t)) return t;
  const found = findPeriod(t.replace(/[^\p{L}\p{N}]+/gu, ' ').trim(), now, timeZone);
  if (found.rest.replace(/\b(for|in|of|the)\b/g, '').trim()) throw new DomainError('invalid_input', 'Name a month, for example "export claims March 2026" or "export claims last month".');
  const period = found.period ?? monthsFrom(toZonedTime(now, timeZone), 1, timeZone);
  return formatInTimeZone(period.from, timeZone, 'yyyy-MM');
}

/** `export claims <month>`: finance's file, one line per claim of a meeting in that month. */
export async function exportClaims(deps: Deps, caller: Caller, text: string): Promise<ExportFile> {
  if (!can(await actorFor(deps, caller), 'export', { type: 'programme' })) throw notAllowed('The claims export is for the programme team. Type my claims to see your own.');
  const tz = deps.settings.timeZone;
  const month = monthOf(text, deps.clock.now(), tz);
  const claims = claimsInMonth(await queryEvery(deps.stores.claims, caller.tenantId, [{ field: 'type', op: '=', value: 'claim' }]), month, tz);
  const names = await namesFor(deps, caller.tenantId, claims.flatMap((c) => [c.lxpId, c.decidedBy ?? '']));
  await audit(deps, caller.tenantId, caller.id, 'claims.export', { subjectType: 'programme', subjectId: programmeIdOf(deps) }, { month, rows: claims.length });
  return { filename: claimsCsvFileName(month), csv: claimsCsv(claims, names, tz), rows: claims.length, label: `claims, ${month}` };
}

export interface PaymentInput {
  rates: ClaimRates;
  claimsEscalateAfter: string;
  /** Issue 22, stepping back: unset for never. */
  steppingBackAfter?: string;
}

/** Setup: the programme's rates and how long a claim may wait before the team is reminded. A changed rate applies to claims made from now on. */
export async function setClaimPayment(deps: Deps, caller: Caller, input: PaymentInput): Promise<Programme> {
  const programme = await programmeOrFail(deps, caller.tenantId);
  if (!can(await actorFor(deps, caller), 'set_claim_rates', { type: 'programme', leadId: programme.leadId })) throw notAllowed('Only the programme team can set what involvement is paid.');
  const claimsEscalateAfter = input.claimsEscalateAfter.trim().toUpperCase();
  programmeDuration(claimsEscalateAfter, 'how long a claim may wait');
  const steppingBackAfter = input.steppingBackAfter?.trim().toUpperCase() || undefined;
  if (steppingBackAfter) programmeDuration(steppingBackAfter, 'how long an LXP may be away before the programme team is told');
  const at = deps.clock.now().toISOString();
  const payment = { rates: input.rates, claimsEscalateAfter, ...(steppingBackAfter ? { steppingBackAfter } : {}), by: caller.id, at };
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, programme.id, (doc) => ({ ...(doc as Programme), payment }));
  if (!r) throw notFound('There is no programme yet. Type setup to claim it.');
  await audit(deps, caller.tenantId, caller.id, 'programme.claim_rates', { subjectType: 'programme', subjectId: programme.id }, { rates: input.rates, claimsEscalateAfter, steppingBackAfter: steppingBackAfter ?? null });
  if (steppingBackAfter) await startSteppingBackCheck(deps, caller.tenantId);
  return r.after as Programme;
}
