import { createHash } from 'node:crypto';
import { DomainError, notAllowed, notFound } from '../domain/errors';
import { can, type Actor } from '../domain/policy';
import { queryEvery, updateWithRetry, WriteConflict, createOnce } from '../domain/ports';
import type { Names, Person } from '../domain/person';
import type { AuditEvent } from '../domain/audit';
import { addPriorityArea as addArea, MAX_PRIORITY_AREAS, PROGRAMME_ID, type Programme, type Workstream } from '../domain/workstream';
import { actorFor, audit, ensurePerson, getProgramme, inProgramme, newId, type Caller, type Deps } from './deps';
import { addMemberships, dropMembership } from './memberships';
import { MIGRATED_PROGRAMME_ID, MIGRATED_PROGRAMME_NAME } from '../domain/programme';
import type { ChatMember } from '../app/turn';
import { scheduleOnboarding } from './onboarding';
import { namesFor } from './names';
import { workstreamsOf } from './roles-of';

export const DEFAULT_PROGRAMME_NAME = MIGRATED_PROGRAMME_NAME;

/**
 * Makes the caller lead of the programme the deps are bound to, if it has no lead yet; the create is
 * conditional, so nobody can take a programme someone else leads.
 */
export async function claimProgrammeLead(deps: Deps, caller: Caller, name = DEFAULT_PROGRAMME_NAME): Promise<Programme> {
  const now = deps.clock.now().toISOString();
  let programme: Programme;
  try {
    programme = (await deps.stores.workstreams.create({
      id: PROGRAMME_ID,
      tenantId: caller.tenantId,
      type: 'programme',
      name,
      leadId: caller.id,
      memberIds: [caller.id],
      createdAt: now,
    })) as Programme;
  } catch (err) {
    if (err instanceof WriteConflict) {
      const existing = await getProgramme(deps, caller.tenantId);
      const lead = existing ? await deps.stores.people.get(caller.tenantId, existing.leadId) : undefined;
      if (existing?.leadId === caller.id) return existing;
      throw new DomainError('already_done', `${lead?.name ?? 'Someone else'} already leads this programme. Ask them to add you to its programme team, or start a programme of your own.`);
    }
    throw err;
  }
  await ensurePerson(deps, caller);
  await updateWithRetry(deps.stores.people, caller.tenantId, caller.id, (p) => ({ ...p, programme: true, updatedAt: now }));
  await addMemberships(deps, caller.tenantId, [caller.id]);
  await audit(deps, caller.tenantId, caller.id, 'programme.lead_claimed', { subjectType: 'programme', subjectId: PROGRAMME_ID }, { name });
  return programme;
}

/**
 * Anyone in an allowed tenant may start a programme, and leads it. The tenant's first programme takes the id a
 * version-1 tenant's programme was migrated to (MIGRATED_PROGRAMME_ID), so a tenant's first programme is
 * addressed the same way whether it was migrated or started; later ones get an id of their own, made from the
 * card's submission id so a double press starts one programme.
 */
export async function startProgramme(deps: Deps, caller: Caller, input: { name?: string; submissionId?: string }): Promise<{ programme: Programme; deps: Deps }> {
  const name = input.name?.trim() || DEFAULT_PROGRAMME_NAME;
  if (name.length > 100) throw new DomainError('invalid_input', 'Keep the programme name to 100 characters or fewer.');
  const first = inProgramme(deps, caller.tenantId, MIGRATED_PROGRAMME_ID);
  const firstProgramme = await getProgramme(first, caller.tenantId);
  if (!firstProgramme || firstProgramme.leadId === caller.id && !input.submissionId) {
    try {
      return { programme: await claimProgrammeLead(first, caller, name), deps: first };
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'already_done') throw err;
      // Someone started the tenant's first programme a moment ago: this one gets its own id below.
    }
  }
  const programmeId = input.submissionId
    ? `pg-${createHash('sha256').update(`${caller.id}|${input.submissionId}`).digest('hex').slice(0, 20)}`
    : `pg-${newId(deps)}`;
  const inside = inProgramme(deps, caller.tenantId, programmeId);
  return { programme: await claimProgrammeLead(inside, caller, name), deps: inside };
}

