import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createAdapter } from '../../src/teams/app';
import { createTeamsSender } from '../../src/teams/proactive';
import { createGraphInstaller } from '../../src/teams/graph-install';
import { ConnectorStub } from '../harness/connector-stub';
import { TENANT, heardFromChat, storeDeps } from '../support/job-store';
import { newPerson } from '../../src/domain/person';

/** A stand-in for Microsoft Graph's installedApps endpoint, on loopback. */
async function graphStub(status: number) {
  const calls: { url: string; body: any; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ url: req.url ?? '', body: body ? JSON.parse(body) : undefined, auth: req.headers.authorization });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const credential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 60000 }) };

/** A sender whose first attempt to open Morgan's 1:1 chat is refused as "not installed", with a Graph stub answering `graphStatus`. */
async function withRefusedChat(graphStatus: number, run: (ctx: { sender: ReturnType<typeof createTeamsSender>; stub: ConnectorStub; graph: Awaited<ReturnType<typeof graphStub>>; deps: Awaited<ReturnType<typeof storeDeps>>['deps'] }) => Promise<void>) {
  const stub = await ConnectorStub.start();
  const graph = await graphStub(graphStatus);
  const { deps, store } = await storeDeps({ now: () => new Date() });
  try {
    await heardFromChat(deps, '19:seed@thread.v2', stub.url);
    await deps.stores.people.create(newPerson(TENANT, 'aad-new', 'Morgan New', new Date(), '29:1-new'));
    const logger = createLogger('silent');
    const adapter = createAdapter({ config: loadConfig({ PLAYGROUND: 'off' }), logger });
    const installer = createGraphInstaller({ teamsAppId: 'catalog-app-id', credential, baseUrl: graph.url });
    const sender = createTeamsSender(adapter, deps, { appId: '', sendRate: 7, tenantRate: 50, logger, installer });
    stub.failNext({ status: 403, code: 'BotNotInConversationRoster' }, { match: (c) => c.path.endsWith('/v3/conversations') });
    await run({ sender, stub, graph, deps });
  } finally {
    await store.close();
    await stub.close();
    await graph.close();
  }
}

describe('installing the app for a person through Microsoft Graph (GRAPH_INSTALL)', () => {
  it('installs the app when Teams says it is missing, then opens the 1:1 chat and delivers', () =>
    withRefusedChat(201, async ({ sender, stub, graph, deps }) => {
      await sender.send(TENANT, { kind: 'person', personId: 'aad-new' }, { text: 'Welcome' });
      expect(graph.calls).toHaveLength(1);
      expect(graph.calls[0].url).toBe('/v1.0/users/aad-new/teamwork/installedApps');
      expect(graph.calls[0].body['teamsApp@odata.bind']).toBe(`${graph.url}/appCatalogs/teamsApps/catalog-app-id`);
      expect(graph.calls[0].auth).toBe('Bearer test-token');
      expect(stub.sentActivities().map((s) => s.activity.text)).toContain('Welcome');
      expect((await deps.stores.conversations.get(TENANT, 'aad-new'))?.kind).toBe('person');
    }));

  it('when Graph refuses too, the person is reported unreachable (not installed)', () =>
    withRefusedChat(403, async ({ sender, stub }) => {
      await expect(sender.send(TENANT, { kind: 'person', personId: 'aad-new' }, { text: 'Welcome' })).rejects.toMatchObject({ reason: 'not_installed' });
      expect(stub.sentActivities()).toHaveLength(0);
    }));

  it('config refuses GRAPH_INSTALL without the catalogue app id', () => {
    expect(() => loadConfig({ GRAPH_INSTALL: 'on' })).toThrow(/TEAMS_APP_ID is missing/);
  });
});
