import type { AuditEvent } from '../domain/audit';
import type { Contribution } from '../domain/contribution';
import { notAllowed } from '../domain/errors';
import { FORGOTTEN_ACTION, FORGOTTEN_NAME, scrub, type PersonTraces } from '../domain/forget';
import type { ConversationRef, Job } from '../domain/job';
import type { Meeting } from '../domain/meeting';
import type { Person } from '../domain/person';
import { updateWithRetry, type Collection, type Doc } from '../domain/ports';
import { PROGRAMME_ID, type Programme, type Workstream } from '../domain/workstream';
import { applyEvent, eraseWordsFromAudit } from './contributions';
import { audit, newId, type Caller, type Deps } from './deps';
import { tracesOfCaller } from './my-data';
import { findMentions, type StoreName } from './tenant-scan';

/** Kept on the person record only while forgetting is under way, so a retry after a crash uses the same placeholder. */
type Forgetting = Person & { forgetting?: { placeholder: string; startedAt: string } };

export type ForgetCounts = Partial<Record<StoreName, number>> & { wordsErased: number };

const OPEN = ['awaiting_outcome', 'overdue', 'escalated'];

/**
 * A random placeholder, not a hash of the person's id: a hash could be
 * recomputed by anyone who knows the id and so would link the records back.
 * Everything one person leaves behind gets the same placeholder, so reports
 * still count distinct LXPs.
 */
async function placeholderFor(deps: Deps, caller: Caller, person?: Person): Promise<string> {
  const fresh = `forgotten-${newId(deps)}`;
  if (!person) return fresh;
  const r = await updateWithRetry(deps.stores.people as Collection<Forgetting>, caller.tenantId, caller.id, (p) =>
    p.forgetting ? undefined : { ...p, forgetting: { placeholder: fresh, startedAt: deps.clock.now().toISOString() } },
  );
  return r?.after.forgetting?.placeholder ?? fresh;
}

async function rewrite<T extends Doc>(collection: Collection<T>, tenantId: string, id: string, change: (d: T) => T | undefined): Promise<void> {
  await updateWithRetry(collection, tenantId, id, change);
}

/**
 * `forget me`: the person's words are erased from what they said, their ids
 * and name are taken out of every record (a placeholder keeps the counts),
 * audit entries by or about them are reduced to "a person asked to be
 * forgotten", their chats and pending messages go, and the programme team is
 * told that it happened, not what was erased. Safe to run again after a crash.
 */
export async function forgetMe(deps: Deps, caller: Caller, personId: string): Promise<ForgetCounts> {
  if (personId !== caller.id) throw notAllowed('This card was made for someone else. Type "forget me" to get your own.');
  const tenantId = caller.tenantId;
  const { person, who } = await tracesOfCaller(deps, caller);
  const placeholder = await placeholderFor(deps, caller, person);
  const me = (id?: string) => !!id && who.ids.includes(id);
  const found = await findMentions(deps.stores, tenantId, who);
  const of = <T extends Doc>(name: StoreName) => (found.get(name) ?? []) as T[];
  const counts: ForgetCounts = { wordsErased: 0 };
  const count = (name: StoreName) => void (counts[name] = (counts[name] ?? 0) + 1);

  const chairs = await forgetRoles(deps, tenantId, who, placeholder, of<Workstream | Programme>('workstreams'), () => count('workstreams'));

  for (const c of of<Contribution>('contributions')) {
    const said = c.lxpIds.some(me);
    const newOwnerId = me(c.ownerId) && OPEN.includes(c.status) ? chairs.get(c.workstreamId) : undefined;
    try {
      await applyEvent(deps, tenantId, c.id, { type: 'forget', personId: caller.id, placeholder, name: who.name, newOwnerId }, placeholder);
    } catch (err) {
      if ((err as { code?: string }).code === 'not_found') continue;
      throw err;
    }
    if (said) {
      await eraseWordsFromAudit(deps, tenantId, c.id);
      counts.wordsErased++;
    }
    count('contributions');
  }

  for (const m of of<Meeting>('meetings')) {
    await rewrite(deps.stores.meetings, tenantId, m.id, (doc) => {
      const out = scrub(doc, who, placeholder);
      if (out.attendance?.[placeholder]) out.attendance[placeholder] = { ...out.attendance[placeholder], name: FORGOTTEN_NAME };
      return out;
    });
    count('meetings');
  }

  for (const e of of<AuditEvent>('audit')) {
    await rewrite(deps.stores.audit, tenantId, e.id, (doc): AuditEvent =>
      me(doc.actorId) || me(doc.subjectId)
        ? { id: doc.id, tenantId, type: 'audit', at: doc.at, _etag: doc._etag, action: FORGOTTEN_ACTION, subjectType: doc.subjectType, actorId: me(doc.actorId) ? placeholder : doc.actorId, subjectId: me(doc.subjectId) ? placeholder : doc.subjectId }
        : scrub(doc, who, placeholder),
    );
    count('audit');
  }

  for (const j of of<Job>('jobs')) {
    const addressed = me(j.subjectId) || me((j.payload?.to as { personId?: string } | undefined)?.personId) || who.ids.some((id) => j.id.includes(id));
    // Messages to or about them (and ready-made notices naming them) are dropped; other work keeps going without their name.
    if (addressed || j.kind === 'notify') await deps.stores.jobs.delete(tenantId, j.id);
    else await rewrite(deps.stores.jobs, tenantId, j.id, (doc) => scrub(doc, who, placeholder));
    count('jobs');
  }

  for (const r of of<ConversationRef>('conversations')) {
    if (me(r.id)) await deps.stores.conversations.delete(tenantId, r.id);
    else {
      // A chat's reference remembers whoever spoke last; sending to the chat does not need them.
      await rewrite(deps.stores.conversations, tenantId, r.id, (doc) => {
        const { user, ...reference } = doc.reference as { user?: { id?: string; aadObjectId?: string } };
        const theirs = me(user?.id) || me(user?.aadObjectId);
        return scrub({ ...doc, reference: theirs ? reference : { ...reference, user } }, who, placeholder);
      });
    }
    count('conversations');
  }

  for (const name of Object.keys(deps.stores) as StoreName[]) {
    if (['workstreams', 'contributions', 'meetings', 'audit', 'jobs', 'conversations', 'people'].includes(name)) continue;
    const collection = deps.stores[name] as Collection<Doc>;
    for (const d of of(name)) {
      await rewrite(collection, tenantId, d.id, (doc) => scrub(doc, who, placeholder));
      count(name);
    }
  }

  for (const p of of<Person>('people')) {
    if (p.id !== caller.id) await rewrite(deps.stores.people, tenantId, p.id, (doc) => scrub(doc, who, placeholder));
  }
  await forgetPersonRecord(deps, tenantId, caller.id, placeholder);
  count('people');
  await audit(deps, tenantId, placeholder, 'person.forgotten', { subjectType: 'person', subjectId: placeholder });
  await tellProgrammeTeam(deps, tenantId, placeholder);
  return counts;
}

