/*
 * The Agents Playground, left to itself, moves to another port when its own
 * is taken; startPlayground must fail instead, whether the port is taken
 * before it starts or in the moment between its check and the Playground's.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { playgroundConfigYaml, startPlayground, MOCK_USERS, PlaygroundPortTaken } from '../../src/playground';
import { freePort } from './playground-ui';

jest.setTimeout(60_000);

const config = () => loadConfig({ PORT: '0', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gt-port-')), LOG_LEVEL: 'silent' });
const logger = createLogger('silent');

describe('the Playground keeps its port or fails', () => {
  it('gets a config it accepts: the current user and exactly five others (it exits on any other number)', () => {
    const yaml = playgroundConfigYaml();
    const users = yaml.slice(yaml.indexOf('\nusers:'), yaml.indexOf('\npersonalChat:'));
    expect(users.match(/^ {2}- id: /gm)).toHaveLength(5);
    expect(yaml).toContain(`currentUser:\n  id: "${MOCK_USERS[0].id}"`);
  });

  it('refuses to start when the port is already taken on 127.0.0.1', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    try {
      await expect(startPlayground(config(), 3978, logger, port)).rejects.toThrow(PlaygroundPortTaken);
      await expect(startPlayground(config(), 3978, logger, port)).rejects.toThrow(`Port ${port} is taken`);
    } finally {
      holder.close();
    }
  });

  it('stops the Playground when it moved to another port because its own was taken at the last moment', async () => {
    const port = await freePort();
    // hold-port.cjs takes the port inside the Playground process, before it looks: as a program starting at the same moment would.
    const pg = await startPlayground(config(), 3978, logger, port, { preload: [path.join(__dirname, 'hold-port.cjs')], env: { GT_HOLD_PORT: String(port) } });
    const exited = new Promise<number | null>((r) => (pg.child.exitCode !== null ? r(pg.child.exitCode) : pg.child.once('exit', (code) => r(code))));
    await expect(pg.ready).rejects.toThrow(PlaygroundPortTaken);
    await expect(pg.ready).rejects.toThrow(new RegExp(`moved to port \\d+ because ${port} was taken; stopped it`));
    await exited;
    expect(pg.child.exitCode !== null || pg.child.signalCode !== null).toBe(true);
  });
});
