import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR, type CardJson } from '../../src/presenters/render-card';
import { nothingRecordedCard } from '../../src/presenters/nothing-recorded';
import { cardText } from '../support/e2e';
import { buildMeeting } from '../support/lxp-fixtures';
import { AdaptiveCardsParser } from './adaptive-cards-dom';
import { eachOfType, placesOf, unknownProperties } from './schema-1-5';

/**
 * cards/nothing-recorded.json: sent 1:1 to an LXP who attended a meeting and has nothing in its record. The
 * checks test/cards/cards.test.ts makes of every card (1.5, only 1.5 properties, the title only as TextRun text),
 * and what it says: the meeting and its date, until when they can add, who decides, and one button that opens
 * the add-to-the-record card for that meeting.
 */
const TZ = 'Europe/London';
const template = (): CardJson => JSON.parse(readFileSync(path.join(CARDS_DIR, 'nothing-recorded.json'), 'utf8')) as CardJson;
const draw = (title: string) =>
  nothingRecordedCard({ meeting: buildMeeting({ id: 'm-7', title, startedAt: '2026-03-09T10:00:00.000Z' }), until: new Date('2026-03-16T11:00:00.000Z'), timeZone: TZ });

let parser: AdaptiveCardsParser;
beforeAll(() => {
  parser = new AdaptiveCardsParser();
});
afterAll(() => parser?.close());

it('is a 1.5 card the adaptivecards parser accepts, with only 1.5 properties and no input', () => {
  const t = template();
  expect(t.version).toBe('1.5');
  expect(parser.events(t, { validate: false })).toEqual([]);
  expect(parser.events(draw('Crisis pathway review'), { validate: true }).filter((e) => e.event !== 'Hint')).toEqual([]);
  expect(unknownProperties(t)).toEqual([]);
  const inputs: string[] = [];
  eachOfType(t, 'Input.', (_input, where) => inputs.push(where));
  expect(inputs).toEqual([]);
});

it('says plainly that nothing was recorded from them in that meeting, on its day, and how to add something until when', () => {
  const text = cardText(draw('Crisis pathway review')).replace(/\s+/g, ' ');
  expect(text).toContain('Nothing was recorded from you in Crisis pathway review on Monday 9 March 2026');
  expect(text).toContain('Thank you for being there.');
  expect(text).toContain('in your own words');
  expect(text).toContain('the chair, who adds it to the record or tells you why not');
  expect(text).toContain('You can add until Monday 16 March 2026');
  expect(text).not.toMatch(/\$\{/);
  // Nobody is blamed: not them, not the chair.
  expect(text).not.toMatch(/forgot|missed|fail|should have|sorry/i);
});

it('has one button, "Add something to the record", which opens the add-to-the-record card for that meeting', () => {
  const actions: Record<string, unknown>[] = [];
  eachOfType(draw('Crisis pathway review'), 'Action.', (a) => actions.push(a));
  expect(actions).toEqual([{ type: 'Action.Execute', title: 'Add something to the record', verb: 'proposal_open', data: { meetingId: 'm-7' } }]);
});

it('shows the meeting title as typed, only as TextRun text, with Teams date braces broken', () => {
  const typed = '**bold** [link](http://x) {{DATE(2026-01-01T00:00:00Z)}}';
  const card = draw(`Review ${typed}`);
  const places = placesOf(card, '**bold** [link](http://x)');
  expect(places.length).toBeGreaterThan(0);
  expect(places.every((p) => p.holder === 'TextRun' && p.key === 'text')).toBe(true);
  expect(JSON.stringify(card)).not.toContain('{{DATE');
});
