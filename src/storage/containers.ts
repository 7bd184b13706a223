/**
 * The one place that defines Golden Thread's Cosmos DB containers and their
 * partition keys. `src/storage/cosmos/` creates them at start, and
 * `infra/main.bicep` must declare the same names and keys (a test checks it).
 *
 * Why every container is partitioned by `/tenantId`:
 * - A programme lives in one Microsoft 365 tenant, and every question the
 *   product asks (a workstream's meetings, an LXP's contributions, overdue
 *   items, a report, an export, "forget me") is asked inside one tenant. With
 *   the tenant as partition key each of those is a single-partition query.
 * - The volume of one programme is small for Cosmos: 100,000 contributions of
 *   about 3 KB is 300 MB, far under the 20 GB a logical partition may hold.
 * - The embedded server ignores the `partitionKey` query option, so every
 *   query names `c.tenantId` in its WHERE clause; the same text is then
 *   correct on both stores.
 * - The only cross-tenant query is the scheduler's "which jobs are due"
 *   (`jobs`), a deliberate fan-out over few partitions once per tick.
 */
export interface ContainerDefinition {
  readonly id: string;
  readonly partitionKey: string;
  readonly holds: string;
}

export const CONTAINERS = {
  workstreams: { id: 'workstreams', partitionKey: '/tenantId', holds: 'workstreams with chairs, staff, LXPs and priority areas; programme team roster' },
  people: { id: 'people', partitionKey: '/tenantId', holds: 'people, their roles, feedback preferences and consent records' },
  meetings: { id: 'meetings', partitionKey: '/tenantId', holds: 'meetings linked to workstreams, aims, reviews and LXP attendance' },
  contributions: { id: 'contributions', partitionKey: '/tenantId', holds: 'contributions with their outcome, history and LXP answers' },
  jobs: { id: 'jobs', partitionKey: '/tenantId', holds: 'scheduled work (follow-ups, reminders, digests, retention) with leases' },
  audit: { id: 'audit', partitionKey: '/tenantId', holds: 'append-only audit trail of every change' },
  conversations: { id: 'conversations', partitionKey: '/tenantId', holds: 'conversation references so the bot can write to people and chats later' },
  counters: { id: 'counters', partitionKey: '/tenantId', holds: 'per-workstream, per-month report counters updated with every state change' },
  shown: { id: 'shown', partitionKey: '/tenantId', holds: 'messages the bot posted that show contributions (ids only), so they are updated when a contribution changes' },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;

export const ALL_CONTAINERS: readonly ContainerDefinition[] = Object.values(CONTAINERS);

/** Bumped when a stored document's shape changes; every document carries it. */
export const SCHEMA_VERSION = 1;
