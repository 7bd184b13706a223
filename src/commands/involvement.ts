import { DomainError, notAllowed } from '../domain/errors';
import type { Person } from '../domain/person';
import { can } from '../domain/policy';
import { queryEvery, updateWithRetry } from '../domain/ports';
import { scopeOf } from '../domain/programme-stores';
import { PAUSE_CHOICES, type Involvement, type PauseStop } from '../domain/stepping-back';
import type { Workstream } from '../domain/workstream';
import { auditOnce } from './audit-once';
import { actorFor, type Caller, type Deps } from './deps';
import { acrossProgrammes } from './personal';

/**
 * Stepping back (issue 22): an LXP pauses their involvement in a programme
 * (the programme team is not told they have been away, and the follow-ups they
 * choose stop) and resumes it. Kept on their person record in the programme.
 */

/** The daily look for LXPs who have been away, one chain per programme; the kick-off key makes a fresh start after the setting changes. */
export async function startSteppingBackCheck(deps: Deps, tenantId: string): Promise<void> {
  const programmeId = scopeOf(deps.stores)?.programmeId ?? '';
  const now = deps.clock.now();
  await deps.queue.add({ tenantId, kind: 'stepping_back', subjectId: `stepping-back-${programmeId}`, key: `set-${now.toISOString()}`, runAt: now });
  deps.queue.runSoon();
}

/** Their record in this programme when they are an LXP of one of its workstreams (policy: pause_involvement). */
async function lxpRecordIn(deps: Deps, caller: Caller): Promise<Person | undefined> {
  const workstreams = (await queryEvery(deps.stores.workstreams, caller.tenantId, [{ field: 'lxpIds', op: 'contains', value: caller.id }])) as Workstream[];
  const lxpIds = workstreams.filter((w) => w.type === 'workstream').flatMap((w) => w.lxpIds);
  if (!can(await actorFor(deps, caller), 'pause_involvement', { type: 'programme', lxpIds })) return undefined;
  return deps.stores.people.get(caller.tenantId, caller.id);
}

const NOT_AN_LXP = 'Pausing is for Lived Experience Practitioners in a workstream of a programme.';

/** The pause's audit entry, named by the change, so a retry that finds it made writes it once (docs/whole-writes.md). */
async function auditChange(deps: Deps, caller: Caller, inv: Involvement): Promise<void> {
  if (!inv.changedAt) return;
  const [action, detail] = inv.paused ? ['person.pause', { stops: inv.paused.stops }] : ['person.resume', undefined];
  await auditOnce(deps, { id: `${caller.id}:${action}:${inv.changedAt}`, tenantId: caller.tenantId, at: inv.changedAt, actorId: caller.id, action, subjectType: 'person', subjectId: caller.id, ...(detail ? { detail } : {}) });
}

/** Pauses in one programme, or changes what a pause stops. The stepping-back notice always stops; `stops` adds the follow-ups they chose. */
async function pauseIn(deps: Deps, caller: Caller, person: Person, chosen: PauseStop[]): Promise<Involvement> {
  const stops: PauseStop[] = ['check_in', ...PAUSE_CHOICES.filter((s) => chosen.includes(s))];
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.people, caller.tenantId, person.id, (p) => {
    const inv = p.involvement ?? { since: p.createdAt };
    // The same choice again (a second press, a retry) changes nothing: only its audit entry is made sure of.
    if (inv.paused && inv.paused.stops.join() === stops.join()) return undefined;
    return { ...p, involvement: { ...inv, paused: { at: inv.paused?.at ?? at, stops }, changedAt: at }, updatedAt: at };
  });
  const inv = r!.after.involvement!;
  await auditChange(deps, caller, inv);
  return inv;
}

/** Resumes in one programme: everything paused starts again, and an absence is counted from now, not from before the pause. */
async function resumeIn(deps: Deps, caller: Caller, person: Person): Promise<{ resumed: boolean; involvement?: Involvement }> {
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.people, caller.tenantId, person.id, (p) => {
    if (!p.involvement?.paused) return undefined;
    const { paused, ...rest } = p.involvement;
    void paused;
    return { ...p, involvement: { ...rest, since: at > rest.since ? at : rest.since, changedAt: at }, updatedAt: at };
  });
  const inv = r?.after.involvement;
  // Resumed already (perhaps by a press whose audit failed): the entry of that resume is made sure of.
  if (inv) await auditChange(deps, caller, inv);
  return { resumed: !!r?.before.involvement?.paused, involvement: inv };
}

/** One programme's pause, under its name, for the card. */
export interface ProgrammeInvolvement {
  programme: string;
  involvement?: Involvement;
}

/** `fn` in every programme where they are an LXP (a pause covers all of them), each under its name. */
async function everyLxpProgramme<T>(deps: Deps, caller: Caller, fn: (inside: Deps, person: Person) => Promise<T>): Promise<{ name: string; value: T }[]> {
  const each = await acrossProgrammes(deps, caller, async (inside) => {
    const person = await lxpRecordIn(inside, caller);
    return person ? { value: await fn(inside, person) } : undefined;
  });
  const mine = each.flatMap((e) => (e.value ? [{ name: e.name, value: e.value.value }] : []));
  if (!mine.length) throw notAllowed(NOT_AN_LXP);
  return mine;
}

/** Pauses, or changes what a pause stops, in every programme where they are an LXP. */
export async function pauseInvolvement(deps: Deps, caller: Caller, chosen: PauseStop[]): Promise<ProgrammeInvolvement[]> {
  if (!can(await actorFor(deps, caller), 'edit_preferences', { type: 'person', personId: caller.id })) throw notAllowed('Only you can pause your own involvement.');
  const done = await everyLxpProgramme(deps, caller, (inside, person) => pauseIn(inside, caller, person, chosen));
  return done.map((d) => ({ programme: d.name, involvement: d.value }));
}

/** Resumes in every programme where they paused. */
export async function resumeInvolvement(deps: Deps, caller: Caller): Promise<ProgrammeInvolvement[]> {
  const done = await everyLxpProgramme(deps, caller, (inside, person) => resumeIn(inside, caller, person));
  if (!done.some((d) => d.value.resumed)) throw new DomainError('already_done', 'Your involvement is not paused: nothing to resume. Type pause if you want to step back for a while.');
  return done.map((d) => ({ programme: d.name, involvement: d.value.involvement }));
}

/** Their pause in each programme where they are an LXP, for the card. */
export async function involvementOf(deps: Deps, caller: Caller): Promise<ProgrammeInvolvement[]> {
  const each = await everyLxpProgramme(deps, caller, async (_inside, person) => person.involvement);
  return each.map((e) => ({ programme: e.name, involvement: e.value }));
}
