/**
 * Builds the Teams app package (`build/appPackage.zip`) from `manifest/`.
 *
 *   MicrosoftAppId=<bot client id> BOT_DOMAIN=<app>.azurewebsites.net npm run package
 *
 * The manifest template's placeholders are filled from the environment:
 *
 * | placeholder        | environment variable                          |
 * | ------------------ | --------------------------------------------- |
 * | `${{BOT_ID}}`       | `MicrosoftAppId` (the bot's client id)        |
 * | `${{TEAMS_APP_ID}}` | `TEAMS_APP_ID`, default: same as MicrosoftAppId |
 * | `${{BOT_DOMAIN}}`   | `BOT_DOMAIN` (host name, no https://)          |
 *
 * The filled manifest is validated offline against the JSON schema bundled in
 * `@microsoft/app-manifest` before the zip is written; nothing is downloaded.
 */
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import * as dotenv from 'dotenv';
import { AppManifestUtils } from '@microsoft/app-manifest';

export const MANIFEST_DIR = path.resolve(__dirname, '..', 'manifest');
export const DEFAULT_OUT = path.resolve(__dirname, '..', 'build', 'appPackage.zip');

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HOST = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*(:\d{1,5})?$/;

export type PackageEnv = Readonly<Record<string, string | undefined>>;

export interface PlaceholderValues {
  BOT_ID: string;
  TEAMS_APP_ID: string;
  BOT_DOMAIN: string;
}

/** Thrown when the environment cannot fill the manifest; the message says what to set. */
export class PackageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageConfigError';
  }
}

function clean(value: string | undefined): string {
  return (value ?? '').trim();
}

/**
 * Reads the placeholder values from the environment. Collects every problem
 * (each missing variable by name, malformed ids, a domain with a path) and
 * throws one error listing them all.
 */
export function placeholderValuesFromEnv(env: PackageEnv): PlaceholderValues {
  const botId = clean(env.MicrosoftAppId);
  const teamsAppId = clean(env.TEAMS_APP_ID) || botId;
  // Accept "https://host/" as a convenience; the manifest wants the bare host.
  const botDomain = clean(env.BOT_DOMAIN).replace(/^https?:\/\//i, '').replace(/\/+$/, '');

  const missing: string[] = [];
  if (!botId) missing.push('MicrosoftAppId (the bot\'s Microsoft Entra client id; after deploying infra/main.bicep it is the "botId" output)');
  if (!botDomain) missing.push('BOT_DOMAIN (the web app host name, e.g. goldenthread-app.azurewebsites.net; the "webAppHostName" output)');

  const problems: string[] = [];
  if (missing.length > 0) {
    problems.push(`Missing environment variable${missing.length > 1 ? 's' : ''}:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  }
  if (botId && !GUID.test(botId)) problems.push(`MicrosoftAppId must be a GUID, got "${botId}".`);
  if (clean(env.TEAMS_APP_ID) && !GUID.test(teamsAppId)) problems.push(`TEAMS_APP_ID must be a GUID, got "${teamsAppId}".`);
  if (botDomain && !HOST.test(botDomain)) {
    problems.push(`BOT_DOMAIN must be a host name such as goldenthread-app.azurewebsites.net (no path), got "${clean(env.BOT_DOMAIN)}".`);
  }
  if (problems.length > 0) {
    throw new PackageConfigError(`Cannot build the Teams app package.\n${problems.join('\n')}`);
  }
  return { BOT_ID: botId, TEAMS_APP_ID: teamsAppId, BOT_DOMAIN: botDomain };
}

/** Replaces every `${{NAME}}` in the template; refuses if any is left unfilled. */
export function fillManifest(template: string, values: PlaceholderValues): Record<string, unknown> {
  const lookup = values as unknown as Record<string, string>;
  const unknown = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = lookup[name];
    if (value === undefined) {
      unknown.add(name);
      return whole;
    }
    // Values go inside JSON strings; escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
  if (unknown.size > 0) {
    throw new PackageConfigError(`The manifest template uses placeholders the packager does not know: ${[...unknown].join(', ')}.`);
  }
  return JSON.parse(filled) as Record<string, unknown>;
}

/**
 * Path of the schema bundled with `@microsoft/app-manifest` for a Teams
 * manifest version ("1.24" -> .../json-schemas/teams/v1.24/MicrosoftTeams.schema.json).
 */
export function bundledSchemaPath(manifestVersion: string): string {
  const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(pkgDir, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

type ValidateArgs = Parameters<typeof AppManifestUtils.validateAgainstSchema>;

/**
 * Validates a Teams manifest against the schema bundled in
 * `@microsoft/app-manifest`, never over the network: the schema is read from
 * disk and handed to the library, so it has nothing to fetch. Returns the list
 * of schema errors (empty when valid).
 */
export async function validateManifestOffline(manifest: Record<string, unknown>): Promise<string[]> {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['/manifestVersion is missing'];
  const schemaFile = bundledSchemaPath(version);
  if (!fs.existsSync(schemaFile)) {
    throw new Error(`No bundled schema for manifest version ${version} in @microsoft/app-manifest (looked for ${schemaFile}).`);
  }
  // Same clean-up the library applies to schema text it loads itself.
  const raw = fs.readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(raw) as ValidateArgs[1];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as ValidateArgs[0], schema);
}

export interface BuiltPackage {
  outPath: string;
  manifest: Record<string, unknown>;
  files: string[];
}

/**
 * Fills the manifest from `env`, validates it offline and writes a zip with
 * `manifest.json`, `color.png` and `outline.png` at its root to `outPath`.
 */
export async function buildAppPackage(env: PackageEnv, outPath: string = DEFAULT_OUT, manifestDir: string = MANIFEST_DIR): Promise<BuiltPackage> {
  const values = placeholderValuesFromEnv(env);
  const template = fs.readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8');
  const manifest = fillManifest(template, values);

  const errors = await validateManifestOffline(manifest);
  if (errors.length > 0) {
    throw new PackageConfigError(`The filled manifest does not match its schema:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }

  const icons = manifest.icons as { color: string; outline: string };
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of [icons.color, icons.outline]) {
    const iconPath = path.join(manifestDir, icon);
    if (!fs.existsSync(iconPath)) {
      throw new PackageConfigError(`Icon ${icon} is missing from ${manifestDir}; run "npx ts-node scripts/make-icons.ts".`);
    }
    zip.file(icon, fs.readFileSync(iconPath));
  }
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, buffer);
  return { outPath, manifest, files: ['manifest.json', icons.color, icons.outline] };
}

async function main(): Promise<void> {
  // A local .env is a convenience; real environment variables win.
  dotenv.config();
  const outPath = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT;
  try {
    const built = await buildAppPackage(process.env, outPath);
    const bots = built.manifest.bots as Array<{ botId: string }>;
    console.log(`Wrote ${path.relative(process.cwd(), built.outPath)} for bot ${bots[0]?.botId} (${built.files.join(', ')}).`);
    console.log('Upload it in the Teams admin centre (Teams apps > Manage apps > Upload new app) or the Developer Portal.');
  } catch (err) {
    if (err instanceof PackageConfigError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

if (require.main === module) {
  void main();
}
