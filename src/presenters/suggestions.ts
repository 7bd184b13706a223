import { KINDS, KIND_LABEL, type Kind } from '../domain/contribution';
import type { Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import type { Suggestion, TranscriptFetch } from '../domain/transcript';
import type { Workstream } from '../domain/workstream';
import { plain, renderCard, type CardJson } from './render-card';
import { WHO_SEES_MINUTES } from './who-sees';
import { noticeCard } from './setup';

/**
 * The chair's "Suggested contributions" card (cards/suggested-contributions.json),
 * sent 1:1 to the chair only: the one place transcript words are shown. Each
 * suggestion has a tick (off: saving is the chair's choice), the words to edit,
 * and the log card's controls with the log card's defaults: kind "Suggestion",
 * the meeting's chair as owner, anonymity as the LXP chose, and "restricted if
 * it is a personal experience", so a personal story stays restricted unless the
 * chair says otherwise (and the LXP is asked again).
 */
export interface SuggestionsCardInput {
  meeting: Meeting;
  workstream: Workstream;
  suggestions: Suggestion[];
  names: Names;
  /** One per card sent, so a save is kept once however often it is pressed (the parts add their number). */
  submissionId: string;
}

/**
 * Teams refuses a bot message over about 100 KB (UTF-16) and advises 80 KB.
 * Each part keeps its JSON under this many characters (two bytes each), which
 * leaves room for what Teams wraps around a card.
 */
export const SUGGESTIONS_PART_CHARS = 36_000;

/** "about 12 minutes in", from the seconds since the transcript began. */
export function whenSaid(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'at the start';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h ? `${h} hour${h === 1 ? '' : 's'}` : '';
  const mins = m ? `${m} minute${m === 1 ? '' : 's'}` : '';
  return `about ${[hours, mins].filter(Boolean).join(' ')} in`;
}

export function suggestionCards(i: SuggestionsCardInput): CardJson[] {
  const items = i.suggestions.map((s) => ({ id: s.id, lxpId: s.lxpId, who: i.names(s.lxpId), when: whenSaid(s.start), words: plain(s.words), summary: s.summary ? plain(s.summary) : '' }));
  const base = {
    meeting: plain(i.meeting.title),
    meetingId: i.meeting.id,
    workstream: plain(i.workstream.name),
    kind: 'suggestion',
    kinds: KINDS.map((k) => ({ title: KIND_LABEL[k], value: k })),
    areas: i.workstream.priorityAreas.map((p) => ({ id: p.id, name: plain(p.name) })),
    owners: [...new Set([...i.workstream.chairIds, ...i.workstream.staffIds])].map((id) => ({ id, name: i.names(id) })),
    ownerId: i.meeting.chairId ?? i.workstream.chairIds[0] ?? '',
    whoSees: `${WHO_SEES_MINUTES} Only what you save is kept; the transcript is not. Each LXP is asked to check what you save from their words, as with anything logged.`,
  };
  const render = (part: typeof items, n: number, of: number) =>
    renderCard('suggested-contributions', {
      ...base,
      intro:
        n === 0
          ? `From the meeting's transcript, what the LXPs who agreed to it said at some length: ${items.length} suggestion${items.length === 1 ? '' : 's'}. Tick the ones to keep and correct the words where Teams misheard. Nothing is saved until you press Save; staff are never suggested.`
          : 'More suggestions from the same transcript.',
      partText: of > 1 ? `Part ${n + 1} of ${of}: save each part on its own.` : '',
      part: n,
      submissionId: of > 1 ? `${i.submissionId}-${n + 1}` : i.submissionId,
      // Which LXP each suggestion is from: the transcript is not kept, so the save learns it from the card (and checks it).
      suggested: part.map((s) => `${s.id}:${s.lxpId}`).join(','),
      items: part,
    });
  const parts = splitBySize(items, (part) => JSON.stringify(render(part, 0, 2)).length);
  return parts.map((part, n) => render(part, n, parts.length));
}

/**
 * Greedy parts whose rendered size stays under the budget. The size of an
 * item is measured once against the card around it, so a two-hour meeting's
 * hundred suggestions cost a few hundred renders, not thousands.
 */
function splitBySize<T extends { words: string; summary: string; who: string }>(items: T[], sizeOf: (part: T[]) => number, budget = SUGGESTIONS_PART_CHARS): T[][] {
  if (!items.length) return [[]];
  const empty = sizeOf([]);
  const frame = sizeOf([items[0]]) - empty - JSON.stringify(items[0]).length;
  const parts: T[][] = [[]];
  let used = empty;
  for (const item of items) {
    const size = JSON.stringify(item).length + frame;
    if (used + size > budget && parts[parts.length - 1].length) {
      parts.push([]);
      used = empty;
    }
    parts[parts.length - 1].push(item);
    used += size;
  }
  return parts;
}

export type TranscriptNote = Extract<TranscriptFetch, { ok: false }>['reason'] | 'nothing_to_suggest';

const NOTES: Record<TranscriptNote, string> = {
  no_transcript: 'Teams has no transcript of this meeting, or it is not ready yet, so there are no suggestions.',
  not_permitted:
    'Golden Thread may not read this meeting\'s transcript: the permission to read transcripts was not granted when the app was added to this meeting, or your organisation has turned transcript access off. An administrator can allow it (see "Meeting transcripts" in the setup guide).',
  throttled: 'Microsoft Teams was too busy to hand over the transcript, so there are no suggestions this time.',
  unavailable: 'Golden Thread could not get the transcript from Microsoft Teams just now, so there are no suggestions this time.',
  nothing_to_suggest: 'The transcript had nothing to suggest: no LXP who agreed to have their words suggested spoke at any length.',
};

/**
 * The short note the chair gets instead of suggestions, for noticeCard or as text. Nothing was stored, and logging
 * by hand still works. It names no meeting: a title is typed text, and a notice shows text as markdown.
 */
export function transcriptNote(reason: TranscriptNote): { title: string; text: string } {
  return { title: 'Suggested contributions from the transcript', text: `${NOTES[reason]} Nothing was stored. You can still log contributions by hand: type "log" in the meeting chat.` };
}

/**
 * What replaces the chair's card once saved: who each saved contribution is from and its kind, and the rest
 * "not kept". No words at all: the unticked ones would otherwise stay in the chat, and the saved ones live in the
 * record now, where the LXP may correct or withdraw them (the log card and the minutes show them from there).
 */
export function suggestionsSavedCard(saved: { lxpId: string; kind: Kind; alreadySaved: boolean }[], refused: string[], offered: number, names: Names): CardJson {
  const fresh = saved.filter((s) => !s.alreadySaved).length;
  const lines = [
    saved.length
      ? `Saved ${saved.length} contribution${saved.length === 1 ? '' : 's'} from the transcript${fresh < saved.length ? ` (${saved.length - fresh} had already been saved)` : ''}. Each LXP is asked to check what was saved from their words.`
      : 'Nothing was saved: no suggestion was ticked.',
    refused.length
      ? `Not saved: ${[...new Set(refused)].map((id) => plain(names(id))).join(', ')}, who no longer agree${refused.length === 1 ? 's' : ''} to have their words suggested from the transcript, or who ${refused.length === 1 ? 'is' : 'are'} no longer an LXP of this workstream.`
      : '',
    offered > saved.length ? 'The rest were not kept, and their words are gone from this card.' : '',
    'You can still log anything else by hand: type "log" in the meeting chat.',
  ];
  return noticeCard(
    'Suggested contributions from the transcript',
    lines.filter(Boolean).join(' '),
    saved.map((s) => ({ title: plain(names(s.lxpId)), value: KIND_LABEL[s.kind] })),
  );
}
