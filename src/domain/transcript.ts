import { MAX_WORDS_LENGTH } from './contribution';

/**
 * Suggested contributions from a Teams meeting transcript (issue 24): what
 * Teams wrote, turned into the substantive turns of the LXPs who agreed to it.
 * Pure: no Graph, no store. The transcript passes through here on its way to
 * the chair's card and is kept nowhere.
 *
 * What Microsoft Graph serves (read in June 2026; Microsoft's pages, not copied):
 *  - List: `GET /users/{organizerId}/onlineMeetings/{onlineMeetingId}/transcripts`
 *    returns `{ value: callTranscript[] }` (id, meetingId, callId, createdDateTime,
 *    endDateTime, contentCorrelationId, transcriptContentUrl, meetingOrganizer.user.id),
 *    paged with `@odata.nextLink`. The documented API path is under the organiser's
 *    user; `communications/onlineMeetings/{id}/transcripts` is a change-notification
 *    resource, not the read path. Graph's onlineMeeting id is the meeting details'
 *    `msGraphResourceId` (Bot Framework's meeting info), the organiser is `organizer.aadObjectId`.
 *    learn.microsoft.com/graph/api/onlinemeeting-list-transcripts;
 *    learn.microsoft.com/microsoftteams/platform/graph-api/meeting-transcripts/api-transcripts
 *  - Content: `.../transcripts/{id}/content?$format=text/vtt` answers `text/vtt`:
 *    cues whose text is a voice span `<v Display Name>words</v>`. Microsoft's own
 *    sample writes timings as `0:0:0.0 --> 0:0:5.320`, which the WebVTT spec (two-digit
 *    minutes and seconds, three-digit fractions) would reject, so the parser here is lenient
 *    about digits; real files also carry cue identifiers (`<guid>/<n>-<m>`), which are ignored.
 *    learn.microsoft.com/graph/api/calltranscript-get (examples 2 and 3)
 *  - Speaker metadata: `.../transcripts/{id}/metadataContent` answers `text/vtt` too, each
 *    cue's text one JSON object with startDateTime, endDateTime, speakerName, spokenText
 *    and spokenLanguage (example 4 of the same page). The published sample carries the
 *    speaker's display name only. Where a tenant's metadata also names the speaker's Entra
 *    object id (a GUID in `speakerUserId`, `speakerId` or `userId`), that is what matches a
 *    person here; a speaker known by display name alone is never matched, because two people
 *    can share a name and a guest can call themselves anything.
 *  - Permission: `OnlineMeetingTranscript.Read.Chat`, an application permission by
 *    resource-specific consent (granted per meeting chat when the app is added there);
 *    it covers scheduled private-chat meetings, not channel meetings. 403 also comes
 *    back when the tenant turned off Graph access to transcripts (inner error code
 *    `GraphAccessToTranscriptsDisabled`). The meeting must not have expired.
 *    learn.microsoft.com/microsoftteams/platform/graph-api/rsc/resource-specific-consent
 */

/** One cue's words as Teams wrote them: who the voice span named, and when (seconds from the start). */
export interface Cue {
  start: number;
  end: number;
  /** The `<v ...>` annotation: a display name, nothing more. */
  speakerName?: string;
  text: string;
}

/** One utterance of the speaker metadata: the same timeline, and an Entra object id where Teams gave one. */
export interface SpokenBy {
  start: number;
  end: number;
  speakerName?: string;
  userId?: string;
}

/** A turn: consecutive cues of one speaker, joined. */
export interface Turn {
  start: number;
  end: number;
  speakerName?: string;
  /** The Entra object id, only when the metadata said so for every cue of the turn. */
  userId?: string;
  words: string;
}

export interface Suggestion {
  /** Stable within one transcript: the card's input ids and the save's payload use it. */
  id: string;
  lxpId: string;
  /** Seconds from the start of the transcript, for "about 12 minutes in". */
  start: number;
  words: string;
  /** A one-line quote from the words, when a model was asked and quoted faithfully. */
  summary?: string;
}

