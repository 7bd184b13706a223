import { programmeStores } from '../../src/domain/programme-stores';
import { TEST_PROGRAMME } from './memory-collection';
import { memoryStores } from './memory-collection';
import { startBot, type BotUnderTest } from './e2e';
import type { OpenStore } from '../../src/storage/cosmos/open-store';

/**
 * The whole app, wired exactly as src/app-factory.ts wires it, over the
 * in-memory collections (which test/storage's contract suite holds to the
 * embedded Cosmos store's behaviour) instead of the embedded server. For
 * suites that send tens of thousands of activities; anything about the store
 * itself belongs on startBot() with the real store.
 */
export async function startMemoryBot(env: Record<string, string> = {}): Promise<BotUnderTest> {
  const store: OpenStore = {
    kind: 'embedded',
    stores: programmeStores(memoryStores(), { programmeId: TEST_PROGRAMME }),
    database: undefined as never,
    flush: async () => undefined,
    close: async () => undefined,
  };
  return startBot({ LOG_LEVEL: 'info', ...env }, { store });
}
