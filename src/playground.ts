import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from './config';
import type { Logger } from './logger';

export const PLAYGROUND_PORT = 56150;
export const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000aa';

/** The Playground allows exactly five mock users; these fit the product's roles. */
export const MOCK_USERS = [
  { id: '29:1-priya', name: 'Priya Shah', aadObjectId: 'aad-priya', role: 'programme lead', given: 'Priya', surname: 'Shah' },
  { id: '29:1-chris', name: 'Chris Morgan', aadObjectId: 'aad-chris', role: 'chair', given: 'Chris', surname: 'Morgan' },
  { id: '29:1-sam', name: 'Sam Okafor', aadObjectId: 'aad-sam', role: 'LXP', given: 'Sam', surname: 'Okafor' },
  { id: '29:1-alex', name: 'Alex Rivera', aadObjectId: 'aad-alex', role: 'LXP', given: 'Alex', surname: 'Rivera' },
  { id: '29:1-jordan', name: 'Jordan Lee', aadObjectId: 'aad-jordan', role: 'staff', given: 'Jordan', surname: 'Lee' },
] as const;

function user(u: (typeof MOCK_USERS)[number]): string {
  const upn = `${u.given.toLowerCase()}@example.nhs.uk`;
  return [
    `  id: "${u.id}"`,
    `  name: ${u.name}`,
    `  userPrincipleName: ${upn}`,
    `  aadObjectId: ${u.aadObjectId}`,
    `  givenName: ${u.given}`,
    `  surname: ${u.surname}`,
    `  email: ${upn}`,
  ].join('\n');
}

export function playgroundConfigYaml(): string {
  const [current, ...others] = MOCK_USERS;
  return [
    'version: "0.1.1"',
    `tenantId: ${PLAYGROUND_TENANT}`,
    'bot:',
    '  id: 28:golden-thread-bot',
    '  name: Golden Thread',
    'currentUser:',
    user(current),
    'users:',
    ...others.map((u) => user(u).replace(/^ {2}id/, '  - id').replace(/\n {2}/g, '\n    ')),
    'personalChat:',
    '  id: personal-chat-id',
    'groupChat:',
    '  id: group-chat-id',
    '  name: Mental health crisis pathway workstream',
    'team:',
    '  id: team-id',
    '  name: Lived Experience Programme',
    '  aadGroupId: 00000000-0000-0000-0000-0000000000bb',
    '  channels:',
    '    - id: channel-programme',
    '      name: Programme team',
    '',
  ].join('\n');
}

/** The Agents Playground, for local mode only, with telemetry off and no browser launched. */
export async function startPlayground(config: Config, botPort: number, logger: Logger, port = PLAYGROUND_PORT): Promise<{ stop(): void; child: ChildProcess }> {
  const dir = path.resolve(config.dataDir, 'playground');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.m365agentsplayground.yml'), playgroundConfigYaml());
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    cwd: dir,
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => {
    const line = b.toString().trim();
    const m = /https?:\/\/[^\s]+/.exec(line);
    if (m) logger.info(`Agents Playground: open ${m[0]} in your browser (you are ${MOCK_USERS[0].name}, the programme lead).`);
  });
  child.stderr?.on('data', (b: Buffer) => logger.debug({ playground: b.toString().slice(0, 200) }, 'playground'));
  child.on('error', (err) => logger.warn({ err: { message: err.message } }, 'the Agents Playground could not start; the bot still runs'));
  logger.info(`Starting the Agents Playground on http://localhost:${port} (set PLAYGROUND=off to skip it).`);
  return { child, stop: () => child.kill('SIGTERM') };
}
