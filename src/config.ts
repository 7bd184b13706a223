import { parse as parseDuration, pattern as durationPattern, toSeconds } from 'iso8601-duration';
import type { Duration } from 'date-fns';

/** A configured ISO 8601 duration, kept both as text (for logs) and as parts (for date-fns). */
export interface ConfigDuration {
  readonly iso: string;
  readonly parts: Duration;
  /** Nominal length in milliseconds (months and years as from the epoch); for timers, not calendars. */
  readonly ms: number;
}

export interface BotCredentials {
  readonly appId: string;
  readonly appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  readonly password?: string;
  readonly tenantId?: string;
}

export interface Config {
  readonly port: number;
  /** Interface to listen on; undefined = every interface (production, as Azure App Service expects). */
  readonly host?: string;
  /** undefined = local mode: no Bot Framework auth, Playground allowed. */
  readonly bot?: BotCredentials;
  /** Where Bot Framework publishes the keys that sign Teams' tokens (production mode). */
  readonly openIdMetadataUrl: string;
  /** The web app's host name: Teams single sign-on for the tabs asks for api://<it>/botid-<app id>. */
  readonly botDomain?: string;
  /** Where Microsoft Entra publishes the keys that sign single sign-on tokens (the tabs). */
  readonly entraMetadataUrl: string;
  /** How long one fetch of that metadata (and its keys) may take before requests are refused. */
  readonly openIdMetadataTimeout: ConfigDuration;
  readonly cosmos?: { readonly endpoint: string; readonly key?: string; readonly database: string };
  readonly databaseName: string;
  readonly dataDir: string;
  readonly allowedTenants: readonly string[];
  readonly timeZone: string;
  readonly followUpAfter: ConfigDuration;
  readonly reminderEvery: ConfigDuration;
  readonly escalateAfter: ConfigDuration;
  readonly schedulerInterval: ConfigDuration;
  /** How long a job claimed by an instance that then went quiet (killed, crashed) waits before another takes it over. */
  readonly jobLease: ConfigDuration;
  readonly logGrace: ConfigDuration;
  /** An open meeting is closed this long after its scheduled end (as Teams' meeting details give it). */
  readonly meetingCloseAfter: ConfigDuration;
  /** An open meeting with no schedule (a chat session, or Teams gave no details) is closed this long after it started. */
  readonly sessionCloseAfter: ConfigDuration;
  readonly retention: ConfigDuration;
  readonly jobsTickSecret?: string;
  readonly teamsSendRate: number;
  readonly teamsTenantRate: number;
  readonly graphInstall: boolean;
  /** GRAPH_DELIVERY_CHECK: after an instance dies mid-send, look in the chat through Microsoft Graph before sending again. */
  readonly graphDeliveryCheck: boolean;
  /** GRAPH_TRANSCRIPTS: after a meeting, read its Teams transcript to suggest contributions to the chair (issue 24). */
  readonly graphTranscripts: boolean;
  /** The app's id in the tenant's Teams app catalogue, for installing it for people through Graph. */
  readonly teamsAppId?: string;
  readonly graphBaseUrl: string;
  readonly openAi?: { readonly endpoint: string; readonly deployment: string; readonly key?: string };
  readonly playground: boolean;
  readonly demo: boolean;
  readonly logLevel: string;
  readonly version: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Golden Thread cannot start. Fix these settings (see .env.sample):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads every setting PRODUCT.md lists, collects every problem before failing
 * (so a person fixing a deployment sees them all at once), and freezes the result.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const duration = (name: string, fallback: string): ConfigDuration => {
    const iso = text(name) ?? fallback;
    const anchored = new RegExp(`^${durationPattern.source}$`);
    if (!anchored.test(iso) || iso === 'P' || iso.endsWith('T')) {
      problems.push(`${name}="${iso}" is not an ISO 8601 duration (for example P14D, PT1M or PT2S).`);
      return { iso: fallback, parts: parseDuration(fallback), ms: toSeconds(parseDuration(fallback), new Date(0)) * 1000 };
    }
    const parts = parseDuration(iso);
    const ms = toSeconds(parts, new Date(0)) * 1000;
    if (ms <= 0) problems.push(`${name}="${iso}" must be longer than zero.`);
    return { iso, parts, ms };
  };

