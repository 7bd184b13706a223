/**
 * Store calls per log_save through the whole app (routing, the save, the card that replaces the pressed one),
 * counted on the memory stores: deterministic, so it can be compared across commits on a busy machine where
 * req/s cannot. `npx ts-node --transpile-only bench/log-save-calls.ts`. Not part of `npm run bench`.
 */
import { programmeStores } from '../src/domain/programme-stores';
import { memoryStores, TEST_PROGRAMME } from '../test/support/memory-collection';
import { startBot } from '../test/support/e2e';
import { as, people } from '../test/support/talk';
import { installationUpdate, meetingEvent } from '../test/harness/activities';
import { MEETING_CHAT_ID, MEETING_ID, TENANT_ID, programmeWithWorkstream } from '../test/support/scenario';
import type { OpenStore } from '../src/storage/cosmos/open-store';

async function main() {
  const raw = memoryStores() as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
  const counts: Record<string, number> = {};
  let counting = false;
  for (const [name, c] of Object.entries(raw)) {
    for (const m of ['get', 'create', 'replace', 'upsert', 'delete', 'query', 'queryAll']) {
      const original = c[m].bind(c);
      c[m] = (...a: unknown[]) => {
        if (counting) counts[`${name}.${m}`] = (counts[`${name}.${m}`] ?? 0) + 1;
        return original(...a);
      };
    }
  }
  const store: OpenStore = { kind: 'embedded', stores: programmeStores(raw as never, { programmeId: TEST_PROGRAMME }), database: undefined as never, flush: async () => undefined, close: async () => undefined };
  const bot = await startBot({ LOG_LEVEL: 'warn' }, { store });
  const ws = await programmeWithWorkstream(bot);
  await bot.post(installationUpdate({ conversationId: MEETING_CHAT_ID, from: people.chris }));
  await as(bot, people.chris).act('meeting_link', { workstreamId: ws.id }, { conversationType: 'groupChat', conversationId: MEETING_CHAT_ID });
  await bot.post(meetingEvent('start', { conversationId: MEETING_CHAT_ID, meetingId: MEETING_ID, title: 'Busy meeting', time: '2026-03-09T10:00:00Z' }));
  const meeting = (await bot.running.deps.stores.meetings.query(TENANT_ID, [])).items[0];
  const chris = as(bot, people.chris);
  const save = (i: number) => chris.act('log_save', { meetingId: meeting.id, submissionId: `s-${i}`, lxpIds: people.sam.aadObjectId, words: `Point ${i}`, kind: 'suggestion' }, { conversationType: 'groupChat', conversationId: MEETING_CHAT_ID });
  // The month's counter exists after the first, as in a meeting under way.
  for (let i = 0; i < 3; i++) await save(1000 + i);
  const n = 20;
  counting = true;
  for (let i = 0; i < n; i++) await save(i);
  await new Promise((r) => setTimeout(r, 200));
  counting = false;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const per = Object.fromEntries(Object.entries(counts).sort().map(([k, v]) => [k, Number((v / n).toFixed(2))]));
  console.log(`${(total / n).toFixed(2)} store calls per log_save: ${JSON.stringify(per)}`);
  await bot.close();
  process.exit(0);
}

void main();
