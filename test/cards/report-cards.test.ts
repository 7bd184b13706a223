/*
 * The shared card checks (test/cards/cards.test.ts), run over the report
 * cards with REPORT_SAMPLES until those are merged into SAMPLES: filled,
 * valid 1.5, and what people typed only ever in TextRun text.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR } from '../../src/presenters/render-card';
import { PAYLOADS } from '../../src/app/payloads';
import { AdaptiveCardsParser } from './adaptive-cards-dom';
import { eachOfType, placesOf, unknownProperties } from './schema-1-5';
import { MARKDOWN, buildWorld } from './samples';
import { REPORT_SAMPLES } from './report-samples';

const SAFE = new Set(['TextRun.text', 'Input.Text.value', 'Input.Choice.title', 'Action.Execute.title']);
let parser: AdaptiveCardsParser;
beforeAll(() => {
  parser = new AdaptiveCardsParser();
});
afterAll(() => parser?.close());

describe.each(Object.keys(REPORT_SAMPLES))('cards/%s.json', (name) => {
  const template = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));

  test('template: version 1.5, nothing outside the 1.5 table, verbs have payloads', () => {
    expect(template.version).toBe('1.5');
    expect(parser.events(template, { validate: false })).toEqual([]);
    expect(unknownProperties(template)).toEqual([]);
    eachOfType(template, 'Action.Execute', (a) => expect(Object.keys(PAYLOADS)).toContain(a.verb));
  });

  test('samples are filled and validate', async () => {
    const w = await buildWorld();
    for (const [variant, build] of Object.entries(REPORT_SAMPLES[name])) {
      const card = await build(w);
      const json = JSON.stringify(card);
      expect({ variant, left: json.match(/\$\{[^}]*\}?|"\$(data|when)"/g) ?? [] }).toEqual({ variant, left: [] });
      expect({ variant, events: parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint') }).toEqual({ variant, events: [] });
      expect({ variant, unknown: unknownProperties(card) }).toEqual({ variant, unknown: [] });
    }
  });

  test('what people typed is shown only as TextRun text', async () => {
    const w = await buildWorld(MARKDOWN);
    for (const [variant, build] of Object.entries(REPORT_SAMPLES[name])) {
      const misplaced = placesOf(await build(w), MARKDOWN).filter((p) => !SAFE.has(`${p.holder}.${p.key}`)).map((p) => `${variant}: ${p.path}`);
      expect(misplaced).toEqual([]);
    }
  });
});
