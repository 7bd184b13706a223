import {
  MIN_WORDS,
  inPieces,
  parseSpeakerMetadata,
  parseVtt,
  quotedSummary,
  suggestionsFromTranscript,
  turnsOf,
  vttSeconds,
  withSummaries,
  worthFetching,
  type SuggestionPeople,
} from '../../src/domain/transcript';
import { teamsMetadata, teamsVtt, type Utterance } from '../harness/graph-stub';

const SAM = { name: 'Sam Okafor', id: '11111111-1111-4111-8111-111111111111' };
const ALEX = { name: 'Alex Rivera', id: '22222222-2222-4222-8222-222222222222' };
const JO = { name: 'Jo Quiet', id: '33333333-3333-4333-8333-333333333333' };
const CHRIS = { name: 'Chris Morgan', id: '44444444-4444-4444-8444-444444444444' };
const GUEST = { name: 'Sam Okafor' }; // a guest who shares Sam's display name, with no Entra id

const PEOPLE: SuggestionPeople = { lxpIds: [SAM.id, ALEX.id, JO.id], staffIds: [CHRIS.id], consentedIds: [SAM.id, ALEX.id] };
const long = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');

describe('WebVTT as Teams writes it', () => {
  it('reads the timings Teams writes, including the short form in Microsoft\'s own sample', () => {
    expect(vttSeconds('0:0:5.320')).toBeCloseTo(5.32);
    expect(vttSeconds('00:12:05.230')).toBeCloseTo(725.23);
    expect(vttSeconds('01:02:03.5')).toBeCloseTo(3723.5);
    expect(vttSeconds('12:05.000')).toBeCloseTo(725);
    expect(vttSeconds('x:1')).toBeNaN();
    expect(parseVtt('WEBVTT\n\n0:0:0.0 --> 0:0:5.320\n<v User Name>This is a transcript test.</v>\n')).toEqual([{ start: 0, end: 5.32, speakerName: 'User Name', text: 'This is a transcript test.' }]);
  });

  it('skips cue identifiers, NOTE blocks and settings, joins multi-line cues, unescapes, drops other tags', () => {
    const vtt = [
      '\uFEFFWEBVTT',
      '',
      'NOTE written by Teams',
      'over two lines -->',
      '',
      '8f1c2a3b-1f2e-4d3c-8b7a-8f1c2a3b8f1c/18-0',
      '00:00:01.000 --> 00:00:04.500 align:start',
      '<v Jo &amp; Sam>Fish &lt;and&gt; chips',
      'on two lines</v>',
      '',
      '00:00:05.000 --> 00:00:06.000',
      '<v.loud Alex Rivera><i>It</i> <c.x>matters</c> &#8212; a <00:00:05.500>lot&nbsp;here.</v>',
      '',
      '00:00:07.000 --> 00:00:08.000',
      'No voice span at all.',
      '',
      'not a cue at all',
    ].join('\r\n');
    expect(parseVtt(vtt)).toEqual([
      { start: 1, end: 4.5, speakerName: 'Jo & Sam', text: 'Fish <and> chips on two lines' },
      { start: 5, end: 6, speakerName: 'Alex Rivera', text: 'It matters — a lot here.' },
      { start: 7, end: 8, speakerName: undefined, text: 'No voice span at all.' },
    ]);
  });

  it('gives each voice span of a cue its own speaker', () => {
    expect(parseVtt('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Sam>Yes.</v> <v Alex>No.</v>\n').map((c) => [c.speakerName, c.text])).toEqual([
      ['Sam', 'Yes.'],
      ['Alex', 'No.'],
    ]);
  });

  it('reads the speaker metadata: times, name, and an Entra id only when it is a GUID', () => {
    const meta = [
      'WEBVTT',
      '',
      '00:00:16.246 --> 00:00:17.726',
      '{"startDateTime":"2023-03-08T08:22:30.0461639+00:00","endDateTime":"2023-03-08T08:22:31.5261639+00:00","speakerName":"User Name","spokenText":"This is a transcription test.","spokenLanguage":"en-us"}',
      '',
      '00:00:18.000 --> 00:00:19.000',
      `{"speakerName":"Sam Okafor","speakerUserId":"${SAM.id.toUpperCase()}","spokenText":"x"}`,
      '',
      '00:00:20.000 --> 00:00:21.000',
      '{"speakerName":"Mallory","speakerId":"Sam Okafor"}',
      '',
      '00:00:22.000 --> 00:00:23.000',
      'not json',
    ].join('\n');
    expect(parseSpeakerMetadata(meta)).toEqual([
      { start: 16.246, end: 17.726, speakerName: 'User Name', userId: undefined },
      { start: 18, end: 19, speakerName: 'Sam Okafor', userId: SAM.id },
      { start: 20, end: 21, speakerName: 'Mallory', userId: undefined },
    ]);
  });
});

