import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { TEAM_CHAT_ID, membersOf, runJobs, setUpProgramme } from '../support/scenario';
import { acceptFile, allDocs, uploadTarget } from '../support/privacy';
import { actionExecute, groupMention, installationUpdate, meetingEvent, participantEvent, personalConversationId, personalMessage, TENANT_ID, type From } from '../harness/activities';
import { movableClock } from '../support/job-store';
import { reportRowsOf } from '../support/report-card';
import { ROUTES } from '../../src/app/routes';
import { PAYLOADS, type Verb } from '../../src/app/payloads';
import { getProgramme, inProgramme } from '../../src/commands/deps';
import { membershipsOf } from '../../src/commands/memberships';
import { rawStores } from '../../src/domain/programme-stores';
import { chatKey, personKey, programmeKey, tenantKey } from '../../src/domain/partition';
import { queryEvery } from '../../src/domain/ports';
import type { QuestionsModel } from '../../src/teams/questions';
import type { Contribution } from '../../src/domain/contribution';
import type { Workstream } from '../../src/domain/workstream';
import { EQUALITY_QUESTIONS } from '../../src/domain/who-takes-part';
import manifest from '../../manifest/manifest.json';

/*
 * Issue 18, "Must show": two programmes in one tenant, each with meetings, contributions (named, anonymous,
 * restricted), outcomes and claims. Then every card verb, file answer, typed command and plain-English
 * question (read from the route table and the manifest, so a verb added later is covered or fails here with
 * "no case for ...") is performed by each role of programme A on programme B's resources, in A's personal
 * chats and in B's linked meeting chat. Each must leave B's stored documents as they were and put no word,
 * name or figure of B in anything sent: invoke answers, every message and card the connector stub recorded,
 * every file uploaded. One bot for the whole file; a store snapshot before and after each case.
 */

const person = (key: string, name: string, domain: string): From & { email: string } => ({ id: `29:1-${key}`, name, aadObjectId: `aad-${key}`, email: `${key}@${domain}` });
const tara = person('tara', 'Tara Quilliam', 'mentalhealth.example');
const olive = person('olive', 'Olive Brannagh', 'elsewhere.example');
const bob = person('bob', 'Bob Hale', 'maternity.example');
const yusuf = person('yusuf', 'Yusuf Penhaligon', 'maternity.example');
const dana = person('dana', 'Dana Whitfield', 'maternity.example');
const erin = person('erin', 'Erin Castellane', 'maternity.example');
const finn = person('finn', 'Finn Oduya', 'maternity.example');

/** Programme A's roles, each a person who is in A only (Sam, an LXP in both, may see B). */
const ACTORS: Record<string, From> = { lead: people.priya, 'programme team': tara, chair: people.chris, staff: people.jordan, LXP: people.alex, outsider: olive };

const A_CHAT = '19:a-crisis-meeting@thread.v2';
const B_TEAM = '19:b-maternity-team@thread.v2';
const B_CHAT = '19:b-birth-choices-meeting@thread.v2';
const B_MEETING = Buffer.from('b-birth-choices-meeting').toString('base64');

/** Recognisable words, names and figures of programme B: none may reach anyone of A. */
const B_TEXT = {
  programme: 'Maternity voices',
  workstream: 'Birth choices',
  areas: ['Home births', 'Water pools'],
  meeting: 'Birth choices December',
  aim: 'Agree the Zanzibar birth plan template',
  named: 'Marigold birthing pools should be warmed before every night shift',
  anonymous: 'Quinceberry leaflets confuse new parents on the postnatal ward',
  restricted: 'In the Halcyon suite nobody explained my emergency section',
  outcome: 'We ordered two pools for the Tamsin suite',
  claimNote: 'Parking at Wexcombe hospital',
  rate: '23.17',
  travel: '37.85',
  // Issues 22 and 23: what B's LXP brings themselves, and their answer to "you said, we did".
  proposal: 'Juniper wristbands would let partners stay overnight',
  agenda: 'Ottoline midwife rota for the spring',
  priority: { title: 'Saffron continuity', why: 'Seeing one Pemberton midwife throughout' },
  pending: { title: 'Lindqvist car park', why: 'Partners circle Wexcombe for an hour' },
  answer: 'Verbena pools are still cold on the night shift',
};
const B_TOKENS = [
  B_TEXT.programme, B_TEXT.workstream, ...B_TEXT.areas, B_TEXT.meeting, 'Zanzibar', 'Marigold', 'Quinceberry', 'Halcyon', 'Tamsin', 'Wexcombe', B_TEXT.rate, B_TEXT.travel,
  'Juniper', 'Ottoline', 'Saffron', 'Pemberton', 'Lindqvist', 'Verbena',
  ...[bob, yusuf, dana, erin, finn].flatMap((p) => [p.name, p.name.split(' ')[1], p.email]),
];

