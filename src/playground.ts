import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import type { Config } from './config';
import type { Logger } from './logger';

export const PLAYGROUND_PORT = 56150;
export const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000aa';

/**
 * The Playground's mock users, in the product's roles: the current user plus
 * exactly five others (its config schema refuses any other number under `users`).
 */
export const MOCK_USERS = [
  { id: '29:1-priya', name: 'Priya Shah', aadObjectId: 'aad-priya', role: 'programme lead', given: 'Priya', surname: 'Shah' },
  { id: '29:1-chris', name: 'Chris Morgan', aadObjectId: 'aad-chris', role: 'chair', given: 'Chris', surname: 'Morgan' },
  { id: '29:1-sam', name: 'Sam Okafor', aadObjectId: 'aad-sam', role: 'LXP', given: 'Sam', surname: 'Okafor' },
  { id: '29:1-alex', name: 'Alex Rivera', aadObjectId: 'aad-alex', role: 'LXP', given: 'Alex', surname: 'Rivera' },
  { id: '29:1-jordan', name: 'Jordan Lee', aadObjectId: 'aad-jordan', role: 'staff', given: 'Jordan', surname: 'Lee' },
  { id: '29:1-dana', name: 'Dana Whitfield', aadObjectId: 'aad-dana', role: 'chair', given: 'Dana', surname: 'Whitfield' },
] as const;

/** The Playground's chats, as written into its config: the ids it puts on the activities it sends. */
export const PLAYGROUND_CHATS = { personal: 'personal-chat-id', group: 'group-chat-id', team: 'team-id' } as const;

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
    `  id: ${PLAYGROUND_CHATS.personal}`,
    'groupChat:',
    `  id: ${PLAYGROUND_CHATS.group}`,
    '  name: Mental health crisis pathway workstream',
    'team:',
    `  id: ${PLAYGROUND_CHATS.team}`,
    '  name: Lived Experience Programme',
    '  aadGroupId: 00000000-0000-0000-0000-0000000000bb',
    '  channels:',
    '    - id: channel-programme',
    '      name: Programme team',
    '',
  ].join('\n');
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

export class PlaygroundPortTaken extends Error {}

/** Resolves once the Playground answers HTTP; rejects if it exits first. */
async function servedBy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300 && child.exitCode === null && child.signalCode === null; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok && child.exitCode === null) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not served');
}

/** The Playground's own error lines, for a message that says why it stopped. */
function errorsIn(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('error '));
    return lines.length ? ` ${lines.slice(0, 3).map((l) => l.slice(6)).join(' ')}` : '';
  } catch {
    return '';
  }
}

export interface PlaygroundOptions {
  /** Extra modules to preload into the Playground process (tests use one to record outgoing connections). */
  preload?: string[];
  /** Extra environment for the Playground process. */
  env?: Record<string, string>;
}

/**
 * The Agents Playground, for local mode only: telemetry off, no browser
 * launched, bound to loopback, and on exactly the port asked for (left to
 * itself it silently moves to another port when 56150 is taken).
 */
export async function startPlayground(config: Config, botPort: number, logger: Logger, port = PLAYGROUND_PORT, opts: PlaygroundOptions = {}): Promise<{ stop(): void; child: ChildProcess; url: string; ready: Promise<string> }> {
  if (!(await portIsFree(port, '127.0.0.1')) || !(await portIsFree(port, '0.0.0.0'))) {
    throw new PlaygroundPortTaken(`Port ${port} is taken, so the Agents Playground cannot start there. Stop whatever uses it, or set PLAYGROUND=off.`);
  }
  const dir = path.resolve(config.dataDir, 'playground');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.m365agentsplayground.yml'), playgroundConfigYaml());
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const logFile = path.join(dir, 'playground.log');
  rmSync(logFile, { force: true });
  const preload = [path.join(__dirname, 'playground-loopback.cjs'), ...(opts.preload ?? [])].flatMap((p) => ['-r', p]);
  const child = spawn(process.execPath, [...preload, cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--service-url', `http://127.0.0.1:${port}/_connector`, '--disable-telemetry'], {
    cwd: dir,
    // Its console goes only to this file when it has no terminal; read back when it fails.
    env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: logFile, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      const m = /Listening on (\d+)/.exec(b.toString());
      if (!m) return;
      if (Number(m[1]) !== port) {
        child.kill('SIGTERM');
        reject(new PlaygroundPortTaken(`The Agents Playground moved to port ${m[1]} because ${port} was taken; stopped it.`));
        return;
      }
      // It prints this before reading its config, and exits if the config is refused: ready once it serves.
      void servedBy(url, child).then(
        () => {
          logger.info(`Agents Playground is ready: open ${url} in your browser. You are ${MOCK_USERS[0].name}, the programme lead; the other mock users (${MOCK_USERS.slice(1).map((u) => u.given).join(', ')}) are in its group chat.`);
          resolve(url);
        },
        () => undefined,
      );
    });
    child.on('exit', (code) => reject(new Error(`The Agents Playground stopped (exit ${code}).${errorsIn(logFile)}`)));
  });
  ready.catch((err: Error) => logger.warn(err.message));
  child.stderr?.on('data', (b: Buffer) => logger.debug({ playground: b.toString().slice(0, 200) }, 'playground'));
  child.on('error', (err) => logger.warn({ err: { message: err.message } }, 'the Agents Playground could not start; the bot still runs'));
  logger.info(`Starting the Agents Playground on http://localhost:${port} (set PLAYGROUND=off to skip it).`);
  return { child, url, ready, stop: () => child.kill('SIGTERM') };
}
