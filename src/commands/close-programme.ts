import { DomainError, notAllowed } from '../domain/errors';
import { can } from '../domain/policy';
import { queryEvery, updateWithRetry, WriteConflict, type Collection, type Doc } from '../domain/ports';
import { chatKey, programmeKey, TENANT_SCOPE } from '../domain/partition';
import { CHAT_LINK_ID, type ChatLink } from '../domain/programme';
import { rawStores } from '../domain/programme-stores';
import type { Stores } from '../domain/stores';
import { localDate } from '../domain/follow-up';
import { PROGRAMME_ID, type Programme, type Workstream } from '../domain/workstream';
import type { Meeting } from '../domain/meeting';
import type { AuditEvent } from '../domain/audit';
import { actorFor, getProgramme, inProgramme, type Caller, type Deps } from './deps';
import { exportContributions } from './export';
import { dropMembership } from './memberships';

/*
 * Issue 18: a programme's lead closes it. They first get everything as one file (the same contributions file as
 * `export`, plus the programme's people, workstreams, meetings, claims, proposals without the LXPs' words, and audit;
 * never the equality answers, which are kept without a name), then a job erases every
 * document of the programme's partition in every container, and the indexes that point at it (each member's
 * list of programmes, each linked chat). Only a count stays, in the tenant's own audit (`<tenantId>|tenant`).
 */

/**
 * The containers a programme's documents live in: every container but the conversation references, which are per
 * person or chat. A record over every name of `Stores`, so a container added later cannot be left out (it does not compile).
 */
const IN_PROGRAMME: Record<Exclude<keyof Stores, 'conversations'>, true> = {
  contributions: true, meetings: true, claims: true, shown: true, counters: true, jobs: true, audit: true, people: true, workstreams: true, proposals: true,
};
const PROGRAMME_CONTAINERS = Object.keys(IN_PROGRAMME) as (keyof typeof IN_PROGRAMME)[];

/** The tenant audit entry a closed programme leaves; one id per programme, so a second run adds nothing. */
export const closedAuditId = (programmeId: string) => `programme-closed-${programmeId}`;

/** The programme the deps are bound to, if the caller leads it (policy: close_programme). */
export async function programmeToClose(deps: Deps, caller: Caller): Promise<Programme> {
  const programme = await getProgramme(deps, caller.tenantId);
  if (!programme) throw new DomainError('not_found', 'There is no programme here to close.');
  if (!can(await actorFor(deps, caller), 'close_programme', { type: 'programme', leadId: programme.leadId })) {
    throw notAllowed('Only the programme lead can close the programme.');
  }
  return programme;
}

// Store bookkeeping and the words corrections keep in the audit stay out of the file, as they stay out of `export`.
const STORE_FIELDS = ['_etag', '_rid', '_self', '_ts', '_attachments', 'pk', 'tenantId', 'programmeId', 'schemaVersion'];
const WORD_KEYS = ['words', 'previousWords'];
// An LXP's own words in an addition or agenda item they proposed (the chair saw them; the export has them only once
// the chair added them to the record, and then under the export's rules).
const PROPOSAL_WORD_KEYS = ['words', 'title', 'note'];
const clean = <T extends Doc>(d: T) => Object.fromEntries(Object.entries(d).filter(([k]) => !STORE_FIELDS.includes(k)));

/** Everything the programme holds, as one JSON file: made when the lead accepts it, from what is held then. */
export async function programmeArchive(deps: Deps, caller: Caller): Promise<{ filename: string; body: string; programme: Programme }> {
  const programme = await programmeToClose(deps, caller);
  const tenantId = caller.tenantId;
  const contributions = await exportContributions(deps, caller, '');
  const every = <T extends Doc>(c: Collection<T>) => queryEvery(c, tenantId, []);
  const [workstreams, people, meetings, claims, audit, proposals] = await Promise.all([
    every(deps.stores.workstreams), every(deps.stores.people), every(deps.stores.meetings), every(deps.stores.claims), every(deps.stores.audit), every(deps.stores.proposals),
  ]);
  const archive = {
    programme: clean(programme),
    exportedAt: deps.clock.now().toISOString(),
    exportedBy: caller.id,
    // The same file as `export`: withdrawn ones left out, personal stories and unquoted words not in it.
    contributionsCsv: contributions.csv,
    workstreams: workstreams.filter((w) => w.type === 'workstream').map(clean),
    // Person records only: an LXP's equality answers are kept without a name and never put beside one.
    people: people.filter((p) => p.type === 'person').map(clean),
    meetings: meetings.map(clean),
    claims: claims.map(clean),
    proposals: proposals.map((p) => Object.fromEntries(Object.entries(clean(p)).filter(([k]) => !PROPOSAL_WORD_KEYS.includes(k)))),
    audit: (audit as AuditEvent[]).map((e) => clean({ ...e, ...(e.detail ? { detail: Object.fromEntries(Object.entries(e.detail).filter(([k]) => !WORD_KEYS.includes(k))) } : {}) })),
  };
  const slug = (programme.name ?? 'programme').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'programme';
  return { filename: `golden-thread-${slug}-everything-${localDate(deps.clock.now(), deps.settings.timeZone)}.json`, body: JSON.stringify(archive, null, 2), programme };
}

