import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../logger';
import type { TranscriptSource } from '../domain/ports';
import type { TranscriptFetch, TranscriptFiles, TranscriptMeetingRef } from '../domain/transcript';

/**
 * Fetches a meeting's transcript from Microsoft Graph: list the meeting's
 * transcripts, then each one's content as text/vtt and its speaker metadata
 * (the facts and their sources are in src/domain/transcript.ts). Needs the
 * resource-specific permission OnlineMeetingTranscript.Read.Chat, granted when
 * the app is added to the meeting chat (manifest/manifest.json, infra/README.md).
 *
 * The only place that talks HTTP to Graph about transcripts. It logs status
 * codes, counts and timings; never a word of the transcript, and no error it
 * makes carries one.
 */
export interface GraphTranscriptOptions {
  credential: TokenCredential;
  logger: Logger;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Each request's limit; a meeting's VTT is a few hundred KB at most. */
  timeoutMs?: number;
  /** How many times a 429 (or 503) with Retry-After is waited out before giving up. */
  retries?: number;
  /** The longest Retry-After waited; a longer one gives up at once (the chair can log by hand meanwhile). */
  maxWaitMs?: number;
  /** The most transcripts read for one meeting (one is made each time transcription is started). */
  maxTranscripts?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Failure = Extract<TranscriptFetch, { ok: false }>['reason'];

class GraphFailure extends Error {
  constructor(
    readonly reason: Failure,
    readonly status?: number,
  ) {
    super(`Microsoft Graph transcript fetch failed: ${reason}${status ? ` (${status})` : ''}`);
    this.name = 'GraphFailure';
  }
}

/** Retry-After is seconds or an HTTP date; NaN when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return NaN;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? NaN : Math.max(0, at - now);
}

/** The client's settings with their defaults, shared by the steps below. */
interface Client {
  o: GraphTranscriptOptions;
  base: string;
  doFetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  maxWaitMs: number;
  maxTranscripts: number;
  sleep: (ms: number) => Promise<void>;
}

/** One GET, waiting out 429/503 as Graph asks; 404 is undefined; other failures are a GraphFailure. */
async function graphGet(c: Client, tenantId: string, url: string, what: string): Promise<Response | undefined> {
  const { o } = c;
  for (let attempt = 0; ; attempt++) {
    const token = await o.credential.getToken('https://graph.microsoft.com/.default', { tenantId });
    if (!token) throw new GraphFailure('unavailable');
    let res: Response;
    try {
      res = await c.doFetch(url, { headers: { authorization: `Bearer ${token.token}` }, signal: AbortSignal.timeout(c.timeoutMs) });
    } catch (err) {
      o.logger.warn({ what, err: { name: (err as Error).name } }, 'transcript: Microsoft Graph did not answer');
      throw new GraphFailure('unavailable');
    }
    if (res.ok) return res;
    // Read and drop the body: an error body is Graph's own JSON, but nothing of it is needed or logged.
    const body = await res.text().catch(() => '');
    if (res.status === 404) return undefined;
    if (res.status === 403) {
      const turnedOff = body.includes('GraphAccessToTranscriptsDisabled');
      o.logger.info({ what, status: 403, turnedOff }, 'transcript: not permitted');
      throw new GraphFailure('not_permitted', 403);
    }
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      const waitable = Number.isNaN(wait) ? 1000 * (attempt + 1) : wait;
      o.logger.info({ what, status: res.status, attempt, waitMs: waitable }, 'transcript: Microsoft Graph asked to wait');
      if (attempt < c.retries && waitable <= c.maxWaitMs) {
        await c.sleep(waitable);
        continue;
      }
      throw new GraphFailure('throttled', res.status);
    }
    o.logger.warn({ what, status: res.status }, 'transcript: Microsoft Graph failed');
    throw new GraphFailure('unavailable', res.status);
  }
}

const meetingUrl = (c: Client, m: TranscriptMeetingRef) => `${c.base}/users/${encodeURIComponent(m.organiserId)}/onlineMeetings/${encodeURIComponent(m.onlineMeetingId)}/transcripts`;

async function listTranscripts(c: Client, m: TranscriptMeetingRef): Promise<{ id: string; createdDateTime?: string }[]> {
  const found: { id: string; createdDateTime?: string }[] = [];
  let url: string | undefined = meetingUrl(c, m);
  // A handful of pages at most: a meeting has one transcript for each time transcription was started.
  for (let page = 0; url && page < 5; page++) {
    const res = await graphGet(c, m.tenantId, url, 'list');
    if (!res) return [];
    const body = (await res.json()) as { value?: { id?: unknown; createdDateTime?: unknown }[]; '@odata.nextLink'?: string };
    for (const t of body.value ?? []) if (typeof t.id === 'string') found.push({ id: t.id, createdDateTime: typeof t.createdDateTime === 'string' ? t.createdDateTime : undefined });
    url = body['@odata.nextLink'];
  }
  return found.sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? '')).slice(-c.maxTranscripts);
}

/** Each transcript's VTT and, where Graph has it, its speaker metadata. */
async function transcriptFiles(c: Client, m: TranscriptMeetingRef, transcripts: { id: string }[]): Promise<TranscriptFiles[]> {
  const files: TranscriptFiles[] = [];
  for (const t of transcripts) {
    const one = `${meetingUrl(c, m)}/${encodeURIComponent(t.id)}`;
    const content = await graphGet(c, m.tenantId, `${one}/content?$format=text/vtt`, 'content');
    if (!content) continue;
    const vtt = await content.text();
    // Speaker metadata is what carries Entra ids where Teams gives them; without it nobody is matched, which is safe.
    let metadata: string | undefined;
    try {
      const res = await graphGet(c, m.tenantId, `${one}/metadataContent`, 'metadata');
      metadata = res ? await res.text() : undefined;
    } catch (err) {
      if (!(err instanceof GraphFailure) || err.reason === 'throttled') throw err;
      metadata = undefined;
    }
    files.push({ vtt, metadata });
  }
  return files;
}

export function createGraphTranscripts(o: GraphTranscriptOptions): TranscriptSource {
  const c: Client = {
    o,
    base: (o.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, ''),
    doFetch: o.fetch ?? fetch,
    timeoutMs: o.timeoutMs ?? 20_000,
    retries: o.retries ?? 2,
    maxWaitMs: o.maxWaitMs ?? 30_000,
    maxTranscripts: o.maxTranscripts ?? 5,
    sleep: o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
  };
  return {
    async fetch(m) {
      const started = Date.now();
      try {
        const transcripts = await listTranscripts(c, m);
        if (!transcripts.length) {
          o.logger.info({ tenantId: m.tenantId }, 'transcript: none for this meeting');
          return { ok: false, reason: 'no_transcript' };
        }
        const files = await transcriptFiles(c, m, transcripts);
        if (!files.length) return { ok: false, reason: 'no_transcript' };
        o.logger.info({ tenantId: m.tenantId, transcripts: files.length, withMetadata: files.filter((f) => f.metadata).length, ms: Date.now() - started }, 'transcript: fetched');
        return { ok: true, files };
      } catch (err) {
        if (err instanceof GraphFailure) return { ok: false, reason: err.reason };
        o.logger.warn({ err: { name: (err as Error).name } }, 'transcript: fetch failed');
        return { ok: false, reason: 'unavailable' };
      }
    },
  };
}
