/**
 * A Cosmos-compatible store (the same @vercel/cosmosdb-server the bot embeds)
 * in a process of its own, for benchmarks where several bot processes share
 * one store, as instances share Cosmos DB in Azure. Reports { type: 'ready', endpoint, key }.
 */
import type { AddressInfo } from 'node:net';
import { createEmbeddedServer } from '../src/storage/cosmos/embedded-server';

export const STORE_KEY = 'ZW1iZWRkZWQtbG9jYWwtc3RvcmU=';

if (require.main === module) {
  const server = createEmbeddedServer();
  server.listen(0, '127.0.0.1', () => {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`store listening on ${endpoint}`);
    process.send?.({ type: 'ready', endpoint, key: STORE_KEY });
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
}
