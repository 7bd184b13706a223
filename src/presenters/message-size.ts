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
