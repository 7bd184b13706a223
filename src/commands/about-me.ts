import { notAllowed } from '../domain/errors';
import { can, type Actor } from '../domain/policy';
import type { Contribution } from '../domain/contribution';
import type { Meeting } from '../domain/meeting';
import type { Workstream } from '../domain/workstream';
import { queryEvery, updateWithRetry, WriteConflict, type Collection } from '../domain/ports';
import { checkAnswers, equalityId, EQUALITY_QUESTIONS, EQUALITY_WORDING_VERSION, whoTakesPart, type EqualityAnswers, type EqualityRecord, type WhoTakesPart } from '../domain/who-takes-part';
import { auditOnce } from './audit-once';
import { actorFor, getProgramme, type Caller, type Deps } from './deps';
import { forgetProgrammePriorities } from './programme-priorities';
import { workstreamsOf } from './roles-of';

/** The equality records share the `people` container with the person records (see EqualityRecord). */
const records = (deps: Deps) => deps.stores.people as unknown as Collection<EqualityRecord>;

export async function equalityAnswersOf(deps: Deps, tenantId: string, personId: string): Promise<EqualityRecord | undefined> {
  const doc = await records(deps).get(tenantId, equalityId(personId));
  return doc?.type === 'equality' ? doc : undefined;
}

async function mayAnswer(deps: Deps, caller: Caller): Promise<void> {
  const [actor, workstreams] = await Promise.all([actorFor(deps, caller), workstreamsOf(deps, caller.tenantId)]);
  if (!can(actor, 'answer_equality_questions', { type: 'programme', lxpIds: workstreams.flatMap((w) => w.lxpIds) })) {
    throw notAllowed('These questions are for the programme\'s Lived Experience Practitioners.');
  }
}

/** `about me`: the card with the person's current answers, if any. */
export async function aboutMe(deps: Deps, caller: Caller): Promise<EqualityRecord | undefined> {
  const existing = await equalityAnswersOf(deps, caller.tenantId, caller.id);
  if (!existing) await mayAnswer(deps, caller);
  return existing;
}

/** Saves the answers (all blank is the same as deleting them); audited without the answers. */
export async function saveEqualityAnswers(deps: Deps, caller: Caller, input: Record<string, string | undefined>): Promise<EqualityRecord | undefined> {
  const answers: EqualityAnswers = checkAnswers(input);
  if (!Object.keys(answers).length) {
    await deleteEqualityAnswers(deps, caller);
    return undefined;
  }
  await mayAnswer(deps, caller);
  const now = deps.clock.now().toISOString();
  const fresh: EqualityRecord = { id: equalityId(caller.id), tenantId: caller.tenantId, type: 'equality', personId: caller.id, answers, wordingVersion: EQUALITY_WORDING_VERSION, answeredAt: now, updatedAt: now };
  let saved: EqualityRecord;
  try {
    saved = await records(deps).create(fresh);
  } catch (err) {
    if (!(err instanceof WriteConflict)) throw err;
    // The same answers again (a retry, a second press) change nothing: only the audit entry of the save is made sure of.
    const same = (d: EqualityRecord) => JSON.stringify(d.answers) === JSON.stringify(answers) && d.wordingVersion === EQUALITY_WORDING_VERSION;
    const r = await updateWithRetry(records(deps), caller.tenantId, fresh.id, (d) => (same(d) ? undefined : { ...d, answers, wordingVersion: EQUALITY_WORDING_VERSION, updatedAt: now }));
    saved = r?.after ?? (await records(deps).create(fresh));
  }
  // Named by the save (ids, never the answers), so a retry that finds it made writes one entry.
  await auditOnce(deps, { id: `about-me:${caller.id}:answered:${saved.updatedAt}`, tenantId: caller.tenantId, at: saved.updatedAt, actorId: caller.id, action: 'equality.answered', subjectType: 'person', subjectId: caller.id });
  return saved;
}

/** Deletes the person's answers; nothing to delete is fine. Also the step `forget me` takes. */
export async function deleteEqualityAnswers(deps: Deps, caller: Pick<Caller, 'id' | 'tenantId'>, audited = true): Promise<boolean> {
  if (!can(await actorFor(deps, caller as Caller), 'answer_equality_questions', { type: 'person', personId: caller.id })) throw notAllowed('Only you can delete your answers.');
  const record = await equalityAnswersOf(deps, caller.tenantId, caller.id);
  if (!record) return false;
  // Audited first, under an id named by the record it deletes: a retry after the delete failed writes no second entry.
  if (audited) await auditOnce(deps, { id: `about-me:${caller.id}:deleted:${record.updatedAt}`, tenantId: caller.tenantId, at: deps.clock.now().toISOString(), actorId: caller.id, action: 'equality.deleted', subjectType: 'person', subjectId: caller.id });
  await deps.stores.people.delete(caller.tenantId, record.id);
  return true;
}

/**
 * "Who takes part" for the board: the programme team only, nothing that names anyone. The board has
 * already read the programme's workstreams, contributions and meetings; only the answers are read here.
 */
export async function whoTakesPartFor(
  deps: Deps,
  actor: Actor,
  read: { workstreams: Workstream[]; contributions: Contribution[]; meetings: Meeting[] },
): Promise<WhoTakesPart | undefined> {
  if (!can(actor, 'view_who_takes_part', { type: 'programme' })) return undefined;
  const answers = await queryEvery(records(deps), actor.tenantId, [{ field: 'type', op: '=', value: 'equality' }]);
  return whoTakesPart({ records: answers, lxpIds: new Set(read.workstreams.flatMap((w) => w.lxpIds)), ...read });
}

/** What `my data` shows of issue 23: their answers in words, and the programme priorities they proposed. */
export interface AboutYouData {
  aboutYou: { answers: { question: string; answer: string }[]; answeredAt: string; updatedAt: string } | null;
  programmePrioritiesProposed: { id: string; title: string; why: string; status: string; reason?: string }[];
}

export async function aboutYouData(deps: Deps, tenantId: string, personId: string): Promise<AboutYouData> {
  const [record, programme] = await Promise.all([equalityAnswersOf(deps, tenantId, personId), getProgramme(deps, tenantId)]);
  const answers = EQUALITY_QUESTIONS.filter((q) => record?.answers[q.key]).map((q) => ({
    question: q.title,
    answer: (q.choices as readonly { value: string; label: string }[]).find((c) => c.value === record!.answers[q.key])?.label ?? String(record!.answers[q.key]),
  }));
  return {
    aboutYou: record ? { answers, answeredAt: record.answeredAt, updatedAt: record.updatedAt } : null,
    programmePrioritiesProposed: (programme?.priorities ?? []).filter((p) => p.proposedBy === personId).map((p) => ({ id: p.id, title: p.title, why: p.why, status: p.status, ...(p.reason ? { reason: p.reason } : {}) })),
  };
}

/** `forget me`, before their id is replaced: the answers go, and their proposals lose their words (waiting ones are taken back). */
export async function forgetAboutYou(deps: Deps, tenantId: string, personId: string): Promise<void> {
  if (await equalityAnswersOf(deps, tenantId, personId)) await deps.stores.people.delete(tenantId, equalityId(personId));
  await forgetProgrammePriorities(deps, tenantId, personId);
}
