import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotUnderTest } from './e2e';
import { as, actionData, people } from './talk';
import { cardOf } from './e2e';
import { installationUpdate, meetingEvent, participantEvent, personalConversationId, type From } from '../harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream, runJobs } from './scenario';
import type { Stores } from '../../src/domain/stores';
import type { Doc } from '../../src/domain/ports';
import type { Contribution } from '../../src/domain/contribution';

export const chat = { conversationType: 'groupChat' as const, conversationId: MEETING_CHAT_ID };

export const WORDS = {
  sam: 'Night-time crisis lines need people who have been there',
  alexStory: 'When I was sectioned in 2019 nobody told my family where I was',
  alexAnon: 'The discharge letters use words nobody understands',
  alexFix: 'Discharge letters should be written in plain English',
};

/** Every document in every container (all tenants), for scans. */
export async function allDocs(stores: Stores): Promise<{ container: string; doc: Doc }[]> {
  const out: { container: string; doc: Doc }[] = [];
  for (const [container, collection] of Object.entries(stores)) {
    let continuation: string | undefined;
    do {
      const page = await collection.queryAll([], { pageSize: 500, continuation });
      for (const doc of page.items) out.push({ container, doc });
      continuation = page.continuation;
    } while (continuation);
  }
  return out;
}

/** What identifies a person in the store, as a scan would look for it. */
export const tracesOfPerson = (p: From) => [p.aadObjectId, p.id, p.name];

/**
 * A meeting with Sam and Alex: Sam's suggestion, Alex's restricted story and
 * Alex's anonymous challenge (which Alex then corrects), Alex's preferences,
 * attendance, the minutes and the check cards sent.
 */
export async function meetingWithAlex(bot: BotUnderTest) {
  const ws = await programmeWithWorkstream(bot);
  bot.stub.setMembers(MEETING_CHAT_ID, [people.chris, people.sam, people.alex, people.jordan].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })));
  bot.stub.setMeeting(MEETING_ID, { details: { id: MEETING_ID, title: 'Crisis pathway monthly' }, organizer: { id: people.chris.id, aadObjectId: people.chris.aadObjectId } });
  await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris, overrides: { channelData: { meeting: { id: MEETING_ID } } } }));
  const chris = as(bot, people.chris);
  await chris.act('meeting_link', { workstreamId: ws.id }, chat);
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Crisis pathway monthly', time: '2026-03-09T10:00:00.0000000Z' }));
  await bot.post(participantEvent('join', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: [people.sam, people.alex] }));
  const meeting = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items[0];
  const log = (submissionId: string, lxp: From, words: string, extra: Record<string, string> = {}) =>
    chris.act('log_save', { meetingId: meeting.id, submissionId, lxpIds: lxp.aadObjectId, words, kind: 'suggestion', anonymous: 'false', restricted: 'false', priorityAreaIds: ws.priorityAreas[0].id, ...extra }, chat);
  await log('s-sam', people.sam, WORDS.sam);
  await log('s-story', people.alex, WORDS.alexStory, { kind: 'personal_experience', restricted: 'true' });
  await log('s-anon', people.alex, WORDS.alexAnon, { kind: 'challenge', anonymous: 'true' });
  await bot.post(participantEvent('leave', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, members: [people.alex] }));
  await bot.post(meetingEvent('end', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, time: '2026-03-09T11:30:00.0000000Z' }));
  await runJobs(bot);

  const alex = as(bot, people.alex);
  const contributions = (await bot.running.deps.stores.contributions.query(TENANT_ID, [])).items as Contribution[];
  const anon = contributions.find((c) => c.anonymous)!;
  const story = contributions.find((c) => c.restricted)!;
  await alex.act('check_correct', { contributionId: anon.id, meetingId: meeting.id, [`words_${anon.id}`]: WORDS.alexFix });
  await alex.act('check_confirm', { contributionId: story.id, meetingId: meeting.id });
  const prefs = cardOf((await alex.say('preferences'))[0].activity);
  await alex.act('preferences_save', { ...actionData(prefs, 'preferences_save'), attribution: 'named', rhythm: 'weekly', detail: 'brief', news: 'good_news', quietDays: '0,6' });
  return { ws, meeting, story, anon, sam: contributions.find((c) => c.lxpIds.includes(people.sam.aadObjectId))! };
}

/** A stand-in for the OneDrive upload session Teams gives after "Allow". */
export async function uploadTarget() {
  const puts: Buffer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      puts.push(Buffer.concat(chunks));
      res.statusCode = 201;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { puts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`, close: () => new Promise((r) => server.close(r)) };
}

/** Accepts a file consent card as `who` would, in their personal chat. */
export function acceptFile(who: From, consent: any, uploadUrl: string) {
  return {
    type: 'invoke',
    name: 'fileConsent/invoke',
    from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
    conversation: { id: personalConversationId(who), conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    channelId: 'msteams',
    recipient: { id: '28:golden-thread-bot', name: 'Golden Thread' },
    id: `f:${Date.now()}${Math.random().toString(36).slice(2, 6)}`,
    timestamp: new Date().toISOString(),
    value: { type: 'fileUpload', action: 'accept', context: consent.content.acceptContext, uploadInfo: { name: consent.name, uploadUrl, contentUrl: 'https://contoso-my.sharepoint.com/my-data.json', uniqueId: 'u-1', fileType: 'json' } },
  };
}
