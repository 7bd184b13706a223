/**
 * The baseline: the same stack as the bot (restify with the same body
 * parser, teams-ai's TeamsAdapter over CloudAdapter, a teams-ai Application)
 * answering the log_save Action.Execute with a small card. No storage, no
 * outgoing calls. PORT (default 0) picks the port; /healthz as the bot's.
 *
 * ECHO_STORE=1 adds the least any log_save can do: one document written to the
 * embedded store through @azure/cosmos (openStore, as the bot opens it) before
 * the card is returned. It is not a baseline for the goal; it shows how much
 * of the echo bot's rate remains once the words are stored before answering.
 * With COSMOS_ENDPOINT and COSMOS_KEY that store is another process's (the
 * delayed store of benchmark 1), as the bot's config would name it.
 */
import * as restify from 'restify';
import type { AddressInfo } from 'node:net';
import { Application, TeamsAdapter, TurnState, type AdaptiveCard } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { serveIpc } from './lib';

const adapter = new TeamsAdapter({} as ConfigurationBotFrameworkAuthenticationOptions);
const app = new Application<TurnState>({
  adapter,
  botAppId: '',
  removeRecipientMention: true,
  startTypingTimer: false,
  longRunningMessages: false,
  turnStateFactory: () => new TurnState(),
});

// Loaded only when asked for: the plain echo bot's start-up is benchmark 4's baseline, and must not load the store.
const store = process.env.ECHO_STORE
  ? Promise.all([import('../src/storage/cosmos/open-store'), import('../src/storage/containers')]).then(async ([{ openStore }, { CONTAINERS }]) =>
      (
        await openStore({
          databaseName: 'echo',
          cosmos: process.env.COSMOS_ENDPOINT ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY } : undefined,
        })
      ).database.container(CONTAINERS.contributions.id),
    )
  : undefined;

app.adaptiveCards.actionExecute('log_save', async (_context, _state, data) => {
  const submissionId = String((data as { submissionId?: unknown }).submissionId ?? '');
  if (store) {
    const d = data as Record<string, unknown>;
    await (await store).items.create({ id: submissionId, tenantId: 'echo', words: d.words, lxpIds: d.lxpIds, meetingId: d.meetingId });
  }
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Saved. You can log another below.', wrap: true },
      { type: 'TextBlock', text: `Submission ${submissionId}`, isSubtle: true },
    ],
  } as AdaptiveCard;
});

const server = restify.createServer({ name: 'echo' });
server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
server.get('/healthz', (_req, res, next) => {
  res.send(200, { status: 'ok' });
  return next();
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
});

void (store ?? Promise.resolve()).then(() => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`echo bot listening on ${url}`);
  process.send?.({ type: 'ready', url });
}));
process.on('SIGTERM', () => process.exit(0));
serveIpc({ cpu: () => process.cpuUsage() });
