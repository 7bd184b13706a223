import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { mockViewer, ssoViewer, type SsoSettings } from '../../src/web/sso';

const TID = '11111111-2222-3333-4444-555555555555';
const OTHER = '99999999-2222-3333-4444-555555555555';
const APP = '8c2f5b1e-4d3a-4f6b-9a7c-1e2d3f4a5b6c';
const AUD = `api://goldenthread-app.azurewebsites.net/botid-${APP}`;
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const entra = pair();
const forger = pair();
const sso: SsoSettings = { keys: { getKey: async (kid) => (kid === 'k1' ? { key: entra.publicKey } : null) }, audiences: [APP, AUD], allowedTenants: [TID] };

const claims = { aud: AUD, iss: `https://sts.windows.net/${TID}/`, tid: TID, oid: 'aad-sam', name: 'Sam Okafor' };
const token = (over: Record<string, unknown> = {}, opts: { key?: string; kid?: string; expiresIn?: number } = {}) =>
  `Bearer ${sign({ ...claims, ...over }, opts.key ?? entra.privateKey, { algorithm: 'RS256', keyid: opts.kid ?? 'k1', expiresIn: opts.expiresIn ?? 3600 })}`;

describe('Teams single sign-on for the tab', () => {
  it('accepts an Entra token for the app, from an allowed tenant (v1 and v2 issuers)', async () => {
    await expect(ssoViewer(token(), sso)).resolves.toEqual({ viewer: { id: 'aad-sam', tenantId: TID, name: 'Sam Okafor' } });
    await expect(ssoViewer(token({ aud: APP, iss: `https://login.microsoftonline.com/${TID}/v2.0` }), sso)).resolves.toHaveProperty('viewer.id', 'aad-sam');
  });

  it.each([
    ['no header', undefined, 'no bearer token'],
    ['not bearer', 'Basic abc', 'no bearer token'],
    ['garbage', 'Bearer a.b.c', 'not a JWT'],
    ['signed by someone else with a published key id', token({}, { key: forger.privateKey }), 'bad signature'],
    ['a key id Entra does not publish', token({}, { kid: 'k9' }), 'signing key not published'],
    ['expired', token({}, { expiresIn: -3600 }), 'token expired'],
    ['another app', token({ aud: 'api://elsewhere/botid-x' }), 'wrong audience'],
    ["issuer of another tenant than the token's", token({ iss: `https://sts.windows.net/${OTHER}/` }), 'issuer is not the tenant'],
    ['a tenant not allowed', token({ tid: OTHER, iss: `https://sts.windows.net/${OTHER}/` }), 'tenant not allowed'],
    ['no object id', token({ oid: undefined }), 'no user object id'],
  ])('refuses %s', async (_case, header, problem) => {
    await expect(ssoViewer(header, sso)).resolves.toEqual({ problem });
  });

  it('refuses an unsigned token and an HMAC one signed with the public key', async () => {
    const none = `Bearer ${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    await expect(ssoViewer(none, sso)).resolves.toHaveProperty('problem');
    const hmac = `Bearer ${sign(claims, entra.publicKey, { algorithm: 'HS256', keyid: 'k1' } as never)}`;
    await expect(ssoViewer(hmac, sso)).resolves.toEqual({ problem: 'signing algorithm not allowed' });
  });

  it('refuses when the keys cannot be fetched', async () => {
    await expect(ssoViewer(token(), { ...sso, keys: { getKey: async () => { throw new Error('timeout'); } } })).resolves.toEqual({ problem: 'signing key not published' });
  });
});

describe('local mode: the Playground users', () => {
  it.each(['sam', 'Sam', 'aad-sam', '29:1-sam'])('%s is Sam', (given) => {
    expect(mockViewer(given)).toEqual({ id: 'aad-sam', tenantId: '00000000-0000-0000-0000-0000000000aa', name: 'Sam Okafor', teamsId: '29:1-sam' });
  });
  it('nobody named is the current user (Priya); a stranger is nobody', () => {
    expect(mockViewer(undefined)?.id).toBe('aad-priya');
    expect(mockViewer('mallory')).toBeUndefined();
  });
});