interface BIds {
  programmeId: string;
  workstreamId: string;
  areaId: string;
  meetingId: string;
  contributions: Record<'named' | 'anonymous' | 'restricted', string>;
  claimId: string;
  /** Erin's addition to the record, waiting for the chair; her agenda item, waiting to be taken. */
  proposalId: string;
  agendaId: string;
  /** A programme priority B's team confirmed, and one still waiting for them. */
  priorities: Record<'confirmed' | 'pending', string>;
  /** Erin's answer with her own words to "you said, we did" on the named contribution: when she answered (the owner has not replied). */
  answeredAt: string;
  exportConsent: any;
  myDataConsent: any;
  /** B's lead pressed close and was offered the file of everything (never accepted: B stays open); Erin asked for her impact file. */
  closeConsent: any;
  impactConsent: any;
}

/** The next plain-English question's tool call, set by each case (a scripted stand-in for Azure OpenAI). */
let nextTool: { name: string; args: Record<string, unknown> } | undefined;
let modelTurn = 0;
const model: QuestionsModel = {
  async completePrompt() {
    modelTurn++;
    if (modelTurn % 2 === 1 && nextTool) {
      return { status: 'success', message: { role: 'assistant', content: '', action_calls: [{ id: `call-${modelTurn}`, type: 'function', function: { name: nextTool.name, arguments: JSON.stringify(nextTool.args) } }] } };
    }
    return { status: 'success', message: { role: 'assistant', content: 'I have sent you the answer above.' } };
  },
};

let bot: BotUnderTest;
let b: BIds;
let target: Awaited<ReturnType<typeof uploadTarget>>;
const clock = movableClock('2026-12-08T10:00:00.000Z');
const inGroup = (conversationId: string) => ({ conversationType: 'groupChat' as const, conversationId });

/** Programme A: Priya leads; Tara is on the programme team; Crisis pathway (Chris chairs, Sam and Alex LXPs, Jordan staff); a meeting, a contribution and its outcome. */
async function programmeA() {
  const { workstream, payload } = await setUpProgramme(bot);
  const priya = as(bot, people.priya);
  bot.stub.setMembers(TEAM_CHAT_ID, membersOf([people.priya, people.chris, people.sam, people.alex, people.jordan, tara as never]));
  await priya.act('workstream_save', { ...payload, workstreamId: workstream.id, submissionId: '', expectedUpdatedAt: '', staffIds: `${people.jordan.aadObjectId},${tara.aadObjectId}` }, inGroup(TEAM_CHAT_ID));
  expect((await priya.act('programme_member_add', { personId: tara.aadObjectId })).card).toBeDefined();
  await as(bot, olive).say('help');
  const chris = as(bot, people.chris);
  bot.stub.setMembers(A_CHAT, membersOf([people.chris, people.sam, people.alex, people.jordan]));
  await bot.post(installationUpdate({ conversationId: A_CHAT, from: people.chris }));
  expect((await chris.act('meeting_link', { workstreamId: workstream.id }, inGroup(A_CHAT))).message).toContain('linked to Crisis pathway');
  await bot.post(meetingEvent('start', { conversationId: A_CHAT, meetingId: Buffer.from('a-meeting').toString('base64'), title: 'Crisis pathway December', time: clock.now().toISOString() }));
  const logCard = cardOf((await chris.mention('log', A_CHAT))[0].activity);
  const saved = await chris.act('log_save', { ...actionData(logCard, 'log_save'), lxpIds: people.alex.aadObjectId, words: 'Crisis cafés should stay open until midnight', kind: 'suggestion', ownerId: people.jordan.aadObjectId, anonymous: 'false', restricted: 'false' }, inGroup(A_CHAT));
  expect(saved.card).toBeDefined();
  const [c] = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items;
  expect((await as(bot, people.jordan).act('outcome_record', { contributionId: c.id, status: 'adopted', whatWeDid: 'The cafés now close at midnight' })).card).toBeDefined();
}

