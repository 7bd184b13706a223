/**
 * Text checks on infra/main.bicep. The Bicep compiler is not available where
 * these tests run, so this is what stands between the template and drift from
 * the code: the Cosmos containers must be the ones src/storage/containers.ts
 * defines, and the hosting settings the product relies on must be there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONTAINERS } from '../../src/storage/containers';

const INFRA = path.resolve(__dirname, '..', '..', 'infra');
const RAW = fs.readFileSync(path.join(INFRA, 'main.bicep'), 'utf8');
const BICEP = stripComments(RAW);

/** Removes `//` and `/* *\/` comments, leaving '...' strings untouched. */
function stripComments(source: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < source.length) {
    const ch = source[i];
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === "'") inString = false;
      i++;
    } else if (ch === "'") {
      inString = true;
      out += ch;
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** The text between the `[` that ends `opener` and its matching `]`. */
function bracketBlock(source: string, opener: RegExp): string {
  const m = opener.exec(source);
  if (!m) throw new Error(`not found: ${opener}`);
  const start = m.index + m[0].length;
  let depth = 1;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '[') depth++;
    if (source[i] === ']') depth--;
    if (depth === 0) return source.slice(start, i);
  }
  throw new Error(`unclosed block after ${opener}`);
}

/** The body `{ ... }` of the resource declared with this symbolic name. */
function resourceBody(symbol: string): string {
  const m = new RegExp(`^resource ${symbol} '([^']+)' = (\\[|\\{)`, 'm').exec(BICEP);
  if (!m) throw new Error(`resource ${symbol} not found`);
  const start = m.index + m[0].length;
  let depth = 1;
  for (let i = start; i < BICEP.length; i++) {
    if (BICEP[i] === '{' || BICEP[i] === '[') depth++;
    if (BICEP[i] === '}' || BICEP[i] === ']') depth--;
    if (depth === 0) return `${m[1]}\n${BICEP.slice(start, i)}`;
  }
  throw new Error(`unclosed resource ${symbol}`);
}