/**
 * A turn shorter than this many words is left out: "yes", "I agree with Sam",
 * "can you hear me? I'm on mute" are not contributions, and the chair would
 * have to untick dozens of them. Twelve words is about one plain sentence
 * that says something; anything shorter the chair can still log by hand.
 */
export const MIN_WORDS = 12;

// ---------------------------------------------------------------- WebVTT

const TIMING = /^\s*((?:\d+:)?\d+:\d+(?:[.,]\d+)?)\s+-->\s+((?:\d+:)?\d+:\d+(?:[.,]\d+)?)(?:\s.*)?$/;

/** "h:m:s.f" or "m:s.f", any number of digits each, as Teams writes them; NaN when it is not a time. */
export function vttSeconds(stamp: string): number {
  const parts = stamp.replace(',', '.').split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n))) return NaN;
  return parts.reduce((total, n) => total * 60 + n, 0);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', lrm: '', rlm: '' };

/** WebVTT's character references: the named few the format defines, and numeric ones. */
export function unescapeVtt(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

interface Block {
  start: number;
  end: number;
  payload: string[];
}

/** The cue blocks of a WebVTT file: header, NOTE, STYLE and REGION blocks and cue identifiers left out. */
function cueBlocks(vtt: string): Block[] {
  const lines = vtt.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let i = 0;
  const blank = (l: string | undefined) => l === undefined || l.trim() === '';
  while (i < lines.length) {
    while (i < lines.length && blank(lines[i])) i++;
    const first = i;
    while (i < lines.length && !blank(lines[i])) i++;
    const block = lines.slice(first, i);
    if (!block.length || /^(WEBVTT|NOTE|STYLE|REGION)\b/.test(block[0])) continue;
    const at = block.findIndex((l) => l.includes('-->'));
    // The timing is the first or second line (after an identifier); a block with neither is not a cue.
    if (at < 0 || at > 1) continue;
    const m = TIMING.exec(block[at]);
    if (!m) continue;
    const start = vttSeconds(m[1]);
    const end = vttSeconds(m[2]);
    if (Number.isNaN(start) || Number.isNaN(end)) continue;
    blocks.push({ start, end, payload: block.slice(at + 1) });
  }
  return blocks;
}

/**
 * The cues of a transcript. A cue's lines are joined with a space (a line
 * break in a caption is for display); each `<v Name>` span becomes a cue of
 * its own, text outside a voice span keeps the cue's last voice, and other
 * tags (class, italics, timestamps, language, ruby) are dropped.
 */
export function parseVtt(vtt: string): Cue[] {
  const cues: Cue[] = [];
  for (const b of cueBlocks(vtt)) {
    const text = b.payload.join(' ');
    let voice: string | undefined;
    const spans: { speakerName?: string; text: string }[] = [];
    const push = (chunk: string) => {
      const last = spans[spans.length - 1];
      if (last && last.speakerName === voice) last.text += chunk;
      else spans.push({ speakerName: voice, text: chunk });
    };
    for (const piece of text.split(/(<[^>]*>)/)) {
      if (!piece) continue;
      if (piece.startsWith('<') && piece.endsWith('>')) {
        const v = /^<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>$/.exec(piece);
        if (v) voice = v[1] ? unescapeVtt(v[1]).trim() || undefined : undefined;
        // "</v>" ends the span; what follows, if anything, is still that voice's (Teams writes one voice a cue).
        continue;
      }
      push(unescapeVtt(piece));
    }
    for (const s of spans) {
      const words = s.text.replace(/\s+/g, ' ').trim();
      if (words) cues.push({ start: b.start, end: b.end, speakerName: s.speakerName, text: words });
    }
  }
  return cues;
}

/** Entra object ids are GUIDs; anything else in an id field is not trusted as one. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_FIELDS = ['speakerUserId', 'speakerId', 'userId'] as const;

/** The speaker metadata (metadataContent): one JSON object a cue. Cues that are not JSON are skipped. */
export function parseSpeakerMetadata(vtt: string): SpokenBy[] {
  const out: SpokenBy[] = [];
  for (const b of cueBlocks(vtt)) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(b.payload.join('\n')) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (!json || typeof json !== 'object') continue;
    const id = ID_FIELDS.map((f) => json[f]).find((v): v is string => typeof v === 'string' && GUID.test(v));
    out.push({ start: b.start, end: b.end, speakerName: typeof json.speakerName === 'string' ? json.speakerName.trim() : undefined, userId: id?.toLowerCase() });
  }
  return out;
}