/** Programme B: Bob leads, Yusuf on the team; Birth choices (Dana chairs, Erin and Sam LXPs, Finn staff); its meeting, three contributions, an outcome and a claim. */
async function programmeB(): Promise<BIds> {
  const lead = as(bot, bob);
  const claim = await lead.say('setup');
  expect((await lead.act('programme_claim', { ...actionData(cardOf(claim[0].activity), 'programme_claim'), name: B_TEXT.programme })).card).toBeDefined();
  bot.stub.setMembers(B_TEAM, membersOf([bob, yusuf, dana, erin, finn, people.sam] as never));
  const editor = await lead.act('workstream_edit', { workstreamId: '' }, inGroup(B_TEAM));
  const ws = { ...actionData(editor.card, 'workstream_save'), name: B_TEXT.workstream, chairIds: dana.aadObjectId, lxpIds: `${erin.aadObjectId},${people.sam.aadObjectId}`, staffIds: `${finn.aadObjectId},${yusuf.aadObjectId}`, area1: B_TEXT.areas[0], area2: B_TEXT.areas[1] };
  expect((await lead.act('workstream_save', ws, inGroup(B_TEAM))).card).toBeDefined();
  expect((await lead.act('programme_member_add', { personId: yusuf.aadObjectId })).card).toBeDefined();
  expect((await lead.act('claim_rates_save', { meetingRate: B_TEXT.rate, preparationRate: '', meetingFee: '', preparationFee: '', waitDays: '7' })).card).toBeDefined();
  for (const p of [dana, erin, finn, yusuf]) await as(bot, p).say('help');

  const programmeId = Object.keys((await membershipsOf(bot.running.deps, TENANT_ID, bob.aadObjectId))!.programmes)[0];
  const inB = inProgramme(bot.running.deps, TENANT_ID, programmeId);
  const [workstream] = (await queryEvery(inB.stores.workstreams, TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])) as Workstream[];

  bot.stub.setMembers(B_CHAT, membersOf([dana, erin, finn, people.sam] as never));
  bot.stub.setMeeting(B_MEETING, { details: { id: B_MEETING, title: B_TEXT.meeting }, organizer: { id: dana.id, aadObjectId: dana.aadObjectId } });
  await bot.post(installationUpdate({ conversationId: B_CHAT, from: dana, overrides: { channelData: { meeting: { id: B_MEETING } } } }));
  const chair = as(bot, dana);
  expect((await chair.act('meeting_link', { workstreamId: workstream.id }, inGroup(B_CHAT))).message).toContain('linked to');
  await bot.post(meetingEvent('start', { conversationId: B_CHAT, meetingId: B_MEETING, title: B_TEXT.meeting, time: clock.now().toISOString() }));
  await bot.post(participantEvent('join', { conversationId: B_CHAT, meetingId: B_MEETING, members: [erin, people.sam] }));
  const [meeting] = (await inB.stores.meetings.query(TENANT_ID, [])).items;
  await chair.act('aim_state', { meetingId: meeting.id, aim: B_TEXT.aim }, inGroup(B_CHAT));
  const log = async (lxp: From, words: string, fields: Record<string, string>) => {
    const card = cardOf((await chair.mention('log', B_CHAT))[0].activity);
    const saved = await chair.act('log_save', { ...actionData(card, 'log_save'), lxpIds: lxp.aadObjectId, words, kind: 'suggestion', ownerId: finn.aadObjectId, anonymous: 'false', restricted: 'false', ...fields }, inGroup(B_CHAT));
    expect(saved.card).toBeDefined();
  };
  await log(erin, B_TEXT.named, {});
  await log(people.sam, B_TEXT.anonymous, { anonymous: 'true' });
  await log(erin, B_TEXT.restricted, { kind: 'personal_experience', restricted: 'true' });
  const contributions = (await inB.stores.contributions.query(TENANT_ID, [])).items as Contribution[];
  const idOf = (words: string) => contributions.find((c) => c.words === words)!.id;
  const named = idOf(B_TEXT.named);
  expect((await as(bot, finn).act('outcome_record', { contributionId: named, status: 'adopted', whatWeDid: B_TEXT.outcome })).card).toBeDefined();

  await bot.post(meetingEvent('end', { conversationId: B_CHAT, meetingId: B_MEETING, title: B_TEXT.meeting, time: clock.now().toISOString() }));
  const form = await as(bot, erin).act('claim_open', { meetingId: meeting.id });
  const submitted = await as(bot, erin).act('claim_submit', { ...actionData(form.card, 'claim_submit'), meetingHours: '1.5', preparationHours: '', travel: B_TEXT.travel, other: '', carer: '', note: B_TEXT.claimNote, paymentDeclined: 'false' });
  expect(submitted.message).toContain('Sent to the programme team');
  const [claimDoc] = (await inB.stores.claims.query(TENANT_ID, [])).items;

  const consentOf = (sent: { activity: any }[]) => sent.map((s) => s.activity.attachments?.[0]).find((a) => a?.contentType === 'application/vnd.microsoft.teams.card.file.consent');
  const exportConsent = consentOf(await lead.say('export'));
  const myDataConsent = consentOf(await as(bot, erin).say('my data'));
  expect(exportConsent && myDataConsent && claimDoc).toBeTruthy();
  const lxpActs = await programmeBLxpActs(inB, workstream.id, named);
  const sentNow = async (act: () => Promise<unknown>) => {
    const before = bot.stub.sentActivities().length;
    await act();
    return consentOf(bot.stub.sentActivities().slice(before));
  };
  const closeCard = cardOf((await lead.say('close programme'))[0].activity);
  const closeConsent = await sentNow(() => lead.act('programme_close', { ...actionData(closeCard, 'programme_close'), understood: 'true' }));
  const impactCard = cardOf((await as(bot, erin).say('my impact'))[0].activity);
  const impactConsent = await sentNow(() => as(bot, erin).act('impact_file', actionData(impactCard, 'impact_file')!));
  expect(closeConsent && impactConsent).toBeTruthy();
  return {
    ...lxpActs,
    closeConsent,
    impactConsent,
    programmeId,
    workstreamId: workstream.id,
    areaId: workstream.priorityAreas[0].id,
    meetingId: meeting.id,
    contributions: { named, anonymous: idOf(B_TEXT.anonymous), restricted: idOf(B_TEXT.restricted) },
    claimId: claimDoc.id,
    exportConsent,
    myDataConsent,
  };
}

