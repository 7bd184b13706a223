import { programmeArchive, programmeToClose, queueClose } from '../commands/close-programme';
import { inProgramme } from '../commands/deps';
import { programmeIdOf } from '../commands/memberships';
import { programmesOf } from '../commands/personal';
import { notAllowed } from '../domain/errors';
import { queryEvery } from '../domain/ports';
import { closeProgrammeCard } from '../presenters/close-programme';
import type { Payload } from './payloads';
import { answer, say, show, type Out } from './reply';
import type { AppDeps, FileAnswer, UseCase } from './route';
import { isShared, type Turn } from './turn';

/** Marks the close's consent card, so its own routes take the answer (not the export's). */
export const PROGRAMME_CLOSE_FILE = 'programme_close';
const PERSONAL_ONLY = 'Closing a programme starts with a file of everything it holds, and Teams only sends files in our personal chat: type close programme there. Nothing has been erased.';

async function confirmCard(deps: AppDeps, turn: Turn) {
  const programme = await programmeToClose(deps, turn.caller);
  const count = async (c: Parameters<typeof queryEvery>[0], type?: string) => (await queryEvery(c, turn.tenantId, type ? [{ field: 'type', op: '=', value: type }] : [])).length;
  const [workstreams, people, meetings, contributions] = await Promise.all([
    count(deps.stores.workstreams, 'workstream'), count(deps.stores.people), count(deps.stores.meetings), count(deps.stores.contributions),
  ]);
  return closeProgrammeCard(programme, { workstreams, people, meetings, contributions });
}

/** `close programme` (the lead, personal chat): the confirmation card. */
export const onCloseProgramme: UseCase<string> = async (deps, turn) => {
  if (isShared(turn)) return [say(PERSONAL_ONLY)];
  return [show(await confirmCard(deps, turn))];
};

/** The setup card's "Close the programme" button: the same confirmation card. */
export const onCloseProgrammeOpen: UseCase<Payload<'programme_close_open'>> = async (deps, turn) => {
  if (isShared(turn)) return [answer(PERSONAL_ONLY)];
  return [answer(await confirmCard(deps, turn))];
};

/** Confirmed: the file of everything is offered first; nothing is erased until it is saved. */
export const onCloseProgrammeConfirm: UseCase<Payload<'programme_close'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer(PERSONAL_ONLY)];
  // A card drawn for a programme the presser is not in (scopeTurn then falls back to their own) must not offer to close theirs.
  if (data.programmeId && data.programmeId !== turn.scope?.programmeId) throw notAllowed('This card is for a programme you are not in. Type close programme for a fresh card. Nothing has been erased.');
  const { filename, body, programme } = await programmeArchive(deps, turn.caller);
  const context = { kind: PROGRAMME_CLOSE_FILE, requester: turn.caller.id, programmeId: programmeIdOf(deps) };
  const description = `Everything ${programme.name ?? 'the programme'} holds, as JSON: the contributions file that export gives, its workstreams, people, meetings, involvement claims and audit trail.`;
  const offer: Out = { to: 'here', content: { fileOffer: { filename, description, sizeInBytes: Buffer.byteLength(body, 'utf8'), context } } };
  return [answer('Choose Allow on the card below to save the file to your OneDrive. The programme is erased once the file is saved; until then nothing changes.'), offer];
};

/** The lead's programme named on the consent card, if they are still in it (their lead role is checked again by programmeArchive). */
async function programmeNamed(deps: AppDeps, turn: Turn, programmeId: unknown): Promise<AppDeps> {
  const mine = await programmesOf(deps, turn.caller);
  if (typeof programmeId !== 'string' || !mine.some((p) => p.id === programmeId)) throw notAllowed('You are no longer in that programme. Nothing has been erased.');
  return inProgramme(deps, turn.tenantId, programmeId);
}

/** The file accepted: made again from what is held now, saved, and only then is the programme's erasing queued. */
export const onCloseFileAccepted: UseCase<FileAnswer> = async (deps, turn, { context, upload }) => {
  if (context.requester !== turn.caller.id) return [say('This file was prepared for someone else. Nothing has been erased.')];
  const inside = await programmeNamed(deps, turn, context.programmeId);
  const { body, programme } = await programmeArchive(inside, turn.caller);
  const name = programme.name ?? 'The programme';
  const then = async () => {
    await queueClose(inside, turn.caller, String(context.programmeId));
    return `Saved. ${name} is being erased now; I will tell you here when it is done.`;
  };
  return [{ to: 'here', content: { upload: { info: upload, body: Buffer.from(body, 'utf8'), retry: 'Nothing has been erased. Type close programme to try again.', then } } }];
};

export const onCloseFileDeclined: UseCase<FileAnswer> = async () => [say('No file was saved, and nothing has been erased: the programme stays open.')];