/**
 * A programme-team change's follow-ons (its audit entry, with a fixed id; the person's flag and memberships index),
 * stored in the same write as the change and cleared once done (docs/whole-writes.md). A list, so a second change
 * while an earlier one is unfinished never overwrites it; `pendingAudit` is the single slot documents had before.
 */
interface TeamChange {
  audit: AuditEvent;
  personId: string;
  /** Others whose flag and index follow the programme too: a hand-over's old lead. */
  others?: string[];
}
type WithPending = Programme & { pendingTeam?: TeamChange[]; pendingAudit?: AuditEvent };

const teamChangesOf = (p: WithPending): TeamChange[] => [
  ...(p.pendingAudit ? [{ audit: p.pendingAudit, personId: p.pendingAudit.subjectId }] : []),
  ...(p.pendingTeam ?? []),
];

export async function setProgrammeMember(deps: Deps, caller: Caller, personId: string, member: boolean): Promise<Programme> {
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'manage_programme_team', { type: 'programme' })) throw notAllowed('Only the programme team can change who is on the programme team.');
  const person = await deps.stores.people.get(caller.tenantId, personId);
  if (!person) throw notFound('I don\'t know that person yet. They need to be in a chat or meeting with Golden Thread first.');
  const now = deps.clock.now().toISOString();
  const action = member ? 'programme.member_added' : 'programme.member_removed';
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, PROGRAMME_ID, (doc) => {
    const p = doc as WithPending;
    if (!member && p.leadId === personId) throw new DomainError('not_allowed', 'The programme lead cannot be removed from the programme team.');
    const has = p.memberIds.includes(personId);
    if (has === member) return undefined;
    const audit: AuditEvent = { id: newId(deps), tenantId: caller.tenantId, type: 'audit', at: now, actorId: caller.id, action, subjectType: 'person', subjectId: personId };
    return { ...p, memberIds: member ? [...p.memberIds, personId] : p.memberIds.filter((id) => id !== personId), pendingTeam: [...(p.pendingTeam ?? []), { audit, personId }] };
  });
  // Pressing again after a failure (it changes nothing) finishes what the first press left, as does the daily sweep.
  return finishTeamChanges(deps, r!.after as WithPending);
}

/**
 * Carries out every change the programme holds, oldest first, each step safe to repeat: the person's flag and index
 * follow the programme as it is now (so an older change finished late undoes nothing newer), the audit entry is
 * created once (its id is fixed), then the change is cleared from the list.
 */
async function finishTeamChanges(deps: Deps, p: WithPending): Promise<Programme> {
  let latest: WithPending = p;
  for (const change of teamChangesOf(p)) {
    const now = deps.clock.now().toISOString();
    const programme = ((await getProgramme(deps, p.tenantId)) ?? latest) as WithPending;
    for (const personId of [change.personId, ...(change.others ?? [])]) {
      const member = programme.memberIds.includes(personId) || programme.leadId === personId;
      await updateWithRetry(deps.stores.people, p.tenantId, personId, (person) => (person.programme === member ? undefined : { ...person, programme: member, updatedAt: now }));
      if (member) await addMemberships(deps, p.tenantId, [personId]);
      else await dropIfNoRole(deps, p.tenantId, personId);
    }
    await createOnce(deps.stores.audit, change.audit);
    const r = await updateWithRetry(deps.stores.workstreams, p.tenantId, PROGRAMME_ID, (doc) => {
      const all = teamChangesOf(doc as WithPending);
      const left = all.filter((c) => c.audit.id !== change.audit.id);
      if (left.length === all.length) return undefined;
      return (left.length ? { ...withoutPending(doc as WithPending), pendingTeam: left } : withoutPending(doc as WithPending)) as Programme;
    });
    latest = (r?.after ?? programme) as WithPending;
  }
  return withoutPending(latest);
}

