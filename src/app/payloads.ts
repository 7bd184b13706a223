import { z } from 'zod';
import { KINDS } from '../domain/contribution';
import { ATTRIBUTION_CHOICES, RESTRICTION_CHOICES } from '../domain/attribution';
import { isStorableId } from '../domain/ids';
import { EQUALITY_QUESTIONS, type EqualityKey } from '../domain/who-takes-part';

/**
 * Every card payload is checked here before any command runs. Missing
 * fields, wrong types and oversized text get a clear message; nothing is
 * stored. Multi-select inputs arrive as comma-separated strings.
 */
const STALE = 'This card refers to something Golden Thread does not have. Open a fresh card and try again.';
const id = z.string().trim().min(1).max(200).refine(isStorableId, STALE);
const optionalId = z.string().trim().max(200).optional().transform((v) => (v ? v : undefined)).refine((v) => v === undefined || isStorableId(v), STALE);
const csv = z
  .union([z.string().max(20000), z.array(z.string().max(200))])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean))
  .refine((ids) => ids.every(isStorableId), STALE);
const bool = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .optional()
  .transform((v) => v === true || v === 'true');
/** Which message of a card sent in parts (see checkParts): 0 when absent, as on cards sent before parts existed. */
const part = z
  .union([z.number(), z.string().max(10)])
  .optional()
  .transform((v) => (v === undefined || v === '' ? 0 : Number(v)))
  .refine((n) => Number.isInteger(n) && n >= 0 && n < 1000, STALE);
const text = (max: number, what: string) => z.string({ required_error: `${what} is missing.`, invalid_type_error: `${what} must be text.` }).max(max, `${what} is too long: keep it to ${max.toLocaleString('en-GB')} characters or fewer.`);

/** The most suggestions one part of the chair's card carries (its size keeps it far below this). */
const MAX_SUGGESTIONS = 300;
const SUGGESTION_ID = /^t\d{1,6}(?:-\d{1,3})?$/;

/**
 * One suggestion the chair ticked on the "Suggested contributions" card. Its inputs arrive as `<field>_<suggestionId>`,
 * and who said it only in `suggested` (the transcript is not kept), so the save checks that again (src/app/suggestions.ts).
 */
const suggestionPick = (n: number) =>
  z.object({
    words: text(2000, `What they said (suggestion ${n})`).refine((w) => w.trim().length > 0, `Suggestion ${n} is ticked but has no words: write what they said, or untick it.`),
    kind: z.enum(KINDS, { errorMap: () => ({ message: `Choose what kind of contribution suggestion ${n} was.` }) }),
    priorityAreaIds: csv,
    ownerId: optionalId,
    attribution: z.enum(ATTRIBUTION_CHOICES, { errorMap: () => ({ message: `Choose how the LXP of suggestion ${n} is named.` }) }).default('as_chosen'),
    restriction: z.enum(RESTRICTION_CHOICES, { errorMap: () => ({ message: `Choose whether suggestion ${n} is a personal story kept in confidence.` }) }).default('as_kind'),
  });

/** `suggested` is "<suggestionId>:<lxpId>,...": which LXP each suggestion on the card is from. */
function parseSuggested(list: string): { id: string; lxpId: string }[] | undefined {
  const out: { id: string; lxpId: string }[] = [];
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const sid = entry.slice(0, at);
    const lxpId = entry.slice(at + 1).trim();
    if (at < 1 || !SUGGESTION_ID.test(sid) || !lxpId || !isStorableId(lxpId) || out.some((o) => o.id === sid)) return undefined;
    out.push({ id: sid, lxpId });
  }
  return out.length <= MAX_SUGGESTIONS ? out : undefined;
}

const suggestionsSave = z
  .object({ meetingId: id, submissionId: id, part, suggested: z.string().max(40_000) })
  .passthrough()
  .transform((d, ctx) => {
    const suggested = parseSuggested(d.suggested);
    if (!suggested) {
      ctx.addIssue({ code: 'custom', message: STALE });
      return z.NEVER;
    }
    const fields = d as Record<string, unknown>;
    const picks = [];
    for (const [n, s] of suggested.entries()) {
      const tick = fields[`pick_${s.id}`];
      if (tick !== true && tick !== 'true') continue;
      const item = suggestionPick(n + 1).safeParse({
        words: fields[`words_${s.id}`],
        kind: fields[`kind_${s.id}`],
        priorityAreaIds: fields[`areas_${s.id}`],
        ownerId: fields[`owner_${s.id}`],
        attribution: fields[`attribution_${s.id}`] || undefined,
        restriction: fields[`restriction_${s.id}`] || undefined,
      });
      if (!item.success) {
        for (const issue of item.error.issues) ctx.addIssue({ ...issue, path: [`${issue.path[0] ?? 'words'}_${s.id}`] });
        return z.NEVER;
      }
      picks.push({ suggestionId: s.id, lxpId: s.lxpId, ...item.data });
    }
    return { meetingId: d.meetingId, submissionId: d.submissionId, part: d.part, suggestedCount: suggested.length, picks };
  });

