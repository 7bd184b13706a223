/**
 * The Bot Connector stub (test/harness/connector-stub.ts) in a process of its
 * own, so the bot under test does not share its event loop with it. Reports
 * { type: 'ready', url } over IPC, then answers requests from the benchmark.
 *
 * The stub keeps every call with its body; at benchmark volumes that is
 * memory for nothing, so calls are folded into small records every 200 ms.
 */
import { ConnectorStub, type StubMember } from '../test/harness/connector-stub';
import { serveIpc } from './lib';

interface Seen {
  kind: string;
  status: number;
  at: number;
  conversationId?: string;
  key?: string;
}

async function main() {
  const stub = await ConnectorStub.start();
  // Node closes idle keep-alive connections after 5 s without telling the client (no Keep-Alive hint), and
  // botbuilder's client may reuse one just as it closes: an ECONNRESET the sender must treat as "may have
  // arrived" (retry after a minute, flagged as a possible repeat). Real Teams endpoints keep idle
  // connections for minutes; so does the stub here, so the benchmark measures the bot, not that race.
  (stub as unknown as { server: { keepAliveTimeout: number } }).server.keepAliveTimeout = 0;
  let seen: Seen[] = [];
  let lastCard: Record<string, unknown> | undefined;
  let lastActivity: { text?: string; card: boolean; at: number } | undefined;
  const fold = () => {
    for (const c of stub.calls) {
      seen.push({ kind: c.kind, status: c.status, at: c.at, conversationId: c.conversationId, key: c.body?.channelData?.goldenThread?.key });
      if ((c.kind === 'send' || c.kind === 'reply') && c.body?.attachments?.[0]?.content) lastCard = c.body.attachments[0].content;
      if (c.kind === 'send' || c.kind === 'reply') lastActivity = { text: c.body?.text, card: !!c.body?.attachments?.length, at: c.at };
    }
    stub.calls.length = 0;
  };
  setInterval(fold, 200).unref();

  serveIpc({
    cpu: () => process.cpuUsage(),
    setMembers: (m) => stub.setMembers(m.conversationId as string, m.members as StubMember[]),
    setMeeting: (m) => stub.setMeeting(m.meetingId as string, m.info),
    lastCard: () => {
      fold();
      return lastCard;
    },
    lastActivity: () => {
      fold();
      return lastActivity;
    },
    reset: () => {
      fold();
      seen = [];
    },
    /** How many sends succeeded so far: cheap enough to ask four times a second while a run is measured. */
    sendCount: () => {
      fold();
      return seen.reduce((n, s) => n + (s.kind === 'send' && s.status < 300 ? 1 : 0), 0);
    },
    /** Successful sends (proactive messages): how many per key, and when the first and last arrived. */
    sends: () => {
      fold();
      const ok = seen.filter((s) => s.kind === 'send' && s.status < 300);
      const perKey: Record<string, number> = {};
      for (const s of ok) if (s.key) perKey[s.key] = (perKey[s.key] ?? 0) + 1;
      const at = ok.map((s) => s.at).sort((a, b) => a - b);
      // The busiest one-second window, to compare with the tenant limit Teams enforces.
      let peak = 0;
      let peakAt = 0;
      for (let i = 0, j = 0; j < at.length; j++) {
        while (at[j] - at[i] >= 1000) i++;
        if (j - i + 1 > peak) [peak, peakAt] = [j - i + 1, at[i] - at[0]];
      }
      return { count: ok.length, perKey, first: at[0], last: at[at.length - 1], peakPerSecond: peak, peakAtMs: peakAt, failed: seen.filter((s) => s.status >= 300).length };
    },
    /** Successful sends per bucket of `ms`, from the first: where a run stalls. */
    timeline: (m) => {
      fold();
      const at = seen.filter((s) => s.kind === 'send' && s.status < 300).map((s) => s.at);
      const first = Math.min(...at);
      const ms = (m.ms as number) ?? 250;
      const buckets: number[] = [];
      for (const t of at) {
        const b = Math.floor((t - first) / ms);
        buckets[b] = (buckets[b] ?? 0) + 1;
      }
      return Array.from(buckets, (n) => n ?? 0);
    },
    counts: () => {
      fold();
      const byKind: Record<string, number> = {};
      for (const s of seen) byKind[`${s.kind}:${s.status}`] = (byKind[`${s.kind}:${s.status}`] ?? 0) + 1;
      return byKind;
    },
  });
  process.on('SIGTERM', () => void stub.close().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', url: stub.url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
