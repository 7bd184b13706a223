import { randomUUID } from 'node:crypto';
import type { Collection, Doc } from '../domain/ports';
import { WriteConflict } from '../domain/ports';
import type { Stores } from '../domain/stores';
import { SYSTEM_KEY, chatKey, conversationKey, personKey, programmeKey } from '../domain/partition';
import { CHAT_LINK_ID, MEMBERSHIPS_ID, MIGRATED_PROGRAMME_ID, MIGRATED_PROGRAMME_NAME, type ChatLink, type Memberships } from '../domain/programme';
import { SCHEMA_VERSION, type LegacyContainerName as ContainerName } from './containers';
import { SERVICE_REF_ID, serviceRefFrom, type ConversationRef, type Job } from '../domain/job';

/**
 * Version 1 to 2: one programme per tenant (every container partitioned by
 * tenant, the programme document's id "programme") becomes programme
 * MIGRATED_PROGRAMME_ID of that tenant, partitioned by programme, with a
 * membership index per person and a link per chat.
 *
 * Safe when two instances start together: the first to create the marker
 * document (a conditional create in the `_system` partition) migrates; the
 * others wait for it to say "done". A crashed migrator's lease runs out and
 * another instance takes over (a conditional replace on the marker's etag).
 * Every write is an upsert of a document derived only from the old one, so
 * doing part of the work twice writes the same documents again. The old
 * containers are read, never changed.
 */
export interface LegacySource {
  /** Every version-1 document of a container; nothing when the container does not exist. */
  read(name: ContainerName): AsyncIterable<Doc>;
}

export interface MigrationMarker extends Doc {
  type: 'migration';
  state: 'running' | 'done';
  owner: string;
  until: string;
  counts?: Record<string, number>;
}

export const MIGRATION_ID = 'migration-v2';

export interface MigrateOptions {
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  now?: () => Date;
}

export interface MigrationResult {
  /** This instance did the work (false: already done, or another instance did it while this one waited). */
  migrated: boolean;
  counts: Record<string, number>;
}

const ORDER: ContainerName[] = ['workstreams', 'people', 'meetings', 'contributions', 'jobs', 'audit', 'conversations', 'counters', 'shown'];

export async function migrateToProgrammes(stores: Stores, legacy: LegacySource, options: MigrateOptions = {}): Promise<MigrationResult> {
  const owner = options.owner ?? randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const markers = stores.jobs as unknown as Collection<MigrationMarker>;
  const lease = () => new Date(now().getTime() + leaseMs).toISOString();

  let marker: MigrationMarker | undefined;
  for (;;) {
    const current = await markers.get(SYSTEM_KEY, MIGRATION_ID);
    if (current?.state === 'done') return { migrated: false, counts: current.counts ?? {} };
    try {
      if (!current) {
        marker = await markers.create({ id: MIGRATION_ID, tenantId: SYSTEM_KEY, pk: SYSTEM_KEY, type: 'migration', state: 'running', owner, until: lease() });
        break;
      }
      if (new Date(current.until) <= now()) {
        marker = await markers.replace({ ...current, owner, until: lease() });
        break;
      }
    } catch (err) {
      if (!(err instanceof WriteConflict)) throw err;
    }
    // Someone else is migrating: wait for them rather than serve half-moved data.
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }

  const renew = async () => {
    if (!marker || new Date(marker.until).getTime() - now().getTime() > leaseMs / 2) return;
    // Losing this write means our lease ran out and someone took over: stop rather than race them.
    marker = await markers.replace({ ...marker, until: lease() });
  };
  const counts: Record<string, number> = {};
  // Version 1 found the service URL by reading any reference of the tenant; version 2 keeps one per tenant (a point read).
  const serviceRefs = new Set<string>();
  // Meetings still open with no close job queued (opened before issue 21 queued one with every meeting): pk/id → meeting.
  const unclosed = new Map<string, Doc>();
  for (const name of ORDER) {
    counts[name] = 0;
    for await (const old of legacy.read(name)) {
      for (const doc of upgrade(name, old)) {
        await (stores[name] as unknown as Collection<Doc>).upsert(doc);
        if (name === 'conversations' && !serviceRefs.has(doc.tenantId)) {
          await stores.conversations.upsert({ ...serviceRefFrom(doc as ConversationRef), pk: conversationKey(doc.tenantId, SERVICE_REF_ID), schemaVersion: SCHEMA_VERSION });
          serviceRefs.add(doc.tenantId);
        }
        const fields = doc as Doc & Record<string, unknown>;
        if (name === 'meetings' && fields.type === 'meeting' && !fields.endedAt) unclosed.set(`${doc.pk}/${doc.id}`, doc);
        if (name === 'jobs' && fields.kind === 'close_meeting' && WAITING.includes(fields.status as string)) unclosed.delete(`${doc.pk}/${fields.subjectId}`);
      }
      counts[name]++;
      if (counts[name] % 200 === 0) await renew();
    }
  }
  counts.closeJobsQueued = 0;
  for (const meeting of unclosed.values()) {
    await stores.jobs.upsert(closeJobFor(meeting, now()));
    counts.closeJobsQueued++;
  }
  await markers.replace({ ...marker!, state: 'done', counts });
  return { migrated: true, counts };
}

