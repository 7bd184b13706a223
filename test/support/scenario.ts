import { cardText } from './e2e';
import type { BotUnderTest } from './e2e';
import { as, actionData, people, textOf } from './talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID } from '../harness/activities';
import type { Workstream } from '../../src/domain/workstream';
import { runDueJobs } from '../../src/jobs/scheduler';

export { MEETING_CHAT_ID, MEETING_ID, TENANT_ID };

/** Runs every due job once, as the scheduler's tick would. */
export async function runJobs(bot: BotUnderTest) {
  return runDueJobs(bot.running.deps, { ...bot.running.jobs, scheduledAt: bot.running.deps.clock.now() });
}

/**
 * Priya claims the programme, everyone says hello (so the bot can reach them
 * 1:1), and a workstream is created. Returns what each step showed, for tests
 * that check the screens on the way.
 */
export async function setUpProgramme(bot: BotUnderTest) {
  const priya = as(bot, people.priya);
  const claim = await priya.say('setup');
  const claimed = await priya.act('programme_claim');
  if (!cardText(claimed.card).includes('programme lead')) throw new Error('claim failed');
  for (const p of [people.chris, people.sam, people.alex, people.jordan]) await as(bot, p).say('help');
  const editor = await priya.act('workstream_edit', { workstreamId: '' });
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
  const saved = await priya.act('workstream_save', payload);
  const [workstream] = (await bot.running.deps.stores.workstreams.query(TENANT_ID, [{ field: 'type', op: '=', value: 'workstream' }])).items as Workstream[];
  return { claim, claimed, saved, payload, workstream };
}

export async function programmeWithWorkstream(bot: BotUnderTest): Promise<Workstream> {
  return (await setUpProgramme(bot)).workstream;
}

export { textOf };
