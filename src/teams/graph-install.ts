import type { TokenCredential } from '@azure/identity';

/**
 * Installs Golden Thread for one person through Microsoft Graph, so the bot
 * can open a 1:1 chat with someone it has never heard from. Needs the tenant
 * to have granted TeamsAppInstallation.ReadWriteSelfForUser.All (application)
 * and GRAPH_INSTALL=on.
 */
export interface AppInstaller {
  installFor(tenantId: string, personId: string): Promise<void>;
}

export interface GraphInstallerOptions {
  /** The app's id in the tenant's Teams app catalogue (TEAMS_APP_ID). */
  teamsAppId: string;
  credential: TokenCredential;
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createGraphInstaller(o: GraphInstallerOptions): AppInstaller {
  const base = (o.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, '');
  const doFetch = o.fetch ?? fetch;
  return {
    async installFor(_tenantId, personId) {
      const token = await o.credential.getToken('https://graph.microsoft.com/.default');
      if (!token) throw new Error('No Microsoft Graph token');
      const res = await doFetch(`${base}/users/${encodeURIComponent(personId)}/teamwork/installedApps`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/${encodeURIComponent(o.teamsAppId)}` }),
      });
      // 409: already installed for them, which is what we wanted.
      if (res.status === 201 || res.status === 200 || res.status === 409) return;
      throw new Error(`Microsoft Graph would not install the app (${res.status})`);
    },
  };
}
