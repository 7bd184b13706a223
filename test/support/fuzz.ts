import fc, { type Arbitrary } from 'fast-check';
import type { ZodTypeAny } from 'zod';
import { KINDS } from '../../src/domain/contribution';
import { actionExecute, groupMention, personalMessage, type From } from '../harness/activities';

/**
 * Generated card payloads and typed commands for the fuzz suite: each field
 * is mostly a plausible value for its name (real ids of this tenant, other
 * people's ids, stale ids), and otherwise a wrong type, a huge or nasty
 * string, or missing. Who sends it, from which tenant and which chat varies
 * too.
 */
export interface Pools {
  contributionIds: string[];
  meetingIds: string[];
  workstreamIds: string[];
  personIds: string[];
  areaIds: string[];
  words: string[];
  /** Extra words for commands: workstream and area names, periods. */
  commandArgs: string[];
}

export interface Sender {
  from: From;
  tenantId: string;
}

export const MARKDOWN = '**bold** [link](http://x) {{DATE(2026-01-01T00:00:00Z, SHORT)}}';
const huge = fc.constantFrom('x'.repeat(201), 'y'.repeat(2_001), 'z'.repeat(20_001), '界'.repeat(60_000), `${'a,'.repeat(5_000)}b`);
const nasty = fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', 'a/b', 'a#b?c=d', '%2F%00', MARKDOWN, '<at>Golden Thread</at>', '\u202eevil', '😀👩‍👩‍👧', 'null', '__proto__', 'constructor', '1e309', "'; DROP TABLE c; --", '${id}', 'SELECT * FROM c');
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }));
// Mostly ASCII (cheap to generate in bulk), with a fixed set of hard Unicode mixed in.
const anyText = fc.oneof({ arbitrary: fc.string({ maxLength: 80 }), weight: 4 }, { arbitrary: fc.constantFrom('Zoë “quoted”', 'مرحبا', '𝕏 \uD800 lone', 'a\r\nb\tc', '\u200b\u200d'), weight: 1 });

/** A field: usually plausible, sometimes anything else. */
const field = (valid: Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: wrongType, weight: 1 }, { arbitrary: huge, weight: 1 }, { arbitrary: nasty, weight: 1 }, { arbitrary: anyText, weight: 1 });

/** The values a zod enum (however wrapped) accepts, found by walking its definition. */
export function enumValues(schema: ZodTypeAny | undefined): string[] {
  const seen = new Set<unknown>();
  const walk = (s: any): string[] => {
    if (!s || seen.has(s)) return [];
    seen.add(s);
    const d = s._def ?? {};
    if (Array.isArray(d.values)) return d.values.map(String);
    if (d.typeName === 'ZodLiteral') return [String(d.value)];
    return [d.innerType, d.schema, d.in, d.out, ...(d.options ?? []), d.left, d.right, d.type].flatMap(walk);
  };
  return [...new Set(walk(schema))];
}

const csvOf = (pool: string[]) => fc.subarray(pool).map((ids) => ids.join(','));
const date = fc.oneof(fc.constantFrom('2026-03-23', '2026-02-30', '1999-01-01', '2099-12-31', '23/03/2026', ''), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
const bool = fc.oneof(fc.constantFrom('true', 'false', true, false), fc.constant('yes'));

function validFor(name: string, schema: ZodTypeAny, p: Pools): Arbitrary<unknown> {
  const choices = enumValues(schema);
  if (/^(contributionId)$/.test(name)) return fc.constantFrom(...p.contributionIds);
  if (/^meetingId$/.test(name)) return fc.constantFrom(...p.meetingIds);
  if (/^workstreamId$/.test(name)) return fc.constantFrom(...p.workstreamIds, '', 'programme');
  if (/^(personId|ownerId|newOwnerId)$/.test(name)) return fc.constantFrom(...p.personIds, '');
  if (/^areaId$/.test(name)) return fc.constantFrom(...p.areaIds);
  if (/^(lxpIds|chairIds|staffIds)$/.test(name)) return fc.oneof(csvOf(p.personIds), fc.subarray(p.personIds));
  if (/^priorityAreaIds$/.test(name)) return csvOf(p.areaIds);
  if (/^kind$/.test(name)) return fc.constantFrom(...KINDS);
  if (/^(news|quietDays)$/.test(name)) return csvOf(choices.length ? choices : ['good_news', 'not_taken_forward', 'under_consideration', '0', '1', '6', '7']);
  if (/^(dueDate|newDate)$/.test(name)) return date;
  if (/^(dueAt|expectedUpdatedAt)$/.test(name)) return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('2026-03-23T10:00:00.000Z'));
  if (/^(anonymous|restricted|quoteInReports|revealToOwner|understood)$/.test(name)) return bool;
  if (/^submissionId$/.test(name)) return fc.oneof(fc.uuid(), fc.constant('fuzz-same-submission'));
  if (choices.length) return fc.constantFrom(...choices, 'not-a-choice');
  return fc.oneof(fc.constantFrom(...p.words), anyText);
}

