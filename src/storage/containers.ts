/**
 * The one place that defines Golden Thread's Cosmos DB containers and their
 * partition keys. `src/storage/cosmos/` creates them at start, and
 * `infra/main.bicep` must declare the same names and keys (a test checks it).
 *
 * Why every container is partitioned by `/pk`, a synthetic key:
 * - A programme, not a tenant, is the unit that owns data. NHSmail is one
 *   Microsoft 365 tenant for hundreds of organisations, so a tenant-wide
 *   partition would put all of them in one logical partition (20 GB and one
 *   partition's throughput) and make every query able to see them all.
 * - Every document a programme owns has `pk = "<tenantId>|<programmeId>"`
 *   (src/domain/partition.ts). Everything the product asks of a programme (a
 *   workstream's meetings, an LXP's contributions, overdue items, a report,
 *   an export, close) is a single-partition query, and a programme's data
 *   can only be reached by naming its partition: commands see the store
 *   through a programme's view (src/storage/programme-view.ts), which cannot
 *   address any other partition.
 * - What belongs to a person or a chat rather than a programme has its own
 *   partition, so each lookup on a turn is a point read: which programmes a
 *   person belongs to (`<tenantId>|person:<aadObjectId>`, in `people`), what a
 *   chat is linked to (`<tenantId>|chat:<conversationId>`, in `workstreams`),
 *   a conversation reference (`<tenantId>|conv:<id>`, in `conversations`), and
 *   the tenant's audit of closed programmes (`<tenantId>|tenant`, in `audit`;
 *   the job that closes a programme waits there too, in `jobs`, outside the
 *   partition it erases).
 * - Why one synthetic key rather than hierarchical keys (tenantId, programmeId):
 *   the embedded server used locally and in tests does not support
 *   hierarchical partition keys, and one string keeps both stores identical.
 * - The embedded server ignores the `partitionKey` query option, so every
 *   query names `c.pk` in its WHERE clause; the same text is then correct on
 *   both stores.
 * - The only cross-partition query is the scheduler's "which jobs are due"
 *   (`jobs`), a deliberate fan-out once per tick.
 *
 * What can be written together (a transactional batch is one partition): all
 * documents of one programme change in one container, e.g. a contribution and
 * its history, a workstream and the programme document, a counter and the
 * overdue index. A person's membership index and a chat's link live in
 * partitions of their own and are written after the programme's documents, so
 * a crash between leaves an index that names too much (checked against the
 * programme on every read), never one that names too little.
 *
 * Why the ids end in `-v2`: Cosmos DB cannot change a container's partition
 * key, so the programme-partitioned containers are new ones. The version-1
 * containers (partitioned by `/tenantId`, LEGACY_CONTAINERS) are read once at
 * start by src/storage/migrate.ts and can be deleted afterwards.
 */
export interface ContainerDefinition {
  readonly id: string;
  readonly partitionKey: string;
  readonly holds: string;
}

export const CONTAINERS = {
  // Issue 23: programme priorities live on the programme document, not in a container of their own: there are at most
  // five confirmed and ten waiting, every board and report reads them with the programme, and one document written with
  // its etag is what makes "at most five" hold when two of the team confirm at once.
  workstreams: { id: 'workstreams-v2', partitionKey: '/pk', holds: 'the programme (lead, team, programme priorities), its workstreams with chairs, staff, LXPs and priority areas; per chat, which workstream it is linked to' },
  people: { id: 'people-v2', partitionKey: '/pk', holds: "a programme's people, their feedback preferences and consent records, LXPs' optional equality answers (a record of their own, without a name); per person, which programmes they belong to" },
  meetings: { id: 'meetings-v2', partitionKey: '/pk', holds: 'meetings linked to workstreams, aims, reviews and LXP attendance' },
  contributions: { id: 'contributions-v2', partitionKey: '/pk', holds: 'contributions with their outcome, history and LXP answers' },
  jobs: { id: 'jobs-v2', partitionKey: '/pk', holds: "scheduled work (follow-ups, reminders, digests, retention) with leases, in its programme's partition; scheduler bookkeeping and the migration marker under `_system`" },
  audit: { id: 'audit-v2', partitionKey: '/pk', holds: "append-only audit trail of every change in a programme; the tenant's audit of closed programmes" },
  conversations: { id: 'conversations-v2', partitionKey: '/pk', holds: 'conversation references so the bot can write to people and chats later, one partition each' },
  counters: { id: 'counters-v2', partitionKey: '/pk', holds: 'per-workstream, per-month report counters updated with every state change' },
  shown: { id: 'shown-v2', partitionKey: '/pk', holds: 'messages the bot posted that show contributions (ids only), so they are updated when a contribution changes' },
  // Issue 22. Its own container rather than beside the contributions: a claim is a financial record with
  // its own lifecycle and keeping rule ("forget me" keeps it, anonymised), finance reads a month of it at a
  // time, and a contribution scan never has to skip it. In the programme's partition like everything the
  // programme owns, so a month's export is one single-partition query; one id per LXP and meeting.
  claims: { id: 'claims-v2', partitionKey: '/pk', holds: 'involvement claims: hours, expenses, amounts, status, reasons and who decided' },
  // Issue 22. An LXP's proposal is not a contribution until the chair accepts it (then the contribution is its
  // own document, made by the log command), and an agenda item never is one; keeping both apart means every
  // contribution scan, count and export stays as it is. Their own words, erased by "forget me" like a
  // contribution's. In the programme's partition; ids from the card's submission id (proposalIdFor, agendaIdFor).
  proposals: { id: 'proposals-v2', partitionKey: '/pk', holds: "an LXP's additions to the record and agenda item proposals" },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;

export const ALL_CONTAINERS: readonly ContainerDefinition[] = Object.values(CONTAINERS);

/** The containers version 1 had; those added since (claims, proposals) have nothing to migrate. */
export type LegacyContainerName = Exclude<ContainerName, 'claims' | 'proposals'>;
const LEGACY_NAMES: LegacyContainerName[] = ['workstreams', 'people', 'meetings', 'contributions', 'jobs', 'audit', 'conversations', 'counters', 'shown'];

/** The version-1 containers (one programme per tenant, partitioned by tenant): read by the migration only, never written. */
export const LEGACY_CONTAINERS: Record<LegacyContainerName, ContainerDefinition> = Object.fromEntries(
  LEGACY_NAMES.map((name) => [name, { id: name, partitionKey: '/tenantId', holds: `version 1 ${name}, migrated at start` }]),
) as Record<LegacyContainerName, ContainerDefinition>;

/** Bumped when a stored document's shape changes; every document carries it. 2: programmes (pk, programmeId). */
export const SCHEMA_VERSION = 2;