function appSettings(): Map<string, string> {
  const block = bracketBlock(resourceBody('webApp'), /appSettings:\s*\[/);
  const settings = new Map<string, string>();
  for (const m of block.matchAll(/\{\s*name:\s*'([^']+)'\s*,?\s*value:\s*([^}\n]+?)\s*\}/g)) {
    settings.set(m[1], m[2].trim());
  }
  return settings;
}

describe('infra/main.bicep: Cosmos DB containers', () => {
  const block = bracketBlock(BICEP, /^var containers = \[/m);
  const entries = [...block.matchAll(/\{\s*id:\s*'([^']+)'\s*,?\s*partitionKey:\s*'([^']+)'\s*\}/g)].map((m) => ({
    id: m[1],
    partitionKey: m[2],
  }));

  it('every entry in the array was understood', () => {
    const objects = block.match(/\{/g) ?? [];
    expect(entries).toHaveLength(objects.length);
  });

  it('declares exactly the containers of src/storage/containers.ts, with the same partition keys', () => {
    const expected = Object.values(CONTAINERS)
      .map((c) => ({ id: c.id, partitionKey: c.partitionKey }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const actual = [...entries].sort((a, b) => a.id.localeCompare(b.id));
    expect(actual).toEqual(expected);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('creates them with one loop over that array, keyed by the partition key in the array', () => {
    const declarations = BICEP.match(/'Microsoft\.DocumentDB\/databaseAccounts\/sqlDatabases\/containers@/g) ?? [];
    expect(declarations).toHaveLength(1);
    const loop = resourceBody('cosmosContainers');
    expect(loop).toMatch(/for (\w+) in containers:/);
    const item = /for (\w+) in containers:/.exec(loop)![1];
    expect(loop).toMatch(new RegExp(`name:\\s*${item}\\.id`));
    expect(loop).toMatch(new RegExp(`id:\\s*${item}\\.id`));
    expect(loop).toMatch(new RegExp(`paths:\\s*\\[\\s*${item}\\.partitionKey\\s*\\]`));
    expect(loop).toMatch(/parent:\s*database\b/);
  });
});

describe('infra/main.bicep: Cosmos DB account', () => {
  const account = resourceBody('cosmos');

  it('uses continuous backup (7 days) and has key auth switched off', () => {
    expect(account).toMatch(/backupPolicy:\s*\{\s*type:\s*'Continuous'\s*continuousModeProperties:\s*\{\s*tier:\s*'Continuous7Days'\s*\}\s*\}/);
    expect(account).toMatch(/disableLocalAuth:\s*true/);
  });

  it('gives the identity the built-in Data Contributor data-plane role', () => {
    const role = resourceBody('cosmosDataRole');
    expect(role).toMatch(/^Microsoft\.DocumentDB\/databaseAccounts\/sqlRoleAssignments@/);
    expect(BICEP).toMatch(/cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'/);
    expect(role).toMatch(/roleDefinitionId:\s*'\$\{cosmos\.id\}\/sqlRoleDefinitions\/\$\{cosmosDataContributorRoleId\}'/);
    expect(role).toMatch(/principalId:\s*identity\.properties\.principalId/);
  });

  it('defaults to uksouth', () => {
    expect(BICEP).toMatch(/^param location string = 'uksouth'/m);
  });
});

describe('infra/main.bicep: web app', () => {
  const site = resourceBody('webApp');

  it('runs Node 22 LTS on Linux, HTTPS only, always on, with the /healthz health check', () => {
    expect(site).toMatch(/linuxFxVersion:\s*'NODE\|22-lts'/);
    expect(site).toMatch(/httpsOnly:\s*true/);
    expect(site).toMatch(/alwaysOn:\s*true/);
    expect(site).toMatch(/healthCheckPath:\s*'\/healthz'/);
    expect(resourceBody('plan')).toMatch(/reserved:\s*true/);
  });

  it('runs as the user-assigned identity', () => {
    expect(site).toMatch(/type:\s*'UserAssigned'/);
    expect(site).toMatch(/'\$\{identity\.id\}':\s*\{\}/);
  });

  it('has the app settings the bot reads, from the identity and resources', () => {
    const s = appSettings();
    expect(s.get('WEBSITE_RUN_FROM_PACKAGE')).toBe("'1'");
    expect(s.get('MicrosoftAppType')).toBe("'UserAssignedMSI'");
    expect(s.get('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(s.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(s.get('MicrosoftAppTenantId')).toBe('tenantId');
    expect(s.get('ALLOWED_TENANTS')).toBe('tenantId');
    expect(s.get('COSMOS_ENDPOINT')).toBe('cosmos.properties.documentEndpoint');
    expect(s.get('COSMOS_DATABASE')).toBe('cosmosDatabaseName');
    expect(s.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe('appInsights.properties.ConnectionString');
    expect(s.get('PROGRAMME_TIMEZONE')).toBe('programmeTimezone');
  });

  it('has no key, password or secret settings and reads no keys', () => {
    const names = [...appSettings().keys()];
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(name).not.toMatch(/key|password|secret/i);
    expect(BICEP).not.toMatch(/listKeys|listConnectionStrings|COSMOS_KEY|MicrosoftAppPassword/);
  });
});

describe('infra/main.bicep: Azure Bot and outputs', () => {
  it('is a UserAssignedMSI bot on the identity, pointing at /api/messages, with the Teams channel', () => {
    const bot = resourceBody('bot');
    expect(bot).toMatch(/^Microsoft\.BotService\/botServices@/);
    expect(bot).toMatch(/msaAppType:\s*'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppId:\s*identity\.properties\.clientId/);
    expect(bot).toMatch(/msaAppMSIResourceId:\s*identity\.id/);
    expect(bot).toMatch(/msaAppTenantId:\s*tenantId/);
    expect(bot).toMatch(/endpoint:\s*'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
    const channel = resourceBody('teamsChannel');
    expect(channel).toMatch(/^Microsoft\.BotService\/botServices\/channels@/);
    expect(channel).toMatch(/channelName:\s*'MsTeamsChannel'/);
  });

  it('has workspace-based Application Insights', () => {
    expect(resourceBody('workspace')).toMatch(/^Microsoft\.OperationalInsights\/workspaces@/);
    expect(resourceBody('appInsights')).toMatch(/WorkspaceResourceId:\s*workspace\.id/);
  });

  it('outputs the host name, bot id, Cosmos endpoint and identity resource id', () => {
    expect(BICEP).toMatch(/^output webAppHostName string = webApp\.properties\.defaultHostName/m);
    expect(BICEP).toMatch(/^output botId string = identity\.properties\.clientId/m);
    expect(BICEP).toMatch(/^output cosmosEndpoint string = cosmos\.properties\.documentEndpoint/m);
    expect(BICEP).toMatch(/^output identityResourceId string = identity\.id/m);
  });
});

describe('infra/main.parameters.json', () => {
  const params = JSON.parse(fs.readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };

  it('only sets parameters main.bicep declares, with the expected defaults', () => {
    for (const name of Object.keys(params.parameters)) {
      expect(BICEP).toMatch(new RegExp(`^param ${name} `, 'm'));
    }
    expect(params.parameters.namePrefix.value).toBe('goldenthread');
    expect(params.parameters.location.value).toBe('uksouth');
    expect(params.parameters.tenantId).toBeDefined();
  });
});