function withoutPending(p: WithPending): Programme {
  const { pendingAudit, pendingTeam, ...rest } = p;
  void pendingAudit; void pendingTeam;
  return rest as Programme;
}

/**
 * The lead hands the programme over to one of its people, and steps off the programme team (the new lead can
 * add them back). Roles are read from the programme on every request, so the old lead's next press of any
 * lead or team button is refused. The change and its follow-ons (both people's flags and indexes, the audit
 * entry with the id it is stored with) are one conditional write, finished like a team change: the old lead
 * pressing again after a failure finishes them before being refused, and so does the daily sweep.
 */
export async function handOverLead(deps: Deps, caller: Caller, personId: string): Promise<Programme> {
  const programme = (await getProgramme(deps, caller.tenantId)) as WithPending | undefined;
  if (!programme || programme.leadId !== caller.id) {
    if (programme && teamChangesOf(programme).length) await finishTeamChanges(deps, programme);
    throw notAllowed('Only the programme lead can hand the lead over.');
  }
  if (personId === caller.id) throw new DomainError('invalid_input', 'Choose someone else to hand the lead over to.');
  const person = await deps.stores.people.get(caller.tenantId, personId);
  if (!person) throw notFound('That person is not in this programme. Add them to a workstream or the programme team first.');
  const now = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, PROGRAMME_ID, (doc) => {
    const p = doc as WithPending;
    if (p.leadId !== caller.id) throw new DomainError('stale', 'The lead was handed over already. Type setup to see who leads now.');
    const audit: AuditEvent = {
      id: newId(deps), tenantId: caller.tenantId, type: 'audit', at: now, actorId: caller.id, action: 'programme.lead_handed_over', subjectType: 'person', subjectId: personId,
      detail: { from: caller.id, to: personId },
    };
    const memberIds = [...p.memberIds.filter((id) => id !== caller.id && id !== personId), personId];
    return { ...p, leadId: personId, memberIds, pendingTeam: [...(p.pendingTeam ?? []), { audit, personId, others: [caller.id] }] };
  });
  return finishTeamChanges(deps, r!.after as WithPending);
}

async function hasRole(deps: Deps, tenantId: string, personId: string): Promise<boolean> {
  const programme = await getProgramme(deps, tenantId);
  if (programme?.memberIds.includes(personId) || programme?.leadId === personId) return true;
  return (await workstreamsOf(deps, tenantId)).some((w) => [...w.chairIds, ...w.lxpIds, ...w.staffIds].includes(personId));
}

/**
 * Someone left with no role in the programme (team, or any workstream) no longer has it in their index. A change
 * that gave them a role while this ran (its workstream written after our read, its index write before our drop)
 * would be undone by the drop, so the roles are read again after it and the index put back: an index may name too
 * much for a moment, never too little (containers.ts).
 */
async function dropIfNoRole(deps: Deps, tenantId: string, personId: string): Promise<void> {
  if (await hasRole(deps, tenantId, personId)) return;
  await dropMembership(deps, tenantId, personId, { former: true });
  if (await hasRole(deps, tenantId, personId)) await addMemberships(deps, tenantId, [personId]);
}

export interface WorkstreamInput {
  workstreamId?: string;
  /** For a new workstream: made when the card was rendered, so a double click creates one workstream. */
  submissionId?: string;
  /** The version the card was made from; a stale card is refused rather than overwriting someone's change. */
  expectedUpdatedAt?: string;
  name: string;
  chairIds: string[];
  staffIds: string[];
  lxpIds: string[];
  priorityAreas: string[];
}

