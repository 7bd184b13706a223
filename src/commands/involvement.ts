import { DomainError, notAllowed } from '../domain/errors';
import type { Person } from '../domain/person';
import { can } from '../domain/policy';
import { queryEvery, updateWithRetry } from '../domain/ports';
import { scopeOf } from '../domain/programme-stores';
import { PAUSE_CHOICES, type Involvement, type PauseStop } from '../domain/stepping-back';
import type { Workstream } from '../domain/workstream';
import { actorFor, audit, type Caller, type Deps } from './deps';

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

async function lxpRecord(deps: Deps, caller: Caller): Promise<Person> {
  if (!can(await actorFor(deps, caller), 'edit_preferences', { type: 'person', personId: caller.id })) throw notAllowed('Only you can pause your own involvement.');
  const workstreams = (await queryEvery(deps.stores.workstreams, caller.tenantId, [{ field: 'lxpIds', op: 'contains', value: caller.id }])) as Workstream[];
  const person = await deps.stores.people.get(caller.tenantId, caller.id);
  if (!workstreams.some((w) => w.type === 'workstream') || !person) throw notAllowed('Pausing is for Lived Experience Practitioners in a workstream of this programme.');
  return person;
}

/** Pauses, or changes what a pause stops. The stepping-back notice always stops; `stops` adds the follow-ups they chose. */
export async function pauseInvolvement(deps: Deps, caller: Caller, chosen: PauseStop[]): Promise<Involvement> {
  const person = await lxpRecord(deps, caller);
  const stops: PauseStop[] = ['check_in', ...PAUSE_CHOICES.filter((s) => chosen.includes(s))];
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.people, caller.tenantId, person.id, (p) => {
    const inv = p.involvement ?? { since: p.createdAt };
    return { ...p, involvement: { ...inv, paused: { at: inv.paused?.at ?? at, stops } }, updatedAt: at };
  });
  await audit(deps, caller.tenantId, caller.id, 'person.pause', { subjectType: 'person', subjectId: caller.id }, { stops });
  return r!.after.involvement!;
}

/** Resumes: everything they paused starts again, and an absence is counted from now, not from before the pause. */
export async function resumeInvolvement(deps: Deps, caller: Caller): Promise<Involvement> {
  const person = await lxpRecord(deps, caller);
  if (!person.involvement?.paused) throw new DomainError('already_done', 'Your involvement is not paused: nothing to resume. Type pause if you want to step back for a while.');
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.people, caller.tenantId, person.id, (p) => {
    if (!p.involvement?.paused) return undefined;
    const { paused, ...rest } = p.involvement;
    void paused;
    return { ...p, involvement: { ...rest, since: at > rest.since ? at : rest.since }, updatedAt: at };
  });
  await audit(deps, caller.tenantId, caller.id, 'person.resume', { subjectType: 'person', subjectId: caller.id });
  return r!.after.involvement!;
}

/** Their pause, for the card. */
export async function involvementOf(deps: Deps, caller: Caller): Promise<Involvement | undefined> {
  return (await lxpRecord(deps, caller)).involvement;
}
