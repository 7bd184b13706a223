import { DomainError, notAllowed } from '../domain/errors';
import { canApply, MAX_WORDS_LENGTH, OUTCOME_LABEL, type Contribution, type Outcome, type OutcomeStatus } from '../domain/contribution';
import { fromZonedTime } from 'date-fns-tz';
import { addLocal, feedbackDue, localDate, onWorkingDay } from '../domain/follow-up';
import { can } from '../domain/policy';
import { nextAllowedTime } from '../domain/quiet-time';
import { preferencesOf, wantsNews } from '../domain/news';
import { actorFor, type Caller, type Deps } from './deps';
import { getMany } from '../domain/ports';
import type { Effect } from '../domain/effects';
import { applyEvent, getContribution } from './contributions';
import { finishingIfRefused } from './outbox';

export interface OutcomeInput {
  contributionId: string;
  /** The due date the card asked about: a card from before a new date or owner is out of date. */
  dueAt?: string;
  status: OutcomeStatus;
  whatWeDid: string;
  reason?: string;
  /** yyyy-MM-dd, local to the programme. */
  newDate?: string;
  passedTo?: string;
  newOwnerId?: string;
  evidenceUrl?: string;
}

type Decided = Omit<Outcome, 'decidedBy' | 'decidedAt' | 'fedBackAt'>;

const required = (v: string | undefined) => (v ?? '').trim();

function checkLength(text: string, what: string, max = MAX_WORDS_LENGTH): void {
  if (text.length > max) throw new DomainError('invalid_input', `${what} is ${text.length.toLocaleString('en-GB')} characters; the most is ${max.toLocaleString('en-GB')}.`);
}

function evidenceOf(raw: string | undefined): string | undefined {
  const text = required(raw);
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // https only: the LXP opens it from Teams, and a plain http or other link could be anything.
  if (!url || url.protocol !== 'https:' || !url.hostname) throw new DomainError('invalid_input', 'The evidence link must be a web address starting with https://, or left empty.');
  checkLength(text, 'The evidence link');
  return url.toString();
}

/** Checks an outcome and keeps only what its status needs, with messages the owner can act on. */
export function validateOutcome(input: OutcomeInput, ctx: { now: Date; timeZone: string; currentDueAt: string }): Decided {
  if (!OUTCOME_LABEL[input.status]) throw new DomainError('invalid_input', 'Choose what happened to it.');
  const whatWeDid = required(input.whatWeDid);
  if (!whatWeDid) throw new DomainError('invalid_input', 'Say what was done, in plain words: the LXP will read it.');
  checkLength(whatWeDid, 'What we did');
  const decided: Decided = { status: input.status, whatWeDid, evidenceUrl: evidenceOf(input.evidenceUrl) };
  if (input.status === 'not_taken_forward') {
    const reason = required(input.reason);
    if (!reason) throw new DomainError('invalid_input', 'Give the reason it was not taken forward: the LXP will read it.');
    checkLength(reason, 'The reason');
    decided.reason = reason;
  }
  if (input.status === 'under_consideration') {
    const date = required(input.newDate);
    if (!date) throw new DomainError('invalid_input', 'Give the date by when it will be decided.');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(fromZonedTime(`${date}T10:00:00`, ctx.timeZone).getTime())) {
      throw new DomainError('invalid_input', 'The new date is not a date.');
    }
    const due = onWorkingDay(fromZonedTime(`${date}T10:00:00`, ctx.timeZone), ctx.timeZone);
    if (date <= localDate(ctx.now, ctx.timeZone) || due <= new Date(ctx.currentDueAt)) {
      throw new DomainError('invalid_input', `The new date must be after today and after the current due date (${localDate(ctx.currentDueAt, ctx.timeZone)}).`);
    }
    if (due > addLocal(ctx.now, { years: 1 }, ctx.timeZone)) throw new DomainError('invalid_input', 'Choose a new date within a year; record it again then if it is still open.');
    decided.newDueAt = due.toISOString();
  }
  if (input.status === 'passed_on') {
    const passedTo = required(input.passedTo);
    if (!passedTo) throw new DomainError('invalid_input', 'Say which group it was passed to.');
    checkLength(passedTo, 'The group', 200);
    if (!required(input.newOwnerId)) throw new DomainError('invalid_input', 'Choose who owns it now, so they can be asked what happened.');
    decided.passedTo = passedTo;
    decided.newOwnerId = required(input.newOwnerId);
  }
  return decided;
}

