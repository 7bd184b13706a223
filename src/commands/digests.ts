import type { Contribution, Outcome } from '../domain/contribution';
import { nextPeriod, periodEndingAfter, type DigestPeriod, type DigestRhythm } from '../domain/digest-period';
import type { Job } from '../domain/job';
import { preferencesOf, rhythmAt, wantsNews } from '../domain/news';
import type { Person } from '../domain/person';
import { queryEvery, updateWithRetry } from '../domain/ports';
import { nextAllowedTime } from '../domain/quiet-time';
import type { NewJob } from '../domain/ports';
import type { Deps } from './deps';

export interface DigestPayload {
  rhythm: DigestRhythm;
  from: string;
  to: string;
  key: string;
  [k: string]: unknown;
}

export const periodOf = (p: DigestPayload): DigestPeriod => ({ rhythm: p.rhythm, from: new Date(p.from), to: new Date(p.to), key: p.key });

function digestJob(person: Person, period: DigestPeriod, timeZone: string): NewJob {
  const payload: DigestPayload = { rhythm: period.rhythm, from: period.from.toISOString(), to: period.to.toISOString(), key: period.key };
  return {
    tenantId: person.tenantId,
    kind: 'digest',
    subjectId: person.id,
    // One job per person, rhythm and period, whatever its send time: rescheduling cannot make a second.
    key: `${period.rhythm}:${period.key}`,
    runAt: nextAllowedTime(period.to, preferencesOf(person), timeZone),
    payload,
  };
}

/**
 * Makes sure the person's next digest is waiting, at the first allowed local
 * time after its period ends, and moves digests still waiting if their quiet
 * days changed. Called when preferences are saved and whenever a digest runs
 * (`after` = the period it covered, so the next one follows it exactly).
 */
export async function ensureDigestScheduled(deps: Deps, tenantId: string, personId: string, after?: DigestPeriod): Promise<Job | undefined> {
  const person = await deps.stores.people.get(tenantId, personId);
  const rhythm = person?.preferences?.rhythm;
  if (!person || !rhythm || rhythm === 'as_it_happens') return undefined;
  const tz = deps.settings.timeZone;
  const period = after && after.rhythm === rhythm ? nextPeriod(after, tz) : periodEndingAfter(deps.clock.now(), rhythm, tz);
  const job = await deps.queue.add(digestJob(person, period, tz));
  const waiting = await queryEvery(deps.stores.jobs, tenantId, [
    { field: 'subjectId', op: '=', value: personId },
    { field: 'kind', op: '=', value: 'digest' },
    { field: 'status', op: '=', value: 'pending' },
  ]);
  for (const w of waiting) {
    const runAt = nextAllowedTime(new Date((w.payload as DigestPayload).to), preferencesOf(person), tz).toISOString();
    if (w.runAt === runAt) continue;
    await updateWithRetry(deps.stores.jobs, tenantId, w.id, (j) => (j.status === 'pending' ? { ...j, runAt } : undefined));
  }
  return job;
}

export interface DigestEntry {
  contribution: Contribution;
  outcome: Outcome;
}

/**
 * Exactly the outcomes decided in [from, to) for this LXP, while their
 * rhythm was this digest's (news decided under "as it happens" went out
 * then), of the kinds they asked for, oldest first.
 */
export async function digestEntries(deps: Deps, person: Person, period: DigestPeriod): Promise<DigestEntry[]> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const prefs = preferencesOf(person);
  const theirs = await queryEvery(deps.stores.contributions, person.tenantId, [{ field: 'lxpIds', op: 'contains', value: person.id }]);
  const entries = theirs
    .filter((c) => c.status !== 'withdrawn')
    .flatMap((c) => c.outcomes.map((outcome) => ({ contribution: c, outcome })))
    .filter(({ outcome: o }) => o.decidedAt >= from && o.decidedAt < to && rhythmAt(person, o.decidedAt) === period.rhythm && wantsNews(prefs, o));
  return entries.sort((a, b) => a.outcome.decidedAt.localeCompare(b.outcome.decidedAt));
}