function validateWorkstream(input: WorkstreamInput) {
  const name = input.name.trim();
  if (!name) throw new DomainError('invalid_input', 'Give the workstream a name.');
  if (name.length > 100) throw new DomainError('invalid_input', 'Keep the workstream name to 100 characters or fewer.');
  if (input.chairIds.length === 0) throw new DomainError('invalid_input', 'Choose at least one chair.');
  const areas = input.priorityAreas.map((a) => a.trim()).filter(Boolean);
  if (areas.length > MAX_PRIORITY_AREAS) {
    throw new DomainError('limit_reached', `A workstream can have at most ${MAX_PRIORITY_AREAS} priority areas; you gave ${areas.length}.`);
  }
  return { name, areas };
}

/**
 * The workstream the editor card opens on (undefined: a new one), for those who may edit it or create one: the
 * card lists the programme's people and the workstream's, so nobody else sees it (issue 18).
 */
export async function workstreamToEdit(deps: Deps, caller: Caller, workstreamId: string | undefined): Promise<Workstream | undefined> {
  const actor = await actorFor(deps, caller);
  const workstream = workstreamId ? await getWorkstream(deps, caller.tenantId, workstreamId) : undefined;
  if (workstream && !can(actor, 'edit_workstream', { type: 'workstream', workstream })) throw notAllowed('Only the programme team or a chair of this workstream can edit it.');
  if (!workstream && !can(actor, 'create_workstream', { type: 'programme' })) throw notAllowed('Only the programme team can create workstreams.');
  return workstream;
}

type Saved = { workstream: Workstream; newLxpIds: string[]; created: boolean };
type Checked = { actor: Actor; name: string; areas: string[]; now: string };

/** Creates or edits a workstream. Returns it with the LXPs who are new to it, so they can be welcomed. */
export async function saveWorkstream(deps: Deps, caller: Caller, input: WorkstreamInput, chatMembers: ChatMember[] = []): Promise<Saved> {
  const actor = await actorFor(deps, caller);
  const { name, areas } = validateWorkstream(input);
  const everyone = [...new Set([...input.chairIds, ...input.staffIds, ...input.lxpIds])];
  const joining: ChatMember[] = [];
  for (const id of everyone) {
    if (await deps.stores.people.get(caller.tenantId, id)) continue;
    // Someone picked from the chat's members joins the programme's people with this workstream.
    const member = chatMembers.find((m) => m.id === id);
    if (!member) throw notFound('One of the people chosen is not known to Golden Thread. Refresh the card and choose again.');
    joining.push(member);
  }
  const checked = { actor, name, areas, now: deps.clock.now().toISOString() };
  if (joining.length && !can(actor, input.workstreamId ? 'edit_workstream' : 'create_workstream', input.workstreamId ? { type: 'workstream', workstream: await getWorkstream(deps, caller.tenantId, input.workstreamId) } : { type: 'programme' })) {
    throw notAllowed('Only the programme team or a chair of the workstream can add people to it.');
  }
  for (const m of joining) await ensurePerson(deps, { id: m.id, tenantId: caller.tenantId, name: m.name, teamsId: m.teamsId, email: m.email });
  // The index of everyone in it is written by finishEdit, after the workstream (containers.ts), for a new one as for an edit.
  return input.workstreamId ? editWorkstream(deps, caller, input, input.workstreamId, checked) : createWorkstream(deps, caller, input, checked);
}