/**
 * What Erin, an LXP of B, brings herself after B's meeting (issue 22), and B's programme priorities (issue 23),
 * each through the cards she and B's team are sent, with B's words in them.
 */
async function programmeBLxpActs(inB: ReturnType<typeof inProgramme>, workstreamId: string, named: string) {
  const lxp = as(bot, erin);
  const addCard = cardOf((await lxp.say('add to the record'))[0].activity);
  expect((await lxp.act('proposal_submit', { ...actionData(addCard, 'proposal_submit'), words: B_TEXT.proposal, kind: 'suggestion', priorityAreaIds: '', attribution: 'as_chosen', restriction: 'as_kind' })).message).toContain('Sent to the chair');
  const agendaCard = cardOf((await lxp.say('propose agenda item'))[0].activity);
  expect((await lxp.act('agenda_propose', { ...actionData(agendaCard, 'agenda_propose'), workstreamId, title: B_TEXT.agenda, note: B_TEXT.agenda })).message).toContain('Proposed');
  const proposals = await queryEvery(inB.stores.proposals, TENANT_ID, [{ field: 'lxpId', op: '=', value: erin.aadObjectId }]);
  const proposalId = proposals.find((p) => p.type === 'contribution_proposal')!.id;
  const agendaId = proposals.find((p) => p.type === 'agenda_proposal')!.id;

  const prioritiesCard = cardOf((await lxp.say('priorities'))[0].activity);
  const propose = actionData(prioritiesCard, 'programme_priority_propose');
  await lxp.act('programme_priority_propose', { ...propose, ...B_TEXT.priority });
  await lxp.act('programme_priority_propose', { ...propose, submissionId: 'erin-second', ...B_TEXT.pending });
  const listed = (await getProgramme(inB, TENANT_ID))!.priorities!;
  const priorityOf = (title: string) => listed.find((p) => p.title === title)!.id;
  const confirmed = priorityOf(B_TEXT.priority.title);
  expect(cardText((await as(bot, yusuf).act('programme_priority_confirm', { priorityId: confirmed, [`areas_${confirmed}`]: '' })).card)).toContain('is now a programme priority');

  await runJobs(bot);
  const answered = await lxp.act('feedback_answer', { contributionId: named, answer: 'disagree_decision', via: 'card', [`words_${named}`]: B_TEXT.answer });
  expect(cardText(answered.card)).toContain(B_TEXT.answer);
  const answeredAt = ((await inB.stores.contributions.get(TENANT_ID, named)) as Contribution).answers[0].at;
  return { proposalId, agendaId, priorities: { confirmed, pending: priorityOf(B_TEXT.pending.title) }, answeredAt };
}

