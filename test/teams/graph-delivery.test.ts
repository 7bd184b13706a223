import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { Deps } from '../../src/commands/deps';
import type { Recipient } from '../../src/domain/ports';
import { jobHandlers } from '../../src/jobs/handlers';
import { runDueJobs } from '../../src/jobs/scheduler';
import { scheduleJob, trackedJobs, type TrackedJob } from '../../src/jobs/schedule';
import type { OpenStore } from '../../src/storage/cosmos/open-store';
import { createAdapter } from '../../src/teams/app';
import { createGraphDeliveryCheck, MARKER_PREFIX } from '../../src/teams/graph-delivery';
import { createTeamsSender } from '../../src/teams/proactive';
import { ConnectorStub } from '../harness/connector-stub';
import { TENANT, addPerson, chatRef, heardFromChat, storeDeps } from '../support/job-store';

/**
 * An instance died after Teams took a message and before it wrote "sent".
 * The instance that takes the job over asks Microsoft Graph (here the stub's
 * Graph routes, which list what the stub accepted) before sending again.
 */
const credential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 60_000 }) };
const MEETING_CHAT = '19:meeting-a@thread.v2';
const SAM_CHAT = 'a:29:1-sam';

let stub: ConnectorStub;
let deps: Deps;
let store: OpenStore;
let sender: ReturnType<typeof createTeamsSender>;

beforeEach(async () => {
  stub = await ConnectorStub.start();
  ({ deps, store } = await storeDeps({ now: () => new Date() }));
  await heardFromChat(deps, MEETING_CHAT, stub.url);
  await addPerson(deps, 'aad-sam', 'Sam Lee', '29:1-sam');
  await deps.stores.conversations.upsert({ ...chatRef(SAM_CHAT, stub.url), id: 'aad-sam', kind: 'person' });
  stub.setPersonalChat('aad-sam', SAM_CHAT);
  const logger = createLogger('silent');
  const adapter = createAdapter({ config: loadConfig({ PLAYGROUND: 'off' }), logger });
  const deliveryCheck = createGraphDeliveryCheck({ teamsAppId: 'catalog-app-id', credential, baseUrl: `${stub.url}graph/v1.0` });
  sender = createTeamsSender(adapter, deps, { appId: '', sendRate: 50, tenantRate: 500, logger, deliveryCheck });
});
afterEach(async () => {
  await store.close();
  await stub.close();
});

const notice = (subjectId: string, to: Recipient) =>
  scheduleJob(deps, { tenantId: TENANT, kind: 'notify', subjectId, runAt: new Date(Date.now() - 60_000), payload: { to, template: 'unreachable-notice', data: { name: 'Sam Lee', why: 'A test.' } } });

/** What a dead instance leaves behind: the job claimed, "about to send" written, the lease run out, no "sent". */
async function diedMidSend(job: TrackedJob, alsoDelivered: boolean, to: Recipient) {
  const at = new Date(Date.now() - 30_000).toISOString();
  if (alsoDelivered) {
    const { plan } = jobHandlers().notify!;
    const planned = (await plan(deps, job, new Date()))!;
    await sender.send(TENANT, to, planned.message, { key: job.id });
  }
  await trackedJobs(deps).replace({ ...job, status: 'running', attempts: 1, lease: { owner: 'dead', until: new Date(Date.now() - 1000).toISOString() }, sending: { at, by: 'dead' } });
}

const runSurvivor = () => runDueJobs(deps, { handlers: jobHandlers(), sender, owner: 'survivor', scheduledAt: new Date(), leaseMs: 5000 });
const copiesOf = (key: string) => stub.sentActivities().filter((s) => s.kind === 'send' && JSON.stringify(s.activity.attachments ?? []).includes(`"${MARKER_PREFIX}${key}"`));
const job = async (id: string) => (await trackedJobs(deps).get(TENANT, id))!;

describe('after an instance died mid-send, the next one looks in the chat first (GRAPH_DELIVERY_CHECK)', () => {
  it.each([
    ['a meeting chat', { kind: 'chat', conversationId: MEETING_CHAT } as Recipient],
    ['a 1:1 chat found through the person\'s app installation', { kind: 'person', personId: 'aad-sam' } as Recipient],
  ])('a message that had arrived in %s is not sent again, and the job records its id', async (_where, to) => {
    const j = await notice('arrived', to);
    await diedMidSend(j, true, to);
    const [first] = copiesOf(j.id);
    expect(first).toBeDefined();

    await runSurvivor();

    expect(copiesOf(j.id)).toHaveLength(1);
    const firstId = stub.calls.find((c) => c.kind === 'send' && c.body === first.activity)!.responseId;
    expect(await job(j.id)).toMatchObject({ status: 'done', sending: { activityId: firstId }, redelivery: { previousOwner: 'dead', found: 'delivered' } });
    expect((await job(j.id)).sentAt).toBeDefined();
  });

  it('a message that never arrived is sent, once, and not flagged as a possible repeat', async () => {
    const to: Recipient = { kind: 'chat', conversationId: MEETING_CHAT };
    const j = await notice('lost', to);
    await diedMidSend(j, false, to);
    await runSurvivor();
    expect(copiesOf(j.id)).toHaveLength(1);
    expect(await job(j.id)).toMatchObject({ status: 'done', redelivery: { found: 'not_delivered' } });
  });

  it('finds the message behind a busy hour of later ones (Graph pages of 50)', async () => {
    const to: Recipient = { kind: 'chat', conversationId: MEETING_CHAT };
    const j = await notice('busy', to);
    await diedMidSend(j, true, to);
    for (let i = 0; i < 120; i++) await sender.send(TENANT, to, { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Other ${i}` }] }, summary: 'other' }, { key: `other-${i}` });
    await runSurvivor();
    expect(copiesOf(j.id)).toHaveLength(1);
    expect(stub.calls.filter((c) => c.kind === 'graphMessages').length).toBeGreaterThanOrEqual(3);
    expect((await job(j.id)).redelivery?.found).toBe('delivered');
  });

  it('when Graph cannot answer, it sends again and marks the job as a possible repeat: nothing is lost', async () => {
    const to: Recipient = { kind: 'chat', conversationId: MEETING_CHAT };
    const j = await notice('unknown', to);
    await diedMidSend(j, true, to);
    stub.failNext({ status: 403, code: 'Forbidden' }, { match: (c) => c.path.startsWith('/graph/') });
    await runSurvivor();
    expect(copiesOf(j.id)).toHaveLength(2);
    expect(await job(j.id)).toMatchObject({ status: 'done', redelivery: { found: 'unknown' } });
  });

  it('the key travels as a hidden element: the card people see is otherwise the one the job planned', async () => {
    const to: Recipient = { kind: 'chat', conversationId: MEETING_CHAT };
    const j = await notice('shape', to);
    await runSurvivor();
    const [sent] = copiesOf(j.id);
    const card = sent.activity.attachments[0].content;
    const marker = card.body[card.body.length - 1];
    expect(marker).toEqual({ type: 'TextBlock', id: `${MARKER_PREFIX}${j.id}`, text: ' ', isVisible: false });
    const planned = (await jobHandlers().notify!.plan(deps, j, new Date()))!;
    expect({ ...card, body: card.body.slice(0, -1) }).toEqual((planned.message as { card: unknown }).card);
  });
});
