import { createPublicKey } from 'node:crypto';
import { CallerIdConstants, type Activity, type ConfigurationBotFrameworkAuthenticationOptions, type Request, type Response, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult } from 'botframework-connector';
// Not part of the package's public index: the per-metadata-URL cache lives here (see shareWithBotbuilder).
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { decode, verify } from 'jsonwebtoken';
import fetch from 'node-fetch';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** What botbuilder's JwtTokenExtractor asks of the metadata it caches per URL. */
export interface SigningKey {
  key: string;
  endorsements?: string[];
}

const ALLOWED_ALGORITHMS = AuthenticationConstants.AllowedSigningAlgorithms as ('RS256' | 'RS384' | 'RS512')[];
// botbuilder's own rhythm (OpenIdMetadata): keys are refreshed daily, and at most hourly when a token names a key we lack.
const REFRESH_EVERY_MS = 24 * 60 * 60 * 1000;
const UNKNOWN_KEY_REFRESH_MS = 60 * 60 * 1000;
// After a failed fetch, requests are refused at once for a while rather than each waiting on (and opening) another fetch.
const RETRY_AFTER_FAILURE_MS = 10 * 1000;
// The same leeway botbuilder's channel validation gives clocks.
const CLOCK_TOLERANCE_S = 5 * 60;

/**
 * The Bot Framework's OpenID metadata and signing keys, fetched with a time
 * limit and only one fetch in flight however many requests are waiting.
 * botbuilder's own OpenIdMetadata has neither: with login.botframework.com
 * unreachable each request opened its own socket and waited minutes.
 */
export class SigningKeys {
  private keys = new Map<string, SigningKey>();
  private loadedAt = 0;
  private failedAt = Number.NEGATIVE_INFINITY;
  private loading?: Promise<void>;

  constructor(
    readonly metadataUrl: string,
    private readonly opts: { timeoutMs: number; logger: Logger; now?: () => number; /** For the logs; default "the Bot Framework signing keys". */ name?: string },
  ) {}

  async getKey(keyId: string | undefined): Promise<SigningKey | null> {
    if (typeof keyId !== 'string' || keyId === '') return null;
    const age = this.now() - this.loadedAt;
    if (age > REFRESH_EVERY_MS || (!this.keys.has(keyId) && age > UNKNOWN_KEY_REFRESH_MS)) await this.refresh();
    // A failed refresh keeps the keys we had, as botbuilder does.
    return this.keys.get(keyId) ?? null;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private refresh(): Promise<void> {
    if (this.loading) return this.loading;
    if (this.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
    this.loading = this.load()
      .then((keys) => {
        this.keys = keys;
        this.loadedAt = this.now();
        this.opts.logger.info({ keys: keys.size }, `loaded ${this.opts.name ?? 'the Bot Framework signing keys'}`);
      })
      .catch((err: Error) => {
        this.failedAt = this.now();
        this.opts.logger.warn(
          { err: { message: err.message }, metadataUrl: this.metadataUrl, timeoutMs: this.opts.timeoutMs, keptKeys: this.keys.size },
          `could not load ${this.opts.name ?? 'the Bot Framework signing keys'}; requests signed with keys we do not hold are refused until they load`,
        );
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async load(): Promise<Map<string, SigningKey>> {
    // One time budget for both fetches.
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    const get = (url: string) =>
      getJson(url, signal).catch((err: Error) => {
        throw signal.aborted ? new Error(`${url} did not answer within ${this.opts.timeoutMs} ms`) : err;
      });
    const metadata = (await get(this.metadataUrl)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw new Error('the OpenID metadata has no jwks_uri');
    const jwks = (await get(metadata.jwks_uri)) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error('the signing key set has no keys');
    const keys = new Map<string, SigningKey>();
    for (const jwk of jwks.keys as { kid?: unknown; kty?: unknown; n?: unknown; e?: unknown; endorsements?: unknown }[]) {
      if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
      try {
        const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
        const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((x): x is string => typeof x === 'string') : undefined;
        keys.set(jwk.kid, { key, endorsements });
      } catch {
        // A key we cannot read signs nothing we accept.
      }
    }
    return keys;
  }
}

/**
 * node-fetch, as botbuilder's OpenIdMetadata uses, rather than the global
 * fetch: undici opens a fresh idle connection to the host after an aborted
 * request, so a host that never answers would still collect sockets.
 */
async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, size: 1024 * 1024, headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

/**
 * Makes botbuilder use `keys` for `keys.metadataUrl`, so its own token check
 * and ours share one cache and one fetch. JwtTokenExtractor keeps a private
 * static Map (metadata URL → object with getKey); if a botbuilder upgrade
 * moves it, say so and carry on: our check still runs first.
 */
function shareWithBotbuilder(keys: SigningKeys, logger: Logger): void {
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache?: unknown }).openIdMetadataCache;
  if (cache instanceof Map) cache.set(keys.metadataUrl, keys);
  else logger.warn('botframework-connector no longer caches OpenID metadata where Golden Thread expects; botbuilder will fetch its own copy without a time limit');
}

/**
 * Why a token is refused, or undefined if it is signed by a key the Bot
 * Framework publishes and is in date. Checked before botbuilder sees the
 * token: botbuilder answers forged tokens with 500 and writes stacks to stderr.
 * Issuer, audience and serviceUrl are still botbuilder's to check.
 */
export async function channelTokenProblem(authHeader: string, keys: Pick<SigningKeys, 'getKey'>): Promise<string | undefined> {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authHeader);
  if (!match) return 'no bearer token';
  const token = match[1];
  const decoded = decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') return 'not a JWT';
  const { alg, kid } = decoded.header;
  if (!(ALLOWED_ALGORITHMS as string[]).includes(alg)) return 'signing algorithm not allowed';
  const key = await keys.getKey(kid);
  if (!key) return 'signing key not published';
  try {
    verify(token, key.key, { algorithms: ALLOWED_ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_S });
    return undefined;
  } catch (err) {
    return (err as Error).name === 'TokenExpiredError' ? 'token expired' : 'bad signature';
  }
}

/** Says how many requests were refused at most once a minute, so a flood of forged tokens is one line, not thousands. */
class Refusals {
  private count = 0;
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly logger: Logger) {}

  note(reason: string): void {
    this.count++;
    this.logger.debug({ reason }, 'request refused: Bot Framework sign-in failed');
    const now = Date.now();
    if (now - this.loggedAt < 60_000) return;
    this.logger.warn({ refused: this.count, reason }, 'requests refused: Bot Framework sign-in failed (the last reason given)');
    this.loggedAt = now;
    this.count = 0;
  }
}

type Logic = (context: TurnContext) => Promise<void>;
/** The last overload of TeamsAdapter.process: a WebSocket upgrade, which Golden Thread does not use. */
type SocketArgs = Parameters<TeamsAdapter['process']>;

function reply(res: Response, status: number, body?: unknown): void {
  res.status(status);
  if (body !== undefined) res.send(body);
  res.end();
}

/** botbuilder's validateAndFixActivity: dates arrive as text. */
function toActivity(body: Record<string, unknown>): Activity {
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof body[field] === 'string') {
      body[raw] = body[field];
      body[field] = new Date(body[field] as string);
    }
  }
  return body as unknown as Activity;
}

