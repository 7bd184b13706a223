/*
 * Programme priorities: up to five priority areas for the programme as a
 * whole. An LXP of the programme proposes one (a title and a short why); the
 * programme team confirms it, linking the workstream priority areas that
 * serve it, or declines it with a reason the LXP sees. At most five are
 * confirmed at a time; the team retires one to make room. Pure: the list
 * lives on the programme document (src/domain/workstream.ts), written with
 * its etag, so two confirmations at once cannot both take the fifth place.
 */
import { DomainError } from './errors';
import type { Workstream } from './workstream';

export const MAX_PROGRAMME_PRIORITIES = 5;
/** Proposals waiting for the programme team at once: enough for a round of ideas, not an unbounded list on one document. */
export const MAX_OPEN_PROPOSALS = 10;
export const MAX_PRIORITY_TITLE = 80;
export const MAX_PRIORITY_WHY = 500;
export const MAX_DECLINE_REASON = 500;

export type ProgrammePriorityStatus = 'proposed' | 'confirmed' | 'declined' | 'retired';

export interface ProgrammePriority {
  id: string;
  title: string;
  /** The proposing LXP's short why: their words. */
  why: string;
  proposedBy: string;
  proposedAt: string;
  status: ProgrammePriorityStatus;
  /** Workstream priority area ids that serve it, picked by the programme team. */
  areaIds: string[];
  decidedBy?: string;
  decidedAt?: string;
  /** Why it was declined, for the LXP who proposed it. */
  reason?: string;
  retiredBy?: string;
  retiredAt?: string;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const live = (p: ProgrammePriority) => p.status === 'proposed' || p.status === 'confirmed';

export const confirmedPriorities = (list: readonly ProgrammePriority[]) => list.filter((p) => p.status === 'confirmed');

function find(list: readonly ProgrammePriority[], id: string): ProgrammePriority {
  const p = list.find((x) => x.id === id);
  if (!p) throw new DomainError('not_found', 'That programme priority is no longer there. Type priorities to see the current list.');
  return p;
}

const replace = (list: readonly ProgrammePriority[], next: ProgrammePriority) => list.map((p) => (p.id === next.id ? next : p));

export function proposePriority(list: readonly ProgrammePriority[], input: { id: string; title: string; why: string; by: string; at: string }): ProgrammePriority[] {
  if (list.some((p) => p.id === input.id)) return [...list];
  const title = input.title.trim();
  const why = input.why.trim();
  if (!title) throw new DomainError('invalid_input', 'Give the programme priority a title.');
  if (title.length > MAX_PRIORITY_TITLE) throw new DomainError('invalid_input', `Keep the title to ${MAX_PRIORITY_TITLE} characters or fewer.`);
  if (!why) throw new DomainError('invalid_input', 'Say in a sentence or two why it matters.');
  if (why.length > MAX_PRIORITY_WHY) throw new DomainError('invalid_input', `Keep the why to ${MAX_PRIORITY_WHY} characters or fewer.`);
  const twin = list.find((p) => live(p) && same(p.title, title));
  if (twin) throw new DomainError('already_done', `"${twin.title}" is already ${twin.status === 'confirmed' ? 'a programme priority' : 'proposed'}.`);
  if (list.filter((p) => p.status === 'proposed').length >= MAX_OPEN_PROPOSALS) {
    throw new DomainError('limit_reached', `${MAX_OPEN_PROPOSALS} proposals are already waiting for the programme team. Try again once they have decided on some.`);
  }
  return [...list, { id: input.id, title, why, proposedBy: input.by, proposedAt: input.at, status: 'proposed', areaIds: [] }];
}

/** Area ids the programme's workstreams still have, in the order given, without repeats. */
export function validAreaIds(areaIds: readonly string[], workstreams: readonly Pick<Workstream, 'priorityAreas'>[]): string[] {
  const known = new Set(workstreams.flatMap((w) => w.priorityAreas.map((a) => a.id)));
  return [...new Set(areaIds)].filter((id) => known.has(id));
}

function checkAreas(areaIds: readonly string[], workstreams: readonly Pick<Workstream, 'priorityAreas'>[]): string[] {
  const valid = validAreaIds(areaIds, workstreams);
  if (valid.length !== new Set(areaIds).size) throw new DomainError('stale', 'A priority area on the card has been removed since. Type priorities for a fresh card.');
  return valid;
}

/** The sixth is refused: the team retires one first. */
export function confirmPriority(list: readonly ProgrammePriority[], id: string, input: { by: string; at: string; areaIds: readonly string[]; workstreams: readonly Pick<Workstream, 'priorityAreas'>[] }): ProgrammePriority[] {
  const p = find(list, id);
  if (p.status === 'confirmed') throw new DomainError('already_done', `"${p.title}" is already a programme priority.`);
  if (p.status !== 'proposed') throw new DomainError('already_done', `"${p.title}" was ${p.status} already.`);
  const areaIds = checkAreas(input.areaIds, input.workstreams);
  if (confirmedPriorities(list).length >= MAX_PROGRAMME_PRIORITIES) {
    throw new DomainError('limit_reached', `The programme already has ${MAX_PROGRAMME_PRIORITIES} programme priorities, the most it can have. Retire one first, then confirm "${p.title}".`);
  }
  return replace(list, { ...p, status: 'confirmed', areaIds, decidedBy: input.by, decidedAt: input.at });
}

export function declinePriority(list: readonly ProgrammePriority[], id: string, input: { by: string; at: string; reason: string }): ProgrammePriority[] {
  const p = find(list, id);
  if (p.status !== 'proposed') throw new DomainError('already_done', `"${p.title}" was ${p.status} already.`);
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('invalid_input', `Give a reason: the LXP who proposed "${p.title}" will see it.`);
  if (reason.length > MAX_DECLINE_REASON) throw new DomainError('invalid_input', `Keep the reason to ${MAX_DECLINE_REASON} characters or fewer.`);
  return replace(list, { ...p, status: 'declined', reason, decidedBy: input.by, decidedAt: input.at });
}

export function retirePriority(list: readonly ProgrammePriority[], id: string, input: { by: string; at: string }): ProgrammePriority[] {
  const p = find(list, id);
  if (p.status !== 'confirmed') throw new DomainError('already_done', `"${p.title}" is not a programme priority now.`);
  return replace(list, { ...p, status: 'retired', retiredBy: input.by, retiredAt: input.at });
}

export function linkAreas(list: readonly ProgrammePriority[], id: string, input: { areaIds: readonly string[]; workstreams: readonly Pick<Workstream, 'priorityAreas'>[] }): ProgrammePriority[] {
  const p = find(list, id);
  if (p.status !== 'confirmed') throw new DomainError('already_done', `"${p.title}" is not a programme priority now.`);
  return replace(list, { ...p, areaIds: checkAreas(input.areaIds, input.workstreams) });
}

/**
 * The workstream priority areas a programme priority stands for: a
 * contribution belongs to it when one of its areas is among them. Areas a
 * workstream has since removed drop out.
 */
export function areasOfPriority(p: Pick<ProgrammePriority, 'areaIds'>, workstreams: readonly Pick<Workstream, 'priorityAreas'>[]): string[] {
  return validAreaIds(p.areaIds, workstreams);
}

/** Forget me: a person's proposals lose their words; those still waiting are taken back. */
export function forgetProposer(list: readonly ProgrammePriority[], personId: string): ProgrammePriority[] {
  return list
    .filter((p) => !(p.proposedBy === personId && p.status === 'proposed'))
    .map((p) => (p.proposedBy === personId ? { ...p, why: '' } : p));
}
