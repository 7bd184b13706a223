/*
 * Who is asking for a tab page. Production: a Teams single sign-on token,
 * an Entra access token for the app's webApplicationInfo resource, checked
 * here (signature against Entra's published keys, fetched with a time
 * limit; audience; issuer of the token's own tenant; tenant allowed).
 * Local mode: one of the Playground's mock users, as the bot trusts whoever
 * the Playground says is typing.
 */
import { decode, verify, type JwtPayload } from 'jsonwebtoken';
import type { Caller } from '../commands/deps';
import type { SigningKeys } from '../teams/auth';
import { MOCK_USERS, PLAYGROUND_TENANT } from '../playground';

// The same leeway the Bot Framework check gives clocks (src/teams/auth.ts).
const CLOCK_TOLERANCE_S = 5 * 60;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SsoSettings {
  keys: Pick<SigningKeys, 'getKey'>;
  /** The app's id URI (api://<domain>/botid-<app id>) and the app id itself (v2 tokens name the client id). */
  audiences: string[];
  allowedTenants: readonly string[];
}

export type SignIn = { viewer: Caller } | { problem: string };

/** Reads and checks `Authorization: Bearer <token>`; says why not, for the log, never for the caller. */
export async function ssoViewer(authHeader: string | undefined, sso: SsoSettings): Promise<SignIn> {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authHeader ?? '');
  if (!match) return { problem: 'no bearer token' };
  const token = match[1];
  const decoded = decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') return { problem: 'not a JWT' };
  if (decoded.header.alg !== 'RS256') return { problem: 'signing algorithm not allowed' };
  const key = await sso.keys.getKey(decoded.header.kid).catch(() => null);
  if (!key) return { problem: 'signing key not published' };
  let claims: JwtPayload;
  try {
    claims = verify(token, key.key, { algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_S, audience: sso.audiences as [string, ...string[]] }) as JwtPayload;
  } catch (err) {
    const name = (err as Error).name;
    return { problem: name === 'TokenExpiredError' ? 'token expired' : (err as Error).message.startsWith('jwt audience') ? 'wrong audience' : 'bad signature' };
  }
  const tid = claims.tid;
  if (typeof tid !== 'string' || !TENANT_ID.test(tid)) return { problem: 'no tenant' };
  // v1 and v2 tokens name their tenant differently; either way it must be the token's own tenant.
  if (claims.iss !== `https://login.microsoftonline.com/${tid}/v2.0` && claims.iss !== `https://sts.windows.net/${tid}/`) return { problem: 'issuer is not the tenant' };
  if (!sso.allowedTenants.map((t) => t.toLowerCase()).includes(tid.toLowerCase())) return { problem: 'tenant not allowed' };
  if (typeof claims.oid !== 'string' || !claims.oid) return { problem: 'no user object id' };
  return { viewer: { id: claims.oid, tenantId: tid, name: typeof claims.name === 'string' ? claims.name : '' } };
}

/** Local mode: `?user=` (or the x-mock-user header) names a mock user by Teams id, object id or first name; none is the Playground's current user. */
export function mockViewer(given: string | undefined): Caller | undefined {
  const wanted = (given ?? MOCK_USERS[0].aadObjectId).trim().toLowerCase();
  const u = MOCK_USERS.find((m) => [m.id, m.aadObjectId, m.given].some((k) => k.toLowerCase() === wanted));
  return u && { id: u.aadObjectId, tenantId: PLAYGROUND_TENANT, name: u.name, teamsId: u.id };
}
