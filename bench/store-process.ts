/**
 * A Cosmos-compatible store (the same @vercel/cosmosdb-server the bot embeds)
 * in a process of its own, for benchmarks where several bot processes share
 * one store, as instances share Cosmos DB in Azure. Reports { type: 'ready', endpoint, key }.
 *
 * STORE_DELAY_MS (default 0) holds each request that long before the server
 * sees it, so every round trip costs at least that: about what an App Service
 * instance waits for Cosmos DB in the same region (benchmark 1's delayed run).
 */
import type { AddressInfo } from 'node:net';
import { createEmbeddedServer } from '../src/storage/cosmos/embedded-server';
import { serveIpc } from './lib';

export const STORE_KEY = 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=';

if (require.main === module) {
  const server = createEmbeddedServer();
  const delayMs = Number(process.env.STORE_DELAY_MS ?? 0);
  if (delayMs > 0) {
    const [handler] = server.listeners('request') as ((req: unknown, res: unknown) => void)[];
    server.removeListener('request', handler);
    server.on('request', (req, res) => setTimeout(() => handler(req, res), delayMs));
  }
  // Round trips by container and verb ("POST contributions"), so a benchmark can say how many calls a request makes.
  let counts: Record<string, number> = {};
  server.prependListener('request', (req: { method?: string; url?: string }) => {
    const coll = /\/colls\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'other';
    const key = `${req.method} ${coll.replace(/-v2$/, '')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  });
  serveIpc({ counts: () => counts, reset: () => void (counts = {}) });
  server.listen(0, '127.0.0.1', () => {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`store listening on ${endpoint}`);
    process.send?.({ type: 'ready', endpoint, key: STORE_KEY });
  });
  process.on('SIGTERM', () => process.exit(0));
}
