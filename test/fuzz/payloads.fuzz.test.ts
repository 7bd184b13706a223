import fc, { type Arbitrary } from 'fast-check';
import { startBot, type BotUnderTest } from '../support/e2e';
import { startMemoryBot } from '../support/memory-bot';
import { people } from '../support/talk';
import { MEETING_CHAT_ID, TENANT_ID } from '../support/scenario';
import { commandArb, invokeActivity, messageActivity, payloadArb, pool, type Pools, type Sender, type Where } from '../support/fuzz';
import { GENERIC, direct, errorLines, fuzzWorld, invalidDocuments, invokeProblem, messageProblem, overHttp, type Answer, type Target } from '../support/fuzz-run';
import { PAYLOADS, type Verb } from '../../src/app/payloads';
import { forgetKnownRefs } from '../../src/teams/conversation-refs';
import { COMMANDS } from '../../src/app/routes';

/**
 * At least RUNS generated payloads per card verb (PAYLOADS) and per typed
 * command (COMMANDS), from the programme lead, a chair, LXPs, staff, a
 * stranger and people of another tenant, in personal, meeting and unknown
 * chats. The first OVER_HTTP of each go over HTTP to the app on the embedded
 * Cosmos store (ids the store cannot hold, real queries); the rest go
 * straight into the adapter of the same app on in-memory collections, for
 * volume. Every one must get a clear answer; nothing may crash, reject
 * unhandled, or leave a stored document that fails its schema.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const OVER_HTTP = Math.min(10, RUNS);
const SEED = Number(process.env.FUZZ_SEED ?? 20260309);
const OTHER_TENANT = '00000000-0000-0000-0000-0000000000bb';
const CHATS = { meeting: MEETING_CHAT_ID, other: '19:some-other-chat@thread.v2' };

const stranger = { id: '29:1-stranger', name: 'Stranger Danger', aadObjectId: 'aad-stranger' };
const outsider = { id: '29:1-bob', name: 'Bob Other', aadObjectId: 'aad-bob' };
const SENDERS: Sender[] = [
  ...[people.priya, people.chris, people.sam, people.alex, people.jordan, stranger].map((from) => ({ from, tenantId: TENANT_ID })),
  { from: outsider, tenantId: OTHER_TENANT },
  { from: people.sam, tenantId: OTHER_TENANT }, // the same person id, claimed from another tenant
];
const who = fc.tuple(fc.constantFrom(...SENDERS), fc.constantFrom<Where>('personal', 'personal', 'meeting', 'otherChat'));

interface Tally {
  name: string;
  sent: number;
  cards: number;
  messages: number;
  problems: string[];
  ms: number;
}

interface Subject<T> {
  name: string;
  arb: (pools: Pools) => Arbitrary<T>;
  activity: (value: T, sender: Sender, where: Where) => any;
  judge: (a: Answer) => string | undefined;
}

describe('fuzz: every card verb and typed command', () => {
  let real: BotUnderTest;
  let fast: BotUnderTest;
  let unhandled = 0;
  const onUnhandled = () => void unhandled++;
  const overHttpMessages = new Map<string, Tally>();

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    // Replies sent 1:1 from shared chats go through the Teams rate limiter; at fuzz volume its waits would be most of the run.
    const rates = { TEAMS_SEND_RATE: '10000', TEAMS_TENANT_RATE: '10000' };
    [real, fast] = await Promise.all([startBot({ LOG_LEVEL: 'info', ...rates }), startMemoryBot(rates)]);
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    // fetch keeps sockets to the bots alive; closing them lets the process exit straight away.
    for (const b of [real, fast]) (b?.running.app.server as unknown as { server?: { closeAllConnections?(): void } })?.server?.closeAllConnections?.();
    await Promise.all([real?.close(), fast?.close()]);
  });

  /** Sends `count` generated cases of one subject to one target, adding to its tally. */
  async function fuzz<T>(subject: Subject<T>, target: Target, count: number, seed: number, t: Tally): Promise<void> {
    const started = Date.now();
    const cases = fc.sample(fc.tuple(subject.arb(target.pools), who), { numRuns: count, seed });
    await pool(cases, 4, async ([value, [sender, where]]) => {
      const activity = subject.activity(value, sender, where);
      if (target.bot === real && activity.type === 'message') overHttpMessages.set(activity.id, t);
      const answer = await target.send(activity);
      t.sent++;
      const problem = subject.judge(answer);
      if (problem) t.problems.push(`${problem} for ${JSON.stringify(value)?.slice(0, 200)} from ${sender.from.name}/${sender.tenantId.slice(-2)}/${where}`);
      else if (answer.body?.value?.type === 'AdaptiveCard' || answer.replies?.some((r) => r?.attachments?.length)) t.cards++;
      else t.messages++;
    });
    t.ms += Date.now() - started;
  }

  it(`answers ${RUNS} generated payloads per card verb and per typed command clearly, and stores only valid documents`, async () => {
    const started = Date.now();
    const verbs = (Object.keys(PAYLOADS) as Verb[]).map<Subject<unknown>>((verb) => ({
      name: verb,
      arb: (p) => payloadArb(verb, PAYLOADS[verb], p),
      activity: (data, s, w) => invokeActivity(verb, data, s, w, CHATS),
      judge: invokeProblem,
    }));
    const commands = COMMANDS.map(([pattern]) => pattern.source.replace(/^\^/, '').replace(/\\b$/, '')).map<Subject<string>>((command) => ({
      name: command,
      arb: (p) => commandArb(command, p),
      activity: (text, s, w) => messageActivity(text, s, w, CHATS),
      judge: messageProblem,
    }));
    const subjects: Subject<any>[] = [...verbs, ...commands];
    const tallies: Tally[] = subjects.map((x) => ({ name: x.name, sent: 0, cards: 0, messages: 0, problems: [], ms: 0 }));
    const strangers = [stranger.aadObjectId, outsider.aadObjectId];
    const phases: string[] = [];
    // One bot after the other: the Teams layer keeps a process-wide note of whom it has saved, which two stores cannot share.
    for (const [bot, count, deliver] of [[real, OVER_HTTP, overHttp], [fast, RUNS - OVER_HTTP, direct]] as const) {
      forgetKnownRefs();
      const target = deliver(bot, await fuzzWorld(bot, strangers));
      const phase = Date.now();
      await pool(subjects, 4, (subject, i) => fuzz(subject, target, count, SEED + 10 * i + (bot === real ? 0 : 1), tallies[i]));
      phases.push(`${bot === real ? 'over HTTP' : 'direct'} ${((Date.now() - phase) / 1000).toFixed(1)} s`);
    }

    // Over HTTP the bot's answer to a typed message goes to the connector stub, as a reply to that message.
    const answered = new Map<string, string>();
    for (const call of real.stub.calls) if (call.kind === 'reply' && call.activityId && overHttpMessages.has(call.activityId)) answered.set(call.activityId, `${answered.get(call.activityId) ?? ''}${JSON.stringify(call.body)}`);
    for (const [id, t] of overHttpMessages) {
      const text = answered.get(id);
      if (!text || GENERIC.test(text)) t.problems.push(`${text ? 'the generic error' : 'no answer'} over HTTP for message ${id}`);
    }

    const stored = await Promise.all([invalidDocuments(real), invalidDocuments(fast)]);
    const errors = [...errorLines(real), ...errorLines(fast)];
    console.log(
      [
        `fuzz seed ${SEED}: ${RUNS} per card verb and typed command (${OVER_HTTP} of each over HTTP on the embedded store), ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.join(', ')})`,
        ...tallies.map((t) => `${t.name.padEnd(22)} sent ${String(t.sent).padStart(5)}   cards ${String(t.cards).padStart(4)}   messages ${String(t.messages).padStart(4)}   problems ${t.problems.length}   ${(t.ms / 1000).toFixed(1)} s`),
        `unhandled rejections ${unhandled}, error log lines ${errors.length}, documents checked ${stored[0].checked + stored[1].checked}, invalid ${stored[0].invalid.length + stored[1].invalid.length}`,
      ].join('\n'),
    );

    expect(tallies.filter((t) => t.sent < RUNS).map((t) => t.name)).toEqual([]);
    expect(tallies.flatMap((t) => t.problems.slice(0, 3).map((p) => `${t.name}: ${p}`))).toEqual([]);
    expect(errors.slice(0, 3)).toEqual([]);
    expect(unhandled).toBe(0);
    expect([...stored[0].invalid, ...stored[1].invalid].slice(0, 10)).toEqual([]);
  }, 300_000);
});
