import type { QuestionsModel } from '../../src/teams/questions';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { buildApp, type Running } from '../../src/app-factory';
import { ConnectorStub } from '../harness/connector-stub';
import type { Clock, TranscriptSource } from '../../src/domain/ports';
import type { Logger } from '../../src/logger';
import type { OpenStore } from '../../src/storage/cosmos/open-store';
import { forgetKnownRefs } from '../../src/teams/conversation-refs';
import { readLocalData } from '../../src/storage/cosmos/local-data';
import { CONTAINERS, type ContainerName } from '../../src/storage/containers';

export interface BotUnderTest {
  url: string;
  stub: ConnectorStub;
  running: Running;
  config: Config;
  logs: string[];
  /** POSTs an activity (serviceUrl pointed at the stub) and returns the HTTP status and body. */
  post(activity: any, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gt-data-'));
}

export async function startBot(
  env: Record<string, string> = {},
  opts: { stub?: ConnectorStub; clock?: Clock; questionsModel?: QuestionsModel; store?: OpenStore; transcripts?: (logger: Logger) => TranscriptSource } = {},
): Promise<BotUnderTest> {
  forgetKnownRefs();
  const stub = opts.stub ?? (await ConnectorStub.start());
  const config = loadConfig({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: tempDataDir(), LOG_LEVEL: 'debug', ...env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const running = await buildApp(config, logger, { clock: opts.clock, questionsModel: opts.questionsModel, store: opts.store, transcripts: opts.transcripts });
  await new Promise<void>((resolve) => running.app.server.listen(0, '127.0.0.1', resolve));
  const { port } = running.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stub,
    running,
    config,
    logs,
    post: (activity, headers = {}) => postActivity(url, stub, activity, headers),
    async close() {
      running.app.server.close();
      await running.store.close();
      if (!opts.stub) await stub.close();
    },
  };
}

/** POSTs an activity as Teams would (serviceUrl pointed at the stub, unless the test chose one) and returns the HTTP status and body. */
export async function postActivity(url: string, stub: ConnectorStub, activity: any, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const body = { ...activity, serviceUrl: activity.serviceUrl && !activity.serviceUrl.includes('127.0.0.1:1/') ? activity.serviceUrl : stub.url };
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Every TextBlock/TextRun/FactSet text in a card, flattened, to assert on what a person would read. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.text === 'string') out.push(n.text);
    if (typeof n.title === 'string') out.push(n.title);
    if (typeof n.value === 'string' && n.type !== 'Input.Text') out.push(n.value);
    if (typeof n.label === 'string') out.push(n.label);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** What DATA_DIR holds, by container name (people, jobs...) rather than by the containers' ids, read without starting a store. */
export async function localData(dataDir: string): Promise<Partial<Record<ContainerName, Record<string, any>[]>>> {
  const byId = await readLocalData(dataDir);
  return Object.fromEntries((Object.keys(CONTAINERS) as ContainerName[]).map((name) => [name, byId[CONTAINERS[name].id] ?? []]));
}