/**
 * TeamsAdapter whose HTTP entry point refuses every sign-in failure with a
 * short 401 (botbuilder's process() answers some with 500 and its internal
 * error text, and logs each to stderr) and checks the token's signature with
 * time-limited, shared key fetching before botbuilder does.
 */
export class EdgeAdapter extends TeamsAdapter {
  private readonly refusals: Refusals;

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly edge: { logger: Logger; keys?: SigningKeys },
  ) {
    super(options);
    this.refusals = new Refusals(edge.logger);
  }

  override process(req: Request, res: Response, logic: Logic): Promise<void>;
  override process(...args: SocketArgs): Promise<void>;
  override async process(req: Request, resOrSocket: Response | SocketArgs[1], logicOrHead: Logic | SocketArgs[2], maybeLogic?: Logic): Promise<void> {
    if (maybeLogic) return super.process(req, resOrSocket as SocketArgs[1], logicOrHead as SocketArgs[2], maybeLogic);
    const res = resOrSocket as Response;
    const logic = logicOrHead as Logic;
    if (req.method !== 'POST') return reply(res, 405);
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      return reply(res, 400, { error: 'the body is not a Bot Framework activity' });
    }
    const activity = toActivity(body as Record<string, unknown>);
    const header = req.headers.authorization ?? req.headers.Authorization;
    const authHeader = typeof header === 'string' ? header : '';

    const refuse = (reason: string) => {
      this.refusals.note(reason);
      reply(res, 401, { error: 'unauthorized' });
    };
    const problem = this.edge.keys ? await channelTokenProblem(authHeader, this.edge.keys).catch(() => 'unreadable token') : undefined;
    if (problem) return refuse(problem);
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (err) {
      // Issuer, audience or serviceUrl: botbuilder's messages name our app id and the caller's claims, so they stay in the log.
      return refuse((err as Error).message);
    }
    const invokeResponse = await this.processActivity(auth, activity, logic);
    reply(res, invokeResponse?.status ?? 200, invokeResponse?.body);
  }
}

/** botbuilder's public-cloud settings, spelled out because naming one (the metadata URL) means naming them all. */
function authOptions(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  const c = config.bot;
  if (!c) return {} as ConfigurationBotFrameworkAuthenticationOptions;
  return {
    MicrosoftAppId: c.appId,
    MicrosoftAppPassword: c.password ?? '',
    MicrosoftAppType: c.appType,
    MicrosoftAppTenantId: c.tenantId ?? '',
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  } as ConfigurationBotFrameworkAuthenticationOptions;
}

/** The adapter for config: in production mode with its signing keys shared with botbuilder; in local mode, no sign-in. */
export function createEdgeAdapter(config: Config, logger: Logger): EdgeAdapter {
  const keys = config.bot ? new SigningKeys(config.openIdMetadataUrl, { timeoutMs: config.openIdMetadataTimeout.ms, logger }) : undefined;
  if (keys) shareWithBotbuilder(keys, logger);
  return new EdgeAdapter(authOptions(config), { logger, keys });
}