// ---------------------------------------------------------------- speakers

/**
 * The Entra object id of a cue's speaker: the id carried by the metadata
 * utterances that overlap the cue in time, when they all name one id and the
 * same display name as the voice span. Anything less certain is no match.
 */
function idOf(cue: Cue, spoken: SpokenBy[]): string | undefined {
  const overlapping = spoken.filter((s) => s.start < cue.end && s.end > cue.start);
  if (!overlapping.length) return undefined;
  const ids = new Set(overlapping.map((s) => s.userId));
  if (ids.size !== 1) return undefined;
  const [id] = ids;
  if (!id) return undefined;
  if (cue.speakerName && overlapping.some((s) => s.speakerName && s.speakerName !== cue.speakerName)) return undefined;
  return id;
}

/**
 * Consecutive cues of one speaker joined into turns. Speakers are told apart
 * by Entra id where known, else by the voice span's name (for joining only:
 * a turn without an id is never matched to a person).
 */
export function turnsOf(cues: Cue[], spoken: SpokenBy[] = []): Turn[] {
  const turns: Turn[] = [];
  let lastKey: string | undefined;
  for (const cue of cues) {
    const userId = idOf(cue, spoken);
    const key = userId ? `id:${userId}` : `name:${cue.speakerName ?? ''}`;
    const last = turns[turns.length - 1];
    if (last && key === lastKey) {
      last.words = `${last.words} ${cue.text}`;
      last.end = Math.max(last.end, cue.end);
    } else {
      turns.push({ start: cue.start, end: cue.end, speakerName: cue.speakerName, userId, words: cue.text });
    }
    lastKey = key;
  }
  return turns;
}

export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Who may be suggested: the workstream's LXPs who agreed, never staff or chairs (even one who is also an LXP). */
export interface SuggestionPeople {
  lxpIds: string[];
  /** Chairs and staff of the workstream, and the programme team: their turns are never suggested. */
  staffIds: string[];
  /** LXPs whose consent record says their words may be suggested to the chair from the transcript. */
  consentedIds: string[];
}

const normalId = (id: string) => id.toLowerCase();

/** The LXPs whose turns may be suggested. Fetch nothing unless one of them was in the meeting. */
export function suggestable(people: SuggestionPeople): Set<string> {
  const staff = new Set(people.staffIds.map(normalId));
  const consented = new Set(people.consentedIds.map(normalId));
  return new Set(people.lxpIds.map(normalId).filter((id) => consented.has(id) && !staff.has(id)));
}

/** Whether fetching the transcript could suggest anything: some LXP present consented. */
export function worthFetching(people: SuggestionPeople, presentIds: string[]): boolean {
  const ok = suggestable(people);
  return presentIds.some((id) => ok.has(normalId(id)));
}