/**
 * The owner (or a chair, or the programme team) records what happened.
 * Chasers stop, the LXPs hear as they chose, and interim news ("still under
 * consideration", "passed on") reopens the contribution with a new due date.
 */
export async function recordOutcome(deps: Deps, caller: Caller, input: OutcomeInput): Promise<{ contribution: Contribution; outcome: Outcome }> {
  const actor = await actorFor(deps, caller);
  const current = await getContribution(deps, caller.tenantId, input.contributionId);
  const workstream = (await deps.stores.workstreams.get(caller.tenantId, current.workstreamId)) ?? undefined;
  const ws = workstream?.type === 'workstream' ? workstream : undefined;
  const authorise = (c: Contribution) => {
    if (!can(actor, 'record_outcome', { type: 'contribution', contribution: c, workstream: ws })) {
      throw notAllowed(`Only the owner of this contribution, a chair${ws ? ` of ${ws.name}` : ''} or the programme team can record what happened to it.`);
    }
    if (input.dueAt && canApply(c, 'record_outcome') && input.dueAt !== c.dueAt) {
      throw new DomainError('stale', 'This card is out of date: the contribution has a new due date or owner since. Use the latest card you were sent.');
    }
  };
  await finishingIfRefused(deps, current, () => authorise(current));
  const now = deps.clock.now();
  const tz = deps.settings.timeZone;
  // A closed or withdrawn contribution is refused by the state machine, with its own message, before any form check.
  const decided: Decided = canApply(current, 'record_outcome')
    ? validateOutcome(input, { now, timeZone: tz, currentDueAt: current.dueAt })
    : { status: input.status, whatWeDid: input.whatWeDid };
  if (decided.newOwnerId && !(await deps.stores.people.get(caller.tenantId, decided.newOwnerId))) {
    throw new DomainError('invalid_input', 'I do not know the new owner yet. Ask them to say hello to Golden Thread in Teams, then choose them again.');
  }
  const outcome: Outcome = { ...decided, decidedBy: caller.id, decidedAt: now.toISOString() };
  const event = { type: 'record_outcome' as const, outcome, followUpAfterDue: feedbackDue(now, deps.settings.followUpAfter, tz).toISOString() };
  // Chasers stop, and the new ask and the LXPs' news are queued, in the same write as the outcome (docs/whole-writes.md).
  const { after } = await applyEvent(deps, caller.tenantId, input.contributionId, event, caller.id, authorise, (before) => ({
    outcome: outcome.status,
    previousOwnerId: outcome.newOwnerId ? before.ownerId : undefined,
    newOwnerId: outcome.newOwnerId,
  }), (_before, next) => outcomeEffects(deps, next, outcome));
  deps.queue.runSoon();
  return { contribution: after, outcome };
}

/** What an outcome implies beyond the record: the waiting chasers stop, interim news asks the owner again, the LXPs hear. */
async function outcomeEffects(deps: Deps, after: Contribution, outcome: Outcome): Promise<Effect[]> {
  const effects: Effect[] = [{ kind: 'cancel_jobs', at: after.history[after.history.length - 1].at }];
  // Interim news: whoever owns it now is asked again at the new due date.
  if (canApply(after, 'record_outcome')) effects.push({ kind: 'job', job: { kind: 'ask_owner', subjectId: after.id, runAt: after.dueAt } });
  return [...effects, ...(await feedbackEffects(deps, after, outcome))];
}

/** "You said, we did" for each LXP as they chose: a job now (outside their quiet times), their next digest, or nothing. */
export async function feedbackEffects(deps: Deps, c: Contribution, outcome: Outcome): Promise<Effect[]> {
  const effects: Effect[] = [];
  const people = await getMany(deps.stores.people, c.tenantId, c.lxpIds);
  for (const lxpId of c.lxpIds) {
    const prefs = preferencesOf(people.get(lxpId));
    if (!wantsNews(prefs, outcome)) continue;
    if (prefs.rhythm !== 'as_it_happens') {
      effects.push({ kind: 'digest', personId: lxpId });
      continue;
    }
    const runAt = nextAllowedTime(deps.clock.now(), prefs, deps.settings.timeZone).toISOString();
    effects.push({ kind: 'job', job: { kind: 'feed_back', subjectId: c.id, key: `${lxpId}:${outcome.decidedAt}`, runAt, payload: { lxpId, decidedAt: outcome.decidedAt } } });
  }
  return effects;
}
