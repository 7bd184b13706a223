/**
 * The Teams app package: manifest template, icons and the zip the packager
 * writes. Validation is offline, against the schema bundled in
 * @microsoft/app-manifest; `fetch` is replaced with a function that fails the
 * test, so any attempt to download a schema is caught.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import {
  buildAppPackage,
  bundledSchemaPath,
  fillManifest,
  placeholderValuesFromEnv,
  validateManifestOffline,
  PackageConfigError,
} from '../../scripts/package-app';
import { renderColourIcon, renderOutlineIcon } from '../../scripts/make-icons';

// @microsoft/app-manifest require()s strip-bom 5, which is ESM only. Node 20
// loads it (require(esm)); Jest's CommonJS runtime cannot. The library uses it
// only to strip a byte-order mark when reading manifest files from disk, which
// these tests never ask it to do, so a CommonJS stand-in is enough here.
jest.mock('../../node_modules/@microsoft/app-manifest/node_modules/strip-bom', () => ({
  __esModule: true,
  default: (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
}));

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');
const TEMPLATE = fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');

const BOT_ID = '8c2f5b1e-4d3a-4f6b-9a7c-1e2d3f4a5b6c';
const TEAMS_APP_ID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
const BOT_DOMAIN = 'goldenthread-app.azurewebsites.net';

import { COMMANDS } from '../../src/app/routes';

const PERSONAL_COMMANDS = [
  'help', 'setup', 'log', 'my contributions', 'my claims', 'overdue', 'report', 'export', 'preferences', 'my data', 'forget me', 'attendance',
];
const GROUP_COMMANDS = ['help', 'log', 'end meeting', 'report', 'overdue', 'link'];

const MEETING_RSC = [
  'OnlineMeeting.ReadBasic.Chat',
  'OnlineMeetingParticipant.Read.Chat',
  // Suggested contributions from the meeting transcript (issue 24): scheduled private-chat meetings only.
  'OnlineMeetingTranscript.Read.Chat',
  'ChannelMeeting.ReadBasic.Group',
  'ChannelMeetingParticipant.Read.Group',
];

interface Command { title: string; description: string }
interface CommandList { scopes: string[]; commands: Command[] }
interface Bot { botId: string; scopes: string[]; supportsFiles?: boolean; commandLists: CommandList[] }

type Json = Record<string, unknown>;

const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = (async (input: unknown) => {
    throw new Error(`test tried to download ${String(input)}; manifest validation must be offline`);
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

function filledTemplate(): Json {
  return fillManifest(TEMPLATE, { BOT_ID, TEAMS_APP_ID, BOT_DOMAIN });
}

function commandListFor(manifest: Json, scope: string): CommandList {
  const bot = (manifest.bots as Bot[])[0];
  const lists = bot.commandLists.filter((l) => l.scopes.includes(scope));
  expect(lists).toHaveLength(1);
  return lists[0];
}

describe('manifest template', () => {
  const template = JSON.parse(TEMPLATE) as Json;

  it('is on schema 1.19 or later, at the official URL, and that schema is bundled offline', () => {
    const version = template.manifestVersion as string;
    const [major, minor] = version.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(19);
    expect(template.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    expect(fs.existsSync(bundledSchemaPath(version))).toBe(true);
  });

  it('uses exactly the BOT_ID, TEAMS_APP_ID and BOT_DOMAIN placeholders', () => {
    const names = new Set([...TEMPLATE.matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]));
    expect([...names].sort()).toEqual(['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
    expect(template.id).toBe('${{TEAMS_APP_ID}}');
    expect((template.bots as Bot[])[0].botId).toBe('${{BOT_ID}}');
    expect(template.validDomains).toContain('${{BOT_DOMAIN}}');
  });

  it('validates offline against the bundled schema once the placeholders are filled', async () => {
    await expect(validateManifestOffline(filledTemplate())).resolves.toEqual([]);
  });

  it('the offline validator does reject a broken manifest', async () => {
    const broken = filledTemplate();
    (broken.name as Json).short = 'x'.repeat(31);
    delete broken.icons;
    const errors = await validateManifestOffline(broken);
    expect(errors.join('\n')).toMatch(/\/name\/short/);
    expect(errors.join('\n')).toMatch(/icons/);
  });

  it('has plain names, developer URLs on the bot domain, and the bot domain in validDomains', () => {
    const m = filledTemplate();
    expect(m.name).toEqual({ short: 'Golden Thread', full: 'Golden Thread: you said, we did' });
    expect(m.developer).toMatchObject({
      websiteUrl: `https://${BOT_DOMAIN}`,
      privacyUrl: `https://${BOT_DOMAIN}/privacy`,
      termsOfUseUrl: `https://${BOT_DOMAIN}/terms`,
    });
    expect(m.validDomains).toEqual([BOT_DOMAIN]);
  });

  it('is a bot in personal, team and group chat scopes that handles files', () => {
    const bots = filledTemplate().bots as Bot[];
    expect(bots).toHaveLength(1);
    expect([...bots[0].scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bots[0].botId).toBe(BOT_ID);
    expect(bots[0].supportsFiles).toBe(true);
  });

  it('lists only commands the bot really answers', () => {
    for (const title of new Set([...PERSONAL_COMMANDS, ...GROUP_COMMANDS])) {
      expect(COMMANDS.some(([pattern]) => pattern.test(title))).toBe(true);
    }
  });

  it('lists the commands the bot has, each with a description, per scope', () => {
    const m = filledTemplate();
    expect(commandListFor(m, 'personal').commands.map((c) => c.title)).toEqual(PERSONAL_COMMANDS);
    expect(commandListFor(m, 'team').commands.map((c) => c.title)).toEqual(GROUP_COMMANDS);
    expect(commandListFor(m, 'groupChat').commands.map((c) => c.title)).toEqual(GROUP_COMMANDS);
    for (const list of (m.bots as Bot[])[0].commandLists) {
      for (const c of list.commands) {
        expect(c.description.length).toBeGreaterThan(10);
        expect(c.description).toMatch(/^[A-Z].*\.$/);
      }
    }
  });

  it('asks for the meeting RSC permissions as application permissions, with webApplicationInfo', () => {
    const m = filledTemplate();
    const rsc = ((m.authorization as Json).permissions as Json).resourceSpecific as Array<{ name: string; type: string }>;
    expect(rsc.map((p) => p.name).sort()).toEqual([...MEETING_RSC].sort());
    for (const p of rsc) expect(p.type).toBe('Application');
    expect(m.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://${BOT_DOMAIN}/botid-${BOT_ID}` });
  });
});

describe('tabs', () => {
  it('a personal tab and a channel tab, both on the bot domain, signed in through webApplicationInfo', () => {
    const m = filledTemplate();
    expect(m.staticTabs).toEqual([{ entityId: 'board', name: 'You said, we did', contentUrl: `https://${BOT_DOMAIN}/tab`, scopes: ['personal'] }]);
    const [channel] = m.configurableTabs as Json[];
    expect(channel).toMatchObject({ configurationUrl: `https://${BOT_DOMAIN}/tab/configure`, scopes: ['team'], context: ['channelTab'] });
    expect((m.webApplicationInfo as Json).resource).toBe(`api://${BOT_DOMAIN}/botid-${BOT_ID}`);
  });
});

describe('icons', () => {
  const colour = PNG.sync.read(fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')));
  const outline = PNG.sync.read(fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')));

  it('colour icon is 192x192 and in colour', () => {
    expect([colour.width, colour.height]).toEqual([192, 192]);
    let coloured = 0;
    for (let i = 0; i < colour.data.length; i += 4) {
      const [r, g, b] = [colour.data[i], colour.data[i + 1], colour.data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
    }
    expect(coloured).toBeGreaterThan((192 * 192) / 2);
  });

  it('outline icon is 32x32, only white or fully transparent, and has transparency', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaqueWhite = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) {
        transparent++;
        continue;
      }
      expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaqueWhite++;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(opaqueWhite).toBeGreaterThan(20);
  });

  it('the committed PNGs are what scripts/make-icons.ts draws', () => {
    expect(Buffer.compare(renderColourIcon().data, colour.data)).toBe(0);
    expect(Buffer.compare(renderOutlineIcon().data, outline.data)).toBe(0);
  });
});

describe('app package', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-package-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a zip whose manifest is filled, valid and lists the commands', async () => {
    const outPath = path.join(dir, 'appPackage.zip');
    await buildAppPackage({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID, BOT_DOMAIN }, outPath);

    const zip = await JSZip.loadAsync(fs.readFileSync(outPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toMatch(/\$\{\{/);
    const manifest = JSON.parse(text) as Json;
    await expect(validateManifestOffline(manifest)).resolves.toEqual([]);
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect((manifest.bots as Bot[])[0].botId).toBe(BOT_ID);
    expect(commandListFor(manifest, 'personal').commands.map((c) => c.title)).toEqual(PERSONAL_COMMANDS);
    expect(commandListFor(manifest, 'groupChat').commands.map((c) => c.title)).toEqual(GROUP_COMMANDS);

    const zippedOutline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([zippedOutline.width, zippedOutline.height]).toEqual([32, 32]);
  });

  it('uses MicrosoftAppId as the Teams app id when TEAMS_APP_ID is not set, and accepts https:// on the domain', async () => {
    const outPath = path.join(dir, 'nested', 'appPackage.zip');
    const built = await buildAppPackage({ MicrosoftAppId: BOT_ID, BOT_DOMAIN: `https://${BOT_DOMAIN}/` }, outPath);
    expect(fs.existsSync(outPath)).toBe(true);
    expect(built.manifest.id).toBe(BOT_ID);
    expect(built.manifest.validDomains).toEqual([BOT_DOMAIN]);
  });

  it('refuses with a message naming each missing variable', async () => {
    const outPath = path.join(dir, 'appPackage.zip');
    await expect(buildAppPackage({}, outPath)).rejects.toThrow(PackageConfigError);
    try {
      placeholderValuesFromEnv({ MicrosoftAppId: '  ' });
      throw new Error('expected a PackageConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(PackageConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/MicrosoftAppId/);
      expect(message).toMatch(/BOT_DOMAIN/);
    }
    expect(() => placeholderValuesFromEnv({ MicrosoftAppId: BOT_ID })).toThrow(/BOT_DOMAIN/);
    expect(() => placeholderValuesFromEnv({ BOT_DOMAIN })).toThrow(/MicrosoftAppId/);
    expect(fs.existsSync(outPath)).toBe(false);
  });

  it('refuses malformed values', () => {
    expect(() => placeholderValuesFromEnv({ MicrosoftAppId: 'not-a-guid', BOT_DOMAIN })).toThrow(/MicrosoftAppId must be a GUID/);
    expect(() => placeholderValuesFromEnv({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: 'x', BOT_DOMAIN })).toThrow(/TEAMS_APP_ID must be a GUID/);
    expect(() => placeholderValuesFromEnv({ MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'example.com/bot' })).toThrow(/BOT_DOMAIN must be a host name/);
  });
});
