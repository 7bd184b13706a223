import type { AuditEvent } from '../domain/audit';
import { transitionClaim, type Claim } from '../domain/claim';
import { dropMembership } from './memberships';
import { scopeOf } from '../domain/programme-stores';
import type { Contribution } from '../domain/contribution';
import { DomainError, notAllowed } from '../domain/errors';
import { personKey } from '../domain/partition';
import { MEMBERSHIPS_ID } from '../domain/programme';
import { rawStores } from '../domain/programme-stores';
import { acrossProgrammes, programmesOf, type PersonalProgramme } from './personal';
import { FORGET_EVERYWHERE, FORGOTTEN_ACTION, FORGOTTEN_NAME, scrub, type PersonTraces } from '../domain/forget';
import type { ConversationRef, Job } from '../domain/job';
import type { Meeting } from '../domain/meeting';
import type { Person } from '../domain/person';
import { updateWithRetry, type Collection, type Doc, createOnce } from '../domain/ports';
import { PROGRAMME_ID, type Programme, type Workstream } from '../domain/workstream';
import { applyEvent } from './contributions';
import { queueRosterRefreshes } from './shown';
import { sweepPending } from './outbox';
import { newId, type Caller, type Deps } from './deps';
import { tracesOfCaller } from './my-data';
import { forgetProposals } from './my-proposals';
import { findMentions, type StoreName } from './tenant-scan';
import { forgetAboutYou } from './about-me';

/** Kept on the person record only while forgetting is under way, so a retry after a crash uses the same placeholder. */
type Forgetting = Person & { forgetting?: { placeholder: string; startedAt: string; tally?: ForgetCounts } };

export type ForgetCounts = Partial<Record<StoreName, number>> & { wordsErased: number };

const OPEN = ['awaiting_outcome', 'overdue', 'escalated'];

/**
 * A random placeholder, not a hash of the person's id: a hash could be
 * recomputed by anyone who knows the id and so would link the records back.
 * Everything one person leaves behind gets the same placeholder, so reports
 * still count distinct LXPs.
 */
async function placeholderFor(deps: Deps, caller: Caller, person: Person | undefined, tally: ForgetCounts): Promise<{ placeholder: string; tally: ForgetCounts }> {
  const fresh = `forgotten-${newId(deps)}`;
  if (!person) return { placeholder: fresh, tally };
  // The tally is fixed by the first run too: a retry finds less left to change, but reports what the first run found.
  const r = await updateWithRetry(deps.stores.people as Collection<Forgetting>, caller.tenantId, caller.id, (p) =>
    p.forgetting ? undefined : { ...p, forgetting: { placeholder: fresh, startedAt: deps.clock.now().toISOString(), tally } },
  );
  const kept = r?.after.forgetting;
  return { placeholder: kept?.placeholder ?? fresh, tally: kept?.tally ?? tally };
}