export const PAYLOADS = {
  // Cards sent before programmes had names carry neither field.
  programme_claim: z.object({ name: text(100, 'The programme name').optional(), submissionId: optionalId }),
  programme_choose: z.object({ programmeId: id, then: z.enum(['setup', 'preferences', '']).optional().catch(undefined) }),
  programme_member_add: z.object({ personId: id }),
  programme_member_remove: z.object({ removeId: id }),
  programme_lead_handover: z.object({ newLeadId: id }),
  workstream_edit: z.object({ workstreamId: optionalId }),
  workstream_save: z.object({
    workstreamId: optionalId,
    submissionId: optionalId,
    expectedUpdatedAt: z.string().max(40).optional(),
    name: text(100, 'The workstream name'),
    chairIds: csv,
    lxpIds: csv,
    staffIds: csv,
    area1: text(80, 'Priority area 1').optional(),
    area2: text(80, 'Priority area 2').optional(),
    area3: text(80, 'Priority area 3').optional(),
    area4: text(80, 'Priority area 4').optional(),
    area5: text(80, 'Priority area 5').optional(),
    area6: text(80, 'Priority area 6').optional(),
  }),
  priority_area_add: z.object({ workstreamId: id, areaName: text(80, 'The priority area') }),
  priority_area_remove: z.object({ workstreamId: id, areaId: id }),
  preferences_save: z.object({
    personId: optionalId,
    attribution: z.enum(['named', 'anonymous'], { errorMap: () => ({ message: 'Choose how you want to be named.' }) }),
    quoteInReports: bool,
    rhythm: z.enum(['as_it_happens', 'weekly', 'monthly'], { errorMap: () => ({ message: 'Choose how often you want to hear.' }) }),
    detail: z.enum(['brief', 'detailed'], { errorMap: () => ({ message: 'Choose how much detail.' }) }),
    news: csv.pipe(z.array(z.enum(['good_news', 'not_taken_forward', 'under_consideration'])).min(1, 'Choose at least one kind of news.')),
    quietDays: csv.pipe(z.array(z.enum(['0', '1', '2', '3', '4', '5', '6'])).transform((d) => d.map(Number))),
    // Older cards have no such input: keep "any time" rather than refuse them.
    quietHours: z.enum(['none', 'evenings', 'nights', 'working_hours'], { errorMap: () => ({ message: 'Choose the hours you do not want messages.' }) }).default('none'),
    revealToOwner: bool,
    transcriptSuggestions: bool,
  }),
  meeting_link: z.object({ workstreamId: id }),
  aim_state: z.object({ meetingId: id, aim: text(500, 'The aim') }),
  log_open: z.object({ meetingId: optionalId }),
  log_save: z.object({
    meetingId: id,
    submissionId: id,
    lxpIds: csv.pipe(z.array(z.string()).min(1, 'Choose who said it.')),
    words: text(2000, 'What they said').refine((w) => w.trim().length > 0, 'Write what they said, in their words.'),
    kind: z.enum(KINDS, { errorMap: () => ({ message: 'Choose what kind of contribution it was.' }) }),
    priorityAreaIds: csv,
    ownerId: optionalId,
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'The feedback due date is not a date.').optional().or(z.literal('').transform(() => undefined)),
    /** The due date the card showed: a dueDate equal to it was left as presented, so FOLLOWUP_AFTER decides. */
    presentedDue: z.string().max(20).optional(),
    anonymous: bool,
    restricted: bool,
    attribution: z.enum(ATTRIBUTION_CHOICES, { errorMap: () => ({ message: 'Choose how the LXP is named.' }) }).optional(),
    restriction: z.enum(RESTRICTION_CHOICES, { errorMap: () => ({ message: 'Choose whether it is a personal story kept in confidence.' }) }).optional(),
  }),
  suggestions_save: suggestionsSave,
  transcripts_switch: z.object({ on: bool }),
  meeting_end: z.object({ meetingId: optionalId }),
  attendance_confirm: z.object({ meetingId: id, present: csv }),
  attendance_flag: z.object({ meetingId: id, note: text(500, 'The note').optional() }),
  minutes_confirm: z.object({ meetingId: id, result: z.enum(['met', 'partly', 'not_met'], { errorMap: () => ({ message: 'Choose whether the aim was met.' }) }), nextSteps: text(1000, 'Next steps').optional() }),
  check_confirm: z.object({ contributionId: id, meetingId: optionalId, part }),
  check_anonymise: z.object({ contributionId: id, meetingId: optionalId, part }),
  check_withdraw: z.object({ contributionId: id, meetingId: optionalId, part }),
  check_name: z.object({ contributionId: id, meetingId: optionalId, part }),
  check_restrict: z.object({ contributionId: id, meetingId: optionalId, part }),
  check_show: z.object({ contributionId: id, meetingId: optionalId, part }),
  // The wording arrives under words_<contributionId> (one input per contribution on the card), so it is checked here by hand.
  check_correct: z
    .object({ contributionId: id, meetingId: optionalId, part })
    .passthrough()
    .superRefine((d, ctx) => {
      const words = (d as Record<string, unknown>)[`words_${d.contributionId}`];
      if (words !== undefined && typeof words !== 'string') ctx.addIssue({ code: 'custom', message: 'Your wording must be text.' });
      else if (typeof words === 'string' && words.length > 2000) ctx.addIssue({ code: 'custom', message: `Your wording is ${words.length.toLocaleString('en-GB')} characters; the most is 2,000.` });
    }),
  carry_open: z.object({ meetingId: id }),
  carry_forward: z.object({ contributionId: id, meetingId: id }),
  nudge_owner: z.object({ contributionId: id }),
  export_file: z.object({ filter: z.string().max(300).optional() }),
  outcome_record: z.object({
    contributionId: id,
    dueAt: z.string().max(40).optional(),
    status: z.enum(['adopted', 'partly_adopted', 'not_taken_forward', 'under_consideration', 'passed_on'], { errorMap: () => ({ message: 'Choose what happened to it.' }) }),
    whatWeDid: text(2000, 'What we did'),
    reason: text(2000, 'The reason').optional(),
    newDate: z.string().max(20).optional(),
    passedTo: text(200, 'The group').optional(),
    newOwnerId: optionalId,
    evidenceUrl: text(2000, 'The evidence link').optional(),
  }),
  // The LXP's own words arrive under words_<contributionId> (one box per item on the card): taken out here as `words`.
  feedback_answer: z
    .object({
      contributionId: id,
      answer: z.enum(['helpful', 'want_to_talk', 'does_not_reflect', 'disagree_decision'], { errorMap: () => ({ message: 'Choose one of the answers.' }) }),
      via: z.enum(['card', 'digest']).optional(),
    })
    .passthrough()
    .transform((d, ctx) => {
      const words = (d as Record<string, unknown>)[`words_${d.contributionId}`];
      if (words !== undefined && typeof words !== 'string') ctx.addIssue({ code: 'custom', message: 'Your words must be text.' });
      else if (typeof words === 'string' && words.trim().length > 1000) ctx.addIssue({ code: 'custom', message: `Your words are ${words.trim().length.toLocaleString('en-GB')} characters; keep them to 1,000. Nothing was recorded.` });
      return { contributionId: d.contributionId, answer: d.answer, via: d.via, words: typeof words === 'string' && words.trim() ? words.trim() : undefined };
    }),
  answer_reply: z.object({ contributionId: id, answeredAt: z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), STALE), words: text(1000, 'Your reply').refine((w) => w.trim().length > 0, 'Write your reply in the box, then choose Send my reply.') }),
  lift_restriction: z.object({ contributionId: id }),
  involvement_pause: z.object({ stops: csv.pipe(z.array(z.enum(['follow_ups', 'digests'], { errorMap: () => ({ message: 'Choose from the list what to stop.' }) }))) }),
  involvement_resume: z.object({}),
  impact_show: z.object({ period: z.string({ required_error: 'Choose a period.' }).max(60, 'Choose a period from the list.') }),
  impact_file: z
    .object({ from: z.string().datetime({ offset: true }), to: z.string().datetime({ offset: true }), label: text(100, 'The period').optional().transform((v) => v?.trim() || 'the period you chose') })
    .refine((d) => Date.parse(d.from) < Date.parse(d.to), STALE),
  claim_open: z.object({ meetingId: optionalId, claimId: optionalId }),
  claim_submit: z.object({
    meetingId: id,
    claimId: optionalId,
    meetingHours: text(10, 'Meeting time').optional(),
    preparationHours: text(10, 'Preparation time').optional(),
    travel: text(20, 'Travel').optional(),
    other: text(20, 'Other expenses').optional(),
    carer: text(20, 'Carer costs').optional(),
    note: text(1000, 'The note').optional(),
    paymentDeclined: bool,
  }),
  claim_approve: z.object({ claimId: id, reason: text(1000, 'The reason').optional() }),
  claim_query: z.object({ claimId: id, reason: text(1000, 'The reason').optional() }),
  claim_decline: z.object({ claimId: id, reason: text(1000, 'The reason').optional() }),
  claim_rates_save: z.object({
    meetingRate: text(20, 'The meeting rate').optional(),
    preparationRate: text(20, 'The preparation rate').optional(),
    meetingFee: text(20, 'The meeting fee').optional(),
    preparationFee: text(20, 'The preparation fee').optional(),
    waitDays: z.string().max(4).optional().transform((v) => (v ?? '').trim()).refine((v) => /^\d{1,3}$/.test(v) && Number(v) > 0, 'Say after how many days (1 or more) a waiting claim is raised with the programme team.'),
    // Issue 22, stepping back: empty is never. Cards sent before it have no such input.
    awayWeeks: z.union([z.string().max(4), z.number()]).optional().transform((v) => String(v ?? '').trim()).refine((v) => v === '' || (/^\d{1,2}$/.test(v) && Number(v) > 0), 'Say after how many weeks away (1 to 99) the programme team is told, or leave it empty.'),
  }),
  // Issue 22: the LXP's own additions to the record and agenda items.
  proposal_open: z.object({ meetingId: optionalId }),
  proposal_submit: z.object({
    meetingId: id,
    submissionId: id,
    words: text(2000, 'What you want to add').refine((w) => w.trim().length > 0, 'Write what you want to add, in your own words.'),
    kind: z.enum(KINDS, { errorMap: () => ({ message: 'Choose what kind of contribution it is.' }) }),
    priorityAreaIds: csv,
    attribution: z.enum(ATTRIBUTION_CHOICES, { errorMap: () => ({ message: 'Choose how you are named.' }) }).default('as_chosen'),
    restriction: z.enum(RESTRICTION_CHOICES, { errorMap: () => ({ message: 'Choose who can read it.' }) }).default('as_kind'),
  }),
  proposal_accept: z.object({
    proposalId: id,
    ownerId: optionalId,
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'The feedback due date is not a date.').optional().or(z.literal('').transform(() => undefined)),
    priorityAreaIds: z.union([z.string().max(20000), z.array(z.string().max(200))]).optional(),
    reason: text(1000, 'The reason').optional(),
  }),
  proposal_decline: z.object({ proposalId: id, reason: text(1000, 'The reason').optional() }),
  agenda_propose: z.object({ submissionId: id, workstreamId: id, title: text(200, 'The agenda item'), note: text(2000, 'The note').optional() }),
  agenda_take: z.object({ meetingId: id, proposalId: id }),
  proposal_withdraw: z.object({ proposalId: id }),
  // Issue 23. Per-priority inputs arrive as areas_<priorityId> and reason_<priorityId> (src/app/priorities.ts reads them).
  programme_priority_propose: z.object({ title: text(80, 'The title').optional(), why: text(500, 'Why it matters').optional(), submissionId: optionalId }),
  programme_priority_confirm: z.object({ priorityId: id }).passthrough(),
  programme_priority_decline: z.object({ priorityId: id }).passthrough(),
  programme_priority_retire: z.object({ priorityId: id }),
  programme_priority_link: z.object({ priorityId: id }).passthrough(),
  about_me_open: z.object({}),
  equality_save: z.object(Object.fromEntries(EQUALITY_QUESTIONS.map((q) => [q.key, z.string().max(40).optional()])) as Record<EqualityKey, z.ZodOptional<z.ZodString>>),
  equality_delete: z.object({}),
  forget_me_confirm: z.object({
    personId: id,
    understood: bool.refine((v) => v, 'Tick "I understand" on the card to confirm. Nothing has been erased.'),
    /** Issue 18: a programme's id, or "all" (FORGET_EVERYWHERE); unset on an older card, which meant its one programme. */
    which: z.string().trim().max(200).optional().transform((v) => (v ? v : undefined)).refine((v) => v === undefined || v === 'all' || isStorableId(v), 'Choose one programme or all of them. Nothing has been erased.'),
  }),
  programme_close: z.object({
    understood: bool.refine((v) => v, 'Tick "I understand" on the card to confirm. Nothing has been erased.'),
    /** The programme the card was drawn for (stamped on every button): a card of another programme closes nothing. */
    programmeId: optionalId,
  }),
  programme_close_open: z.object({}),
} as const;

export type Verb = keyof typeof PAYLOADS;
export type Payload<V extends Verb> = z.infer<(typeof PAYLOADS)[V]>;

export class PayloadError extends Error {}

export function parsePayload<V extends Verb>(verb: V, data: unknown): z.infer<(typeof PAYLOADS)[V]> {
  const result = PAYLOADS[verb].safeParse(data ?? {});
  if (!result.success) {
    const first = result.error.issues[0];
    const message = first?.message && !/^(Required|Expected|Invalid)/.test(first.message) ? first.message : `Something on the card is missing or not valid (${first?.path.join('.') || 'the form'}). Please check it and try again.`;
    throw new PayloadError(message);
  }
  return result.data as z.infer<(typeof PAYLOADS)[V]>;
}