describe('turns and speakers', () => {
  const u = (speaker: { name: string; id?: string }, text: string, start: number): Utterance => ({ speaker, text, start, end: start + 4 });

  it('joins consecutive cues of one speaker into a turn, and starts a new turn when someone else speaks', () => {
    const said = [u(SAM, 'First part.', 0), u(SAM, 'Second part.', 5), u(CHRIS, 'Thanks.', 10), u(SAM, 'Again.', 15)];
    const turns = turnsOf(parseVtt(teamsVtt(said)), parseSpeakerMetadata(teamsMetadata(said, new Date())));
    expect(turns.map((t) => [t.userId, t.words, t.start, t.end])).toEqual([
      [SAM.id, 'First part. Second part.', 0, 9],
      [CHRIS.id, 'Thanks.', 10, 14],
      [SAM.id, 'Again.', 15, 19],
    ]);
  });

  it('never matches by display name alone: without an id in the metadata, nobody is matched', () => {
    const said = [u(SAM, long(20), 0)];
    const byName = suggestionsFromTranscript([{ vtt: teamsVtt(said), metadata: teamsMetadata(said, new Date(), false) }], PEOPLE);
    expect(byName.suggestions).toEqual([]);
    expect(byName.left.unmatched).toBe(1);
    const noMetadata = suggestionsFromTranscript([{ vtt: teamsVtt(said) }], PEOPLE);
    expect(noMetadata.suggestions).toEqual([]);
  });

  it('does not give a guest with an LXP\'s display name the LXP\'s id, nor match when the metadata names someone else', () => {
    const said = [u(SAM, long(20, 'sam'), 0), u(GUEST, long(20, 'guest'), 5)];
    const r = suggestionsFromTranscript([{ vtt: teamsVtt(said), metadata: teamsMetadata(said, new Date()) }], PEOPLE);
    expect(r.suggestions.map((s) => s.words.split(' ')[0])).toEqual(['sam0']);
    // The voice span says Alex, the overlapping metadata says Sam with Sam's id: no match.
    const vtt = teamsVtt([u(ALEX, long(20), 0)]);
    const meta = teamsMetadata([u(SAM, long(20), 0)], new Date());
    expect(suggestionsFromTranscript([{ vtt, metadata: meta }], PEOPLE).suggestions).toEqual([]);
  });
});