/** Leaves the programme team and every workstream. Returns, per workstream, a chair who can now own their open contributions. */
async function forgetRoles(deps: Deps, tenantId: string, who: PersonTraces, placeholder: string, docs: (Workstream | Programme)[], counted: () => void): Promise<Map<string, string>> {
  const me = (id?: string) => !!id && who.ids.includes(id);
  const chairs = new Map<string, string>();
  for (const d of docs) {
    if (d.id === PROGRAMME_ID) {
      const r = await updateWithRetry(deps.stores.workstreams, tenantId, d.id, (doc) => {
        const p = doc as Programme;
        const memberIds = p.memberIds.filter((m) => !me(m));
        return scrub({ ...p, memberIds, leadId: me(p.leadId) ? (memberIds[0] ?? placeholder) : p.leadId }, who, placeholder);
      });
      // A lead with nobody left on the team: the programme can be claimed again with setup.
      if (r && (r.after as Programme).memberIds.length === 0) await deps.stores.workstreams.delete(tenantId, d.id);
    } else {
      const r = await updateWithRetry(deps.stores.workstreams, tenantId, d.id, (doc) => {
        const w = doc as Workstream;
        const keep = (ids: string[]) => ids.filter((i) => !me(i));
        return scrub({ ...w, chairIds: keep(w.chairIds), staffIds: keep(w.staffIds), lxpIds: keep(w.lxpIds) }, who, placeholder);
      });
      const chair = (r?.after as Workstream | undefined)?.chairIds[0];
      if (chair) chairs.set(d.id, chair);
    }
    counted();
  }
  return chairs;
}

/**
 * The person record goes. A tombstone under the placeholder takes its place,
 * so cards that name an owner or attendee show "A person who asked to be
 * forgotten" rather than "someone", and messages to the placeholder are held
 * instead of sent.
 */
async function forgetPersonRecord(deps: Deps, tenantId: string, personId: string, placeholder: string): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.stores.people.upsert({
    id: placeholder,
    tenantId,
    type: 'person',
    name: FORGOTTEN_NAME,
    programme: false,
    consent: [],
    reachability: { status: 'unreachable', reason: 'forgotten', at: now },
    createdAt: now,
    updatedAt: now,
  });
  await deps.stores.people.delete(tenantId, personId);
}

async function tellProgrammeTeam(deps: Deps, tenantId: string, placeholder: string): Promise<void> {
  const programme = (await deps.stores.workstreams.get(tenantId, PROGRAMME_ID)) as Programme | undefined;
  for (const memberId of programme?.memberIds ?? []) {
    await deps.queue.add({
      tenantId,
      kind: 'notify',
      subjectId: placeholder,
      key: memberId,
      runAt: deps.clock.now(),
      payload: {
        to: { kind: 'person', personId: memberId },
        template: 'notice',
        summary: 'Someone asked Golden Thread to forget them',
        data: {
          title: 'Someone asked Golden Thread to forget them',
          text: 'Their words have been erased and their name taken out of every record. Reports still count what they contributed, without a name. You do not need to do anything.',
          facts: [],
        },
      },
    });
  }
  deps.queue.runSoon();
}