async function createWorkstream(deps: Deps, caller: Caller, input: WorkstreamInput, { actor, name, areas, now }: Checked): Promise<Saved> {
  if (!can(actor, 'create_workstream', { type: 'programme' })) throw notAllowed('Only the programme team can create workstreams.');
  let ws: Workstream = {
    id: input.submissionId ? `ws-${createHash('sha256').update(input.submissionId).digest('hex').slice(0, 16)}` : `ws-${newId(deps)}`,
    tenantId: caller.tenantId,
    type: 'workstream',
    name,
    chairIds: input.chairIds,
    staffIds: input.staffIds,
    lxpIds: input.lxpIds,
    priorityAreas: [],
    chatIds: [],
    createdAt: now,
    updatedAt: now,
  };
  for (const a of areas) ws = addArea(ws, { id: newId(deps), name: a, proposedBy: caller.id });
  // Its audit entry and its LXPs' welcome go in the same write, as an edit's do, so a crash after it leaves them to the retry or the sweep.
  const created: AuditEvent = {
    id: newId(deps), tenantId: caller.tenantId, type: 'audit', at: now, actorId: caller.id, action: 'workstream.created', subjectType: 'workstream', subjectId: ws.id,
    detail: { name, chairIds: ws.chairIds, staffIds: ws.staffIds, lxpIds: ws.lxpIds, priorityAreas: ws.priorityAreas.map((p) => p.name) },
  };
  let stored: Edited;
  try {
    stored = (await deps.stores.workstreams.create({ ...ws, pendingEdits: [{ audit: created, newLxpIds: ws.lxpIds, removed: [] }] } as Edited)) as Edited;
  } catch (err) {
    if (!(err instanceof WriteConflict)) throw err;
    // The same card submitted again: it was saved once already; what that save left is finished.
    const again = await finishEdits(deps, caller.tenantId, (await getWorkstream(deps, caller.tenantId, ws.id)) as Edited);
    return { workstream: again.workstream, newLxpIds: [], created: false };
  }
  const done = await finishEdits(deps, caller.tenantId, stored);
  return { workstream: done.workstream, newLxpIds: done.newLxpIds, created: true };
}

/**
 * What an edit implies beyond the workstream, stored with it in one write and cleared once done (docs/whole-writes.md).
 * A list, so a second edit while an earlier one is unfinished never overwrites it; `pendingEdit` is the single slot
 * documents had before.
 */
interface PendingEdit {
  audit: AuditEvent;
  newLxpIds: string[];
  removed: string[];
}
type Edited = Workstream & { pendingEdits?: PendingEdit[]; pendingEdit?: PendingEdit };

const editsOf = (w: Edited): PendingEdit[] => [...(w.pendingEdit ? [w.pendingEdit] : []), ...(w.pendingEdits ?? [])];

function withoutEdits(w: Edited): Workstream {
  const { pendingEdit, pendingEdits, ...rest } = w;
  void pendingEdit; void pendingEdits;
  return rest as Workstream;
}

async function editWorkstream(deps: Deps, caller: Caller, input: WorkstreamInput, workstreamId: string, { actor, name, areas, now }: Checked): Promise<Saved> {
  const current = await getWorkstream(deps, caller.tenantId, workstreamId);
  if (!can(actor, 'edit_workstream', { type: 'workstream', workstream: current })) throw notAllowed(`Only the programme team or a chair of ${current.name} can edit it.`);
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, current.id, (doc) => {
    const ws = doc as Edited;
    const same = ws.name === name && sameSet(ws.chairIds, input.chairIds) && sameSet(ws.lxpIds, input.lxpIds) && sameSet(ws.staffIds, input.staffIds)
      && sameSet(ws.priorityAreas.map((p) => p.name.toLowerCase()), areas.map((a) => a.toLowerCase()));
    // The same card saved again (a retry after an error) changes nothing; what the first save left pending is finished below.
    if (same) return undefined;
    if (input.expectedUpdatedAt && ws.updatedAt !== input.expectedUpdatedAt) {
      throw new DomainError('stale', `${ws.name} was changed by someone else after this card was sent. Type setup to get a fresh card.`);
    }
    // Keep ids of areas whose names did not change, so contributions stay linked.
    const kept = areas.map((a) => ws.priorityAreas.find((p) => p.name.toLowerCase() === a.toLowerCase()) ?? { id: newId(deps), name: a, proposedBy: caller.id });
    const next: Workstream = { ...ws, name, chairIds: input.chairIds, staffIds: input.staffIds, lxpIds: input.lxpIds, priorityAreas: kept, updatedAt: now };
    const everyone = (w: Workstream) => [...w.chairIds, ...w.lxpIds, ...w.staffIds];
    const entry: AuditEvent = {
      id: newId(deps), tenantId: caller.tenantId, type: 'audit', at: now, actorId: caller.id, action: 'workstream.edited', subjectType: 'workstream', subjectId: ws.id,
      detail: { name, chairIds: next.chairIds, staffIds: next.staffIds, lxpIds: next.lxpIds, priorityAreas: kept.map((p) => p.name) },
    };
    const pendingEdit: PendingEdit = { audit: entry, newLxpIds: input.lxpIds.filter((id) => !ws.lxpIds.includes(id)), removed: [...new Set(everyone(ws).filter((id) => !everyone(next).includes(id)))] };
    return { ...next, pendingEdits: [...(ws.pendingEdits ?? []), pendingEdit] } as Edited;
  });
  // A retry of the same card (it changes nothing) finishes what the first save left, as does the daily sweep.
  return { ...(await finishEdits(deps, caller.tenantId, r!.after as Edited)), created: false };
}

