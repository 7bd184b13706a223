/*
 * Every card in cards/, as a template and filled by its presenter with the
 * samples in test/cards/samples.ts:
 *   - JSON, type AdaptiveCard, version ≤ 1.5;
 *   - the `adaptivecards` package's own parser (1.5) reports nothing;
 *   - no property outside the 1.5 table (test/cards/schema-1-5.ts), anywhere;
 *   - every input has a label;
 *   - every Action.Execute verb has a payload schema and a registered route;
 *   - every ${...} is filled;
 *   - what people typed is shown only as TextRun text (never markdown).
 * New cards are picked up automatically; they need a sample.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR, type CardJson } from '../../src/presenters/render-card';
import { PAYLOADS } from '../../src/app/payloads';
import { ROUTES } from '../../src/app/routes';
import { AdaptiveCardsParser } from './adaptive-cards-dom';
import { ACTION_PROPERTIES, CARD_PROPERTIES, ELEMENT_PROPERTIES, PART_PROPERTIES, eachOfType, placesOf, unknownProperties } from './schema-1-5';
import { MARKDOWN, SAMPLES, buildWorld, type World } from './samples';

const CARD_FILES = readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const templateOf = (file: string): CardJson => JSON.parse(readFileSync(path.join(CARDS_DIR, file), 'utf8')) as CardJson;
const nameOf = (file: string) => file.replace(/\.json$/, '');
const noSample = (file: string) => `add a sample for cards/${file} in test/cards/samples.ts (SAMPLES['${nameOf(file)}'], built by calling its presenter)`;

let parser: AdaptiveCardsParser;
beforeAll(() => {
  parser = new AdaptiveCardsParser();
});
afterAll(() => parser?.close());

/** Filled samples, built once per world. */
const filled = new Map<string, Promise<{ variant: string; card: CardJson }[]>>();
let plainWorld: Promise<World> | undefined;
function samplesOf(name: string): Promise<{ variant: string; card: CardJson }[]> {
  let p = filled.get(name);
  if (!p) {
    plainWorld ??= buildWorld();
    p = plainWorld.then(async (w) => Promise.all(Object.entries(SAMPLES[name] ?? {}).map(async ([variant, build]) => ({ variant, card: await build(w) }))));
    filled.set(name, p);
  }
  return p;
}

const show = (x: unknown) => JSON.stringify(x, null, 2);

/** The verbs the bot's route table (src/app/routes.ts) answers: the single source the adapter registers. */
async function routedVerbs(verbs: string[]): Promise<Set<string>> {
  const routed = new Set(ROUTES.flatMap((r) => (r.on === 'verb' ? [r.verb as string] : [])));
  return new Set(verbs.filter((v) => routed.has(v)));
}

test('cards/ has cards', () => {
  expect(CARD_FILES.length).toBeGreaterThan(0);
});

test('the 1.5 table lists nothing the adaptivecards package places after 1.5', () => {
  const tables: Record<string, string[]> = { AdaptiveCard: CARD_PROPERTIES, ...ELEMENT_PROPERTIES, ...ACTION_PROPERTIES, ...PART_PROPERTIES };
  const newer: string[] = [];
  for (const [type, props] of Object.entries(tables)) {
    for (const prop of props) {
      const v = parser.propertyVersion(type, prop);
      if (v && Number(v) > 1.5) newer.push(`${type}.${prop} is ${v}`);
    }
  }
  expect(newer).toEqual([]);
});

