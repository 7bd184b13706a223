import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR, type CardJson } from '../../src/presenters/render-card';
import { SUGGESTIONS_PART_CHARS, suggestionCards, transcriptNote, whenSaid } from '../../src/presenters/suggestions';
import { noticeCard } from '../../src/presenters/setup';
import { suggestionsFromTranscript, withSummaries, type Suggestion } from '../../src/domain/transcript';
import { cardText } from '../support/e2e';
import { AdaptiveCardsParser } from './adaptive-cards-dom';
import { eachOfType, placesOf, unknownProperties } from './schema-1-5';
import { MARKDOWN, buildWorld, type World } from './samples';
import { teamsMetadata, teamsVtt, twoHourMeeting } from '../harness/graph-stub';

/**
 * The chair's "Suggested contributions" card (cards/suggested-contributions.json):
 * the same checks test/cards/cards.test.ts makes of every card (1.5, labels,
 * every ${...} filled, typed words only as TextRun text or an input's value),
 * the log card's defaults, and Teams' message size with a two-hour meeting.
 */
const SAM = '11111111-1111-4111-8111-111111111111';
const ALEX = '22222222-2222-4222-8222-222222222222';
const JO = '33333333-3333-4333-8333-333333333333';
const CHRIS = '44444444-4444-4444-8444-444444444444';
const NAMES: Record<string, string> = { [SAM]: 'Sam Okafor', [ALEX]: 'Alex Rivera', [JO]: 'Jo Quiet', [CHRIS]: 'Chris Morgan' };

let parser: AdaptiveCardsParser;
let w: World;
let marked: World;
beforeAll(async () => {
  parser = new AdaptiveCardsParser();
  [w, marked] = await Promise.all([buildWorld(), buildWorld(MARKDOWN)]);
});
afterAll(() => parser?.close());

function cards(world: World, suggestions: Suggestion[]) {
  return suggestionCards({
    meeting: { ...world.meeting, chairId: CHRIS },
    workstream: { ...world.workstream, chairIds: [CHRIS], lxpIds: [SAM, ALEX, JO] },
    suggestions,
    names: (id) => NAMES[id] ?? world.names(id),
    submissionId: 'sub-1',
  });
}

const three = (typed = ''): Suggestion[] => [
  { id: 't3', lxpId: SAM, start: 725, words: `The crisis line should answer at night, when people are most alone.${typed}`, summary: `answer at night, when people are most alone${typed}` },
  { id: 't8', lxpId: ALEX, start: 30, words: `I waited eleven weeks and nobody told me where I was on the list.${typed}` },
  { id: 't9', lxpId: SAM, start: 4000, words: `When I was on the ward nobody asked what helps.${typed}` },
];

const template = (): CardJson => JSON.parse(readFileSync(path.join(CARDS_DIR, 'suggested-contributions.json'), 'utf8')) as CardJson;
const inputs = (card: CardJson) => {
  const found: Record<string, any> = {};
  eachOfType(card, 'Input.', (input) => (found[String(input.id)] = input));
  return found;
};

describe('cards/suggested-contributions.json', () => {
  it('is a 1.5 card the adaptivecards parser accepts, with only 1.5 properties and a label on every input', () => {
    const t = template();
    expect(t.version).toBe('1.5');
    expect(parser.events(t, { validate: false })).toEqual([]);
    expect(unknownProperties(t)).toEqual([]);
    const unlabelled: string[] = [];
    eachOfType(t, 'Input.', (input, at) => {
      if (typeof input.label !== 'string' || !input.label.trim()) unlabelled.push(at);
    });
    expect(unlabelled).toEqual([]);
  });

  it('filled, validates cleanly and leaves no ${...}', () => {
    for (const card of cards(w, three())) {
      expect(parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint')).toEqual([]);
      expect(unknownProperties(card)).toEqual([]);
      expect(JSON.stringify(card).match(/\$\{[^}]*\}?|"\$(data|when)"/g) ?? []).toEqual([]);
    }
  });

  it('shows what people said only as TextRun text or the words to edit, never as markdown', () => {
    const [card] = cards(marked, three(MARKDOWN));
    const places = placesOf(card, MARKDOWN);
    expect(places.length).toBeGreaterThan(0);
    const SAFE = new Set(['TextRun.text', 'Input.Text.value', 'Input.Choice.title', 'Action.Execute.title']);
    expect(places.filter((p) => !SAFE.has(`${p.holder}.${p.key}`))).toEqual([]);
  });

  it('prefills each suggestion as the log card would: not ticked, kind Suggestion, the chair as owner, anonymity as chosen, a personal story restricted', () => {
    const [card] = cards(w, three());
    const i = inputs(card);
    for (const id of ['t3', 't8', 't9']) {
      expect(i[`pick_${id}`]).toMatchObject({ type: 'Input.Toggle', value: 'false', valueOn: 'true' });
      expect(i[`kind_${id}`].value).toBe('suggestion');
      expect(i[`kind_${id}`].choices.map((c: any) => c.value)).toContain('personal_experience');
      expect(i[`owner_${id}`].value).toBe(CHRIS);
      expect(i[`attribution_${id}`].value).toBe('as_chosen');
      expect(i[`restriction_${id}`].value).toBe('as_kind');
      expect(i[`restriction_${id}`].choices[0].title).toMatch(/^Restricted if it is a personal experience/);
      expect(i[`areas_${id}`].choices.length).toBe(w.workstream.priorityAreas.length);
      expect(i[`words_${id}`]).toMatchObject({ isMultiline: true, maxLength: 2000 });
    }
    expect(i.words_t3.value).toBe(three()[0].words);
    const text = cardText(card);
    expect(text).toContain('Sam Okafor');
    expect(text).toContain('about 12 minutes in');
    expect(text).toContain('In their words: “answer at night, when people are most alone”');
    expect(text).toContain('Only what you save is kept; the transcript is not.');
    const [save] = (card.actions as any[]);
    expect(save).toMatchObject({ type: 'Action.Execute', verb: 'suggestions_save', data: { meetingId: w.meeting.id, submissionId: 'sub-1', part: 0, suggested: `t3:${SAM},t8:${ALEX},t9:${SAM}` } });
  });

  it('says when each was said', () => {
    expect([20, 60, 725, 3600, 3660, 7300].map(whenSaid)).toEqual(['at the start', 'about 1 minute in', 'about 12 minutes in', 'about 1 hour in', 'about 1 hour 1 minute in', 'about 2 hours 1 minute in']);
  });
});