/** Job states in which a close is still to come. */
const WAITING = ['pending', 'running', 'held'];

/**
 * A close job for a meeting left open, due at once: the handler (src/jobs/close-meeting.ts) works out when the
 * meeting really closes from the settings and queues itself again for then, so the migration needs no settings.
 * The id is fixed, so a migration taken over half way writes the same job.
 */
export function closeJobFor(meeting: Doc, at: Date): Job {
  const m = meeting as Doc & { startedAt?: string; createdAt?: string };
  return {
    id: `close_meeting:${meeting.id}:migration`,
    tenantId: meeting.tenantId,
    pk: meeting.pk,
    programmeId: meeting.programmeId,
    schemaVersion: SCHEMA_VERSION,
    type: 'job',
    kind: 'close_meeting',
    subjectId: meeting.id,
    runAt: m.startedAt ?? m.createdAt ?? at.toISOString(),
    status: 'pending',
    payload: {},
    attempts: 0,
    createdAt: at.toISOString(),
  };
}

/** A stored document without the store's own fields. */
export function clean(doc: Doc): Doc {
  const { _etag, _rid, _self, _attachments, _ts, ...body } = doc as Doc & Record<string, unknown>;
  void _etag; void _rid; void _self; void _attachments; void _ts;
  return body as Doc;
}

/** The version-2 documents one version-1 document becomes. */
export function upgrade(name: ContainerName, old: Doc): Doc[] {
  const doc = clean(old) as Doc & Record<string, unknown>;
  const tenantId = doc.tenantId;
  // Scheduler bookkeeping is rebuilt by the running instances.
  if (tenantId === SYSTEM_KEY) return [];
  const programmeId = MIGRATED_PROGRAMME_ID;
  const inProgramme = { ...doc, pk: programmeKey(tenantId, programmeId), programmeId, schemaVersion: SCHEMA_VERSION };
  const at = typeof doc.createdAt === 'string' ? doc.createdAt : new Date(0).toISOString();
  switch (name) {
    case 'workstreams': {
      if (doc.type === 'programme') return [{ ...inProgramme, name: MIGRATED_PROGRAMME_NAME } as Doc];
      const links: ChatLink[] = ((doc.chatIds as string[] | undefined) ?? []).map((conversationId) => ({
        id: CHAT_LINK_ID, tenantId, pk: chatKey(tenantId, conversationId), type: 'chat_link', schemaVersion: SCHEMA_VERSION,
        conversationId, programmeId, workstreamId: doc.id, linkedBy: 'migration', linkedAt: at,
      }));
      return [inProgramme, ...links];
    }
    case 'people': {
      const index: Memberships = {
        id: MEMBERSHIPS_ID, tenantId, pk: personKey(tenantId, doc.id), type: 'memberships', schemaVersion: SCHEMA_VERSION,
        personId: doc.id, programmes: { [programmeId]: { name: MIGRATED_PROGRAMME_NAME, since: at } },
      };
      return [inProgramme, index];
    }
    case 'conversations': {
      // As version 2 writes them: a chat's reference does not keep whoever spoke last.
      const reference = doc.kind === 'chat' ? { ...(doc.reference as Record<string, unknown>), user: undefined } : doc.reference;
      return [{ ...doc, reference, pk: conversationKey(tenantId, doc.id), schemaVersion: SCHEMA_VERSION } as Doc];
    }
    default:
      return [inProgramme];
  }
}

