import { add } from 'date-fns';
import { ConfigError, loadConfig } from '../../src/config';
import { DEFAULT_SETTINGS } from '../support/memory-collection';

const TENANT = '00000000-0000-0000-0000-0000000000aa';
const APP_ID = '11111111-1111-1111-1111-111111111111';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the defaults in PRODUCT.md when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      bot: undefined,
      cosmos: undefined,
      databaseName: 'golden-thread',
      dataDir: '.data',
      allowedTenants: [],
      timeZone: 'Europe/London',
      jobsTickSecret: undefined,
      teamsSendRate: 7,
      teamsTenantRate: 50,
      graphInstall: false,
      teamsAppId: undefined,
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      openAi: undefined,
      playground: true,
      demo: false,
      logLevel: 'info',
    });
    const iso = (k: keyof typeof c) => (c[k] as { iso: string }).iso;
    expect(['followUpAfter', 'reminderEvery', 'escalateAfter', 'schedulerInterval', 'logGrace', 'retention'].map((k) => iso(k as keyof typeof c)))
      .toEqual(['P14D', 'P7D', 'P14D', 'PT1M', 'P7D', 'P6Y']);
    expect(c.schedulerInterval.ms).toBe(60_000);
    expect(c.jobLease.ms).toBe(60_000);
    expect(c.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('agrees with the settings command tests use (test/support testDeps)', () => {
    const c = loadConfig({});
    const from = new Date('2026-03-09T10:00:00Z');
    for (const key of ['followUpAfter', 'reminderEvery', 'escalateAfter', 'logGrace', 'retention'] as const) {
      expect([key, add(from, c[key].parts).toISOString()]).toEqual([key, add(from, DEFAULT_SETTINGS[key]).toISOString()]);
    }
    expect(c.timeZone).toBe(DEFAULT_SETTINGS.timeZone);
  });

  it('names every problem at once in one ConfigError', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', FOLLOWUP_AFTER: '14 days', PROGRAMME_TIMEZONE: 'Mars/Olympus', TEAMS_SEND_RATE: '-1' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    for (const name of ['PORT', 'FOLLOWUP_AFTER', 'PROGRAMME_TIMEZONE', 'TEAMS_SEND_RATE']) {
      expect(problems.filter((p) => p.includes(name))).toHaveLength(1);
      expect(message).toContain(name);
    }
    expect(message).toContain('.env.sample');
  });

  it.each(['14 days', 'P', 'PT', 'P1DT', 'P0D', '-P1D', 'p14d', 'P1.5D', '14'])('rejects the duration %p', (bad) => {
    const problems = problemsOf({ REMINDER_EVERY: bad });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('REMINDER_EVERY');
  });

  it('accepts durations in seconds, so a demo can run a whole loop quickly', () => {
    const c = loadConfig({ FOLLOWUP_AFTER: 'PT2S', SCHEDULER_INTERVAL: 'PT1S', JOB_LEASE: 'PT10S', RETENTION: 'P1Y2M3DT4H5M6S' });
    expect(c.followUpAfter).toMatchObject({ iso: 'PT2S', ms: 2000 });
    expect(c.followUpAfter.parts).toMatchObject({ seconds: 2 });
    expect(c.schedulerInterval.ms).toBe(1000);
    expect(c.jobLease.ms).toBe(10_000);
    expect(c.retention.parts).toMatchObject({ years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 });
  });

  it('refuses a job lease shorter than ten seconds, which could let a message on its way be sent twice', () => {
    expect(problemsOf({ JOB_LEASE: 'PT5S' })).toEqual([expect.stringContaining('JOB_LEASE="PT5S" must be at least PT10S')]);
  });

  it('rejects a time zone that is not an IANA name', () => {
    expect(problemsOf({ PROGRAMME_TIMEZONE: 'London' })).toEqual([expect.stringContaining('PROGRAMME_TIMEZONE="London"')]);
    expect(loadConfig({ PROGRAMME_TIMEZONE: 'America/New_York' }).timeZone).toBe('America/New_York');
  });

  it('in production mode names each missing Bot Framework setting', () => {
    expect(problemsOf({ MicrosoftAppId: APP_ID, ALLOWED_TENANTS: TENANT })).toEqual([expect.stringContaining('MicrosoftAppType is missing')]);
    const single = problemsOf({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant', ALLOWED_TENANTS: TENANT });
    expect(single).toHaveLength(2);
    expect(single[0]).toContain('MicrosoftAppPassword is missing');
    expect(single[1]).toContain('MicrosoftAppTenantId is missing');
    expect(problemsOf({ MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI' })).toEqual([
      expect.stringContaining('MicrosoftAppTenantId is missing'),
      expect.stringContaining('ALLOWED_TENANTS is empty'),
    ]);
    expect(problemsOf({ MicrosoftAppPassword: 'secret' })).toEqual([expect.stringContaining('MicrosoftAppId is missing')]);
  });

  it('accepts a complete production configuration, with the Playground off', () => {
    const c = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: TENANT,
      ALLOWED_TENANTS: ` ${TENANT} , `,
      PLAYGROUND: 'on',
    });
    expect(c.bot).toEqual({ appId: APP_ID, appType: 'SingleTenant', password: 'secret', tenantId: TENANT });
    expect(c.allowedTenants).toEqual([TENANT]);
    expect(c.playground).toBe(false);
  });

  it('rejects an ALLOWED_TENANTS entry that is not a GUID', () => {
    expect(problemsOf({ ALLOWED_TENANTS: `${TENANT},contoso.onmicrosoft.com` })).toEqual([
      expect.stringContaining('"contoso.onmicrosoft.com", which is not a tenant id'),
    ]);
  });

  it('rejects half-set Cosmos and Azure OpenAI settings and an unknown log level', () => {
    expect(problemsOf({ COSMOS_KEY: 'k' })).toEqual([expect.stringContaining('COSMOS_ENDPOINT is missing')]);
    expect(problemsOf({ COSMOS_ENDPOINT: 'contoso.documents.azure.com' })).toEqual([expect.stringContaining('must be a URL')]);
    expect(problemsOf({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toEqual([expect.stringContaining('AZURE_OPENAI_DEPLOYMENT is missing')]);
    expect(problemsOf({ GRAPH_INSTALL: 'maybe' })).toEqual([expect.stringContaining('GRAPH_INSTALL')]);
    expect(problemsOf({ GRAPH_INSTALL: 'on' })).toEqual([expect.stringContaining('TEAMS_APP_ID is missing'), expect.stringContaining('MicrosoftAppId')]);
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([expect.stringContaining('LOG_LEVEL')]);
  });

  it('returns a frozen result', () => {
    const c = loadConfig({ COSMOS_ENDPOINT: 'https://x.documents.azure.com:443/' });
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(c.cosmos).toEqual({ endpoint: 'https://x.documents.azure.com:443/', key: undefined, database: 'golden-thread' });
  });
});