describe('a two-hour meeting', () => {
  const speakers = [
    { name: 'Chris Morgan', id: CHRIS },
    { name: 'Sam Okafor', id: SAM },
    { name: 'Alex Rivera', id: ALEX },
    { name: 'Jo Quiet', id: JO },
    { name: 'Priya Shah', id: '55555555-5555-4555-8555-555555555555' },
  ];
  const said = twoHourMeeting(speakers);
  const people = { lxpIds: [SAM, ALEX, JO], staffIds: [CHRIS, '55555555-5555-4555-8555-555555555555'], consentedIds: [SAM, ALEX] };

  it('is a realistic transcript: two hours, about a thousand cues of a few seconds, everyone speaking', () => {
    expect(said[said.length - 1].end).toBeGreaterThan(7100);
    expect(said.length).toBeGreaterThan(900);
    expect(new Set(said.map((u) => u.speaker.id)).size).toBe(5);
  });

  it('comes in parts, each under 80 KB in UTF-16, each valid at 1.5, with every suggestion once and only the consenting LXPs', async () => {
    const { suggestions } = suggestionsFromTranscript([{ vtt: teamsVtt(said), metadata: teamsMetadata(said, new Date('2026-03-09T10:00:00Z')) }], people);
    expect(suggestions.length).toBeGreaterThan(40);
    expect(new Set(suggestions.map((s) => s.lxpId))).toEqual(new Set([SAM, ALEX]));
    const summarised = await withSummaries(suggestions, async (words) => words.split(' ').slice(0, 12).join(' '));
    const parts = cards(w, summarised);
    expect(parts.length).toBeGreaterThan(1);
    const seen: string[] = [];
    parts.forEach((card, n) => {
      const utf16 = JSON.stringify(card).length * 2;
      expect(utf16).toBeLessThan(80_000);
      expect(JSON.stringify(card).length).toBeLessThanOrEqual(SUGGESTIONS_PART_CHARS);
      expect(parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint')).toEqual([]);
      const ids = Object.keys(inputs(card)).filter((k) => k.startsWith('pick_')).map((k) => k.slice(5));
      const data = (card.actions as any[])[0].data;
      expect(data).toMatchObject({ part: n, submissionId: `sub-1-${n + 1}` });
      expect(data.suggested.split(',').map((p: string) => p.split(':')[0])).toEqual(ids);
      expect(cardText(card)).toContain(`Part ${n + 1} of ${parts.length}`);
      seen.push(...ids);
    });
    expect(seen).toEqual(suggestions.map((s) => s.id));
  });

  it('stays under the limit at the worst: every suggestion 2,000 characters with a summary', () => {
    const words = 'x'.repeat(1990) + ' end.';
    const worst: Suggestion[] = Array.from({ length: 30 }, (_, n) => ({ id: `t${n + 1}`, lxpId: n % 2 ? SAM : ALEX, start: n * 200, words, summary: 'y'.repeat(200) }));
    const parts = cards(w, worst);
    for (const card of parts) expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    expect(parts.flatMap((c) => Object.keys(inputs(c)).filter((k) => k.startsWith('pick_')))).toHaveLength(30);
  });
});

describe('the chair\'s note when there is nothing to suggest', () => {
  it.each(['no_transcript', 'not_permitted', 'throttled', 'unavailable', 'nothing_to_suggest'] as const)('%s: short, says nothing was stored and that logging by hand still works', (reason) => {
    const note = transcriptNote(reason);
    expect(note.text).toContain('Nothing was stored.');
    expect(note.text).toContain('log contributions by hand');
    expect(note.text.length).toBeLessThan(500);
    const card = noticeCard(note.title, note.text);
    expect(parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint')).toEqual([]);
  });
});