/** Cuts words longer than a contribution may be at sentence ends (else word ends), so nothing is lost, only split. */
export function inPieces(words: string, max = MAX_WORDS_LENGTH): string[] {
  const pieces: string[] = [];
  let rest = words.trim();
  while (rest.length > max) {
    const head = rest.slice(0, max);
    const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
    const space = head.lastIndexOf(' ');
    const cut = sentence > max / 2 ? sentence + 1 : space > max / 2 ? space : max;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * The suggestions for the chair: each consenting LXP's substantive turns, in
 * the order they were said, with the LXP's person id (as stored, matched on
 * the Entra object id). Unmatched, staff, unconsenting and short turns are
 * left out; `left` counts them by reason, for the chair's note, never with words.
 */
export function suggestionsFrom(turns: Turn[], people: SuggestionPeople, minWords = MIN_WORDS) {
  const ok = suggestable(people);
  const personId = new Map(people.lxpIds.map((id) => [normalId(id), id]));
  const left = { unmatched: 0, notSuggestable: 0, short: 0 };
  const suggestions: Suggestion[] = [];
  turns.forEach((t, n) => {
    if (!t.userId) left.unmatched++;
    else if (!ok.has(t.userId)) left.notSuggestable++;
    else if (wordCount(t.words) < minWords) left.short++;
    else {
      const pieces = inPieces(t.words);
      pieces.forEach((words, p) => suggestions.push({ id: `t${n + 1}${pieces.length > 1 ? `-${p + 1}` : ''}`, lxpId: personId.get(t.userId!)!, start: t.start, words }));
    }
  });
  return { suggestions, left };
}

/** A transcript as Graph gave it: each transcript of the meeting (one per time transcription was started), in order. */
export interface TranscriptFiles {
  vtt: string;
  /** metadataContent, when Graph had it. */
  metadata?: string;
}

/** From Graph's files to the chair's suggestions, in one call. */
export function suggestionsFromTranscript(files: TranscriptFiles[], people: SuggestionPeople, minWords = MIN_WORDS) {
  let offset = 0;
  const turns: Turn[] = [];
  for (const f of files) {
    // Each transcript's times start again from zero; later ones follow the earlier.
    const cues = parseVtt(f.vtt).map((c) => ({ ...c, start: c.start + offset, end: c.end + offset }));
    const spoken = f.metadata ? parseSpeakerMetadata(f.metadata).map((s) => ({ ...s, start: s.start + offset, end: s.end + offset })) : [];
    turns.push(...turnsOf(cues, spoken));
    offset = Math.max(offset, ...cues.map((c) => c.end));
  }
  return suggestionsFrom(turns, people, minWords);
}

// ---------------------------------------------------------------- summaries

/** The longest one-line summary kept: a line on a card, not a second copy of the words. */
export const SUMMARY_MAX = 200;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * A model's one-line summary, kept only when it quotes the LXP: after taking
 * off quotation marks, each part between ellipses ("…" or "...") must appear
 * in the words, in order (case and spacing aside). Anything else, a
 * paraphrase, a second line, an empty answer, a word or two, is dropped: undefined.
 */
export function quotedSummary(answer: string | undefined, words: string): string | undefined {
  if (!answer) return undefined;
  const line = answer.trim().replace(/^["'“‘]+|["'”’]+$/g, '').trim();
  // Fewer than three words says nothing the card does not already show.
  if (!line || /[\r\n]/.test(line) || line.length > SUMMARY_MAX || wordCount(line.replace(/…|\.\.\./g, ' ')) < 3) return undefined;
  const parts = line.split(/\s*(?:…|\.\.\.)\s*/).map(squash).filter(Boolean);
  if (!parts.length) return undefined;
  const haystack = squash(words);
  let from = 0;
  for (const part of parts) {
    const at = haystack.indexOf(part, from);
    if (at < 0) return undefined;
    from = at + part.length;
  }
  return line;
}

/** Asks for each suggestion's one-line quote; a failed or unfaithful answer leaves that suggestion without one. */
export async function withSummaries(suggestions: Suggestion[], ask: (words: string) => Promise<string | undefined>): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  for (const s of suggestions) {
    let answer: string | undefined;
    try {
      answer = await ask(s.words);
    } catch {
      answer = undefined;
    }
    const summary = quotedSummary(answer, s.words);
    out.push(summary ? { ...s, summary } : s);
  }
  return out;
}

// ---------------------------------------------------------------- fetching

/** Which meeting to ask Graph about: the organiser's Entra id and Graph's onlineMeeting id (msGraphResourceId). */
export interface TranscriptMeetingRef {
  tenantId: string;
  organiserId: string;
  onlineMeetingId: string;
}

/**
 * What fetching gave. The failures are the chair's note, nothing more:
 * `no_transcript` (none was made, or it is not ready), `not_permitted` (403:
 * the meeting's permission was not consented, or the tenant turned transcript
 * access off), `throttled` (429 still after waiting as Graph asked),
 * `unavailable` (anything else: timeout, 5xx).
 */
export type TranscriptFetch = { ok: true; files: TranscriptFiles[] } | { ok: false; reason: 'no_transcript' | 'not_permitted' | 'throttled' | 'unavailable' };
