import { handOverLead, knownPeople, programmeView, proposePriorityArea, removePriorityArea, saveWorkstream, setProgrammeMember, startProgramme, workstreamToEdit } from '../commands/setup';
import { membershipsOf, programmeIdOf, setCurrentProgramme } from '../commands/memberships';
import { inProgramme } from '../commands/deps';
import { notAllowed } from '../domain/errors';
import { savePreferences } from '../commands/onboarding';
import { switchTranscriptSuggestions } from '../commands/transcript-switch';
import { ensurePerson } from '../commands/deps';
import { rolesOf } from '../commands/roles-of';
import { help } from '../commands/help';
import { DomainError } from '../domain/errors';
import { whyUnreachable } from '../jobs/unreachable';
import { renderCard } from '../presenters/render-card';
import { noticeCard, preferencesCard, priorityAreasCard, quietTimesText, setupCard, workstreamEditCard } from '../presenters/setup';
import { programmeChooseCard, setupClaimCard } from '../presenters/setup-claim';
import type { Payload } from './payloads';
import { answer, say, show, toAsker } from './reply';
import type { AppDeps, UseCase } from './route';
import { isShared, type ChatMember, type Turn } from './turn';

/** The chat's members, who can be picked in setup besides the programme's people (none in a personal chat). */
async function membersHere(deps: AppDeps, turn: Turn): Promise<ChatMember[]> {
  if (!isShared(turn)) return [];
  try {
    return await turn.teams.chatMembers();
  } catch (err) {
    deps.logger.warn({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not read chat members');
    return [];
  }
}

export async function programmeSetupCard(deps: AppDeps, turn: Turn, justClaimed: boolean) {
  const view = await programmeView(deps, turn.tenantId);
  if (!view) return setupClaimCard();
  const unreachable = view.people.filter((p) => p.reachability?.status === 'unreachable').map((p) => ({ name: p.name, why: whyUnreachable(p.reachability.reason ?? '') }));
  return setupCard({ ...view, justClaimed, unreachable });
}

export const onHelp: UseCase<string> = async (deps, turn) => [show(renderCard('help', await help(deps, turn.caller, { plainEnglish: deps.questions })))];

/** `setup`: the programme team gets the programme card; LXPs and chairs get their workstreams' priority areas. */
export const onSetup: UseCase<string> = async (deps, turn) => {
  // In several programmes: the card asks which one first (src/app/programme-scope.ts).
  const choices = turn.scope?.choices ?? (await programmesToChooseFrom(deps, turn));
  if (choices) return [show(programmeChooseCard(choices, 'setup'))];
  const roles = await rolesOf(deps, turn.caller);
  if (roles.programme || !roles.programmeExists) return [show(await programmeSetupCard(deps, turn, false))];
  const mine = [...roles.lxpOf, ...roles.chairOf];
  if (mine.length === 0) throw new DomainError('not_allowed', 'Setup is for the programme team. Ask them to add you to a workstream or to the programme team.');
  return mine.map((ws) => show(priorityAreasCard(ws)));
};

/** `preferences`: the card is private, so from a shared chat it goes 1:1 and the chat is only told so. */
export const onPreferences: UseCase<string> = async (deps, turn) => {
  // Each programme keeps its own preferences: someone in several always says which, as for setup.
  const choices = turn.scope?.choices ?? (await programmesToChooseFrom(deps, turn));
  if (choices) return [toAsker(isShared(turn), programmeChooseCard(choices, 'preferences'), 'Which programme?', 'preferences', 'I have sent you a choice of programme in our personal chat.')];
  if (!turn.scope?.programmeId) throw new DomainError('not_allowed', 'Your preferences belong to a programme, and you are not in one yet. Ask a programme lead to add you.');
  const card = preferencesCard(await ensurePerson(deps, turn.caller), false);
  return [toAsker(isShared(turn), card, 'Your preferences', 'preferences', 'Your preferences are private: I have sent them to you in our personal chat.')];
};

/** "Start a programme": the presser leads a new programme, and works in it from now on. */
export const onProgrammeClaim: UseCase<Payload<'programme_claim'>> = async (deps, turn, data) => {
  const started = await startProgramme(deps, turn.caller, { name: data.name, submissionId: data.submissionId });
  const inside = { ...deps, ...started.deps };
  const programmeId = programmeIdOf(inside);
  await setCurrentProgramme(inside, turn.tenantId, turn.caller.id, programmeId);
  turn.scope = { programmeId };
  return [answer(await programmeSetupCard(inside, turn, true))];
};

/** A programme chosen on the "Which programme?" card: worked in from now on (personal chat), then what was asked for. */
export const onProgrammeChoose: UseCase<Payload<'programme_choose'>> = async (deps, turn, data) => {
  const mine = (await membershipsOf(deps, turn.tenantId, turn.caller.id))?.programmes ?? {};
  if (!mine[data.programmeId]) throw notAllowed('You are not in that programme any more. Type setup to see the programmes you are in.');
  const inside = inProgramme(deps, turn.tenantId, data.programmeId);
  await setCurrentProgramme(inside, turn.tenantId, turn.caller.id, data.programmeId);
  turn.scope = { programmeId: data.programmeId };
  const name = mine[data.programmeId].name;
  if (data.then === 'preferences') return [answer(preferencesCard(await ensurePerson(inside, turn.caller), false, name))];
  if (data.then === 'setup') {
    const roles = await rolesOf(inside, turn.caller);
    if (roles.programme) return [answer(await programmeSetupCard(inside, turn, false))];
    const mineHere = [...roles.lxpOf, ...roles.chairOf];
    if (mineHere.length) return [answer(`You are working in ${name}.`), ...mineHere.map((ws) => show(priorityAreasCard(ws)))];
  }
  return [answer(`You are working in ${name}. Type what you wanted to do again.`)];
};

/** In a personal chat, someone in several programmes always picks one for setup (where they may start another too). */
async function programmesToChooseFrom(deps: AppDeps, turn: Turn) {
  if (isShared(turn)) return undefined;
  const mine = (await membershipsOf(deps, turn.tenantId, turn.caller.id))?.programmes ?? {};
  const ids = Object.keys(mine);
  return ids.length > 1 ? ids.map((id) => ({ id, name: mine[id].name })).sort((a, b) => a.name.localeCompare(b.name)) : undefined;
}

export const onProgrammeMemberAdd: UseCase<Payload<'programme_member_add'>> = async (deps, turn, data) => {
  await setProgrammeMember(deps, turn.caller, data.personId, true);
  return [answer(await programmeSetupCard(deps, turn, false))];
};

export const onProgrammeMemberRemove: UseCase<Payload<'programme_member_remove'>> = async (deps, turn, data) => {
  await setProgrammeMember(deps, turn.caller, data.removeId, false);
  return [answer(await programmeSetupCard(deps, turn, false))];
};

/** The lead hands over: the card pressed becomes a short confirmation, since its buttons are no longer theirs. */
export const onLeadHandover: UseCase<Payload<'programme_lead_handover'>> = async (deps, turn, data) => {
  await handOverLead(deps, turn.caller, data.newLeadId);
  const newLead = await deps.stores.people.get(turn.tenantId, data.newLeadId);
  return [answer(`${newLead?.name ?? 'They'} now lead${newLead ? 's' : ''} the programme. You are no longer on its programme team.`)];
};

export const onWorkstreamEdit: UseCase<Payload<'workstream_edit'>> = async (deps, turn, data) => {
  const workstream = await workstreamToEdit(deps, turn.caller, data.workstreamId);
  return [answer(workstreamEditCard({ workstream, people: await knownPeople(deps, turn.tenantId, await membersHere(deps, turn)) }))];
};

export const onWorkstreamSave: UseCase<Payload<'workstream_save'>> = async (deps, turn, data) => {
  const priorityAreas = [data.area1, data.area2, data.area3, data.area4, data.area5, data.area6].filter((a): a is string => !!a && a.trim() !== '');
  const { workstreamId, submissionId, name, chairIds, lxpIds, staffIds } = data;
  await saveWorkstream(deps, turn.caller, { workstreamId, submissionId, expectedUpdatedAt: data.expectedUpdatedAt || undefined, name, chairIds, lxpIds, staffIds, priorityAreas }, await membersHere(deps, turn));
  return [answer(await programmeSetupCard(deps, turn, false))];
};

/** The programme lead switches suggestions from meeting transcripts on or off (issue 24). */
export const onTranscriptsSwitch: UseCase<Payload<'transcripts_switch'>> = async (deps, turn, data) => {
  await switchTranscriptSuggestions(deps, turn.caller, data.on);
  return [answer(await programmeSetupCard(deps, turn, false))];
};

export const onPriorityAreaAdd: UseCase<Payload<'priority_area_add'>> = async (deps, turn, data) => {
  const ws = await proposePriorityArea(deps, turn.caller, data.workstreamId, data.areaName);
  return [answer(priorityAreasCard(ws, `Added "${data.areaName.trim()}".`))];
};

export const onPriorityAreaRemove: UseCase<Payload<'priority_area_remove'>> = async (deps, turn, data) => {
  const ws = await removePriorityArea(deps, turn.caller, data.workstreamId, data.areaId);
  return [answer(priorityAreasCard(ws, 'Removed.'))];
};

const RHYTHM = { as_it_happens: 'as it happens', weekly: 'once a week', monthly: 'once a month' };

export const onPreferencesSave: UseCase<Payload<'preferences_save'>> = async (deps, turn, data) => {
  const person = await savePreferences(deps, turn.caller, data);
  return [
    answer(
      noticeCard('Your choices are saved', 'Thank you. You can change them at any time by typing preferences.', [
        { title: 'Named as', value: person.preferences?.attribution === 'anonymous' ? 'an LXP (anonymous)' : 'your name' },
        { title: 'You said, we did', value: RHYTHM[person.preferences!.rhythm] },
        { title: 'No messages', value: quietTimesText(person.preferences!) },
        { title: 'Meeting transcripts', value: person.preferences?.transcriptSuggestions ? 'your words may be suggested to the chair' : 'your words are never suggested' },
      ]),
    ),
  ];
};

/** Said when text matches no command (and plain-English questions are off). */
export const onUnrecognised: UseCase<string> = async () => [say("I didn't recognise that. Type help to see what I can do for you.")];
