import { createHash } from 'node:crypto';
import { DomainError, notAllowed } from '../domain/errors';
import { can, type Actor } from '../domain/policy';
import { updateWithRetry } from '../domain/ports';
import {
  confirmPriority, confirmedPriorities, declinePriority, forgetProposer, linkAreas, proposePriority, retirePriority, type ProgrammePriority,
} from '../domain/programme-priority';
import { PROGRAMME_ID, type Programme, type Workstream } from '../domain/workstream';
import { auditOnce } from './audit-once';
import { actorFor, getProgramme, newId, type Caller, type Deps } from './deps';
import { workstreamsOf } from './roles-of';

/** What the `priorities` card needs: the list as this person may see it, and what they may do. */
export interface PrioritiesView {
  actor: Actor;
  team: boolean;
  lxp: boolean;
  /** Confirmed, for everyone; proposals: all for the team, an LXP's own otherwise. */
  priorities: ProgrammePriority[];
  workstreams: Workstream[];
}

const lxpsOf = (workstreams: Workstream[]) => [...new Set(workstreams.flatMap((w) => w.lxpIds))];

async function context(deps: Deps, caller: Caller) {
  const [actor, programme, workstreams] = await Promise.all([actorFor(deps, caller), getProgramme(deps, caller.tenantId), workstreamsOf(deps, caller.tenantId)]);
  if (!programme) throw notAllowed('Programme priorities belong to a programme, and there is none here yet. Type setup to start one.');
  const memberIds = [...new Set(workstreams.flatMap((w) => [...w.chairIds, ...w.staffIds]))];
  return { actor, programme, workstreams, resource: { type: 'programme' as const, lxpIds: lxpsOf(workstreams), memberIds } };
}

export async function prioritiesFor(deps: Deps, caller: Caller): Promise<PrioritiesView> {
  const { actor, programme, workstreams, resource } = await context(deps, caller);
  const team = can(actor, 'confirm_programme_priority', resource);
  const lxp = can(actor, 'propose_programme_priority', resource);
  if (!can(actor, 'view_programme_priorities', resource)) {
    throw notAllowed('Programme priorities are for the people of a programme. Ask the programme team to add you to a workstream.');
  }
  const all = programme.priorities ?? [];
  const priorities = all.filter((p) => p.status === 'confirmed' || (team && p.status === 'proposed') || (lxp && p.proposedBy === caller.id && p.status !== 'retired'));
  return { actor, team, lxp, priorities, workstreams };
}

/** The change that last moved a priority, stamped on it in the same write, so its audit entry can be written (again) by id. */
type Stamped = ProgrammePriority & { changed?: { at: string; action: string; by: string } };

/** The audit entry of the priority's last change, under an id named by that change: a retry makes one entry. */
async function auditChanged(deps: Deps, tenantId: string, p: Stamped | undefined): Promise<void> {
  if (!p?.changed) return;
  const { at, action, by } = p.changed;
  await auditOnce(deps, { id: `${p.id}:${action}:${at}`, tenantId, at, actorId: by, action, subjectType: 'programme', subjectId: PROGRAMME_ID, detail: { priorityId: p.id, areaIds: p.areaIds } });
}

/**
 * One change to the list, on the programme document with its etag, then audited by id and followed by `then`. A retry
 * that finds the change made (refused as already done, or changing nothing) carries out its audit and `then` again.
 */
async function change(deps: Deps, caller: Caller, action: string, priorityId: string, step: (list: ProgrammePriority[], workstreams: Workstream[]) => ProgrammePriority[], then?: (p: ProgrammePriority) => Promise<void>): Promise<ProgrammePriority> {
  const { workstreams } = await context(deps, caller);
  const at = deps.clock.now().toISOString();
  let r: Awaited<ReturnType<typeof updateWithRetry>>;
  try {
    r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, PROGRAMME_ID, (doc) => {
      const p = doc as Programme;
      const next = step(p.priorities ?? [], workstreams);
      // A second press of the same card (the same proposal id) changes nothing: only its audit entry is made sure of.
      if (JSON.stringify(next) === JSON.stringify(p.priorities ?? [])) return undefined;
      return { ...p, priorities: next.map((x): Stamped => (x.id === priorityId ? { ...x, changed: { at, action, by: caller.id } } : x)) };
    });
  } catch (err) {
    // Refused as already done (a retry after a failure): the audit entry of the change that did it is made sure of.
    const stored: Stamped | undefined = err instanceof DomainError ? (await getProgramme(deps, caller.tenantId))?.priorities?.find((p) => p.id === priorityId) : undefined;
    if (stored?.changed?.action === action) {
      await auditChanged(deps, caller.tenantId, stored);
      await then?.(stored);
    }
    throw err;
  }
  const saved = ((r?.after as Programme | undefined)?.priorities ?? []).find((p) => p.id === priorityId);
  if (!saved) throw new DomainError('not_found', 'That programme priority is no longer there. Type priorities to see the current list.');
  await auditChanged(deps, caller.tenantId, saved);
  await then?.(saved);
  return saved;
}

