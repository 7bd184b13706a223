import { cardOf, cardText } from './e2e';
import type { BotUnderTest } from './e2e';
import { as, actionData, people, textOf } from './talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID } from '../harness/activities';
import type { Workstream } from '../../src/domain/workstream';
import { runDueJobs } from '../../src/jobs/scheduler';
import { ensurePerson, type Deps } from '../../src/commands/deps';
import { addMemberships } from '../../src/commands/memberships';

export { MEETING_CHAT_ID, MEETING_ID, TENANT_ID };

/** Runs every due job once, as the scheduler's tick would. */
export async function runJobs(bot: BotUnderTest) {
  return runDueJobs(bot.running.deps, { ...bot.running.jobs, scheduledAt: bot.running.deps.clock.now() });
}

/** The programme team's group chat, where Priya sets up the workstream: its members can be picked (issue 18). */
export const TEAM_CHAT_ID = '19:programme-team@thread.v2';

/** Who is in a chat, as the members API gives them (with the email that tells same-named people apart). */
export const membersOf = (list: (typeof people)[keyof typeof people][]) => list.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, email: p.email }));

/**
 * Priya starts the programme, everyone says hello (so the bot can reach them
 * 1:1), and a workstream is created in the programme team's chat, whose
 * members Priya picks from. Returns what each step showed, for tests that
 * check the screens on the way.
 */
export async function setUpProgramme(bot: BotUnderTest) {
  const priya = as(bot, people.priya);
  const claim = await priya.say('setup');
  const claimed = await priya.act('programme_claim', { name: 'Mental health programme', ...actionData(claim[0] ? cardOf(claim[0].activity) : undefined, 'programme_claim') });
  if (!cardText(claimed.card).includes('programme lead')) throw new Error('claim failed');
  for (const p of [people.chris, people.sam, people.alex, people.jordan]) await as(bot, p).say('help');
  bot.stub.setMembers(TEAM_CHAT_ID, membersOf([people.priya, people.chris, people.sam, people.alex, people.jordan]));
  const inTeamChat = { conversationType: 'groupChat' as const, conversationId: TEAM_CHAT_ID };
  const editor = await priya.act('workstream_edit', { workstreamId: '' }, inTeamChat);
  const payload = {
    ...actionData(editor.card, 'workstream_save'),
    name: 'Crisis pathway',
    chairIds: people.chris.aadObjectId,
    lxpIds: `${people.sam.aadObjectId},${people.alex.aadObjectId}`,
    staffIds: people.jordan.aadObjectId,
    area1: 'Crisis care at night',
    area2: 'Waiting times',
    area3: 'Carers',
  };
  const saved = await priya.act('workstream_save', payload, inTeamChat);
  const [workstream] = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])).items as Workstream[];
  return { claim, claimed, saved, payload, workstream };
}

export async function programmeWithWorkstream(bot: BotUnderTest): Promise<Workstream> {
  return (await setUpProgramme(bot)).workstream;
}

export { textOf };

/**
 * Puts people in the tenant's first programme as its own records would (a person record and their index),
 * for tests about something other than how people join a programme.
 */
export async function inFirstProgramme(deps: Deps, ...who: (typeof people)[keyof typeof people][]): Promise<void> {
  for (const p of who) await ensurePerson(deps, { id: p.aadObjectId, tenantId: TENANT_ID, name: p.name, teamsId: p.id });
  await addMemberships(deps, TENANT_ID, who.map((p) => p.aadObjectId));
}