/**
 * B's stored documents: everything in B's partition, its chats' links and its people's indexes, plus the
 * tenant's own records; and, for each person of A, whether their index names B (which would let them in).
 * What the store or the clock sets is left out.
 */
async function snapshot(): Promise<Map<string, string>> {
  const ofB = new Set([programmeKey(TENANT_ID, b.programmeId), chatKey(TENANT_ID, B_CHAT), chatKey(TENANT_ID, B_TEAM), tenantKey(TENANT_ID), ...[bob, yusuf, dana, erin, finn, people.sam].map((p) => personKey(TENANT_ID, p.aadObjectId))]);
  const ofA = new Set(Object.values(ACTORS).map((p) => personKey(TENANT_ID, p.aadObjectId)));
  const out = new Map<string, string>();
  for (const { container, doc } of await allDocs(rawStores(bot.running.deps.stores))) {
    const key = `${container}/${doc.pk}/${doc.id}`;
    if (ofA.has(doc.pk!) && JSON.stringify(doc).includes(b.programmeId)) out.set(key, 'an index of A\'s person that names B');
    if (!ofB.has(doc.pk!)) continue;
    // Whoever speaks in a programme's chat gets a person record there with no role (src/teams/conversation-refs.ts); a role would show.
    if (container === 'people' && ofA.has(personKey(TENANT_ID, doc.id)) && !(doc as { programme?: boolean }).programme) continue;
    const { _etag, _ts, _rid, _self, _attachments, ...rest } = doc as unknown as Record<string, unknown>;
    out.set(key, JSON.stringify(rest));
  }
  return out;
}
let last: Map<string, string> | undefined;
/** What the bot answers when a route throws something unexpected (src/teams/app.ts): a refusal must say why instead. */
const CRASHED = 'something went wrong on our side';
/** How much the embedded store has journalled: unchanged, nothing was written, so the last snapshot still holds. */
const journalled = () => readdirSync(bot.config.dataDir).filter((f) => f.startsWith('journal')).reduce((n, f) => n + statSync(path.join(bot.config.dataDir, f)).size, 0);

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => `${k}: ${before.get(k) ?? '(none)'} -> ${after.get(k) ?? '(deleted)'}`);
}

/**
 * Runs one case: `act` posts what the person did. Then any file consent card the person was sent is accepted,
 * due jobs run, and what changed and what was sent is checked. Words the person typed themselves (`typed`) may
 * come back to them; every other word of B is a leak.
 */
async function probe(label: string, act: () => Promise<{ status: number; body: any }>, who: From, typed = '', inB = false): Promise<string[]> {
  const calls = bot.stub.calls.length;
  const uploads = target.puts.length;
  last ??= await snapshot();
  const before = last;
  const written = journalled();
  const res = await act();
  for (const c of bot.stub.calls.slice(calls)) {
    const consent = c.body?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    if (consent) await bot.post(acceptFile(who, consent, target.url));
  }
  await runJobs(bot);
  if (journalled() !== written) last = await snapshot();
  const problems = changes(before, last).map((c) => `${label}: changed ${c}`);
  if (res.status >= 500) problems.push(`${label}: HTTP ${res.status}`);
  if (JSON.stringify(res.body ?? '').includes(CRASHED)) problems.push(`${label}: the bot failed (${CRASHED})`);
  const sent = [JSON.stringify(res.body ?? ''), ...bot.stub.calls.slice(calls).map((c) => JSON.stringify(c.body ?? '')), ...target.puts.slice(uploads).map((p) => p.toString('utf8'))].join('\n');
  // B's meeting chat shows its own workstream and meeting: naming them there tells its members nothing new.
  const shownThere = inB ? [B_TEXT.workstream, B_TEXT.meeting] : [];
  const leaked = B_TOKENS.filter((t) => !typed.includes(t) && !shownThere.includes(t) && sent.includes(t));
  if (leaked.length) problems.push(`${label}: sent ${leaked.join(', ')}`);
  return problems;
}

