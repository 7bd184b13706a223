/**
 * The baseline: the same stack as the bot (restify with the same body
 * parser, teams-ai's TeamsAdapter over CloudAdapter, a teams-ai Application)
 * answering the log_save Action.Execute with a small card. No storage, no
 * outgoing calls. PORT (default 0) picks the port; /healthz as the bot's.
 */
import * as restify from 'restify';
import type { AddressInfo } from 'node:net';
import { Application, TeamsAdapter, TurnState, type AdaptiveCard } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';

const adapter = new TeamsAdapter({} as ConfigurationBotFrameworkAuthenticationOptions);
const app = new Application<TurnState>({
  adapter,
  botAppId: '',
  removeRecipientMention: true,
  startTypingTimer: false,
  longRunningMessages: false,
  turnStateFactory: () => new TurnState(),
});

app.adaptiveCards.actionExecute('log_save', async (_context, _state, data) => {
  const submissionId = String((data as { submissionId?: unknown }).submissionId ?? '');
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

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`echo bot listening on ${url}`);
  process.send?.({ type: 'ready', url });
});
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
