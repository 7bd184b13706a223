/**
 * Partition key values (src/storage/containers.ts says why each exists).
 * Tenant ids are GUIDs and programme ids are generated, so `|` never occurs
 * inside either and two different pairs never make the same key.
 */
export const programmeKey = (tenantId: string, programmeId: string) => `${tenantId}|${programmeId}`;
/** Which programmes a person belongs to. */
export const personKey = (tenantId: string, personId: string) => `${tenantId}|person:${personId}`;
/** Which programme and workstream a chat is linked to. */
export const chatKey = (tenantId: string, conversationId: string) => `${tenantId}|chat:${conversationId}`;
/** One conversation reference (a person's 1:1 chat, or a chat/channel). */
export const conversationKey = (tenantId: string, refId: string) => `${tenantId}|conv:${refId}`;
/** The tenant's own records: the audit of closed programmes. */
export const tenantKey = (tenantId: string) => `${tenantId}|tenant`;
/**
 * The tenant's own records seen as a programme's view (inProgramme(deps, tenantId, TENANT_SCOPE) reads and writes
 * `<tenantId>|tenant`): the closing of a programme runs there, as a job outside the partition it erases, and its
 * count goes in that audit. Programme ids are "programme-1" or "pg-<hash>", so none is ever this.
 */
export const TENANT_SCOPE = 'tenant';
/** Scheduler instances and the migration marker: no tenant's. */
export const SYSTEM_KEY = '_system';
