import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { createGraphTranscripts, retryAfterMs } from '../../src/teams/graph-transcripts';
import { suggestionsFromTranscript } from '../../src/domain/transcript';
import { GraphStub, type Behaviour, type StubMeeting, type Utterance } from '../harness/graph-stub';

/**
 * The transcript client against the Graph stand-in: the happy path in Graph's
 * shapes, and each failure the chair hears about as a typed reason. Every log
 * line is captured, and none may hold a word of the transcript.
 */
const SAM = { name: 'Sam Okafor', id: '11111111-1111-4111-8111-111111111111' };
const CHRIS = { name: 'Chris Morgan', id: '44444444-4444-4444-8444-444444444444' };
const ORGANISER = CHRIS.id;
const TENANT = '00000000-0000-0000-0000-0000000000aa';

const said: Utterance[] = [
  { speaker: CHRIS, text: 'Welcome, everyone, to the crisis pathway group; our aim today is the night service.', start: 0, end: 6 },
  { speaker: SAM, text: 'The crisis line should answer at night when people are most alone with their thoughts.', start: 7, end: 12 },
];

let stub: GraphStub;
let lines: string[];
let slept: number[];
let tokenTenants: (string | undefined)[];

function client(extra: Partial<Parameters<typeof createGraphTranscripts>[0]> = {}) {
  lines = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const credential = {
    getToken: async (_scope: string | string[], options?: { tenantId?: string }) => {
      tokenTenants.push(options?.tenantId);
      return { token: 'test-token', expiresOnTimestamp: Date.now() + 60_000 };
    },
  };
  return createGraphTranscripts({ credential, logger: createLogger('debug', sink), baseUrl: stub.url, sleep: async (ms) => void slept.push(ms), ...extra });
}

const meeting = (id: string, behaviour?: Behaviour, transcripts: StubMeeting['transcripts'] = [{ utterances: said }]): StubMeeting => ({ organiserId: ORGANISER, onlineMeetingId: id, transcripts, behaviour });
const ref = (id: string) => ({ tenantId: TENANT, organiserId: ORGANISER, onlineMeetingId: id });

beforeEach(async () => {
  stub = await GraphStub.start();
  slept = [];
  tokenTenants = [];
});
afterEach(async () => {
  // Whatever happened, the logs hold ids and numbers, never what was said.
  const logged = lines.join('');
  for (const text of stub.servedText()) for (const word of ['crisis line', 'most alone', 'night service', text]) expect(logged).not.toContain(word);
  await stub.close();
});

describe('fetching a meeting transcript from Microsoft Graph', () => {
  it('lists, then reads the content as text/vtt and the speaker metadata, under the organiser, with a token for the tenant', async () => {
    stub.serve(meeting('MSo-meeting-1'));
    const got = await client().fetch(ref('MSo-meeting-1'));
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.files).toHaveLength(1);
    expect(got.files[0].vtt).toMatch(/^WEBVTT\n\n[0-9a-f-]+\/10-0\n00:00:00\.000 --> 00:00:06\.000\n<v Chris Morgan>Welcome/);
    expect(got.files[0].metadata).toContain('"speakerUserId"');
    const paths = stub.calls.map((c) => `${c.path}${c.query}`);
    expect(paths[0]).toBe(`/v1.0/users/${ORGANISER}/onlineMeetings/MSo-meeting-1/transcripts`);
    expect(paths[1]).toMatch(/\/transcripts\/[^/]+\/content\?\$format=text\/vtt$/);
    expect(paths[2]).toMatch(/\/transcripts\/[^/]+\/metadataContent$/);
    expect(stub.calls.every((c) => c.auth === 'Bearer test-token')).toBe(true);
    expect(tokenTenants.every((t) => t === TENANT)).toBe(true);
    const { suggestions } = suggestionsFromTranscript(got.files, { lxpIds: [SAM.id], staffIds: [CHRIS.id], consentedIds: [SAM.id] });
    expect(suggestions.map((s) => s.lxpId)).toEqual([SAM.id]);
    expect(lines.join('')).toContain('transcript: fetched');
  });

  it('reads every transcript of a meeting where transcription was started twice, oldest first', async () => {
    stub.serve(meeting('MSo-twice', undefined, [{ utterances: said.slice(0, 1) }, { utterances: said.slice(1) }]));
    const got = await client().fetch(ref('MSo-twice'));
    expect(got.ok && got.files.map((f) => f.vtt.includes('Sam Okafor'))).toEqual([false, true]);
  });

  it('still answers without speaker metadata (then nobody can be matched, which is safe)', async () => {
    stub.serve(meeting('MSo-nometa', { kind: 'no_metadata' }));
    const got = await client().fetch(ref('MSo-nometa'));
    expect(got.ok && got.files[0].metadata).toBeUndefined();
  });

  it.each([
    ['no transcript was made (empty list)', { kind: 'empty' } as Behaviour, 'no_transcript'],
    ['the meeting or transcript is not found (404)', { kind: 'not_found' } as Behaviour, 'no_transcript'],
    ['the permission was not consented for the meeting (403)', { kind: 'forbidden' } as Behaviour, 'not_permitted'],
    ['the tenant turned Graph access to transcripts off (403)', { kind: 'forbidden', turnedOff: true } as Behaviour, 'not_permitted'],
  ])('%s: a typed failure', async (_what, behaviour, reason) => {
    stub.serve(meeting('MSo-fail', behaviour));
    expect(await client().fetch(ref('MSo-fail'))).toEqual({ ok: false, reason });
    expect(slept).toEqual([]);
  });

  it('waits out a 429 as Retry-After says, once or twice, then reads the transcript', async () => {
    stub.serve(meeting('MSo-busy', { kind: 'throttled', times: 2, retryAfter: '3' }));
    const got = await client().fetch(ref('MSo-busy'));
    expect(got.ok).toBe(true);
    expect(slept).toEqual([3000, 3000]);
    expect(stub.calls.filter((c) => c.status === 429)).toHaveLength(2);
  });

  it('gives up as "throttled" when Graph keeps asking to wait', async () => {
    stub.serve(meeting('MSo-busier', { kind: 'throttled', times: 5, retryAfter: '2' }));
    expect(await client().fetch(ref('MSo-busier'))).toEqual({ ok: false, reason: 'throttled' });
    expect(slept).toEqual([2000, 2000]);
    expect(stub.calls).toHaveLength(3);
  });

  it('does not wait longer than it is willing to: a long Retry-After gives up at once', async () => {
    stub.serve(meeting('MSo-later', { kind: 'throttled', times: 1, retryAfter: '600' }));
    expect(await client().fetch(ref('MSo-later'))).toEqual({ ok: false, reason: 'throttled' });
    expect(slept).toEqual([]);
  });

  it('answers "unavailable" when Graph does not answer in time or fails', async () => {
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))));
    expect(await client({ fetch: hang, timeoutMs: 20 }).fetch(ref('MSo-any'))).toEqual({ ok: false, reason: 'unavailable' });
    const failing: typeof fetch = async () => new Response('{"error":{"code":"InternalServerError"}}', { status: 500 });
    expect(await client({ fetch: failing }).fetch(ref('MSo-any'))).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNaN();
    expect(retryAfterMs('soon')).toBeNaN();
  });
});
