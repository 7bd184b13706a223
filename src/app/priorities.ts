/*
 * Issue 23: programme priorities (`priorities`) and the opt-in equality
 * questions (`about me`, and a button on the preferences card).
 */
import {
  confirmProgrammePriority, declineProgrammePriority, linkProgrammePriority, prioritiesFor, proposeProgrammePriority, retireProgrammePriority,
} from '../commands/programme-priorities';
import { aboutMe, deleteEqualityAnswers, saveEqualityAnswers } from '../commands/about-me';
import { newId } from '../commands/deps';
import { namesFor } from '../commands/names';
import { DomainError } from '../domain/errors';
import { aboutMeCard, programmePrioritiesCard } from '../presenters/programme-priorities';
import type { Payload } from './payloads';
import { answer, say, show, toAsker } from './reply';
import { CHOOSE_FIRST } from './programme-scope';
import type { AppDeps, UseCase } from './route';
import { isShared, type Turn } from './turn';

async function prioritiesCard(deps: AppDeps, turn: Turn, notice = '') {
  const view = await prioritiesFor(deps, turn.caller);
  const names = await namesFor(deps, turn.tenantId, view.priorities.map((p) => p.proposedBy));
  return programmePrioritiesCard(view, names, deps.settings.timeZone, newId(deps), notice);
}

/** Both belong to one programme: someone in several, with none chosen yet, is asked to choose first. */
const chooseFirst = (turn: Turn) => (turn.scope?.choices ? [say(CHOOSE_FIRST)] : undefined);

export const onPriorities: UseCase<string> = async (deps, turn) => chooseFirst(turn) ?? [show(await prioritiesCard(deps, turn))];

/** A multi-select on the card arrives as `areas_<priorityId>`: comma-separated ids (checked by the domain against the programme's areas). */
const areasFrom = (data: Record<string, unknown>, id: string): string[] => {
  const v = data[`areas_${id}`];
  if (v !== undefined && typeof v !== 'string') throw new DomainError('invalid_input', 'The priority areas on the card could not be read. Type priorities for a fresh card.');
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, 100);
};

export const onPriorityPropose: UseCase<Payload<'programme_priority_propose'>> = async (deps, turn, data) => {
  const p = await proposeProgrammePriority(deps, turn.caller, { title: data.title ?? '', why: data.why ?? '', submissionId: data.submissionId });
  return [answer(await prioritiesCard(deps, turn, `Proposed "${p.title}". The programme team will confirm or decline it.`))];
};

export const onPriorityConfirm: UseCase<Payload<'programme_priority_confirm'>> = async (deps, turn, data) => {
  const p = await confirmProgrammePriority(deps, turn.caller, data.priorityId, areasFrom(data, data.priorityId));
  return [answer(await prioritiesCard(deps, turn, `"${p.title}" is now a programme priority.`))];
};

export const onPriorityDecline: UseCase<Payload<'programme_priority_decline'>> = async (deps, turn, data) => {
  const reason = (data as Record<string, unknown>)[`reason_${data.priorityId}`];
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) throw new DomainError('invalid_input', 'Keep the reason to 500 characters or fewer.');
  const p = await declineProgrammePriority(deps, turn.caller, data.priorityId, (reason as string | undefined) ?? '');
  return [answer(await prioritiesCard(deps, turn, `Declined "${p.title}". The LXP who proposed it sees your reason.`))];
};

export const onPriorityRetire: UseCase<Payload<'programme_priority_retire'>> = async (deps, turn, data) => {
  const p = await retireProgrammePriority(deps, turn.caller, data.priorityId);
  return [answer(await prioritiesCard(deps, turn, `Retired "${p.title}".`))];
};

export const onPriorityLink: UseCase<Payload<'programme_priority_link'>> = async (deps, turn, data) => {
  const p = await linkProgrammePriority(deps, turn.caller, data.priorityId, areasFrom(data, data.priorityId));
  return [answer(await prioritiesCard(deps, turn, `Saved the priority areas that serve "${p.title}".`))];
};

/** `about me`: private, so from a shared chat it goes 1:1. */
export const onAboutMe: UseCase<string> = async (deps, turn) => {
  const choose = chooseFirst(turn);
  if (choose) return choose;
  const card = aboutMeCard(await aboutMe(deps, turn.caller));
  return [toAsker(isShared(turn), card, 'About you (optional)', 'about me', 'These questions are private: I have sent them to you in our personal chat.')];
};

export const onAboutMeOpen: UseCase<Payload<'about_me_open'>> = async (deps, turn) => [answer(aboutMeCard(await aboutMe(deps, turn.caller)))];

export const onEqualitySave: UseCase<Payload<'equality_save'>> = async (deps, turn, data) => {
  const saved = await saveEqualityAnswers(deps, turn.caller, data);
  return [answer(aboutMeCard(saved, saved ? 'Saved. Thank you. You can change or delete your answers at any time.' : 'You left every question blank, so nothing is kept.'))];
};

export const onEqualityDelete: UseCase<Payload<'equality_delete'>> = async (deps, turn) => {
  const deleted = await deleteEqualityAnswers(deps, turn.caller);
  return [answer(deleted ? 'Your answers to the questions about you are deleted. Type about me if you want to answer again.' : 'There were no answers to delete.')];
};
