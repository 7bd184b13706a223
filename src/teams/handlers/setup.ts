import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotContext } from '../bot-context';
import { onExecute, answering } from '../execute';
import { sendCard } from '../reply';
import { toTurnRef, type TurnRef } from '../to-domain';
import { claimProgrammeLead, getWorkstream, proposePriorityArea, removePriorityArea, saveWorkstream, setProgrammeMember } from '../../commands/setup';
import { savePreferences } from '../../commands/onboarding';
import { ensurePerson, getProgramme } from '../../commands/deps';
import { rolesOf, workstreamsOf } from '../../commands/roles-of';
import { namesFor } from '../../commands/names';
import { queryEvery } from '../../domain/ports';
import { DomainError } from '../../domain/errors';
import type { Person } from '../../domain/person';
import { noticeCard, preferencesCard, priorityAreasCard, quietTimesText, setupCard, workstreamEditCard } from '../../presenters/setup';
import { setupClaimCard } from '../../presenters/setup-claim';
import { whyUnreachable } from '../../jobs/unreachable';

async function knownPeople(bot: BotContext, tenantId: string): Promise<Person[]> {
  const people = await queryEvery(bot.deps.stores.people, tenantId, [{ field: 'type', op: '=', value: 'person' }], { orderBy: { field: 'name', direction: 'ASC' } });
  return people.filter((p) => p.name && p.name !== 'A person who asked to be forgotten');
}

async function programmeSetupCard(bot: BotContext, turn: TurnRef, justClaimed: boolean) {
  const programme = await getProgramme(bot.deps, turn.tenantId);
  if (!programme) return setupClaimCard();
  const [workstreams, people] = await Promise.all([workstreamsOf(bot.deps, turn.tenantId), knownPeople(bot, turn.tenantId)]);
  const names = await namesFor(bot.deps, turn.tenantId, [...programme.memberIds, ...workstreams.flatMap((w) => [...w.chairIds, ...w.lxpIds, ...w.staffIds])]);
  const unreachable = people.filter((p) => p.reachability?.status === 'unreachable').map((p) => ({ name: p.name, why: whyUnreachable(p.reachability.reason ?? '') }));
  return setupCard({ programme, workstreams, people, names, justClaimed, unreachable });
}

/** `setup`: the programme team gets the programme card; LXPs and chairs get their workstreams' priority areas. */
export async function onSetup(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const roles = await rolesOf(bot.deps, turn.caller);
    if (roles.programme || !roles.programmeExists) {
      await sendCard(context, await programmeSetupCard(bot, turn, false));
      return;
    }
    const mine = [...roles.lxpOf, ...roles.chairOf];
    if (mine.length === 0) throw new DomainError('not_allowed', 'Setup is for the programme team. Ask them to add you to a workstream or to the programme team.');
    for (const ws of mine) await sendCard(context, priorityAreasCard(ws));
  });
}

export async function onPreferences(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  const person = await ensurePerson(bot.deps, turn.caller);
  if (turn.conversationType !== 'personal') {
    await context.sendActivity('Your preferences are private: I have sent them to you in our personal chat. Type preferences there.');
    return;
  }
  await sendCard(context, preferencesCard(person, false));
}

export function registerSetup(app: Application<TurnState>, bot: BotContext): void {
  onExecute(app, bot, 'programme_claim', async (_ctx, turn) => {
    await claimProgrammeLead(bot.deps, turn.caller);
    return programmeSetupCard(bot, turn, true);
  });

  onExecute(app, bot, 'programme_member_add', async (_ctx, turn, data) => {
    await setProgrammeMember(bot.deps, turn.caller, data.personId, true);
    return programmeSetupCard(bot, turn, false);
  });

  onExecute(app, bot, 'workstream_edit', async (_ctx, turn, data) => {
    const workstream = data.workstreamId ? await getWorkstream(bot.deps, turn.tenantId, data.workstreamId) : undefined;
    return workstreamEditCard({ workstream, people: await knownPeople(bot, turn.tenantId) });
  });

  onExecute(app, bot, 'workstream_save', async (_ctx, turn, data) => {
    const areas = [data.area1, data.area2, data.area3, data.area4, data.area5, data.area6].filter((a): a is string => !!a && a.trim() !== '');
    const result = await saveWorkstream(bot.deps, turn.caller, {
      workstreamId: data.workstreamId,
      submissionId: data.submissionId,
      expectedUpdatedAt: data.expectedUpdatedAt || undefined,
      name: data.name,
      chairIds: data.chairIds,
      lxpIds: data.lxpIds,
      staffIds: data.staffIds,
      priorityAreas: areas,
    });
    void result;
    return programmeSetupCard(bot, turn, false);
  });

  onExecute(app, bot, 'priority_area_add', async (_ctx, turn, data) => {
    const ws = await proposePriorityArea(bot.deps, turn.caller, data.workstreamId, data.areaName);
    return priorityAreasCard(ws, `Added "${data.areaName.trim()}".`);
  });

  onExecute(app, bot, 'priority_area_remove', async (_ctx, turn, data) => {
    const ws = await removePriorityArea(bot.deps, turn.caller, data.workstreamId, data.areaId);
    return priorityAreasCard(ws, 'Removed.');
  });

  onExecute(app, bot, 'preferences_save', async (_ctx, turn, data) => {
    const person = await savePreferences(bot.deps, turn.caller, data);
    return noticeCard('Your choices are saved', 'Thank you. You can change them at any time by typing preferences.', [
      { title: 'Named as', value: person.preferences?.attribution === 'anonymous' ? 'an LXP (anonymous)' : 'your name' },
      { title: 'You said, we did', value: { as_it_happens: 'as it happens', weekly: 'once a week', monthly: 'once a month' }[person.preferences!.rhythm] },
      { title: 'No messages', value: quietTimesText(person.preferences!) },
    ]);
  });
}