/** An LXP proposes; a double press (the same submission id) proposes once. */
export async function proposeProgrammePriority(deps: Deps, caller: Caller, input: { title: string; why: string; submissionId?: string }): Promise<ProgrammePriority> {
  const { actor, resource } = await context(deps, caller);
  if (!can(actor, 'propose_programme_priority', resource)) throw notAllowed('Programme priorities are proposed by the programme\'s Lived Experience Practitioners. The programme team confirms them.');
  const id = input.submissionId ? `pp-${createHash('sha256').update(`${caller.id}|${input.submissionId}`).digest('hex').slice(0, 16)}` : `pp-${newId(deps)}`;
  const at = deps.clock.now().toISOString();
  return change(deps, caller, 'programme_priority.proposed', id, (list) => proposePriority(list, { id, title: input.title, why: input.why, by: caller.id, at }));
}

async function teamOnly(deps: Deps, caller: Caller): Promise<void> {
  const { actor, resource } = await context(deps, caller);
  if (!can(actor, 'confirm_programme_priority', resource)) throw notAllowed('Only the programme team confirms, declines or retires programme priorities.');
}

/**
 * The LXP who proposed it hears that it was decided. The message names neither the proposal nor the reason
 * (a queued job keeps its text, where a later `forget me` would not reach it): `priorities` shows both.
 */
async function tellProposer(deps: Deps, caller: Caller, p: ProgrammePriority): Promise<void> {
  const verdict = p.status === 'confirmed' ? 'confirmed it as a programme priority' : 'declined it, and says why';
  await deps.queue.add({
    tenantId: caller.tenantId,
    kind: 'notify',
    subjectId: p.proposedBy,
    key: `programme-priority:${p.id}:${p.status}`,
    runAt: deps.clock.now(),
    payload: {
      to: { kind: 'person', personId: p.proposedBy },
      template: 'notice',
      summary: 'Your programme priority proposal was decided',
      data: { title: 'Your programme priority proposal', text: `The programme team ${verdict}. Type priorities to see it.`, facts: [] },
    },
  });
  deps.queue.runSoon();
}

export async function confirmProgrammePriority(deps: Deps, caller: Caller, priorityId: string, areaIds: string[]): Promise<ProgrammePriority> {
  await teamOnly(deps, caller);
  const at = deps.clock.now().toISOString();
  return change(deps, caller, 'programme_priority.confirmed', priorityId, (list, workstreams) => confirmPriority(list, priorityId, { by: caller.id, at, areaIds, workstreams }), (p) => tellProposer(deps, caller, p));
}

export async function declineProgrammePriority(deps: Deps, caller: Caller, priorityId: string, reason: string): Promise<ProgrammePriority> {
  await teamOnly(deps, caller);
  const at = deps.clock.now().toISOString();
  return change(deps, caller, 'programme_priority.declined', priorityId, (list) => declinePriority(list, priorityId, { by: caller.id, at, reason }), (p) => tellProposer(deps, caller, p));
}

export async function retireProgrammePriority(deps: Deps, caller: Caller, priorityId: string): Promise<ProgrammePriority> {
  await teamOnly(deps, caller);
  const at = deps.clock.now().toISOString();
  return change(deps, caller, 'programme_priority.retired', priorityId, (list) => retirePriority(list, priorityId, { by: caller.id, at }));
}

export async function linkProgrammePriority(deps: Deps, caller: Caller, priorityId: string, areaIds: string[]): Promise<ProgrammePriority> {
  await teamOnly(deps, caller);
  return change(deps, caller, 'programme_priority.linked', priorityId, (list, workstreams) => linkAreas(list, priorityId, { areaIds, workstreams }));
}

/** The confirmed programme priorities, for the board's and the report's filters. */
export async function confirmedProgrammePriorities(deps: Deps, tenantId: string): Promise<ProgrammePriority[]> {
  return confirmedPriorities((await getProgramme(deps, tenantId))?.priorities ?? []);
}

/** Forget me: their proposals lose their words, and those still waiting are taken back (before their id is replaced). */
export async function forgetProgrammePriorities(deps: Deps, tenantId: string, personId: string): Promise<void> {
  await updateWithRetry(deps.stores.workstreams, tenantId, PROGRAMME_ID, (doc) => {
    const p = doc as Programme;
    if (p.type !== 'programme' || !(p.priorities ?? []).some((x) => x.proposedBy === personId)) return undefined;
    return { ...p, priorities: forgetProposer(p.priorities ?? [], personId) };
  });
}
