import * as ACData from 'adaptivecards-templating';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export type CardJson = Record<string, unknown>;

export const CARDS_DIR = path.resolve(__dirname, '../../cards');
const cache = new Map<string, CardJson>();

export function loadTemplate(name: string): CardJson {
  let t = cache.get(name);
  if (!t) {
    t = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as CardJson;
    cache.set(name, t);
  }
  return t;
}

/**
 * Fills cards/<name>.json with data. Everything a person typed must already
 * have passed through `plain()` so it shows as text, not markdown.
 */
export function renderCard(name: string, data: object): CardJson {
  return preparedTemplate(name).expand({ $root: data }) as CardJson;
}

// Preparing a template parses every ${...} in it (an ANTLR parse each): about a fifth of the CPU of a
// log_save turn. A prepared Template is meant to be expanded again and again, and expand() is synchronous.
const prepared = new Map<string, ACData.Template>();
function preparedTemplate(name: string): ACData.Template {
  let t = prepared.get(name);
  if (!t) {
    t = new ACData.Template(loadTemplate(name));
    prepared.set(name, t);
  }
  return t;
}

/**
 * What a person typed is shown in cards only inside RichTextBlock TextRuns,
 * which Adaptive Cards never treat as markdown, so no link or emphasis
 * appears that they did not write. Teams also expands {{DATE(...)}} and
 * {{TIME(...)}} in card text: break those braces so typed text stays text.
 */
export function plain(text: string): string {
  return text.replace(/\{\{/g, '{\u200b{').replace(/\}\}/g, '}\u200b}');
}