// ---- The table: what each verb gets, by the names of its payload's fields. ----

/** The schema under optional/default/effects wrappers. */
function core(s: z.ZodTypeAny): z.ZodTypeAny {
  const d = s._def;
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) return core(d.innerType);
  if (s instanceof z.ZodEffects) return core(d.schema);
  if (s instanceof z.ZodCatch) return core(d.innerType);
  if (s instanceof z.ZodPipeline) return core(d.in);
  return s;
}

function fieldsOf(verb: Verb): Record<string, z.ZodTypeAny> {
  const s = core(PAYLOADS[verb] as z.ZodTypeAny);
  if (!(s instanceof z.ZodObject)) throw new Error(`no case for verb ${verb}: its payload is not an object`);
  return s.shape;
}

type Variant = keyof BIds['contributions'];

/** B's programme priority a verb acts on: a waiting one to confirm or decline, the confirmed one to retire or link. */
const priorityFor = (verb: Verb) => (['programme_priority_confirm', 'programme_priority_decline'].includes(verb) ? b.priorities.pending : b.priorities.confirmed);

/** B's resource for a field, by naming convention; undefined when the field is not about a resource. */
function resourceFor(field: string, variant: Variant, verb: Verb): string | undefined {
  if (field === 'programmeId') return b.programmeId;
  if (field === 'proposalId') return verb.startsWith('agenda_') ? b.agendaId : b.proposalId;
  if (field === 'priorityId') return priorityFor(verb);
  if (field === 'answeredAt') return b.answeredAt;
  if (field === 'workstreamId') return b.workstreamId;
  if (field === 'meetingId') return b.meetingId;
  if (field === 'contributionId') return b.contributions[variant];
  if (field === 'claimId') return b.claimId;
  if (field === 'areaId' || field === 'priorityAreaId' || field === 'priorityAreaIds') return b.areaId;
  if (/^(person|lxp|user|remove|newLead|owner|newOwner|member)Ids?$/.test(field) || ['chairIds', 'staffIds', 'present'].includes(field)) return erin.aadObjectId;
  if (field === 'submissionId') return `probe-${Math.random().toString(36).slice(2)}`;
  if (/Ids?$/.test(field)) throw new Error(`no B resource for field ${field}`);
  return undefined;
}

/** Fields that are not resources: a valid value that is A's own (so a reply showing it is no leak). */
const PLAIN: Record<string, unknown> = {
  news: 'good_news', quietDays: '', understood: 'true', dueDate: '2026-12-31', newDate: '2027-01-31', waitDays: '7', then: '', part: '0', presentedDue: '', dueAt: '',
  awayWeeks: '4', stops: 'follow_ups,digests', from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', period: 'this year',
};

function sample(field: string, s: z.ZodTypeAny): unknown {
  if (field in PLAIN) return PLAIN[field];
  const t = core(s);
  if (t instanceof z.ZodEnum) return t.options[0];
  if (t instanceof z.ZodUnion) return (t.options as z.ZodTypeAny[]).some((o) => core(o) instanceof z.ZodBoolean) ? 'false' : sample(field, t.options[0]);
  if (t instanceof z.ZodBoolean) return false;
  if (t instanceof z.ZodNumber) return 0;
  const max = t instanceof z.ZodString ? t.maxLength : null;
  return 'probe from programme A'.slice(0, max ?? undefined);
}

