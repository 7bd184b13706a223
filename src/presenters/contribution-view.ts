import { KIND_LABEL, STATUS_LABEL, mayReadWords, type Contribution } from '../domain/contribution';
import { formatShortDay } from '../domain/follow-up';
import { plain } from './render-card';
import type { Names } from '../domain/person';

export const RESTRICTED_TEXT = 'A personal story, shared in confidence.';
export const ANONYMOUS_NAME = 'An LXP';
export const ERASED_TEXT = 'Erased at the request of the person who said it.';

/** Who reads a card: a person, or everyone in a shared chat (no id, not programme). */
export interface Viewer {
  id: string;
  programme: boolean;
}
export const SHARED_CHAT: Viewer = { id: '', programme: false };


export function whoSaid(c: Contribution, names: Names, viewer: Viewer): string {
  const isTheLxp = c.lxpIds.includes(viewer.id);
  if (c.anonymous && !isTheLxp) return ANONYMOUS_NAME;
  return c.lxpIds.map(names).join(' and ');
}

/** The words as this viewer may see them: restricted stories only for the LXP and the programme team. */
export function wordsFor(c: Contribution, viewer: Viewer): string {
  if (c.status === 'withdrawn') return 'Withdrawn by the person who said it.';
  // "forget me" leaves the contribution (so it still counts) without its words: say so, not "a personal story".
  if (!c.words) return ERASED_TEXT;
  if (!mayReadWords(c, viewer)) return RESTRICTED_TEXT;
  return plain(c.words);
}

/** Issue 22: what an LXP added themself is marked so wherever it is listed. */
export const ADDED_BY_LXP = 'added by the LXP';
export function kindLabel(c: Pick<Contribution, 'kind' | 'addedBy'>): string {
  if (c.addedBy !== 'lxp') return KIND_LABEL[c.kind];
  return `${KIND_LABEL[c.kind]} (${c.kind === 'led_agenda_item' ? 'proposed by the LXP' : ADDED_BY_LXP})`;
}

export function contributionLine(c: Contribution, names: Names, viewer: Viewer, timeZone: string) {
  return {
    id: c.id,
    who: whoSaid(c, names, viewer),
    kind: kindLabel(c),
    words: wordsFor(c, viewer),
    owner: names(c.ownerId),
    due: formatShortDay(c.dueAt, timeZone),
    state: STATUS_LABEL[c.status],
    restricted: c.restricted,
  };
}
