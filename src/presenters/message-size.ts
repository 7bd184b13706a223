/**
 * Teams refuses a bot message over about 100 KB, counted in UTF-16 (two bytes
 * a character here), and advises staying under 80 KB. A card's list of what
 * people said keeps to this many characters of JSON, which leaves room for the
 * rest of the card and its template.
 */
export const LIST_BUDGET_CHARS = 24_000;

/** What a template adds around each item of a list (its elements, their properties, separators), rounded up. */
const ITEM_FRAME_CHARS = 500;

/**
 * Splits `items` into runs that each fit one message's list budget. An item is
 * never split, and there is always at least one run (empty for no items).
 */
export function inParts<T>(items: T[], budget = LIST_BUDGET_CHARS): T[][] {
  const parts: T[][] = [[]];
  let used = 0;
  for (const item of items) {
    const size = JSON.stringify(item).length + ITEM_FRAME_CHARS;
    if (used + size > budget && parts[parts.length - 1].length) {
      parts.push([]);
      used = 0;
    }
    parts[parts.length - 1].push(item);
    used += size;
  }
  return parts;
}

/** How much of someone's words a card shows where the words are only a reminder (they are in full elsewhere). */
export const SHORT_WORDS = 280;

/** Cut at a word boundary, with an ellipsis, when longer than `max` characters: for a reminder of words shown in full elsewhere. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
