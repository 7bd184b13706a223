import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

const ROOT = path.join(__dirname, '..', '..');

export interface BotProcess {
  child: ChildProcess;
  url: string;
  /** Every line it wrote, stdout and stderr, for a failure message. */
  output: string[];
}

/**
 * The real bot as `npm start` runs it (local mode, PORT=0 so the OS chooses), on `dataDir`. Resolves once its
 * "listening" log line names the port. Mode variables are empty rather than absent: dotenv never overrides a
 * variable that exists, so a developer's .env cannot switch modes here.
 */
export async function spawnBot(dataDir: string, env: Record<string, string> = {}, started?: ChildProcess[]): Promise<BotProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      PLAYGROUND: 'off',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      COSMOS_ENDPOINT: '',
      COSMOS_KEY: '',
      ALLOWED_TENANTS: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started?.push(child);
  const output: string[] = [];
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /"port":(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, output };
}
