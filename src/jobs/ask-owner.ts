import { canApply, type Contribution } from '../domain/contribution';
import { addLocal } from '../domain/follow-up';
import type { Job } from '../domain/job';
import { DomainError } from '../domain/errors';
import type { Deps } from '../commands/deps';
import { getProgramme } from '../commands/deps';
import { applyEvent } from '../commands/contributions';
import { SCHEDULER_ACTOR } from '../commands/feedback';
import { namesFor } from '../commands/names';
import { workstreamsOf } from '../commands/roles-of';
import { askOwnerCard, type AskVariant } from '../presenters/outcome';
import type { JobHandler, JobPlan } from './job-handler';
import { jobIdOf, scheduleJob } from './schedule';

/** The owner's card, built at send time from current data, showing only what the owner may see; drawn again the same way when the contribution changes. */
export async function ownerCard(deps: Deps, c: Contribution, variant: AskVariant, now: Date) {
  const programme = await getProgramme(deps, c.tenantId);
  const workstreams = await workstreamsOf(deps, c.tenantId);
  const candidates = new Set([...workstreams.flatMap((w) => [...w.chairIds, ...w.staffIds]), ...(programme?.memberIds ?? [])]);
  candidates.delete(c.ownerId);
  const names = await namesFor(deps, c.tenantId, [...c.lxpIds, c.ownerId, ...candidates, ...c.outcomes.flatMap((o) => (o.newOwnerId ? [o.newOwnerId] : []))]);
  const lxps = await Promise.all(c.lxpIds.map((id) => deps.stores.people.get(c.tenantId, id)));
  const card = askOwnerCard({
    contribution: c,
    names,
    viewer: { id: c.ownerId, programme: !!programme?.memberIds.includes(c.ownerId) },
    reveal: lxps.every((p) => p?.preferences?.revealToOwner),
    owners: [...candidates].map((id) => ({ id, name: names(id) })).sort((a, b) => a.name.localeCompare(b.name)),
    variant,
    workstream: workstreams.find((w) => w.id === c.workstreamId)?.name ?? '',
    now,
    timeZone: deps.settings.timeZone,
  });
  return card;
}

async function ownerPlan(deps: Deps, c: Contribution, variant: AskVariant, now: Date): Promise<JobPlan> {
  const card = await ownerCard(deps, c, variant, now);
  return {
    to: { kind: 'person', personId: c.ownerId },
    message: { card, summary: 'What happened to a contribution you own?' },
    shows: { view: { card: 'ask_owner', contributionId: c.id, variant }, contributionIds: [c.id] },
  };
}

/** Still waiting for an outcome, and still about the same due date (a new date or owner starts a new chain). */
async function openFor(deps: Deps, job: Job, dueAt: string | undefined): Promise<Contribution | undefined> {
  const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
  if (!c || !canApply(c, 'remind') || c.dueAt !== dueAt) return undefined;
  return c;
}

/** Reminders every REMINDER_EVERY and the escalation ESCALATE_AFTER, both counted from the due date on the local clock. */
async function scheduleChasers(deps: Deps, c: Contribution): Promise<void> {
  const tz = deps.settings.timeZone;
  const due = new Date(c.dueAt);
  const first = addLocal(due, deps.settings.reminderEvery, tz);
  await scheduleJob(deps, { tenantId: c.tenantId, kind: 'remind_owner', subjectId: c.id, runAt: first, payload: { dueAt: c.dueAt, n: 1, at: first.toISOString() } });
  await scheduleJob(deps, { tenantId: c.tenantId, kind: 'escalate', subjectId: c.id, runAt: addLocal(due, deps.settings.escalateAfter, tz), payload: { dueAt: c.dueAt } });
}

/** Applies a scheduler event unless the contribution has moved on; a second run finds nothing to do. */
export async function applyIfStill(deps: Deps, c: Contribution, event: 'remind' | 'become_overdue' | 'escalate', when: (fresh: Contribution) => boolean): Promise<void> {
  try {
    await applyEvent(deps, c.tenantId, c.id, { type: event }, SCHEDULER_ACTOR, (fresh) => {
      if (fresh.dueAt !== c.dueAt || !canApply(fresh, event) || !when(fresh)) throw new DomainError('already_done', 'nothing to do');
    });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
}

/** At the feedback due date: the owner is asked what happened. */
export const askOwnerHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    // Only the ask for the current due date: one made for an earlier date was superseded by interim news.
    if (!c || !canApply(c, 'remind') || job.id !== jobIdOf({ tenantId: c.tenantId, kind: 'ask_owner', subjectId: c.id, runAt: new Date(c.dueAt) })) return undefined;
    return ownerPlan(deps, c, 'ask', scheduledAt);
  },
  async sent(deps, job) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (c && canApply(c, 'remind')) await scheduleChasers(deps, c);
  },
  // The programme team is told the owner cannot be reached; the chasers still run, so escalation still happens.
  async unreachable(deps, job) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (c && canApply(c, 'remind')) await scheduleChasers(deps, c);
  },
};

interface ReminderPayload {
  dueAt: string;
  n: number;
  /** The reminder's nominal time; the job's runAt may move on retries, this does not. */
  at: string;
}

/** Every REMINDER_EVERY until an outcome: each reminder, once sent, marks the contribution overdue and queues the next. */
export const remindOwnerHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const c = await openFor(deps, job, (job.payload as unknown as ReminderPayload).dueAt);
    return c ? ownerPlan(deps, c, 'reminder', scheduledAt) : undefined;
  },
  async sent(deps, job, scheduledAt) {
    const p = job.payload as unknown as ReminderPayload;
    const c = await openFor(deps, job, p.dueAt);
    if (!c) return;
    await applyIfStill(deps, c, 'remind', (fresh) => fresh.reminders.count < p.n);
    // The first reminder comes after the due date, so from here on it is overdue.
    await applyIfStill(deps, c, 'become_overdue', (fresh) => new Date(fresh.dueAt) <= scheduledAt);
    const next = addLocal(new Date(p.at), deps.settings.reminderEvery, deps.settings.timeZone);
    await scheduleJob(deps, { tenantId: c.tenantId, kind: 'remind_owner', subjectId: c.id, runAt: next, payload: { dueAt: c.dueAt, n: p.n + 1, at: next.toISOString() } });
  },
};