/** What forgetting changes, by kind of record (counts and ids, never words): one per record that mentions them. */
function tallyOf(found: Map<StoreName, Doc[]>, who: PersonTraces, keepReach: boolean): ForgetCounts {
  const me = (id?: string) => !!id && who.ids.includes(id);
  const said = (found.get('contributions') ?? []) as Contribution[];
  const tally: ForgetCounts = { wordsErased: said.filter((c) => c.lxpIds.some(me)).length };
  for (const [name, docs] of found) {
    if (docs.length && name !== 'people' && (name !== 'conversations' || !keepReach)) tally[name] = docs.length;
  }
  return { ...tally, proposals: found.get('proposals')?.length ?? 0, people: 1 };
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
export async function forgetMe(deps: Deps, caller: Caller, personId: string, opts: ForgetOptions = {}): Promise<ForgetCounts> {
  if (personId !== caller.id) throw notAllowed('This card was made for someone else. Type "forget me" to get your own.');
  const tenantId = caller.tenantId;
  const { person, who } = await tracesOfCaller(deps, caller);
  // Issue 23: the equality answers and the words of their programme priority proposals, before the scan below.
  await forgetAboutYou(deps, tenantId, caller.id);
  const found = await findMentions(deps.stores, tenantId, who);
  // Asked again after a run that finished everything but its answer: nothing of them is left here, so nothing is told twice.
  if (!person && [...found.values()].every((docs) => docs.length === 0)) return { wordsErased: 0 };
  const { placeholder, tally: counts } = await placeholderFor(deps, caller, person, tallyOf(found, who, !!opts.keepReach));
  const f: Forget = {
    deps,
    keepReach: !!opts.keepReach,
    caller,
    tenantId,
    who,
    placeholder,
    me: (id?: string) => !!id && who.ids.includes(id),
    of: <T extends Doc>(name: StoreName) => (found.get(name) ?? []) as T[],
  };

  const chairs = await forgetRoles(deps, tenantId, who, placeholder, f.of<Workstream | Programme>('workstreams'));
  // Their name leaves the log cards' "who said it" lists too, not only the records (issue 20).
  await queueRosterRefreshes(deps, tenantId, f.of<Workstream | Programme>('workstreams').filter((w) => w.type === 'workstream').map((w) => w.id), `forget:${placeholder}`);
  await forgetContributions(f, chairs);
  await forgetMeetings(f);
  await forgetAudit(f);
  await forgetJobs(f);
  await forgetConversations(f);
  await forgetClaims(f);
  await forgetProposals(deps, tenantId, f.of('proposals'), caller.id, who, placeholder);
  await forgetElsewhere(f);
  for (const p of f.of<Person>('people')) {
    if (p.id !== caller.id) await rewrite(deps.stores.people, tenantId, p.id, (doc) => scrub(doc, who, placeholder));
  }
  // A run cut short may have changed contributions (no longer naming them) without finishing what the change implies.
  await sweepPending(deps, tenantId);
  // Their index no longer names this programme (it held their id, which is now forgotten here).
  if (scopeOf(deps.stores) && !scopeOf(deps.stores)!.readOnly) await dropMembership(deps, tenantId, caller.id);
  // Where: this programme only, or every programme they were in (counts and ids, never words).
  await auditForgotten(deps, tenantId, placeholder, { where: opts.keepReach ? 'this_programme' : 'all_programmes', ...counts });
  await tellProgrammeTeam(deps, tenantId, placeholder);
  // Last: while their record (holding the placeholder) is there, running this again finishes every step above the same way.
  await forgetPersonRecord(deps, tenantId, caller.id, placeholder);
  return counts;
}

export interface ForgetOptions {
  /** Forgotten in this programme only (they stay in others): keep the 1:1 chat reference their other programmes reach them through. */
  keepReach?: boolean;
}

/** What every step of `forget me` shares: who is being forgotten, their placeholder, the records that mention them, and the tally. */
interface Forget {
  deps: Deps;
  /** Forgotten in this programme only: the 1:1 chat reference, which every programme of theirs uses, stays. */
  keepReach: boolean;
  caller: Caller;
  tenantId: string;
  who: PersonTraces;
  placeholder: string;
  me(id?: string): boolean;
  of<T extends Doc>(name: StoreName): T[];
}

/** Their words are erased from what they said (and, through the event's erase_words effect, from its audit); open contributions they own pass to a chair. */
async function forgetContributions(f: Forget, chairs: Map<string, string>): Promise<void> {
  for (const c of f.of<Contribution>('contributions')) {
    const newOwnerId = f.me(c.ownerId) && OPEN.includes(c.status) ? chairs.get(c.workstreamId) : undefined;
    try {
      await applyEvent(f.deps, f.tenantId, c.id, { type: 'forget', personId: f.caller.id, placeholder: f.placeholder, name: f.who.name, newOwnerId }, f.placeholder);
    } catch (err) {
      if ((err as { code?: string }).code === 'not_found') continue;
      throw err;
    }
    // The forget event itself queues the audit erasure (erase_words, after the contribution's earlier audit entries).
  }
}

async function forgetMeetings(f: Forget): Promise<void> {
  for (const m of f.of<Meeting>('meetings')) {
    await rewrite(f.deps.stores.meetings, f.tenantId, m.id, (doc) => {
      const out = scrub(doc, f.who, f.placeholder);
      if (out.attendance?.[f.placeholder]) out.attendance[f.placeholder] = { ...out.attendance[f.placeholder], name: FORGOTTEN_NAME };
      return out;
    });
  }
}

/** Entries by or about them become "a person asked to be forgotten"; others lose their name. */
async function forgetAudit(f: Forget): Promise<void> {
  const { tenantId, placeholder, me } = f;
  for (const e of f.of<AuditEvent>('audit')) {
    await rewrite(f.deps.stores.audit, tenantId, e.id, (doc): AuditEvent =>
      me(doc.actorId) || me(doc.subjectId)
        ? { id: doc.id, tenantId, type: 'audit', at: doc.at, _etag: doc._etag, action: FORGOTTEN_ACTION, subjectType: doc.subjectType, actorId: me(doc.actorId) ? placeholder : doc.actorId, subjectId: me(doc.subjectId) ? placeholder : doc.subjectId }
        : scrub(doc, f.who, placeholder),
    );
  }
}

async function forgetJobs(f: Forget): Promise<void> {
  for (const j of f.of<Job>('jobs')) {
    const addressed = f.me(j.subjectId) || f.me((j.payload?.to as { personId?: string } | undefined)?.personId) || f.who.ids.some((id) => j.id.includes(id));
    // Messages to or about them (and ready-made notices naming them) are dropped; other work keeps going without their name.
    if (addressed || j.kind === 'notify') await f.deps.stores.jobs.delete(f.tenantId, j.id);
    else await rewrite(f.deps.stores.jobs, f.tenantId, j.id, (doc) => scrub(doc, f.who, f.placeholder));
  }
}

async function forgetConversations(f: Forget): Promise<void> {
  if (f.keepReach) return;
  for (const r of f.of<ConversationRef>('conversations')) {
    if (f.me(r.id)) await f.deps.stores.conversations.delete(f.tenantId, r.id);
    else {
      // A chat's reference remembers whoever spoke last; sending to the chat does not need them.
      await rewrite(f.deps.stores.conversations, f.tenantId, r.id, (doc) => {
        const { user, ...reference } = doc.reference as { user?: { id?: string; aadObjectId?: string } };
        const theirs = f.me(user?.id) || f.me(user?.aadObjectId);
        return scrub({ ...doc, reference: theirs ? reference : { ...reference, user } }, f.who, f.placeholder);
      });
    }
  }
}

/**
 * Involvement claims are financial records: the hours, amounts, status and dates stay for finance, with the person
 * replaced by the placeholder and their note erased (the claim's own `forget` event), as FORGET_CLAIMS_NOTE says.
 */
async function forgetClaims(f: Forget): Promise<void> {
  const now = f.deps.clock.now();
  for (const c of f.of<Claim>('claims')) {
    await rewrite(f.deps.stores.claims, f.tenantId, c.id, (doc) => scrub(transitionClaim(doc, { type: 'forget', personId: f.caller.id, placeholder: f.placeholder }, f.caller.id, now), f.who, f.placeholder));
  }
}

/** Every other store: their name and ids are scrubbed wherever they appear. */
async function forgetElsewhere(f: Forget): Promise<void> {
  const handled = ['workstreams', 'contributions', 'meetings', 'audit', 'jobs', 'conversations', 'people', 'claims', 'proposals'];
  for (const name of Object.keys(f.deps.stores) as StoreName[]) {
    if (handled.includes(name)) continue;
    const collection = f.deps.stores[name] as Collection<Doc>;
    for (const d of f.of(name)) {
      await rewrite(collection, f.tenantId, d.id, (doc) => scrub(doc, f.who, f.placeholder));
    }
  }
}

/** Leaves the programme team and every workstream. Returns, per workstream, a chair who can now own their open contributions. */
async function forgetRoles(deps: Deps, tenantId: string, who: PersonTraces, placeholder: string, docs: (Workstream | Programme)[]): Promise<Map<string, string>> {
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
  // Created, not upserted: the placeholder is this person's alone, so one already there is this tombstone from an earlier run.
  await createOnce(deps.stores.people, {
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

/** One "forgotten" entry per placeholder, however often forgetting is run again after a failure. */
async function auditForgotten(deps: Deps, tenantId: string, placeholder: string, detail: Record<string, unknown>): Promise<void> {
  await createOnce(deps.stores.audit, { id: `forgotten:${placeholder}`, tenantId, type: 'audit', at: deps.clock.now().toISOString(), actorId: placeholder, action: 'person.forgotten', subjectType: 'person', subjectId: placeholder, detail });
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


export interface ForgetResult {
  /** Where they were forgotten, with what was rewritten there. */
  forgotten: (PersonalProgramme & { counts: ForgetCounts })[];
  /** Their programmes that still hold their record (they chose one programme). */
  kept: PersonalProgramme[];
  everywhere: boolean;
}

/**
 * `forget me`, where the person chose (issue 18): in one of their programmes, or in all of them. Each programme
 * is forgotten through its own view (forgetMe above), so one programme's choice never touches another's records.
 * Everywhere also erases what is kept outside any programme: their list of programmes and their 1:1 chat reference.
 */
export async function forgetMeWhere(deps: Deps, caller: Caller, personId: string, which: string | undefined): Promise<ForgetResult> {
  if (personId !== caller.id) throw notAllowed('This card was made for someone else. Type "forget me" to get your own.');
  const mine = await programmesOf(deps, caller);
  // A card from before the choice existed was made for one programme: with several, ask again rather than guess.
  if (which === undefined && mine.length > 1) throw new DomainError('invalid_input', 'You are in more than one programme: type forget me again and choose where. Nothing has been erased.');
  const everywhere = which === undefined || which === FORGET_EVERYWHERE;
  if (!everywhere && !mine.some((p) => p.id === which)) throw new DomainError('invalid_input', 'You are not in that programme any more. Type forget me again. Nothing has been erased.');
  const done = await acrossProgrammes(deps, caller, (inside) => forgetMe(inside, caller, personId, { keepReach: !everywhere }), (p) => everywhere || p.id === which);
  if (everywhere) await forgetOutsideProgrammes(deps, caller);
  return {
    forgotten: done.map(({ id, name, value }) => ({ id, name, counts: value })),
    kept: mine.filter((p) => !done.some((d) => d.id === p.id)),
    everywhere,
  };
}

/** Their index of programmes and their 1:1 chat reference: kept per person, not per programme. */
async function forgetOutsideProgrammes(deps: Deps, caller: Caller): Promise<void> {
  for (const id of new Set([caller.id, caller.teamsId].filter((i): i is string => !!i))) {
    if (await deps.stores.conversations.get(caller.tenantId, id)) await deps.stores.conversations.delete(caller.tenantId, id);
  }
  const people = rawStores(deps.stores).people;
  const key = personKey(caller.tenantId, caller.id);
  if (await people.get(key, MEMBERSHIPS_ID)) await people.delete(key, MEMBERSHIPS_ID);
}
