import { WriteConflict, updateWithRetry, type Collection } from '../domain/ports';
import { chatKey, personKey } from '../domain/partition';
import { CHAT_LINK_ID, MEMBERSHIPS_ID, type ChatLink, type Memberships } from '../domain/programme';
import { programmeStores, rawStores, scopeOf } from '../domain/programme-stores';
import { PROGRAMME_ID, type Programme } from '../domain/workstream';
import type { Person } from '../domain/person';
import type { Deps } from './deps';

/*
 * The two indexes kept outside any programme (src/domain/programme.ts): which programmes a person belongs
 * to, and which programme a chat is linked to. They say where to look, never what someone may do: roles are
 * read from the programme's own documents on every request, so an index that still names a programme after
 * someone left it grants nothing.
 */

const index = (deps: Pick<Deps, 'stores'>) => rawStores(deps.stores).people as unknown as Collection<Memberships>;
const links = (deps: Pick<Deps, 'stores'>) => rawStores(deps.stores).workstreams as unknown as Collection<ChatLink>;

/** The programme the deps are bound to (commands run inside one: see inProgramme). */
export function programmeIdOf(deps: Pick<Deps, 'stores'>): string {
  const scope = scopeOf(deps.stores);
  if (!scope || scope.readOnly) throw new Error('not inside a programme');
  return scope.programmeId;
}

export async function membershipsOf(deps: Pick<Deps, 'stores'>, tenantId: string, personId: string): Promise<Memberships | undefined> {
  return index(deps).get(personKey(tenantId, personId), MEMBERSHIPS_ID);
}

/** Notes that these people belong to the programme the deps are bound to (its name is the label they see). */
export async function addMemberships(deps: Deps, tenantId: string, personIds: string[]): Promise<void> {
  const programmeId = programmeIdOf(deps);
  const programme = await deps.stores.workstreams.get(tenantId, PROGRAMME_ID) as Programme | undefined;
  const name = programme?.name ?? 'Lived experience programme';
  const since = deps.clock.now().toISOString();
  for (const personId of new Set(personIds)) {
    const pk = personKey(tenantId, personId);
    const changed = await updateWithRetry(index(deps), pk, MEMBERSHIPS_ID, (m) =>
      m.programmes[programmeId]?.name === name ? undefined : { ...m, programmes: { ...m.programmes, [programmeId]: { name, since: m.programmes[programmeId]?.since ?? since } } },
    );
    if (changed) continue;
    try {
      await index(deps).create({ id: MEMBERSHIPS_ID, tenantId, pk, type: 'memberships', personId, programmes: { [programmeId]: { name, since } } });
    } catch (err) {
      if (!(err instanceof WriteConflict)) throw err;
      // Created by another request in between: add to it.
      await addMemberships(deps, tenantId, [personId]);
    }
  }
}

/**
 * Takes the programme the deps are bound to off a person's index. `former`: they only lost their last role, and
 * the programme still holds what they said and did, so it moves to `formerly` (no access, but their own `my data`
 * and `forget me` still reach it); otherwise (forgotten there, or the programme closed) it goes entirely.
 */
export async function dropMembership(deps: Deps, tenantId: string, personId: string, opts: { former?: boolean } = {}): Promise<void> {
  const programmeId = programmeIdOf(deps);
  const pk = personKey(tenantId, personId);
  const left = deps.clock.now().toISOString();
  const r = await updateWithRetry(index(deps), pk, MEMBERSHIPS_ID, (m) => {
    const entry = m.programmes[programmeId];
    // Already former (a repeat of the same drop): nothing to move, and the `formerly` record stays.
    if (!entry && (opts.former || !m.formerly?.[programmeId])) return undefined;
    const { [programmeId]: gone, ...rest } = m.programmes;
    const { [programmeId]: was, ...formerly } = m.formerly ?? {};
    void gone; void was;
    const kept = opts.former && entry ? { ...formerly, [programmeId]: { name: entry.name, left } } : formerly;
    return { ...m, programmes: rest, formerly: kept, ...(m.current === programmeId ? { current: undefined } : {}) };
  });
  // In no programme any more, and none holds anything of theirs: nothing of theirs is kept, not even the index. Only
  // the version just written goes: a programme that added them meanwhile keeps its place (an empty index is harmless).
  if (r && Object.keys(r.after.programmes).length === 0 && Object.keys(r.after.formerly ?? {}).length === 0) {
    await index(deps).delete(pk, MEMBERSHIPS_ID, r.after._etag).catch((err) => {
      if (!(err instanceof WriteConflict)) throw err;
    });
  }
}

/** The programme a person in several chose to work in (personal chat); kept on their index. */
export async function setCurrentProgramme(deps: Deps, tenantId: string, personId: string, programmeId: string): Promise<void> {
  await updateWithRetry(index(deps), personKey(tenantId, personId), MEMBERSHIPS_ID, (m) => (m.current === programmeId ? undefined : { ...m, current: programmeId }));
}

export async function chatLinkOf(deps: Pick<Deps, 'stores'>, tenantId: string, conversationId: string): Promise<ChatLink | undefined> {
  return links(deps).get(chatKey(tenantId, conversationId), CHAT_LINK_ID);
}

/** Points a chat at a workstream of the programme the deps are bound to (written after the workstream, see containers.ts). */
export async function writeChatLink(deps: Deps, tenantId: string, conversationId: string, workstreamId: string, linkedBy: string): Promise<void> {
  await links(deps).upsert({
    id: CHAT_LINK_ID, tenantId, pk: chatKey(tenantId, conversationId), type: 'chat_link',
    conversationId, programmeId: programmeIdOf(deps), workstreamId, linkedBy, linkedAt: deps.clock.now().toISOString(),
  });
}

/** A person as any of their programmes knows them (the Teams layer wants their Teams id to open a 1:1 chat). */
export async function personAnywhere(deps: Pick<Deps, 'stores'>, tenantId: string, personId: string): Promise<Person | undefined> {
  const here = await deps.stores.people.get(tenantId, personId).catch(() => undefined);
  if (here?.teamsId) return here;
  const m = await membershipsOf(deps, tenantId, personId);
  for (const programmeId of Object.keys(m?.programmes ?? {})) {
    const there = await programmeStores(deps.stores, { programmeId, tenantId }).people.get(tenantId, personId);
    if (there?.teamsId) return there;
  }
  return here;
}
