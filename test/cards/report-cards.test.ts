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
import { REPORT_SAMPLES, report as reportOf } from './report-samples';
import { reportCard } from '../../src/presenters/report';

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

describe('the report card draws its main figures as Teams charts, with a fallback a 1.5 client shows', () => {
  const chartsOf = (card: object) => {
    const found: Record<string, unknown>[] = [];
    eachOfType(card, 'Chart.', (c) => found.push(c));
    return found;
  };

  test('outcomes and LXP answers are charted with the figures of the table', async () => {
    const w = await buildWorld();
    const card = await REPORT_SAMPLES.report['in a shared chat: figures only'](w);
    const charts = chartsOf(card);
    expect(charts.map((c) => c.title)).toEqual(['What happened to contributions recorded this period', 'LXP answers to "you said, we did"']);
    expect(charts[0].data).toEqual(
      expect.arrayContaining([{ x: 'Adopted', y: 3 }, { x: 'Not taken forward', y: 1 }, { x: 'No outcome yet', y: 5 }]),
    );
    expect(charts[1].data).toEqual([{ x: 'This was helpful', y: 3 }, { x: "I'd like to talk about it", y: 1 }, { x: "This doesn't reflect what I said", y: 0 }, { x: 'I disagree with the decision', y: 0 }]);
  });

  test('the adaptivecards renderer (a client without charts) shows each chart as labelled bars with their numbers', async () => {
    const w = await buildWorld();
    const text = parser.renderedText(await REPORT_SAMPLES.report['in a shared chat: figures only'](w));
    expect(text).toContain('What happened to contributions recorded this period');
    expect(text).toMatch(/Adopted\s*3/);
    expect(text).toMatch(/No outcome yet\s*5/);
    expect(text).toMatch(/This doesn't reflect what I said\s*0/);
  });

  test('bars are proportional: the largest fills the bar span, zero draws none', async () => {
    const w = await buildWorld();
    const card = await REPORT_SAMPLES.report['in a shared chat: figures only'](w);
    const rows = (chartsOf(card)[1].fallback as { items: { columns?: { width: unknown; style?: string }[] }[] }).items.filter((i) => i.columns);
    const widths = rows.map((r) => r.columns!.map((c) => c.width));
    expect(widths).toEqual([[45, 40, '40px'], [45, 13, 27, '40px'], [45, 40, '40px'], [45, 40, '40px']]);
    expect(rows[0].columns![1].style).toBe('accent');
    expect(rows[2].columns![1].style).toBeUndefined();
  });

  test('a chart with nothing to show is left out', async () => {
    const w = await buildWorld();
    const r = await REPORT_SAMPLES.report['in a shared chat: figures only'](w);
    expect(chartsOf(r)).toHaveLength(2);
    const empty = reportCard({ ...reportOf(w), current: { ...reportOf(w).current, answers: { helpful: 0, want_to_talk: 0, does_not_reflect: 0, disagree_decision: 0 } } });
    expect(chartsOf(empty).map((c) => c.title)).toEqual(['What happened to contributions recorded this period']);
  });

  test.each([
    ['no fallback', undefined],
    ['a dropped fallback', 'drop'],
    ['another chart as the fallback', { type: 'Chart.HorizontalBar', data: [] }],
  ])('the 1.5 checker refuses a chart with %s', (_case, fallback) => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Chart.HorizontalBar', title: 'T', data: [{ x: 'a', y: 1 }], ...(fallback === undefined ? {} : { fallback }) }] };
    expect(unknownProperties(card)).toEqual([{ path: '$.body[0].fallback', message: 'Chart.HorizontalBar needs a fallback made of 1.5 elements, for clients that cannot draw charts' }]);
  });

  test('the parser still reports any other unknown element', () => {
    const events = parser.events({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Chart.Sankey', fallback: { type: 'TextBlock', text: 'x' } }] }, { validate: false });
    expect(events.map((e) => e.event)).toEqual(['UnknownElementType']);
  });
});