/** Payloads for one card verb, from its zod schema's fields. */
export function payloadArb(verb: string, schema: ZodTypeAny, p: Pools): Arbitrary<unknown> {
  const shape: Record<string, ZodTypeAny> = (schema as any).shape ?? (schema as any)._def?.schema?.shape ?? {};
  const model = Object.fromEntries(Object.entries(shape).map(([name, s]) => [name, field(validFor(name, s, p))]));
  const extras = fc.dictionary(fc.constantFrom('extra', 'action', 'verb', 'tenantId', '__proto__', 'x'), field(anyText), { maxKeys: 2 });
  let record = fc.tuple(fc.record(model, { requiredKeys: [] }), extras).map(([r, e]) => ({ ...e, ...r }) as Record<string, unknown>);
  if (verb === 'check_correct') {
    record = fc.tuple(record, field(fc.constantFrom(...p.words))).map(([r, w]) => ({ ...r, [`words_${typeof r.contributionId === 'string' ? r.contributionId : JSON.stringify(r.contributionId)}`]: w }));
  }
  return fc.oneof({ arbitrary: record, weight: 12 }, { arbitrary: wrongType, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
}

/** Typed text for one command: the command, then nothing, an argument from the pools, or junk. */
export function commandArb(command: string, p: Pools): Arbitrary<string> {
  const arg = fc.oneof(
    fc.constant(''),
    fc.constantFrom(...p.commandArgs, ...p.contributionIds, ...p.personIds),
    anyText,
    huge.map((h) => h.slice(0, 20_000)),
    nasty,
    fc.constantFrom(...p.words).map((w) => `Sam: ${w}`),
  );
  const spelled = fc.constantFrom(command, command.toUpperCase(), `  ${command}`, command.replace(' ', '  '));
  return fc.tuple(spelled, arg).map(([c, a]) => (a ? `${c} ${a}` : c));
}

export type Where = 'personal' | 'meeting' | 'otherChat';
export interface Chats {
  meeting: string;
  other: string;
}

// Builders read a fixture from disk and deep-merge; fine for a test, too slow for 40,000. Each shape is built once, then copied shallowly.
const bases = new Map<string, any>();
let seq = 0;
function fresh(key: string, build: () => any, patch: (a: any) => void): any {
  let base = bases.get(key);
  if (!base) bases.set(key, (base = build()));
  const a = { ...base, id: `fz${Date.now()}${++seq}`, timestamp: new Date().toISOString(), value: base.value ? { ...base.value, action: base.value.action ? { ...base.value.action } : undefined } : undefined };
  patch(a);
  return a;
}

export function invokeActivity(verb: string, data: unknown, s: Sender, where: Where, chats: Chats) {
  const conversationType = where === 'personal' ? 'personal' : 'groupChat';
  const conversationId = where === 'meeting' ? chats.meeting : where === 'otherChat' ? chats.other : undefined;
  return fresh(`i|${s.from.aadObjectId}|${s.tenantId}|${where}`, () => actionExecute({ verb: 'x', data: {}, from: s.from, tenantId: s.tenantId, conversationType, conversationId, replyToId: 'card-1' }), (a) => {
    a.value.action.verb = verb;
    a.value.action.id = verb;
    a.value.action.data = data;
  });
}

export function messageActivity(text: string, s: Sender, where: Where, chats: Chats) {
  const build = () =>
    where === 'personal'
      ? personalMessage({ text: '', from: s.from, tenantId: s.tenantId })
      : groupMention({ text: '', from: s.from, tenantId: s.tenantId, conversationId: where === 'meeting' ? chats.meeting : chats.other });
  return fresh(`m|${s.from.aadObjectId}|${s.tenantId}|${where}`, build, (a) => {
    a.text = where === 'personal' ? text : `<at>Golden Thread</at> ${text}`;
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}
