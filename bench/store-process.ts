/**
 * A Cosmos-compatible store (the same @vercel/cosmosdb-server the bot embeds)
 * in a process of its own, for benchmarks where several bot processes share
 * one store, as instances share Cosmos DB in Azure. Reports { type: 'ready', endpoint, key }.
 */
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { installLinearQueries } from './linear-queries';

export const STORE_KEY = 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=';

if (require.main === module) {
  if (process.env.BENCH_LINEAR_QUERIES === '1') installLinearQueries();
  const server = createHttpServer({ keepAlive: true });
  // As the bot's embedded store (src/storage/cosmos/open-store.ts): never drop an idle connection unannounced.
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1', () => {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`store listening on ${endpoint}`);
    process.send?.({ type: 'ready', endpoint, key: STORE_KEY });
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}
