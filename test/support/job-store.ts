import { programmeStores } from '../../src/domain/programme-stores';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';
import { openStore, type OpenStore } from '../../src/storage/cosmos/open-store';
import type { Deps } from '../../src/commands/deps';
import { jobQueue } from '../../src/jobs/queue';
import type { Clock, Recipient, OutgoingMessage } from '../../src/domain/ports';
import { serviceRefFrom, type ConversationRef } from '../../src/domain/job';
import type { Programme } from '../../src/domain/workstream';
import { newPerson, type Person } from '../../src/domain/person';
import type { JobSender, SendOptions } from '../../src/jobs/job-sender';

export const TENANT = '00000000-0000-0000-0000-0000000000aa';

export interface MovableClock extends Clock {
  advance(ms: number): void;
}

export function movableClock(iso: string): MovableClock {
  let at = new Date(iso).getTime();
  return { now: () => new Date(at), advance: (ms) => void (at += ms) };
}

/** Deps over a fresh embedded store (the real Cosmos code path), with a clock the test moves. */
export async function storeDeps(clock: Clock): Promise<{ deps: Deps; store: OpenStore }> {
  const store = await openStore({ databaseName: `jobs-${process.pid}-${Math.random().toString(36).slice(2)}` });
  const deps: Deps = {
    stores: programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }),
    clock,
    settings: { timeZone: 'Europe/London', followUpAfter: { days: 14 }, reminderEvery: { days: 7 }, escalateAfter: { days: 14 }, logGrace: { days: 7 }, meetingCloseAfter: { hours: 1 }, sessionCloseAfter: { hours: 8 }, retention: { years: 6 } },
    queue: jobQueue({ stores: programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID }), clock: clock }),
  };
  return { deps, store };
}

export async function addPerson(deps: Deps, id: string, name: string, teamsId?: string): Promise<Person> {
  return deps.stores.people.create(newPerson(TENANT, id, name, deps.clock.now(), teamsId));
}

export async function addProgramme(deps: Deps, memberIds: string[]): Promise<void> {
  const programme: Programme = { id: 'programme', tenantId: TENANT, type: 'programme', leadId: memberIds[0], memberIds, createdAt: deps.clock.now().toISOString() };
  await deps.stores.workstreams.create(programme);
}

export function chatRef(conversationId: string, serviceUrl: string, tenantId = TENANT): ConversationRef {
  return {
    id: `chat:${conversationId}`,
    tenantId,
    type: 'conversation',
    kind: 'chat',
    reference: { channelId: 'msteams', serviceUrl, conversation: { id: conversationId, tenantId, isGroup: true }, bot: { id: '28:golden-thread-bot', name: 'Golden Thread' }, user: { id: '29:1-chris' } },
    updatedAt: new Date(0).toISOString(),
  };
}

/** What a turn in a chat leaves behind (src/teams/conversation-refs.ts): the chat's reference and the tenant's service reference. */
export async function heardFromChat(deps: Pick<Deps, 'stores'>, conversationId: string, serviceUrl: string, tenantId = TENANT): Promise<void> {
  const ref = chatRef(conversationId, serviceUrl, tenantId);
  await deps.stores.conversations.upsert(ref);
  await deps.stores.conversations.upsert(serviceRefFrom(ref));
}

export interface SentRecord {
  tenantId: string;
  to: Recipient;
  message: OutgoingMessage;
  key?: string;
}

/** A Sender that records what it was asked to send; `behave` can throw or wait, like Teams would. */
export function fakeSender(behave?: (to: Recipient, key?: string) => Promise<void> | void): JobSender & { sent: SentRecord[] } {
  const sent: SentRecord[] = [];
  return {
    sent,
    async send(tenantId: string, to: Recipient, message: OutgoingMessage, options: SendOptions = {}) {
      await behave?.(to, options.key);
      sent.push({ tenantId, to, message, key: options.key });
      return { activityId: `act-${sent.length}` };
    },
  };
}