/** Inputs a payload carries beyond its declared fields (passthrough), named after B's resources. */
const EXTRA: Partial<Record<Verb, (variant: Variant) => Record<string, unknown>>> = {
  check_correct: (v) => ({ [`words_${b.contributions[v]}`]: 'probe from programme A' }),
  suggestions_save: () => ({ suggested: `t1:${erin.aadObjectId}`, pick_t1: 'true', words_t1: 'probe from programme A', kind_t1: 'suggestion' }),
  // Per-priority inputs: B's priority area, and a reason.
  programme_priority_confirm: () => ({ [`areas_${b.priorities.pending}`]: b.areaId }),
  programme_priority_decline: () => ({ [`reason_${b.priorities.pending}`]: 'probe from programme A' }),
  programme_priority_link: () => ({ [`areas_${b.priorities.confirmed}`]: b.areaId }),
  // Answers the card offers, so an LXP of A saves their own (and nothing of B's changes).
  equality_save: () => Object.fromEntries(EQUALITY_QUESTIONS.map((q) => [q.key, q.choices[0].value])),
};

function payloadFor(verb: Verb, variant: Variant): Record<string, unknown> {
  const data: Record<string, unknown> = { programmeId: b.programmeId };
  for (const [field, s] of Object.entries(fieldsOf(verb))) {
    let value: unknown;
    try {
      value = resourceFor(field, variant, verb) ?? sample(field, s);
    } catch (err) {
      throw new Error(`no case for verb ${verb}: ${(err as Error).message}`);
    }
    data[field] = value;
  }
  Object.assign(data, EXTRA[verb]?.(variant));
  const parsed = PAYLOADS[verb].safeParse(data);
  if (!parsed.success) throw new Error(`no case for verb ${verb}: the payload made by convention does not parse (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  return data;
}

const VERBS = ROUTES.flatMap((r) => (r.on === 'verb' ? [r.verb] : []));
/** Verbs that can change who the presser is (start a programme, choose one), run after the rest. */
const LAST: Verb[] = ['programme_choose', 'programme_claim'];
const ORDERED = [...VERBS.filter((v) => !LAST.includes(v)), ...LAST.filter((v) => VERBS.includes(v))];
const FILES = ROUTES.flatMap((r) => (r.on === 'file' ? [r] : []));
const COMMANDS = [...new Set([...ROUTES.flatMap((r) => (r.on === 'command' ? [r.command] : [])), ...manifest.bots.flatMap((x) => x.commandLists.flatMap((l) => l.commands.map((c) => c.title)))])];
const QUESTIONS = ROUTES.flatMap((r) => (r.on === 'command' && r.question ? [r.question] : []));
/** What a typed command or a question is given: nothing, and B's names. */
const ARGUMENTS = ['', B_TEXT.workstream, B_TEXT.areas[0], erin.name, 'claims December 2026'];
const WHERE = { 'personal chat': undefined, "B's meeting chat": B_CHAT } as const;

beforeAll(async () => {
  bot = await startBot({ FOLLOWUP_AFTER: 'P14D' }, { clock, questionsModel: model });
  target = await uploadTarget();
  await programmeA();
  b = await programmeB();
  await runJobs(bot);
  for (const name of Object.keys(ACTORS)) await as(bot, ACTORS[name]).say('help');
}, 120_000);
afterAll(async () => {
  await target?.close();
  await bot?.close();
});

describe('nothing of programme B reaches programme A (HTTP, one bot, every route)', () => {
  it('the route table has cases: every verb payload can be filled from B\'s resources', () => {
    expect(VERBS.length).toBeGreaterThan(30);
    for (const verb of VERBS) expect(() => payloadFor(verb, 'named')).not.toThrow();
    expect(COMMANDS.length).toBeGreaterThan(10);
  });

  it.each(FILES.map((f) => [`${f.answer}${f.kind ? ` (${f.kind})` : ''}`, f] as const))('file answer %s on B\'s consent card, by each role of A, uploads nothing of B', async (_name, route) => {
    const consent = route.kind === undefined ? b.exportConsent : ({ my_data: b.myDataConsent, programme_close: b.closeConsent, my_impact: b.impactConsent } as Record<string, unknown>)[route.kind];
    if (!consent) throw new Error(`no case for file answer kind ${route.kind}`);
    const problems: string[] = [];
    for (const [role, who] of Object.entries(ACTORS)) {
      const activity = acceptFile(who, consent, target.url);
      activity.value.action = route.answer;
      const uploads = target.puts.length;
      problems.push(...(await probe(`${route.answer} of B's ${route.kind ?? 'export'} by the ${role}`, () => bot.post(activity), who)));
      if (target.puts.length > uploads) problems.push(`${route.answer} of B's ${route.kind ?? 'export'} by the ${role}: a file was uploaded`);
    }
    expect(problems).toEqual([]);
  });

  it.each(COMMANDS)('typed command "%s", with B\'s names, by each role of A, changes nothing of B and shows nothing of it', async (command) => {
    const problems: string[] = [];
    for (const [where, conversationId] of Object.entries(WHERE)) {
      for (const [role, who] of Object.entries(ACTORS)) {
        for (const arg of ARGUMENTS) {
          const text = `${command} ${arg}`.trim();
          const activity = conversationId ? groupMention({ text, from: who, conversationId }) : personalMessage({ text, from: who });
          problems.push(...(await probe(`"${text}" by the ${role} in ${where}`, () => bot.post(activity), who, text, !!conversationId)));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(QUESTIONS.map((q) => [q.action, q] as const))('plain-English question answered by %s, with B\'s names, by each role of A, shows nothing of B', async (_action, q) => {
    const problems: string[] = [];
    for (const [role, who] of Object.entries(ACTORS)) {
      for (const arg of ARGUMENTS) {
        nextTool = { name: q.action, args: q.param ? { [q.param]: arg } : {} };
        modelTurn = 0;
        const text = `what happened in ${arg || 'the programme'}?`;
        problems.push(...(await probe(`question "${text}" (${q.action}) by the ${role}`, () => bot.post(personalMessage({ text, from: who })), who, `${text} ${arg}`)));
      }
    }
    nextTool = undefined;
    expect(problems).toEqual([]);
  });

  it('figures: A\'s report counts A\'s one contribution, B\'s report B\'s three', async () => {
    const recorded = async (who: From) => {
      const card = (await as(bot, who).say('report')).map((s) => cardOf(s.activity)).find(Boolean);
      return reportRowsOf(card)['Contributions recorded']?.[0];
    };
    expect(await recorded(people.priya)).toBe('1');
    expect(await recorded(bob)).toBe('3');
  });

  // Last: programme_claim starts a programme of the presser's own, after which each of them is in two.
  it.each(ORDERED)('card verb %s, pressed by each role of A on B\'s resources, changes nothing of B and shows nothing of it', async (verb) => {
    const variants: Variant[] = 'contributionId' in fieldsOf(verb) ? ['named', 'anonymous', 'restricted'] : ['named'];
    const problems: string[] = [];
    for (const [where, conversationId] of Object.entries(WHERE)) {
      for (const [role, who] of Object.entries(ACTORS)) {
        for (const variant of variants) {
          const data = payloadFor(verb, variant);
          const activity = actionExecute({ verb, data, from: who, conversationType: conversationId ? 'groupChat' : 'personal', conversationId, replyToId: 'card-1' });
          problems.push(...(await probe(`${verb} (${variant}) by the ${role} in ${where}`, () => bot.post(activity), who, '', !!conversationId)));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('B\'s words were there to be found: B\'s own lead sees them on a card and in the export file', async () => {
    // Without this, a scan that finds nothing might be looking in the wrong place.
    const setup = textOf(await as(bot, bob).say('setup'));
    expect(setup).toContain(B_TEXT.workstream);
    expect(setup).toContain(yusuf.name);
    const uploads = target.puts.length;
    await bot.post(acceptFile(bob, b.exportConsent, target.url));
    expect(target.puts.slice(uploads).map((p) => p.toString('utf8')).join('')).toContain(B_TEXT.outcome);
    // Issues 22 and 23: B's team reads the priorities; B's chair was sent Erin's addition, B's owner her answer.
    const priorities = textOf(await as(bot, yusuf).say('priorities'));
    expect(priorities).toContain(B_TEXT.priority.title);
    expect(priorities).toContain(B_TEXT.pending.why);
    const toB = (who: From) => JSON.stringify(bot.stub.sentActivities(personalConversationId(who)).map((s) => s.activity));
    expect(toB(dana)).toContain(B_TEXT.proposal);
    expect(toB(finn)).toContain(B_TEXT.answer);
  });
});
