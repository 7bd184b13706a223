import { involvementOf, pauseInvolvement, resumeInvolvement } from '../commands/involvement';
import { pauseCard } from '../presenters/involvement';
import type { Payload } from './payloads';
import { answer, say, show } from './reply';
import type { UseCase } from './route';
import { isShared } from './turn';

const PRIVATE = 'Pausing is private: type pause in our personal chat with me (Golden Thread).';

/** `pause`: the card, in the personal chat only. */
export const onPause: UseCase<string> = async (deps, turn) => {
  if (isShared(turn)) return [say(PRIVATE)];
  return [show(pauseCard(await involvementOf(deps, turn.caller), deps.settings.timeZone))];
};

export const onPauseSave: UseCase<Payload<'involvement_pause'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer(PRIVATE)];
  const inv = await pauseInvolvement(deps, turn.caller, data.stops);
  return [answer(pauseCard(inv, deps.settings.timeZone, 'Paused. Nobody is told; type resume when you are ready.'))];
};

export const onResumePressed: UseCase<Payload<'involvement_resume'>> = async (deps, turn) => {
  if (isShared(turn)) return [answer(PRIVATE)];
  const inv = await resumeInvolvement(deps, turn.caller);
  return [answer(pauseCard(inv, deps.settings.timeZone, 'Welcome back: everything you paused has started again.'))];
};

/** `resume`: typed. */
export const onResume: UseCase<string> = async (deps, turn) => {
  if (isShared(turn)) return [say('Type resume in our personal chat with me (Golden Thread).')];
  const where = (await resumeInvolvement(deps, turn.caller)).map((v) => v.programme);
  return [say(`Welcome back: everything you paused has started again (${where.join(', ')}).`)];
};
