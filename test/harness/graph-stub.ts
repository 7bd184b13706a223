import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Microsoft Graph transcript endpoints
 * (src/teams/graph-transcripts.ts), serving what Graph serves:
 *   GET /v1.0/users/{organiser}/onlineMeetings/{meeting}/transcripts          JSON list of callTranscript
 *   GET .../transcripts/{id}/content?$format=text/vtt                          text/vtt with <v Name> spans
 *   GET .../transcripts/{id}/metadataContent                                 text/vtt, one JSON object a cue
 * and, per meeting, the failures the chair must hear about: 403 (permission
 * not granted, or transcripts turned off), 404, an empty list, 429 with
 * Retry-After a number of times before answering.
 */
export interface Speaker {
  name: string;
  /** The Entra object id; a speaker without one appears in the metadata by name only. */
  id?: string;
}
export interface Utterance {
  speaker: Speaker;
  text: string;
  /** Seconds from the start of the transcript. */
  start: number;
  end: number;
}

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'forbidden'; turnedOff?: boolean }
  | { kind: 'not_found' }
  | { kind: 'empty' }
  | { kind: 'throttled'; times: number; retryAfter: string }
  | { kind: 'no_metadata' };

export interface StubMeeting {
  organiserId: string;
  onlineMeetingId: string;
  /** One entry a transcript (one is made each time transcription is started). */
  transcripts: { utterances: Utterance[]; metadataIds?: boolean }[];
  behaviour?: Behaviour;
}

export interface GraphCall {
  path: string;
  query: string;
  auth?: string;
  status: number;
}

