import type { Shows } from '../domain/shown';
import type { CardJson } from '../presenters/render-card';

/** A file the person may accept into their OneDrive; `context` comes back on accept, so the file is made from current data then. */
export interface FileOffer {
  filename: string;
  description: string;
  sizeInBytes: number;
  context: Record<string, string>;
}

/** Where Teams said to put an accepted file (the file consent flow's uploadInfo). */
export interface UploadInfo {
  uploadUrl?: string;
  contentUrl?: string;
  name?: string;
  uniqueId?: string;
  fileType?: string;
}

/** What a person sees: a text, a card, a file offer, or a file put into their OneDrive (`retry` says how to try again). */
export type Content =
  | { text: string }
  | { card: CardJson }
  | { fileOffer: FileOffer }
  /** `then`: run once the file is saved (never when the upload failed); a text it returns is posted after it. */
  | { upload: { info: UploadInfo | undefined; body: Buffer; retry: string; then?: () => Promise<string | undefined> } };

/**
 * One thing to show, and where:
 * - `here`: posted in the conversation the turn came from;
 * - `pressed`: the answer to a card action; a card replaces the card pressed (for everyone in a shared chat), a text is shown to the presser;
 * - `private`: sent to the caller's 1:1 chat; the conversation is then told `sent`, or `failed` if Teams would not deliver it.
 */
export type Out =
  | { to: 'here'; content: Content; shows?: Shows }
  | { to: 'pressed'; content: { text: string } | { card: CardJson }; shows?: Shows }
  | { to: 'private'; card: CardJson; summary: string; sent: string; failed: string };

/** What a use case answers, in order. Empty: nothing to show. */
export type Reply = Out[];

export const say = (text: string): Out => ({ to: 'here', content: { text } });
/** `shows`: the contributions the card shows, so the message is updated when one of them changes (src/commands/shown.ts). */
export const show = (card: CardJson, shows?: Shows): Out => ({ to: 'here', content: { card }, ...(shows ? { shows } : {}) });
export const answer = (result: string | CardJson, shows?: Shows): Out => ({ to: 'pressed', content: typeof result === 'string' ? { text: result } : { card: result }, ...(shows ? { shows } : {}) });
export const privately = (card: CardJson, summary: string, told: { sent: string; failed: string }): Out => ({ to: 'private', card, summary, ...told });

/**
 * Details go to the person who asked: here in their 1:1 chat; from a shared
 * chat, sent 1:1, and the chat is told `sent`, or how to get them (`retry`
 * is what to type) when Teams cannot reach them.
 */
export function toAsker(shared: boolean, card: CardJson, summary: string, retry: string, sent: string): Out {
  if (!shared) return show(card);
  return privately(card, summary, { sent, failed: `I couldn't write to you privately. Open a chat with me (Golden Thread) and type "${retry}" there.` });
}
