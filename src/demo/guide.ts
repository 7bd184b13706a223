import type { DemoSeedResult } from './seed';
import { MOCK_USERS, PLAYGROUND_CHATS, PLAYGROUND_PORT, PLAYGROUND_TENANT } from '../playground';

/**
 * The Playground's "Custom activity" body that speaks as Sam in its personal
 * chat: it has one current user, and this is how to be another for a moment.
 */
export function asSamActivity(text: string, serviceUrl = `http://127.0.0.1:${PLAYGROUND_PORT}/_connector`): Record<string, unknown> {
  const sam = MOCK_USERS.find((u) => u.aadObjectId === 'aad-sam')!;
  return {
    type: 'message',
    text,
    from: { id: sam.id, name: sam.name, aadObjectId: sam.aadObjectId },
    recipient: { id: '28:golden-thread-bot', name: 'Golden Thread' },
    conversation: { id: PLAYGROUND_CHATS.personal, conversationType: 'personal', tenantId: PLAYGROUND_TENANT },
    channelId: 'msteams',
    serviceUrl,
  };
}

/** What the console says after `npm run demo`: where to go and what to type, in the words the cards use. */
export function demoGuide(seed: DemoSeedResult | undefined, playgroundUrl: string | undefined, dataDir = '.data'): string {
  const lines = [
    '',
    seed?.seeded
      ? `Demo data is in place: a programme led by Priya Shah, workstreams ${seed.workstreams.map((w) => `"${w.name}"`).join(' and ')}, two past meetings, ${seed.contributions} contributions (some with outcomes, one overdue).`
      : 'Demo data was already there (a programme exists), so nothing was added.',
    '',
    playgroundUrl
      ? `Open ${playgroundUrl} (the Microsoft 365 Agents Playground). You are Priya Shah, the programme lead.`
      : 'The Agents Playground is not running (PLAYGROUND=off): connect a Teams client or the Playground to this bot to try it.',
    '',
    '  In "Personal Chat", type:',
    '    report              figures for the last 3 months, with the overdue item and its owner',
    '    overdue             what is overdue, and a button to nudge the owner',
    '    help                everything you can type',
    '',
    '  In the group chat "Mental health crisis pathway workstream" (the Crisis pathway meeting chat), type:',
    '    @Golden Thread log Sam: Crisis cafés should stay open until midnight',
    '                        (pick Golden Thread from the list after "@"), choose a kind and priority area, then Save',
    '',
    '  As Sam Okafor, an LXP: the Playground has one user at a time. In "Personal Chat" open',
    '  Mock an Activity > Custom activity, replace the JSON with the line below and choose Send activity:',
    `    ${JSON.stringify(asSamActivity('my contributions', playgroundUrl ? `${playgroundUrl}/_connector` : undefined))}`,
    '',
    '  Mock users: Priya Shah (programme lead), Chris Morgan and Dana Whitfield (chairs), Sam Okafor and Alex Rivera (LXPs), Jordan Lee (staff).',
    `  The data is kept in ${dataDir}; stop the bot and delete that folder to start the demo again.`,
    '',
  ];
  return lines.join('\n');
}
