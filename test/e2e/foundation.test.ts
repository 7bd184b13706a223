import { startBot, cardOf, cardText, tempDataDir } from '../support/e2e';
import { personalMessage, people, TENANT_ID } from '../harness/activities';
import { ConnectorStub } from '../harness/connector-stub';
import { inFirstProgramme } from '../support/scenario';

describe('foundation, over HTTP with the stub connector', () => {
  it('answers help in a personal chat with a card of what that person can do', async () => {
    const bot = await startBot();
    try {
      const res = await bot.post(personalMessage({ text: 'help', from: people.sam }));
      expect(res.status).toBe(200);
      const sent = await bot.stub.waitFor(() => bot.stub.sentActivities()[0]);
      const text = cardText(cardOf(sent.activity));
      expect(text).toContain('Hello Sam Okafor');
      expect(text).toContain('preferences');
      expect(text).toContain('forget me');
      // Nobody leads the programme yet, so Sam is offered setup.
      expect(text).toContain('You will become its programme lead');
    } finally {
      await bot.close();
    }
  });

  it('serves /healthz with status, store kind and version', async () => {
    const bot = await startBot();
    try {
      const res = await fetch(`${bot.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', store: 'embedded', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    } finally {
      await bot.close();
    }
  });

  it('serves the privacy and terms pages the Teams manifest links to', async () => {
    const bot = await startBot();
    try {
      const privacy = await fetch(`${bot.url}/privacy`);
      expect(privacy.status).toBe(200);
      expect(privacy.headers.get('content-type')).toContain('text/html');
      const text = await privacy.text();
      expect(text).toContain('forget me');
      expect(text).toContain('only by you and the programme team');
      expect((await fetch(`${bot.url}/terms`)).status).toBe(200);
    } finally {
      await bot.close();
    }
  });

  it('keeps what was stored across a restart in local mode', async () => {
    const dataDir = tempDataDir();
    const stub = await ConnectorStub.start();
    const first = await startBot({ DATA_DIR: dataDir }, { stub });
    // A person record is kept by a programme (issue 18): Alex is in one.
    await inFirstProgramme(first.running.deps, people.alex);
    await first.post(personalMessage({ text: 'help', from: people.alex }));
    await first.close();

    const second = await startBot({ DATA_DIR: dataDir }, { stub });
    try {
      const ref = await second.running.deps.stores.conversations.get(TENANT_ID, people.alex.aadObjectId);
      expect(ref?.kind).toBe('person');
      const person = await second.running.deps.stores.people.get(TENANT_ID, people.alex.aadObjectId);
      expect(person?.name).toBe('Alex Rivera');
    } finally {
      await second.close();
      await stub.close();
    }
  });

  it('in production mode refuses a request without a token with 401 and stores nothing', async () => {
    const bot = await startBot({
      MicrosoftAppId: '11111111-1111-1111-1111-111111111111',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT_ID,
      ALLOWED_TENANTS: TENANT_ID,
    });
    try {
      const res = await bot.post(personalMessage({ text: 'help', from: people.sam }));
      expect(res.status).toBe(401);
      const refs = await bot.running.deps.stores.conversations.query(TENANT_ID, []);
      expect(refs.items).toHaveLength(0);
      expect(bot.stub.calls).toHaveLength(0);
    } finally {
      await bot.close();
    }
  });

  it('refuses an activity from a tenant that is not allowed, logs it, and stores nothing', async () => {
    const other = '99999999-9999-9999-9999-999999999999';
    const bot = await startBot({ ALLOWED_TENANTS: TENANT_ID });
    try {
      const res = await bot.post(personalMessage({ text: 'help', from: people.sam, tenantId: other }));
      expect(res.status).toBeLessThan(500);
      const refs = await bot.running.deps.stores.conversations.queryAll([]);
      const people_ = await bot.running.deps.stores.people.queryAll([]);
      expect(refs.items).toHaveLength(0);
      expect(people_.items).toHaveLength(0);
      expect(bot.stub.sentActivities()).toHaveLength(0);
      expect(bot.logs.join('')).toContain('not allowed');
    } finally {
      await bot.close();
    }
  });
});
