import type { ChildProcess } from 'node:child_process';
import { spawnBot } from '../support/bot-process';
import { localData, tempDataDir } from '../support/e2e';
import { ConnectorStub } from '../harness/connector-stub';
import { actionExecute, personalMessage, people, TENANT_ID } from '../harness/activities';

/*
 * The real process, as `npm start` runs it: what a deployment or a developer
 * pressing Ctrl+C relies on is that SIGTERM ends with exit code 0 and local
 * data in DATA_DIR, ready for the next start.
 */

const STARTUP_BUDGET_MS = 20_000;

interface Bot {
  child: ChildProcess;
  url: string;
  startupMs: number;
  output: string[];
}

const started: ChildProcess[] = [];

async function startProcess(dataDir: string): Promise<Bot> {
  const begin = Date.now();
  const { child, url, output } = await spawnBot(dataDir, {}, started);
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() - begin > STARTUP_BUDGET_MS * 2) throw new Error(`no /healthz answer:\n${output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url, startupMs: Date.now() - begin, output };
}

async function stopProcess(bot: Bot): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    bot.child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  bot.child.kill('SIGTERM');
  return exited;
}

/** Presses "Start a programme" in the personal chat (the answer comes back in the HTTP response). */
async function claim(bot: Bot, stub: ConnectorStub, from: (typeof people)[keyof typeof people]) {
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(actionExecute({ verb: 'programme_claim', data: { name: `${from.name}'s programme` }, from, conversationType: 'personal', serviceUrl: stub.url })),
  });
  expect(res.status).toBe(200);
}

async function say(bot: Bot, stub: ConnectorStub, from: (typeof people)[keyof typeof people], text: string) {
  const before = stub.sentActivities().length;
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personalMessage({ text, from, serviceUrl: stub.url })),
  });
  expect(res.status).toBe(200);
  await stub.waitFor(() => stub.sentActivities().length > before);
}

const snapshotPeople = async (dataDir: string): Promise<string[]> => {
  const { people: stored = [] } = (await localData(dataDir)) as { people?: Array<{ id: string; tenantId: string; type: string }> };
  return stored.filter((p) => p.tenantId === TENANT_ID && p.type === 'person').map((p) => p.id).sort();
};

describe('the bot process', () => {
  let stub: ConnectorStub;
  beforeAll(async () => {
    stub = await ConnectorStub.start();
  });
  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stub.close();
  });

  it('starts quickly, stops cleanly on SIGTERM and keeps its local data across a restart', async () => {
    const dataDir = tempDataDir();

    const first = await startProcess(dataDir);
    console.log(`Golden Thread answered /healthz ${first.startupMs} ms after spawn (cold start)`);
    expect(first.startupMs).toBeLessThan(STARTUP_BUDGET_MS);
    // A person record is kept by a programme (issue 18): Sam starts one.
    await claim(first, stub, people.sam);
    await say(first, stub, people.sam, 'help');
    expect(await stopProcess(first)).toEqual({ code: 0, signal: null });
    expect(first.output.join('\n')).toContain('stopped; local data saved');
    expect(await snapshotPeople(dataDir)).toEqual([people.sam.aadObjectId]);

    const second = await startProcess(dataDir);
    console.log(`Golden Thread answered /healthz ${second.startupMs} ms after spawn (restart with data)`);
    expect(second.startupMs).toBeLessThan(STARTUP_BUDGET_MS);
    await claim(second, stub, people.alex);
    await say(second, stub, people.alex, 'help');
    expect(await stopProcess(second)).toEqual({ code: 0, signal: null });
    // Sam is only in this snapshot if the second run restored the first run's data.
    expect(await snapshotPeople(dataDir)).toEqual([people.alex.aadObjectId, people.sam.aadObjectId].sort());
  }, 120_000);
});