/** After the file is saved: the erasing is queued in the tenant's own partition (it must outlive the programme's). */
export async function queueClose(deps: Deps, caller: Caller, programmeId: string): Promise<void> {
  const tenant = inProgramme(deps, caller.tenantId, TENANT_SCOPE);
  await tenant.queue.add({ tenantId: caller.tenantId, kind: 'close_programme', subjectId: programmeId, key: 'close', runAt: deps.clock.now(), payload: { programmeId, by: caller.id } });
  deps.queue.runSoon();
}

export interface ClosedCounts {
  programmeId: string;
  by: string;
  at: string;
  /** Documents erased, per container. */
  counts: Record<string, number>;
}

/**
 * Erases programme `programmeId` of `tenantId`. Safe to run twice and to resume after a crash at any point:
 * the counts are taken once and kept on the programme's own document, which goes last; the indexes are cleared
 * before the documents they are found from; the tenant audit entry has a fixed id. Returns what was erased.
 */
export async function eraseProgramme(deps: Deps, tenantId: string, programmeId: string, by: string): Promise<ClosedCounts | undefined> {
  const raw = rawStores(deps.stores);
  const tenantAudit = inProgramme(deps, tenantId, TENANT_SCOPE).stores.audit;
  const done = await tenantAudit.get(tenantId, closedAuditId(programmeId));
  if (done) return done.detail as unknown as ClosedCounts;
  const pk = programmeKey(tenantId, programmeId);
  const counted = await updateWithRetry(raw.workstreams as Collection<Programme>, pk, PROGRAMME_ID, async (p) =>
    p.closing?.counts ? undefined : { ...p, closing: { by, at: deps.clock.now().toISOString(), counts: await countAll(raw, pk) } },
  );
  if (!counted) return undefined;
  const closing = counted.after.closing!;
  await clearIndexes(deps, raw, tenantId, programmeId, pk);
  for (const name of PROGRAMME_CONTAINERS) {
    const docs = await queryEvery(raw[name] as Collection<Doc>, pk, []);
    for (const d of docs) if (!(name === 'workstreams' && d.id === PROGRAMME_ID)) await raw[name].delete(pk, d.id);
  }
  const result: ClosedCounts = { programmeId, by: closing.by, at: closing.at, counts: closing.counts! };
  try {
    await tenantAudit.create({ id: closedAuditId(programmeId), tenantId, type: 'audit', at: deps.clock.now().toISOString(), actorId: closing.by, action: 'programme.closed', subjectType: 'programme', subjectId: programmeId, detail: { ...result } });
  } catch (err) {
    if (!(err instanceof WriteConflict)) throw err;
  }
  await raw.workstreams.delete(pk, PROGRAMME_ID);
  return result;
}

async function countAll(raw: Stores, pk: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of PROGRAMME_CONTAINERS) counts[name] = (await queryEvery(raw[name] as Collection<Doc>, pk, [])).length;
  return counts;
}

/** Each person's list of programmes loses this one (the list goes when empty); each chat linked to it is unlinked. */
async function clearIndexes(deps: Deps, raw: Stores, tenantId: string, programmeId: string, pk: string): Promise<void> {
  const inside = inProgramme(deps, tenantId, programmeId);
  for (const person of await queryEvery(raw.people, pk, [])) await dropMembership(inside, tenantId, person.id);
  const workstreams = (await queryEvery(raw.workstreams, pk, [])).filter((w): w is Workstream => w.type === 'workstream');
  const meetings = await queryEvery(raw.meetings as Collection<Meeting>, pk, []);
  const links = raw.workstreams as unknown as Collection<ChatLink>;
  for (const chat of new Set([...workstreams.flatMap((w) => w.chatIds ?? []), ...meetings.map((m) => m.conversationId)])) {
    const link = await links.get(chatKey(tenantId, chat), CHAT_LINK_ID);
    if (link?.programmeId === programmeId) await links.delete(chatKey(tenantId, chat), CHAT_LINK_ID);
  }
}
