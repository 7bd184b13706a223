import type { Attachment, TurnContext } from 'botbuilder';
import type { FileOffer, UploadInfo } from '../app/reply';

export function fileConsentAttachment({ filename, description, sizeInBytes, context }: FileOffer): Attachment {
  return {
    contentType: 'application/vnd.microsoft.teams.card.file.consent',
    name: filename,
    content: { description, sizeInBytes, acceptContext: context, declineContext: context },
  };
}

export class UploadError extends Error {}

/**
 * Teams' file consent flow: after the person chooses Allow, Teams gives an
 * upload session URL in their OneDrive. One PUT with the whole body and its
 * Content-Range finishes the session. In production only https is accepted,
 * so a forged invoke could not make the bot post data to a plain-http host.
 */
export async function uploadToConsent(info: UploadInfo | undefined, body: Buffer, opts: { requireHttps: boolean; timeoutMs?: number }): Promise<void> {
  const url = info?.uploadUrl;
  if (!url || !/^https?:\/\//.test(url) || (opts.requireHttps && !url.startsWith('https://'))) throw new UploadError('Teams did not give a usable upload address.');
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'Content-Length': String(body.length), 'Content-Range': `bytes 0-${body.length - 1}/${body.length}` },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  if (!res.ok) throw new UploadError(`The upload was refused (${res.status}).`);
}

/** The card Teams shows for a file now in the person's OneDrive. */
export async function sendFileInfo(context: TurnContext, info: UploadInfo): Promise<void> {
  await context.sendActivity({
    attachments: [{ contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: info.contentUrl, name: info.name, content: { uniqueId: info.uniqueId, fileType: info.fileType } }],
  });
}