export class GraphStub {
  readonly calls: GraphCall[] = [];
  private readonly meetings = new Map<string, StubMeeting>();
  private throttledSoFar = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<GraphStub> {
    let stub!: GraphStub;
    const server = http.createServer((req, res) => stub.answer(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stub = new GraphStub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`);
    return stub;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  serve(meeting: StubMeeting): void {
    this.meetings.set(meeting.onlineMeetingId, meeting);
    this.throttledSoFar.delete(meeting.onlineMeetingId);
  }

  /** Every byte the stub sent as transcript content or metadata: what a scan must not find anywhere else. */
  servedText(): string[] {
    return [...this.meetings.values()].flatMap((m) => m.transcripts.flatMap((t) => t.utterances.map((u) => u.text)));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://stub');
    const s = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      this.calls.push({ path: u.pathname, query: u.search, auth: req.headers.authorization, status });
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const json = (status: number, body: unknown, headers?: Record<string, string>) => send(status, 'application/json', JSON.stringify(body), headers);
    // v1.0 users {org} onlineMeetings {meeting} transcripts [{id} [content|metadataContent]]
    if (req.method !== 'GET' || s[0] !== 'v1.0' || s[1] !== 'users' || s[3] !== 'onlineMeetings' || s[5] !== 'transcripts') return json(400, graphError('BadRequest', 'Unsupported path.'));
    const meeting = this.meetings.get(s[4]);
    if (!meeting || meeting.organiserId !== s[2]) return json(404, graphError('NotFound', 'The meeting was not found.'));
    const b = meeting.behaviour ?? { kind: 'ok' };
    if (b.kind === 'throttled') {
      const sofar = this.throttledSoFar.get(meeting.onlineMeetingId) ?? 0;
      if (sofar < b.times) {
        this.throttledSoFar.set(meeting.onlineMeetingId, sofar + 1);
        return json(429, graphError('TooManyRequests', 'Too many requests.'), { 'retry-after': b.retryAfter });
      }
    }
    if (b.kind === 'forbidden') {
      return b.turnedOff
        ? json(403, graphError('Forbidden', 'Graph API access to transcripts is disabled for this tenant.', 'GraphAccessToTranscriptsDisabled'))
        : json(403, graphError('Forbidden', 'Application is not allowed to perform operations on this meeting.'));
    }
    if (b.kind === 'not_found') return json(404, graphError('NotFound', 'The transcript was not found.'));
    const base = `${this.url}/users/${meeting.organiserId}/onlineMeetings/${meeting.onlineMeetingId}/transcripts`;
    if (s.length === 6) {
      const value = b.kind === 'empty' ? [] : meeting.transcripts.map((_, n) => transcriptEntry(meeting, n, base));
      return json(200, { '@odata.context': `${this.url}/$metadata#users('${meeting.organiserId}')/onlineMeetings('${meeting.onlineMeetingId}')/transcripts`, '@odata.count': value.length, value });
    }
    const n = meeting.transcripts.findIndex((_, i) => transcriptId(meeting, i) === s[6]);
    if (n < 0) return json(404, graphError('NotFound', 'The transcript was not found.'));
    const t = meeting.transcripts[n];
    if (s.length === 8 && s[7] === 'content') return send(200, 'text/vtt', teamsVtt(t.utterances));
    if (s.length === 8 && s[7] === 'metadataContent') {
      if (b.kind === 'no_metadata') return json(404, graphError('NotFound', 'No metadata.'));
      return send(200, 'text/vtt', teamsMetadata(t.utterances, new Date('2026-03-09T10:00:00Z'), t.metadataIds ?? true));
    }
    return json(400, graphError('BadRequest', 'Unsupported path.'));
  }
}

function graphError(code: string, message: string, inner?: string) {
  return { error: { code, message, innerError: { ...(inner ? { code: inner } : {}), date: '2026-03-09T11:00:00', 'request-id': '00000000-0000-0000-0000-000000000001' } } };
}

const transcriptId = (m: StubMeeting, n: number) => Buffer.from(`1*${m.organiserId}*${m.onlineMeetingId}*transcript-${n}`).toString('base64');

function transcriptEntry(m: StubMeeting, n: number, base: string) {
  const id = transcriptId(m, n);
  return {
    id,
    meetingId: m.onlineMeetingId,
    callId: `call-${n}`,
    contentCorrelationId: `correlation-${n}`,
    transcriptContentUrl: `${base}/${id}/content`,
    createdDateTime: new Date(Date.UTC(2026, 2, 9, 10, n * 5)).toISOString(),
    endDateTime: new Date(Date.UTC(2026, 2, 9, 12, n * 5)).toISOString(),
    meetingOrganizer: { application: null, device: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: m.organiserId, displayName: null, userIdentityType: 'aadUser', tenantId: 'stub-tenant' } },
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** 00:12:05.230, as Teams writes a cue's time. */
export function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A transcript as Teams writes it: a cue identifier, the timing, and the words in a voice span. */
export function teamsVtt(utterances: Utterance[]): string {
  const cues = utterances.map((u, n) => `${cueGuid(n)}/${n + 10}-0\n${vttTime(u.start)} --> ${vttTime(u.end)}\n<v ${escape(u.speaker.name)}>${escape(u.text)}</v>`);
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/** The speaker metadata: the same timeline, one JSON object a cue; the Entra id where `withIds` and the speaker has one. */
export function teamsMetadata(utterances: Utterance[], startedAt: Date, withIds = true): string {
  const at = (s: number) => new Date(startedAt.getTime() + s * 1000).toISOString().replace('Z', '0000+00:00');
  const cues = utterances.map((u) => {
    const line = { startDateTime: at(u.start), endDateTime: at(u.end), speakerName: u.speaker.name, ...(withIds && u.speaker.id ? { speakerUserId: u.speaker.id } : {}), spokenText: u.text, spokenLanguage: 'en-gb' };
    return `${vttTime(u.start)} --> ${vttTime(u.end)}\n${JSON.stringify(line)}`;
  });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

function cueGuid(n: number): string {
  const h = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${h}-1f2e-4d3c-8b7a-${h}${h.slice(0, 4)}`;
}

// ---------------------------------------------------------------- a two-hour meeting

const WORDS = (
  'we need the crisis line to answer at night when people are most alone and the waiting list letters should say who to call ' +
  'I waited eleven weeks for a first appointment and nobody told me where I was on the list so I stopped asking ' +
  'the discharge plan was written without me and the community team did not know I had left the ward ' +
  'peer workers in the emergency department would change how it feels to arrive in distress at three in the morning ' +
  'could the form ask what helps rather than what is wrong and could we see the summary before it goes to the GP'
).split(' ');

/** A deterministic pseudo-random sequence, so the meeting is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Two hours of a meeting as Teams transcribes it: cues of a few seconds, each
 * speaker's turn spread over several cues, short interjections ("Yes.",
 * "Thanks, Sam.") between, the chair speaking most.
 */
export function twoHourMeeting(speakers: Speaker[], seconds = 2 * 60 * 60, seed = 24): Utterance[] {
  const next = rng(seed);
  const out: Utterance[] = [];
  let t = 3.2;
  while (t < seconds) {
    const speaker = next() < 0.35 ? speakers[0] : speakers[1 + Math.floor(next() * (speakers.length - 1))];
    const short = next() < 0.3;
    const cues = short ? 1 : 1 + Math.floor(next() * 6);
    for (let c = 0; c < cues && t < seconds; c++) {
      const n = short ? 1 + Math.floor(next() * 3) : 10 + Math.floor(next() * 16);
      const words = Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]);
      const text = `${words.join(' ').replace(/^./, (x) => x.toUpperCase())}${short ? '.' : next() < 0.2 ? '?' : '.'}`;
      const length = Math.max(1.2, n * 0.42);
      out.push({ speaker, text, start: t, end: t + length });
      t += length + 0.3;
    }
    t += 0.5 + next() * 2;
  }
  return out;
}