describe.each(CARD_FILES)('cards/%s', (file) => {
  const name = nameOf(file);

  test('is JSON for an AdaptiveCard, version 1.5 or earlier', () => {
    const text = readFileSync(path.join(CARDS_DIR, file), 'utf8');
    let card: CardJson;
    try {
      card = JSON.parse(text) as CardJson;
    } catch (err) {
      throw new Error(`cards/${file} is not valid JSON: ${(err as Error).message}`);
    }
    expect(card.type).toBe('AdaptiveCard');
    expect(typeof card.version).toBe('string');
    const [major, minor] = String(card.version).split('.').map(Number);
    expect(major === 1 && minor >= 0 && minor <= 5).toBe(true);
  });

  test('the adaptivecards parser (1.5) reports nothing for the template', () => {
    expect(parser.events(templateOf(file), { validate: false })).toEqual([]);
  });

  test('uses only Adaptive Cards 1.5 properties, including inside Action.ShowCard cards', () => {
    expect(unknownProperties(templateOf(file))).toEqual([]);
  });

  test('every input has a label', () => {
    const unlabelled: string[] = [];
    eachOfType(templateOf(file), 'Input.', (input, at) => {
      if (typeof input.label !== 'string' || input.label.trim() === '') unlabelled.push(`${at} (${String(input.type)} "${String(input.id)}")`);
    });
    expect(unlabelled).toEqual([]);
  });

  test('every Action.Execute verb has a payload schema and a route', async () => {
    const verbs: string[] = [];
    const problems: string[] = [];
    eachOfType(templateOf(file), 'Action.', (action, at) => {
      if (action.type === 'Action.Submit') problems.push(`${at}: Action.Submit; the bot routes Action.Execute verbs only`);
      if (action.type !== 'Action.Execute') return;
      const verb = action.verb;
      if (typeof verb !== 'string' || verb === '' || verb.includes('${')) problems.push(`${at}: verb must be a fixed, non-empty string, got ${show(verb)}`);
      else verbs.push(verb);
    });
    const routed = await routedVerbs([...new Set(verbs)]);
    for (const verb of new Set(verbs)) {
      if (!(verb in PAYLOADS)) problems.push(`verb "${verb}" has no payload schema in PAYLOADS (src/app/payloads.ts)`);
      if (!routed.has(verb)) problems.push(`verb "${verb}" has no route: add verb('${verb}', useCase) to ROUTES in src/app/routes.ts`);
    }
    expect(problems).toEqual([]);
  });

  test('has a sample built by its presenter', () => {
    if (!SAMPLES[name] || Object.keys(SAMPLES[name]).length === 0) throw new Error(noSample(file));
  });

  // Without a sample the test above fails with what to do; these two have nothing to check.
  test('samples fill every ${...}', async () => {
    for (const { variant, card } of await samplesOf(name)) {
      const json = JSON.stringify(card);
      const left = json.match(/\$\{[^}]*\}?/g) ?? [];
      expect({ variant, unfilled: left }).toEqual({ variant, unfilled: [] });
      const templatingKeys = json.match(/"\$(data|when)"/g) ?? [];
      expect({ variant, templatingKeys }).toEqual({ variant, templatingKeys: [] });
    }
  });

  test('filled samples parse and validate cleanly with adaptivecards (1.5) and the 1.5 table', async () => {
    for (const { variant, card } of await samplesOf(name)) {
      const events = parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint');
      expect({ variant, events }).toEqual({ variant, events: [] });
      expect({ variant, unknown: unknownProperties(card) }).toEqual({ variant, unknown: [] });
      const unlabelled: string[] = [];
      eachOfType(card, 'Input.', (input, at) => {
        if (typeof input.label !== 'string' || input.label.trim() === '') unlabelled.push(at);
      });
      expect({ variant, unlabelled }).toEqual({ variant, unlabelled: [] });
    }
  });
});

describe('what people typed', () => {
  /*
   * Contribution words, corrections, aims, next steps, meeting titles and the
   * names of workstreams and priority areas all come from someone's keyboard.
   * TextBlock and FactSet render markdown; TextRun never does. Input values,
   * choice titles and button titles are shown as typed.
   */
  const SAFE = new Set(['TextRun.text', 'Input.Text.value', 'Input.Choice.title', 'Action.Execute.title', 'Action.ShowCard.title', 'Action.Submit.title', 'Action.OpenUrl.title']);
  let marked: World;
  beforeAll(async () => {
    marked = await buildWorld(MARKDOWN);
  });

  test.each(Object.keys(SAMPLES))('is shown only as TextRun text in %s', async (name) => {
    const misplaced: string[] = [];
    for (const [variant, build] of Object.entries(SAMPLES[name])) {
      const card = await build(marked);
      for (const place of placesOf(card, MARKDOWN)) {
        if (!SAFE.has(`${place.holder}.${place.key}`)) misplaced.push(`${variant}: ${place.path} (${place.holder}.${place.key})`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  test.each(['log-contribution', 'minutes', 'lxp-check'])('reaches the %s card as TextRun text (so the check above means something)', async (name) => {
    const build = Object.values(SAMPLES[name])[0];
    const places = placesOf(await build(marked), MARKDOWN);
    expect(places.filter((p) => p.holder === 'TextRun' && p.key === 'text').length).toBeGreaterThan(0);
  });
});
