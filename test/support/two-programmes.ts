import { cardOf, cardText, type BotUnderTest } from './e2e';
import { as, actionData, people } from './talk';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, membersOf, setUpProgramme } from './scenario';
import { installationUpdate, meetingEvent, participantEvent, type From } from '../harness/activities';
import { membershipsOf } from '../../src/commands/memberships';
import { rawStores } from '../../src/domain/programme-stores';
import { programmeKey } from '../../src/domain/partition';
import type { Stores } from '../../src/domain/stores';
import type { Doc } from '../../src/domain/ports';
import { MIGRATED_PROGRAMME_ID } from '../../src/domain/programme';

/*
 * Two organisations' programmes in one tenant, as test/e2e/programmes.test.ts starts them, each with a meeting
 * and a contribution from Sam, who is an LXP in both: Priya's "Mental health programme" (Crisis pathway, chair
 * Chris) and Bob's "Maternity voices" (Birth choices, chair Dana).
 */
export const bob: From = { id: '29:1-bob', name: 'Bob Hale', aadObjectId: 'aad-bob' };
export const dana: From = { id: '29:1-dana', name: 'Dana Whitfield', aadObjectId: 'aad-dana' };
export const MATERNITY_CHAT = '19:maternity-team@thread.v2';
const MATERNITY_MEETING = 'MCMxOTptZWV0aW5nX21hdGVybml0eUB0aHJlYWQudjIjMA==';

export const SAID = {
  mental: 'Crisis cafés should stay open until midnight',
  maternity: 'Birth plans should be read before labour starts',
  alex: 'Carers need a named contact on the ward',
};

/** Bob starts Maternity voices and creates Birth choices (Dana chairs, Sam is its LXP) in his team's chat. */
export async function maternityProgramme(bot: BotUnderTest) {
  const lead = as(bot, bob);
  await as(bot, dana).say('help');
  const claim = await lead.say('setup');
  const started = await lead.act('programme_claim', { ...actionData(cardOf(claim[0].activity), 'programme_claim'), name: 'Maternity voices' });
  if (!cardText(started.card).includes('You are now the programme lead')) throw new Error('Bob could not start a programme');
  bot.stub.setMembers(MATERNITY_CHAT, membersOf([bob, dana, people.sam] as never));
  const inChat = { conversationType: 'groupChat' as const, conversationId: MATERNITY_CHAT };
  const editor = await lead.act('workstream_edit', { workstreamId: '' }, inChat);
  const saved = await lead.act('workstream_save', { ...actionData(editor.card, 'workstream_save'), name: 'Birth choices', chairIds: dana.aadObjectId, lxpIds: people.sam.aadObjectId, area1: 'Home births' }, inChat);
  const programmeId = Object.entries((await membershipsOf(bot.running.deps, TENANT_ID, bob.aadObjectId))!.programmes).find(([, p]) => p.name === 'Maternity voices')![0];
  return { editor, saved, programmeId };
}

/** A chair links the chat to their workstream, the meeting starts, the LXPs join, and the chair logs what each said. */
async function meetingWith(bot: BotUnderTest, chair: From, chatId: string, meetingId: string, workstreamId: string, said: [From, string][]) {
  const chat = { conversationType: 'groupChat' as const, conversationId: chatId };
  await bot.post(installationUpdate({ conversationId: chatId, from: chair }));
  const linked = await as(bot, chair).act('meeting_link', { workstreamId }, chat);
  if (!linked.message?.includes('linked to')) throw new Error(`could not link: ${linked.message}`);
  await bot.post(meetingEvent('start', { conversationId: chatId, meetingId, title: 'Monthly meeting', time: bot.running.deps.clock.now().toISOString(), from: chair }));
  await bot.post(participantEvent('join', { conversationId: chatId, meetingId, members: said.map(([who]) => who) }));
  for (const [who, words] of said) {
    const logCard = cardOf((await as(bot, chair).mention(`log ${who.name.split(' ')[0]}: ${words}`, chatId))[0].activity);
    const saved = await as(bot, chair).act('log_save', { ...actionData(logCard, 'log_save'), kind: 'suggestion', anonymous: 'false', restricted: 'false', lxpIds: who.aadObjectId, words }, chat);
    if (!saved.card) throw new Error(`could not log: ${saved.message}`);
  }
}

/** Both programmes, each with a meeting where Sam said something (and Alex too, in Priya's). */
export async function twoProgrammesWithSam(bot: BotUnderTest) {
  const mental = await setUpProgramme(bot);
  const maternity = await maternityProgramme(bot);
  bot.stub.setMembers(MEETING_CHAT_ID, membersOf([people.chris, people.sam, people.alex, people.jordan]));
  await meetingWith(bot, people.chris, MEETING_CHAT_ID, MEETING_ID, mental.workstream.id, [[people.sam, SAID.mental], [people.alex, SAID.alex]]);
  const birthChoices = (await inPartition(bot, maternity.programmeId, 'workstreams')).find((w: any) => w.type === 'workstream')!;
  await meetingWith(bot, dana, MATERNITY_CHAT, MATERNITY_MEETING, birthChoices.id, [[people.sam, SAID.maternity]]);
  return { mental, maternity, mentalId: MIGRATED_PROGRAMME_ID, maternityId: maternity.programmeId };
}

/** Every document of one programme's partition in one container, read as the store holds them. */
export async function inPartition(bot: BotUnderTest, programmeId: string, container: keyof Stores): Promise<any[]> {
  const c = rawStores(bot.running.deps.stores)[container];
  const out: Doc[] = [];
  let continuation: string | undefined;
  do {
    const page = await c.query(programmeKey(TENANT_ID, programmeId), [], { pageSize: 500, continuation });
    out.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return out;
}
