import { TurnContext } from 'botbuilder';
import type { TurnRef } from '../app/turn';
import { serviceRefFrom, type ConversationRef } from '../domain/job';
import { ensurePerson, inProgramme, type Deps } from '../commands/deps';
import { membershipsOf } from '../commands/memberships';
import { scopeOf } from '../domain/programme-stores';
import { releaseHeldJobs } from '../jobs/unreachable';
import type { Logger } from '../logger';

const known = new Map<string, string>();
/** Tenant → the service URL of its 'service' reference, so it is written once per change. */
const knownService = new Map<string, string>();

/** Keeps a reference for each person (1:1) and chat the bot hears from, so it can write to them later. */
export async function saveConversationRef(deps: Deps, logger: Logger, context: TurnContext, turn: TurnRef): Promise<void> {
  if (!turn.tenantId || !turn.conversationId) return;
  const reference = TurnContext.getConversationReference(context.activity) as unknown as Record<string, unknown>;
  const id = turn.conversationType === 'personal' ? turn.caller.id : `chat:${turn.conversationId}`;
  const fingerprint = `${turn.conversationId}|${context.activity.serviceUrl}`;
  const key = `${turn.tenantId}/${id}`;
  // Anyone who speaks to the bot in a programme's chat, or installs it there, gets a person record in that
  // programme to hang preferences and consent on; someone in no programme yet is kept nowhere.
  const scope = scopeOf(deps.stores);
  const inAProgramme = !!scope && !scope.readOnly;
  const personKey = `${turn.tenantId}/${scope?.programmeId}/person/${turn.caller.id}`;
  if (inAProgramme && context.activity.from?.aadObjectId && !known.has(personKey)) {
    await ensurePerson(deps, turn.caller);
    known.set(personKey, '');
  }
  // Someone Teams would not let us reach has written or installed the app: what was held for them, in each of their programmes, goes out now.
  if (turn.conversationType === 'personal' && context.activity.from?.aadObjectId) {
    const programmes = Object.keys((await membershipsOf(deps, turn.tenantId, turn.caller.id))?.programmes ?? {});
    let released = 0;
    let wasUnreachable = false;
    for (const programmeId of programmes) {
      const there = inProgramme(deps, turn.tenantId, programmeId);
      const person = await there.stores.people.get(turn.tenantId, turn.caller.id);
      if (person?.reachability?.status !== 'unreachable') continue;
      wasUnreachable = true;
      released += await releaseHeldJobs(there, turn.tenantId, turn.caller.id);
    }
    if (wasUnreachable) {
      await saveRef(deps, turn, reference, id);
      known.set(key, fingerprint);
      logger.info({ tenantId: turn.tenantId, released }, 'person reachable again; held messages released');
      deps.queue.runSoon();
      return;
    }
  }
  if (known.get(key) === fingerprint) return;
  await saveRef(deps, turn, reference, id);
  known.set(key, fingerprint);
}

async function saveRef(deps: Deps, turn: TurnRef, reference: Record<string, unknown>, id: string) {
  const personal = turn.conversationType === 'personal';
  // A chat's reference would remember whoever spoke last; sending to the chat does not need them, so it is not kept.
  const { user, ...shared } = reference;
  const doc: ConversationRef = {
    id,
    tenantId: turn.tenantId,
    type: 'conversation',
    kind: personal ? 'person' : 'chat',
    reference: personal ? { ...shared, user } : shared,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.stores.conversations.upsert(doc);
  const serviceUrl = String(reference.serviceUrl ?? '');
  if (knownService.get(turn.tenantId) !== serviceUrl) {
    await deps.stores.conversations.upsert(serviceRefFrom(doc));
    knownService.set(turn.tenantId, serviceUrl);
  }
}

/** For tests, restarts of the store, and after "forget me". */
export function forgetKnownRefs(): void {
  known.clear();
  knownService.clear();
}
