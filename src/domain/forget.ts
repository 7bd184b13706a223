/**
 * "Forget me", as pure functions over documents. The same idea of "mentions
 * this person" drives `my data` (what we hold), `forget me` (what we erase)
 * and the tests that scan every container, so the three cannot disagree.
 */

/** What identifies a person in stored documents: their AAD object id, their Teams id (29:...), and their display name. */
export interface PersonTraces {
  ids: string[];
  name?: string;
  /** Their words, where a copy may sit outside the contribution (a message waiting in a job). */
  texts?: string[];
}

/** Shown wherever a forgotten person's name was; the setup card already leaves people with this name out. */
export const FORGOTTEN_NAME = 'A person who asked to be forgotten';
export const FORGOTTEN_ACTION = 'forgotten';
/** On the forget me card, "all my programmes" rather than one programme's id (issue 18). */
export const FORGET_EVERYWHERE = 'all';
/** Their name inside text someone typed ("thanks to Sam Okafor") reads better as this, and stays short. */
export const NAME_REMOVED = '[name removed]';

/**
 * Display names shorter than this are not searched for inside free text: "Al"
 * would match half the words people say. Exact ids are always matched.
 */
const MIN_NAME_LENGTH = 4;
/** The same for words: a copy of "Yes" is not a copy of what they said. */
const MIN_TEXT_LENGTH = 12;

export function tracesOf(ids: (string | undefined)[], name?: string, texts: string[] = []): PersonTraces {
  const clean = [...new Set(ids.filter((i): i is string => !!i && i.length > 0))];
  const n = name?.trim();
  return {
    ids: clean,
    name: n && n.length >= MIN_NAME_LENGTH && n !== FORGOTTEN_NAME ? n : undefined,
    texts: [...new Set(texts.map((t) => t.trim()).filter((t) => t.length >= MIN_TEXT_LENGTH))],
  };
}

/**
 * Whether any id or the name appears anywhere in a document: values, keys,
 * inside longer strings (job ids, conversation ids). Matching inside strings
 * is safe because AAD object ids are GUIDs and Teams ids long opaque
 * strings: one is never part of another person's.
 */
export function mentions(doc: unknown, who: PersonTraces): boolean {
  const text = JSON.stringify(doc) ?? '';
  return who.ids.some((id) => text.includes(id)) || (!!who.name && text.includes(who.name)) || (who.texts ?? []).some((t) => text.includes(JSON.stringify(t).slice(1, -1)));
}

function replaceName(s: string, who: PersonTraces): string {
  let out = who.name ? s.split(who.name).join(NAME_REMOVED) : s;
  for (const t of who.texts ?? []) if (out.includes(t)) out = out.split(t).join('');
  return out;
}

/**
 * A copy of `value` with the person replaced everywhere: a string that is one
 * of their ids becomes the placeholder, an object key that is one becomes
 * the placeholder (attendance is keyed by person), ids and the name inside
 * longer strings are replaced too, and copies of their words are cut out.
 */
export function scrub<T>(value: T, who: PersonTraces, placeholder: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (who.ids.includes(v)) return placeholder;
      let s = v;
      for (const id of who.ids) if (s.includes(id)) s = s.split(id).join(placeholder);
      return replaceName(s, who);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [who.ids.includes(k) ? placeholder : k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Free text someone else typed (an outcome, a meeting title): only the name is replaced, the rest is theirs. */
export function withoutName(text: string, who: PersonTraces): string {
  return replaceName(text, who);
}