describe('who is suggested', () => {
  const meeting: Utterance[] = [
    { speaker: CHRIS, text: `Welcome everyone. ${long(20, 'chair')}`, start: 0, end: 8 },
    { speaker: SAM, text: `The crisis line ${long(15, 'sam')}`, start: 9, end: 15 },
    { speaker: SAM, text: 'and that is my point.', start: 15, end: 17 },
    { speaker: JO, text: `I did not agree to this ${long(20, 'jo')}`, start: 18, end: 25 },
    { speaker: ALEX, text: 'Yes, I agree.', start: 26, end: 27 },
    { speaker: ALEX, text: `Waiting lists ${long(14, 'alex')}`, start: 60, end: 70 },
    { speaker: { name: 'Someone Dialled In' }, text: long(30, 'phone'), start: 71, end: 80 },
  ];
  const run = (people = PEOPLE) => suggestionsFromTranscript([{ vtt: teamsVtt(meeting), metadata: teamsMetadata(meeting, new Date()) }], people);

  it('suggests only consenting LXPs\' substantive turns, joined, in order; never staff, never the LXP who did not agree', () => {
    const { suggestions, left } = run();
    expect(suggestions.map((s) => [s.lxpId, s.words.split(' ').slice(0, 2).join(' ')])).toEqual([
      [SAM.id, 'The crisis'],
      [ALEX.id, 'Yes, I'],
    ]);
    expect(suggestions[0].words.endsWith('sam14 and that is my point.')).toBe(true);
    // Alex's "Yes, I agree." and the next cue are one turn: nobody spoke in between.
    expect(suggestions[1].words.startsWith('Yes, I agree. Waiting lists alex0')).toBe(true);
    expect(left).toEqual({ unmatched: 1, notSuggestable: 2, short: 0 });
  });

  it(`leaves out turns of fewer than ${MIN_WORDS} words`, () => {
    const said: Utterance[] = [{ speaker: SAM, text: long(MIN_WORDS - 1), start: 0, end: 5 }, { speaker: CHRIS, text: 'Thanks.', start: 6, end: 7 }, { speaker: SAM, text: long(MIN_WORDS), start: 8, end: 12 }];
    const r = suggestionsFromTranscript([{ vtt: teamsVtt(said), metadata: teamsMetadata(said, new Date()) }], PEOPLE);
    expect(r.suggestions).toHaveLength(1);
    expect(r.left.short).toBe(1);
  });

  it('never suggests someone who is both staff and an LXP', () => {
    expect(run({ ...PEOPLE, staffIds: [CHRIS.id, SAM.id] }).suggestions.map((s) => s.lxpId)).toEqual([ALEX.id]);
  });

  it('returns the LXP id as stored, whatever the case of the id in the metadata', () => {
    const upper = { ...PEOPLE, lxpIds: PEOPLE.lxpIds.map((id) => id.toUpperCase()), consentedIds: PEOPLE.consentedIds.map((id) => id.toUpperCase()) };
    expect(run(upper).suggestions[0].lxpId).toBe(SAM.id.toUpperCase());
  });

  it('fetches nothing unless an LXP who agreed was in the meeting', () => {
    expect(worthFetching(PEOPLE, [CHRIS.id, JO.id])).toBe(false);
    expect(worthFetching(PEOPLE, [CHRIS.id, ALEX.id])).toBe(true);
    expect(worthFetching({ ...PEOPLE, consentedIds: [] }, [SAM.id, ALEX.id])).toBe(false);
  });

  it('reads several transcripts of one meeting in order, the later ones after the earlier', () => {
    const first: Utterance[] = [{ speaker: SAM, text: long(15, 'one'), start: 0, end: 30 }];
    const second: Utterance[] = [{ speaker: ALEX, text: long(15, 'two'), start: 0, end: 10 }];
    const r = suggestionsFromTranscript(
      [
        { vtt: teamsVtt(first), metadata: teamsMetadata(first, new Date()) },
        { vtt: teamsVtt(second), metadata: teamsMetadata(second, new Date()) },
      ],
      PEOPLE,
    );
    expect(r.suggestions.map((s) => [s.lxpId, s.start])).toEqual([
      [SAM.id, 0],
      [ALEX.id, 30],
    ]);
    expect(new Set(r.suggestions.map((s) => s.id)).size).toBe(2);
  });

  it('splits a turn longer than a contribution may be at sentence ends, losing nothing', () => {
    const sentence = 'This is one sentence about the crisis pathway and what it needs. ';
    const words = sentence.repeat(80).trim();
    const pieces = inPieces(words);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(pieces.join(' ')).toBe(words);
  });
});

describe('one-line summaries that quote', () => {
  const words = 'I waited eleven weeks for a first appointment, and nobody told me where I was on the list, so I stopped asking.';

  it.each([
    ['a plain quote', 'I waited eleven weeks for a first appointment', true],
    ['a quote in quotation marks, with different capitals', '“i waited eleven weeks for a first appointment”', true],
    ['parts joined with an ellipsis, in order', 'I waited eleven weeks … nobody told me where I was on the list', true],
    ['parts joined with three dots', 'eleven weeks... so I stopped asking.', true],
    ['a paraphrase', 'They had a long wait and were not kept informed', false],
    ['parts out of order', 'so I stopped asking … I waited eleven weeks', false],
    ['a changed word', 'I waited twelve weeks for a first appointment', false],
    ['two lines', 'I waited eleven weeks\nnobody told me', false],
    ['nothing', '', false],
    ['only an ellipsis', '…', false],
    ['a word or two', 'eleven weeks', false],
  ])('%s', (_what, answer, kept) => {
    expect(quotedSummary(answer, words) !== undefined).toBe(kept);
  });

  it('asks for each, keeps the faithful ones, and survives a failed ask', async () => {
    const suggestions = [
      { id: 't1', lxpId: SAM.id, start: 0, words },
      { id: 't2', lxpId: ALEX.id, start: 5, words: 'Peer workers in the emergency department would change how it feels to arrive.' },
      { id: 't3', lxpId: ALEX.id, start: 9, words: 'Could the form ask what helps rather than what is wrong?' },
    ];
    const answers: Record<string, () => Promise<string>> = {
      [suggestions[0].words]: async () => 'nobody told me where I was on the list',
      [suggestions[1].words]: async () => 'Peer support in A&E would help.',
      [suggestions[2].words]: async () => {
        throw new Error('model down');
      },
    };
    const out = await withSummaries(suggestions, (w) => answers[w]());
    expect(out.map((s) => s.summary)).toEqual(['nobody told me where I was on the list', undefined, undefined]);
  });
});
