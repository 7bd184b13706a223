import type { BotUnderTest } from './e2e';
import { as, people } from './talk';
import { WORDS, allDocs, meetingWithAlex } from './privacy';
import { MARKDOWN, type Pools } from './fuzz';
import { docProblem } from '../../src/storage/doc-schemas';
import type { ContainerName } from '../../src/storage/containers';

export const GENERIC = /something went wrong/i;
const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

export interface Answer {
  status?: number;
  body?: any;
  /** What the bot sent back in the turn; only known for direct delivery (over HTTP it lands in the stub). */
  replies?: any[];
}

export interface Target {
  bot: BotUnderTest;
  pools: Pools;
  send(activity: any): Promise<Answer>;
}

/** A world to fuzz: the meeting of test/support/privacy.ts, with Sam's contribution withdrawn so cards about it are stale. */
export async function fuzzWorld(bot: BotUnderTest, strangers: string[]): Promise<Pools> {
  const fx = await meetingWithAlex(bot);
  await as(bot, people.sam).act('check_withdraw', { contributionId: fx.sam.id });
  return {
    contributionIds: [fx.sam.id, fx.story.id, fx.anon.id, 'c-unknown', `c-${'f'.repeat(20)}`],
    meetingIds: [fx.meeting.id, 'mt-unknown'],
    workstreamIds: [fx.ws.id, 'ws-unknown'],
    personIds: [...Object.values(people).map((p) => p.aadObjectId), ...strangers, people.sam.id],
    areaIds: [...fx.ws.priorityAreas.map((a) => a.id), 'area-unknown'],
    words: [...Object.values(WORDS), MARKDOWN, 'Yes'],
    commandArgs: ['Crisis pathway', 'Crisis care at night', 'March 2026', 'last quarter', 'since 1 March', '2026', 'Sam', 'Personality disorder', 'help'],
  };
}

/** The real app over HTTP, on the embedded Cosmos store: the path production takes. */
export function overHttp(bot: BotUnderTest, pools: Pools): Target {
  return { bot, pools, send: (activity) => bot.post(activity) };
}

/**
 * The same app, with the activity handed to the adapter as server.ts hands
 * it a parsed request, and what the bot sends back in the turn caught in
 * memory instead of posted to the stub: for volume.
 */
export function direct(bot: BotUnderTest, pools: Pools): Target {
  const adapter = bot.running.bot.adapter;
  return {
    bot,
    pools,
    async send(activity) {
      const out: Answer = { replies: [] };
      const keep = async (a: unknown) => (out.replies!.push(a), { id: `r${out.replies!.length}` });
      const connector = {
        conversations: {
          replyToActivity: (_c: string, _id: string, a: unknown) => keep(a),
          sendToConversation: (_c: string, a: unknown) => keep(a),
          updateActivity: async (_c: string, id: string) => ({ id }),
          deleteActivity: async () => undefined,
        },
      };
      const res = { socket: undefined, header: () => undefined, status: (code: number) => void (out.status = code), send: (body: unknown) => void (out.body = body), end: () => undefined };
      // Through JSON, as Teams delivers it: no undefined fields, no objects without a prototype.
      const body = JSON.parse(JSON.stringify({ ...activity, serviceUrl: bot.stub.url }));
      await adapter.process({ method: 'POST', headers: {}, body }, res, async (context) => {
        context.turnState.set(adapter.ConnectorClientKey, connector);
        await bot.running.bot.handle(context);
      });
      return out;
    },
  };
}

/** What is wrong with the answer to a card action, if anything: it must be a card or a clear message. */
export function invokeProblem(a: Answer): string | undefined {
  if (a.status !== 200) return `status ${a.status}`;
  const b = a.body;
  if (b?.type === CARD && b.value?.type === 'AdaptiveCard') return undefined;
  if (b?.type === MESSAGE && typeof b.value === 'string' && b.value.trim() && !GENERIC.test(b.value)) return undefined;
  return `unclear answer ${JSON.stringify(b).slice(0, 200)}`;
}

/** The same for a typed message: answered in the turn, never with the generic error. */
export function messageProblem(a: Answer): string | undefined {
  if (a.status !== 200) return `status ${a.status}`;
  if (!a.replies) return undefined;
  if (a.replies.length === 0) return 'no answer';
  if (a.replies.some((r) => GENERIC.test(JSON.stringify(r)))) return 'the generic error';
  return undefined;
}

export async function invalidDocuments(bot: BotUnderTest) {
  const docs = await allDocs(bot.running.deps.stores);
  const invalid = docs.map(({ container, doc }) => ({ container, id: doc.id, problem: docProblem(container as ContainerName, doc) })).filter((d) => d.problem);
  return { checked: docs.length, invalid };
}

/** Lines logged at error or fatal: a turn that failed, a job that broke off. */
export const errorLines = (bot: BotUnderTest) => bot.logs.filter((l) => /"level":(50|60)/.test(l));