  const positiveNumber = (name: string, fallback: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      problems.push(`${name}="${raw}" must be a positive number.`);
      return fallback;
    }
    return n;
  };

  const flag = (name: string, fallback: boolean): boolean => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'off', 'no'].includes(raw)) return false;
    problems.push(`${name}="${raw}" must be on or off.`);
    return fallback;
  };

  const portRaw = text('PORT') ?? '3978';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT="${portRaw}" must be a whole number from 0 to 65535.`);

  let bot: BotCredentials | undefined;
  const appId = text('MicrosoftAppId');
  // Local mode has no sign-in, so by default only this machine may reach it; production stays open to App Service's front end.
  const host = text('HOST') ?? (appId ? undefined : '127.0.0.1');
  const openIdMetadataUrl = text('OPENID_METADATA_URL') ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration';
  if (!/^https?:\/\//.test(openIdMetadataUrl)) problems.push(`OPENID_METADATA_URL="${openIdMetadataUrl}" must be a URL such as https://login.botframework.com/v1/.well-known/openidconfiguration.`);
  const botDomain = text('BOT_DOMAIN')?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (botDomain && !/^[a-z0-9.-]+(:\d{1,5})?$/i.test(botDomain)) problems.push(`BOT_DOMAIN="${botDomain}" must be a host name such as goldenthread-app.azurewebsites.net.`);
  const entraMetadataUrl = text('ENTRA_METADATA_URL') ?? 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';
  if (!/^https?:\/\//.test(entraMetadataUrl)) problems.push(`ENTRA_METADATA_URL="${entraMetadataUrl}" must be a URL such as https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration.`);
  if (appId) {
    const appType = text('MicrosoftAppType');
    const password = text('MicrosoftAppPassword');
    const tenantId = text('MicrosoftAppTenantId');
    if (!appType) {
      problems.push('MicrosoftAppType is missing: set it to SingleTenant or UserAssignedMSI (MicrosoftAppId is set, so this is production mode).');
    } else if (!['SingleTenant', 'MultiTenant', 'UserAssignedMSI'].includes(appType)) {
      problems.push(`MicrosoftAppType="${appType}" must be SingleTenant, MultiTenant or UserAssignedMSI.`);
    } else {
      if ((appType === 'SingleTenant' || appType === 'MultiTenant') && !password) {
        problems.push(`MicrosoftAppPassword is missing: a ${appType} bot needs its client secret.`);
      }
      if ((appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !tenantId) {
        problems.push(`MicrosoftAppTenantId is missing: a ${appType} bot needs the tenant id of its identity.`);
      }
      bot = { appId, appType: appType as BotCredentials['appType'], password, tenantId };
    }
  } else if (text('MicrosoftAppPassword')) {
    problems.push('MicrosoftAppPassword is set but MicrosoftAppId is missing: set both, or neither for local mode.');
  }

  const allowedTenants = (text('ALLOWED_TENANTS') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of allowedTenants) {
    if (!TENANT_ID.test(t)) problems.push(`ALLOWED_TENANTS has "${t}", which is not a tenant id (a GUID).`);
  }
  if (bot && allowedTenants.length === 0) {
    problems.push('ALLOWED_TENANTS is empty: in production mode name the tenant ids Golden Thread may serve.');
  }

  const databaseName = text('COSMOS_DATABASE') ?? 'golden-thread';
  const endpoint = text('COSMOS_ENDPOINT');
  if (endpoint && !/^https?:\/\//.test(endpoint)) problems.push(`COSMOS_ENDPOINT="${endpoint}" must be a URL such as https://<account>.documents.azure.com:443/.`);
  if (!endpoint && text('COSMOS_KEY')) problems.push('COSMOS_KEY is set but COSMOS_ENDPOINT is missing.');

  const timeZone = text('PROGRAMME_TIMEZONE') ?? 'Europe/London';
  if (!isTimeZone(timeZone)) problems.push(`PROGRAMME_TIMEZONE="${timeZone}" is not a time zone name (for example Europe/London).`);

  // Checked here because pino's own error ("default level:verbose must be included in custom levels") names no setting.
  const logLevel = text('LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL="${logLevel}" must be one of ${LOG_LEVELS.join(', ')}.`);

  let openAi: Config['openAi'];
  const aoaiEndpoint = text('AZURE_OPENAI_ENDPOINT');
  const aoaiDeployment = text('AZURE_OPENAI_DEPLOYMENT');
  if (aoaiEndpoint || aoaiDeployment) {
    if (!aoaiEndpoint) problems.push('AZURE_OPENAI_ENDPOINT is missing: it is needed with AZURE_OPENAI_DEPLOYMENT.');
    if (!aoaiDeployment) problems.push('AZURE_OPENAI_DEPLOYMENT is missing: it is needed with AZURE_OPENAI_ENDPOINT.');
    if (aoaiEndpoint && aoaiDeployment) openAi = { endpoint: aoaiEndpoint, deployment: aoaiDeployment, key: text('AZURE_OPENAI_KEY') };
  }

  // Read once: every flag() call reports its own problem, and a bad value should be named once.
  const graphInstall = flag('GRAPH_INSTALL', false);
  if (graphInstall) {
    if (!text('TEAMS_APP_ID')) problems.push('TEAMS_APP_ID is missing: GRAPH_INSTALL=on needs the app\'s id in your Teams app catalogue (Teams admin centre > Manage apps).');
    if (!appId) problems.push('GRAPH_INSTALL=on needs the bot\'s identity (MicrosoftAppId and its type) to call Microsoft Graph.');
  }

  const graphDeliveryCheck = flag('GRAPH_DELIVERY_CHECK', false);
  if (graphDeliveryCheck && !appId) problems.push('GRAPH_DELIVERY_CHECK=on needs the bot\'s identity (MicrosoftAppId and its type) to call Microsoft Graph.');

  const graphTranscripts = flag('GRAPH_TRANSCRIPTS', false);
  if (graphTranscripts && !appId) problems.push('GRAPH_TRANSCRIPTS=on needs the bot\'s identity (MicrosoftAppId and its type) to read meeting transcripts through Microsoft Graph.');

  const config: Config = {
    port,
    host,
    bot,
    openIdMetadataUrl,
    botDomain,
    entraMetadataUrl,
    openIdMetadataTimeout: duration('OPENID_METADATA_TIMEOUT', 'PT5S'),
    cosmos: endpoint ? { endpoint, key: text('COSMOS_KEY'), database: databaseName } : undefined,
    databaseName,
    dataDir: text('DATA_DIR') ?? '.data',
    allowedTenants,
    timeZone,
    followUpAfter: duration('FOLLOWUP_AFTER', 'P14D'),
    reminderEvery: duration('REMINDER_EVERY', 'P7D'),
    escalateAfter: duration('ESCALATE_AFTER', 'P14D'),
    schedulerInterval: duration('SCHEDULER_INTERVAL', 'PT1M'),
    jobLease: duration('JOB_LEASE', 'PT1M'),
    logGrace: duration('LOG_GRACE', 'P7D'),
    meetingCloseAfter: duration('MEETING_CLOSE_AFTER', 'PT1H'),
    sessionCloseAfter: duration('SESSION_CLOSE_AFTER', 'PT8H'),
    retention: duration('RETENTION', 'P6Y'),
    jobsTickSecret: text('JOBS_TICK_SECRET'),
    teamsSendRate: positiveNumber('TEAMS_SEND_RATE', 7),
    teamsTenantRate: positiveNumber('TEAMS_TENANT_RATE', 50),
    graphInstall,
    graphDeliveryCheck,
    graphTranscripts,
    teamsAppId: text('TEAMS_APP_ID'),
    graphBaseUrl: text('GRAPH_BASE_URL') ?? 'https://graph.microsoft.com/v1.0',
    openAi,
    playground: flag('PLAYGROUND', true) && !appId,
    demo: flag('DEMO', false),
    logLevel,
    version: text('npm_package_version') ?? readVersion(),
  };
  // Shorter, and a lease could run out while its message is on the way to Teams: another instance would send it again.
  if (config.jobLease.ms > 0 && config.jobLease.ms < 10_000) problems.push(`JOB_LEASE="${config.jobLease.iso}" must be at least PT10S, so that a message on its way is not sent again by another instance.`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function readVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