/** Carries out every edit the workstream holds, oldest first; returns it as it is then, with the LXPs those edits added. */
async function finishEdits(deps: Deps, tenantId: string, ws: Edited): Promise<{ workstream: Workstream; newLxpIds: string[] }> {
  let latest = ws;
  const newLxpIds = new Set<string>();
  for (const pending of editsOf(ws)) {
    latest = await finishEdit(deps, tenantId, latest, pending);
    for (const id of pending.newLxpIds) if (latest.lxpIds.includes(id)) newLxpIds.add(id);
  }
  return { workstream: withoutEdits(latest), newLxpIds: [...newLxpIds] };
}

/**
 * The edit's audit entry (fixed id), the index of everyone in the workstream, the welcome of its new LXPs still in
 * it and the removed people's index (which follows their roles as they are now), each safe to repeat; then cleared.
 */
async function finishEdit(deps: Deps, tenantId: string, ws: Edited, pending: PendingEdit): Promise<Edited> {
  await createOnce(deps.stores.audit, pending.audit);
  // Everyone now in the workstream has the programme in their index (a crash after the edit's write left it to here).
  await addMemberships(deps, tenantId, [...ws.chairIds, ...ws.lxpIds, ...ws.staffIds]);
  await scheduleOnboarding(deps, tenantId, pending.newLxpIds.filter((id) => ws.lxpIds.includes(id)));
  // Someone taken off the workstream: their access to it ends at their next request; their index forgets the programme if nothing else keeps them in it.
  for (const id of pending.removed) await dropIfNoRole(deps, tenantId, id);
  const r = await updateWithRetry(deps.stores.workstreams, tenantId, ws.id, (doc) => {
    const all = editsOf(doc as Edited);
    const left = all.filter((e) => e.audit.id !== pending.audit.id);
    if (left.length === all.length) return undefined;
    return (left.length ? { ...withoutEdits(doc as Edited), pendingEdits: left } : withoutEdits(doc as Edited)) as Edited;
  });
  return (r?.after ?? ws) as Edited;
}

/**
 * The daily sweep's part for setup (src/jobs/retention.ts): what a programme-team change or a workstream edit left
 * unfinished when nobody pressed again is carried out. Safe to run twice and beside live requests.
 */
export async function sweepSetupPending(deps: Deps, tenantId: string): Promise<number> {
  let completed = 0;
  const programme = (await getProgramme(deps, tenantId)) as WithPending | undefined;
  if (programme && teamChangesOf(programme).length) {
    await finishTeamChanges(deps, programme);
    completed++;
  }
  for (const ws of (await workstreamsOf(deps, tenantId)) as Edited[]) {
    if (!editsOf(ws).length) continue;
    await finishEdits(deps, tenantId, ws);
    completed++;
  }
  return completed;
}

export async function getWorkstream(deps: Deps, tenantId: string, id: string): Promise<Workstream> {
  const doc = await deps.stores.workstreams.get(tenantId, id);
  if (!doc || doc.type !== 'workstream') throw notFound('That workstream no longer exists. Type setup to see the current ones.');
  return doc;
}

