import { randomUUID } from 'node:crypto';
import type { Duration } from 'date-fns';
import type { Clock, TranscriptSource, WorkQueue } from '../domain/ports';
import type { Stores } from '../domain/stores';
import type { AuditEvent } from '../domain/audit';
import type { Actor } from '../domain/policy';
import { PROGRAMME_ID, type Programme } from '../domain/workstream';
import { newPerson, type Person } from '../domain/person';
import { updateWithRetry } from '../domain/ports';
import { programmeStores } from '../domain/programme-stores';

/** The settings commands and jobs need; a subset of Config so tests can build it by hand. */
export interface Settings {
  timeZone: string;
  followUpAfter: Duration;
  reminderEvery: Duration;
  escalateAfter: Duration;
  logGrace: Duration;
  /** An open meeting is closed this long after its scheduled end. */
  meetingCloseAfter: Duration;
  /** An open meeting with no schedule is closed this long after it started. */
  sessionCloseAfter: Duration;
  retention: Duration;
}

export interface Deps {
  stores: Stores;
  clock: Clock;
  settings: Settings;
  newId?: () => string;
  /** Where commands queue work for later (follow-ups, reminders, notices). */
  queue: WorkQueue;
  /** Meeting transcripts through Microsoft Graph (GRAPH_TRANSCRIPTS=on); without it no suggestions are made. */
  transcripts?: TranscriptSource;
  /** A one-line quote of an LXP's words from the model behind plain-English questions, when one is configured. */
  summarise?: (words: string) => Promise<string | undefined>;
}

/**
 * The same deps inside one programme: its stores see only the programme's partition and its queue
 * writes jobs there. Every turn and every job runs in exactly one of these (or several in turn, for
 * a person's own commands across their programmes).
 */
export function inProgramme<D extends Deps>(deps: D, tenantId: string | undefined, programmeId: string): D {
  const stores = programmeStores(deps.stores, { programmeId, tenantId });
  return { ...deps, stores, queue: deps.queue.in(stores) };
}

export const newId = (deps: Deps) => (deps.newId ?? randomUUID)();

/** Who is acting, as the Teams layer knows them. */
export interface Caller {
  id: string;
  tenantId: string;
  name: string;
  teamsId?: string;
  /** Email or UPN, when the members API gave one. */
  email?: string;
}

export async function audit(
  deps: Deps,
  tenantId: string,
  actorId: string,
  action: string,
  subject: Pick<AuditEvent, 'subjectType' | 'subjectId'>,
  detail?: Record<string, unknown>,
): Promise<void> {
  await deps.stores.audit.create({
    id: newId(deps),
    tenantId,
    type: 'audit',
    at: deps.clock.now().toISOString(),
    actorId,
    action,
    ...subject,
    detail,
  });
}

export async function getProgramme(deps: Deps, tenantId: string): Promise<Programme | undefined> {
  const doc = await deps.stores.workstreams.get(tenantId, PROGRAMME_ID);
  return doc && doc.type === 'programme' ? doc : undefined;
}

/** Finds or creates the person record for a caller, keeping their name and Teams id current. */
export async function ensurePerson(deps: Deps, caller: Caller): Promise<Person> {
  const existing = await deps.stores.people.get(caller.tenantId, caller.id);
  if (!existing) {
    try {
      return await deps.stores.people.create({ ...newPerson(caller.tenantId, caller.id, caller.name, deps.clock.now(), caller.teamsId), ...(caller.email ? { email: caller.email } : {}) });
    } catch {
      const raced = await deps.stores.people.get(caller.tenantId, caller.id);
      if (raced) return raced;
      throw new Error('Could not create person');
    }
  }
  if ((caller.teamsId && existing.teamsId !== caller.teamsId) || (caller.name && existing.name !== caller.name && !existing.name) || (caller.email && existing.email !== caller.email)) {
    const r = await updateWithRetry(deps.stores.people, caller.tenantId, caller.id, (p) => ({ ...p, teamsId: caller.teamsId ?? p.teamsId, email: caller.email ?? p.email }));
    return r?.after ?? existing;
  }
  return existing;
}

export async function actorFor(deps: Deps, caller: Caller): Promise<Actor> {
  const programme = await getProgramme(deps, caller.tenantId);
  return { id: caller.id, tenantId: caller.tenantId, programme: !!programme && programme.memberIds.includes(caller.id) };
}
