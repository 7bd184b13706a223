/*
 * Issue 23 through the bot, one bot for the file: `priorities` and its
 * buttons (propose, confirm with linked areas, decline with a reason), and
 * `about me` from the preferences card (save, delete).
 */
import { startMemoryBot } from '../support/memory-bot';
import { cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { actionData, as, people } from '../support/talk';
import { runJobs, setUpProgramme, TENANT_ID } from '../support/scenario';
import { personalConversationId } from '../harness/activities';
import { getProgramme } from '../../src/commands/deps';
import { equalityId } from '../../src/domain/who-takes-part';
import type { Workstream } from '../../src/domain/workstream';

let bot: BotUnderTest;
let workstream: Workstream;
beforeAll(async () => {
  bot = await startMemoryBot({ LOG_LEVEL: 'silent' });
  ({ workstream } = await setUpProgramme(bot));
});
afterAll(async () => bot.close());

const cardFrom = (sent: { activity: unknown }[]) => cardOf(sent[0].activity as never)!;

it('an LXP proposes from the priorities card; the programme team confirms one with its areas and declines another with a reason the LXP sees', async () => {
  const sam = as(bot, people.sam);
  const card = cardFrom(await sam.say('priorities'));
  expect(cardText(card)).toContain('0 of 5 programme priorities');
  await sam.act('programme_priority_propose', { ...actionData(card, 'programme_priority_propose'), title: 'Crisis care at night', why: 'Crises happen after five' });
  const second = await sam.act('programme_priority_propose', { ...actionData(card, 'programme_priority_propose'), submissionId: 'another-press', title: 'Parking', why: 'It costs too much' });
  expect(cardText(second.card)).toContain('Proposed "Parking"');

  const priya = as(bot, people.priya);
  const teamCard = cardFrom(await priya.say('priorities'));
  expect(cardText(teamCard)).toContain('Crises happen after five');
  const [night, parking] = (await getProgramme(bot.running.deps, TENANT_ID))!.priorities!;
  const confirmed = await priya.act('programme_priority_confirm', { priorityId: night.id, [`areas_${night.id}`]: workstream.priorityAreas.slice(0, 2).map((a) => a.id).join(',') });
  expect(cardText(confirmed.card)).toContain('"Crisis care at night" is now a programme priority');
  expect(cardText(confirmed.card)).toContain('Served by: Crisis care at night (Crisis pathway), Waiting times (Crisis pathway)');
  const refused = await priya.act('programme_priority_decline', { priorityId: parking.id, [`reason_${parking.id}`]: '' });
  expect(refused.message ?? cardText(refused.card)).toContain('Give a reason');
  await priya.act('programme_priority_decline', { priorityId: parking.id, [`reason_${parking.id}`]: 'The trust sets parking charges' });

  await runJobs(bot);
  const told = bot.stub.sentActivities(personalConversationId(people.sam)).map((a) => cardText(cardOf(a.activity) ?? {})).filter((t) => t.includes('Your programme priority proposal'));
  expect(told).toHaveLength(2);
  // Sent in either order: both jobs are due at the same moment.
  expect(told.join('\n')).toContain('confirmed it as a programme priority');
  expect(told.join('\n')).toContain('declined it, and says why');
  expect(told.join('\n')).not.toMatch(/Parking|parking charges/);

  const mine = cardText(cardFrom(await sam.say('priorities')));
  expect(mine).toMatch(/Parking\s*: declined\. The trust sets parking charges/);
  expect(mine).toContain('1 of 5 programme priorities');
  const report = await priya.say('report programme priority crisis care at night');
  expect(cardText(cardFrom(report))).toContain('programme priority Crisis care at night');
});

it('about me opens from the preferences card; answers are saved, and deleted when asked', async () => {
  const alex = as(bot, people.alex);
  const prefs = cardFrom(await alex.say('preferences'));
  expect(JSON.stringify(prefs)).toContain('about_me_open');
  const opened = await alex.act('about_me_open', {});
  expect(cardText(opened.card)).toContain('Prefer not to say');
  const saved = await alex.act('equality_save', { age: '45_54', sex: 'prefer_not', carer: '' });
  expect(cardText(saved.card)).toContain('Saved.');
  const stored = await bot.running.deps.stores.people.get(TENANT_ID, equalityId(people.alex.aadObjectId));
  expect(stored).toMatchObject({ answers: { age: '45_54', sex: 'prefer_not' } });
  expect(JSON.stringify(stored)).not.toContain('Alex');
  const bad = await alex.act('equality_save', { age: 'ninety' });
  expect(bad.message ?? cardText(bad.card)).toContain('not one the card offers');
  const deleted = await alex.act('equality_delete', {});
  expect(deleted.message).toContain('deleted');
  expect(await bot.running.deps.stores.people.get(TENANT_ID, equalityId(people.alex.aadObjectId))).toBeUndefined();
});