/** LXPs of the workstream propose priority areas; chairs and the programme team can too. A sixth is refused. */
export async function proposePriorityArea(deps: Deps, caller: Caller, workstreamId: string, name: string): Promise<Workstream> {
  const actor = await actorFor(deps, caller);
  const ws = await getWorkstream(deps, caller.tenantId, workstreamId);
  if (!can(actor, 'edit_priority_areas', { type: 'workstream', workstream: ws })) {
    throw notAllowed(`Only the LXPs and chairs of ${ws.name}, or the programme team, can change its priority areas.`);
  }
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, workstreamId, (doc) => ({
    ...addArea(doc as Workstream, { id: newId(deps), name, proposedBy: caller.id }),
    updatedAt: deps.clock.now().toISOString(),
  }));
  await audit(deps, caller.tenantId, caller.id, 'priority_area.added', { subjectType: 'workstream', subjectId: workstreamId }, { name: name.trim() });
  return r!.after as Workstream;
}

export async function removePriorityArea(deps: Deps, caller: Caller, workstreamId: string, areaId: string): Promise<Workstream> {
  const actor = await actorFor(deps, caller);
  const ws = await getWorkstream(deps, caller.tenantId, workstreamId);
  if (!can(actor, 'edit_priority_areas', { type: 'workstream', workstream: ws })) {
    throw notAllowed(`Only the LXPs and chairs of ${ws.name}, or the programme team, can change its priority areas.`);
  }
  const area = ws.priorityAreas.find((p) => p.id === areaId);
  if (!area) throw new DomainError('stale', 'That priority area was already removed.');
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, workstreamId, (doc) => {
    const w = doc as Workstream;
    return { ...w, priorityAreas: w.priorityAreas.filter((p) => p.id !== areaId), updatedAt: deps.clock.now().toISOString() };
  });
  await audit(deps, caller.tenantId, caller.id, 'priority_area.removed', { subjectType: 'workstream', subjectId: workstreamId }, { name: area.name });
  return r!.after as Workstream;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

async function programmePeople(deps: Deps, tenantId: string): Promise<Person[]> {
  const people = await queryEvery(deps.stores.people, tenantId, [{ field: 'type', op: '=', value: 'person' }], { orderBy: { field: 'name', direction: 'ASC' } });
  return people.filter((p) => p.name && p.name !== 'A person who asked to be forgotten');
}

/** Someone a setup card offers: the programme's people, and the members of the chat the card is in. */
export interface Pickable {
  id: string;
  name: string;
  /** Email or UPN, shown so two people of the same name can be told apart. */
  email?: string;
}

/** The people the setup cards offer: the programme's people and the chat's members, by name, without those who asked to be forgotten. */
export async function knownPeople(deps: Deps, tenantId: string, chatMembers: ChatMember[] = []): Promise<Pickable[]> {
  const found = new Map<string, Pickable>();
  for (const p of await programmePeople(deps, tenantId)) found.set(p.id, { id: p.id, name: p.name, email: p.email });
  for (const m of chatMembers) if (m.name) found.set(m.id, { id: m.id, name: m.name, email: m.email ?? found.get(m.id)?.email });
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What the programme setup card shows, or undefined while nobody has claimed the programme. */
export async function programmeView(deps: Deps, tenantId: string): Promise<{ programme: Programme; workstreams: Workstream[]; people: Person[]; names: Names } | undefined> {
  const programme = await getProgramme(deps, tenantId);
  if (!programme) return undefined;
  const [workstreams, people] = await Promise.all([workstreamsOf(deps, tenantId), programmePeople(deps, tenantId)]);
  const names = await namesFor(deps, tenantId, [...programme.memberIds, ...workstreams.flatMap((w) => [...w.chairIds, ...w.lxpIds, ...w.staffIds])]);
  return { programme, workstreams, people, names };
}
