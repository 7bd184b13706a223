/**
 * A local stand-in for the Bot Framework Connector (the service behind activity.serviceUrl).
 *
 * Point an incoming activity's serviceUrl at `stub.url` and everything the bot sends back
 * (via CloudAdapter / TeamsInfo / ConnectorClient) lands here, is recorded, and can be made to fail.
 * Paths follow botframework-connector 4.23's operation specs (v3/conversations/..., v1/meetings/...).
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export type CallKind =
  | 'send'
  | 'reply'
  | 'update'
  | 'delete'
  | 'createConversation'
  | 'members'
  | 'pagedMembers'
  | 'member'
  | 'meeting'
  | 'participant'
  | 'graphMessages'
  | 'graphInstalledApps'
  | 'graphInstalledAppChat'
  | 'other';

export interface RecordedCall {
  method: string;
  /** Decoded pathname plus the raw query string, e.g. `/v3/conversations/a:29:1-x/activities`. */
  path: string;
  conversationId?: string;
  activityId?: string;
  kind: CallKind;
  body: any;
  status: number;
  at: number;
  /** The activity id the stub gave a message it accepted. */
  responseId?: string;
}

export type Failure =
  | { status: 429; retryAfterSeconds?: number }
  | { status: 403; code?: string /* default 'ConversationBlockedByUser' */ }
  | { status: 500 | 502 | 503 | 504 }
  | { status: 412 };

export interface StubMember {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
}

type FailureMatch = (c: { method: string; path: string; conversationId?: string; body: any }) => boolean;
interface PendingFailure {
  failure: Failure;
  remaining: number;
  match?: FailureMatch;
}
interface Route {
  kind: CallKind;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  meetingId?: string;
  participantId?: string;
  userId?: string;
}

// Teams caps pagedmembers pages at 500 and defaults to a couple of hundred; tests pass small sizes.
const DEFAULT_PAGE_SIZE = 200;

export class ConnectorStub {
  readonly calls: RecordedCall[] = [];
  private failures: PendingFailure[] = [];
  private members = new Map<string, StubMember[]>();
  private meetings = new Map<string, any>();
  private participants = new Map<string, any>();
  private personalChats = new Map<string, string>();
  // Numeric-looking ids, like the ones Teams hands back for channel/group messages.
  private nextId = 1_700_000_000_000;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ConnectorStub> {
    let stub: ConnectorStub | undefined;
    const server = http.createServer((req, res) => {
      stub!.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'StubError', message: String(err?.stack ?? err) } }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    stub = new ConnectorStub(server, `http://127.0.0.1:${port}/`);
    return stub;
  }

  sentActivities(conversationId?: string): Array<{ conversationId: string; activity: any; kind: 'send' | 'reply' | 'update' }> {
    return this.calls
      .filter((c) => (c.kind === 'send' || c.kind === 'reply' || c.kind === 'update') && c.status < 300)
      .filter((c) => conversationId === undefined || c.conversationId === conversationId)
      .map((c) => ({ conversationId: c.conversationId!, activity: c.body, kind: c.kind as 'send' | 'reply' | 'update' }));
  }

  /**
   * Each message of a conversation as people would read it now: by activity id, the last version after every
   * update the stub accepted (a card replaced in place counts as the same message), and how often it was updated.
   */
  currentMessages(conversationId: string): Map<string, { activity: any; updates: number }> {
    const now = new Map<string, { activity: any; updates: number }>();
    for (const c of this.calls) {
      if (c.conversationId !== conversationId || c.status >= 300) continue;
      if ((c.kind === 'send' || c.kind === 'reply') && c.responseId) now.set(c.responseId, { activity: c.body, updates: 0 });
      if (c.kind === 'update' && c.activityId) now.set(c.activityId, { activity: c.body, updates: (now.get(c.activityId)?.updates ?? 0) + 1 });
    }
    return now;
  }

  failNext(failure: Failure, opts: { times?: number; match?: FailureMatch } = {}): void {
    this.failures.push({ failure, remaining: opts.times ?? 1, match: opts.match });
  }

  setMembers(conversationId: string, members: StubMember[]): void {
    this.members.set(conversationId, members.map((m) => ({ ...m })));
  }

  setMeeting(meetingId: string, info: any): void {
    this.meetings.set(meetingId, info);
  }

  setParticipant(meetingId: string, participantId: string, info: any): void {
    this.participants.set(`${meetingId}\n${participantId}`, info);
  }

  /**
   * Microsoft Graph's view of a person's 1:1 chat with the bot (AAD object id
   * → chat). In Teams the Graph chat id differs from the Bot Framework
   * conversation id; the stub uses one id for both.
   */
  setPersonalChat(userId: string, conversationId: string): void {
    this.personalChats.set(userId, conversationId);
  }

  /** The messages Graph would list for a chat: what the stub accepted, updates applied, newest change first. */
  graphMessages(chatId: string): Array<{ id: string; createdDateTime: string; lastModifiedDateTime: string; from: any; attachments: any[]; body: any }> {
    const byId = new Map<string, { id: string; created: number; modified: number; activity: any }>();
    for (const c of this.calls) {
      if (c.status >= 300 || c.conversationId !== chatId) continue;
      if ((c.kind === 'send' || c.kind === 'reply') && c.responseId) byId.set(c.responseId, { id: c.responseId, created: c.at, modified: c.at, activity: c.body });
      if (c.kind === 'update' && c.activityId && byId.has(c.activityId)) Object.assign(byId.get(c.activityId)!, { modified: c.at, activity: c.body });
    }
    return [...byId.values()]
      .sort((a, b) => b.modified - a.modified)
      .map((m) => ({
        id: m.id,
        createdDateTime: new Date(m.created).toISOString(),
        lastModifiedDateTime: new Date(m.modified).toISOString(),
        from: { application: { id: m.activity?.from?.id ?? 'bot', displayName: m.activity?.from?.name ?? 'Golden Thread' } },
        body: { contentType: 'html', content: m.activity?.text ?? '' },
        attachments: (m.activity?.attachments ?? []).map((a: any, i: number) => ({ id: String(i), contentType: a.contentType, content: a.content === undefined ? null : JSON.stringify(a.content) })),
      }));
  }

  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const tick = () => {
        let value: T | undefined | false;
        try {
          value = predicate();
        } catch (err) {
          return reject(err);
        }
        if (value) return resolve(value);
        if (Date.now() >= deadline) {
          const seen = this.calls.map((c) => `  ${c.status} ${c.method} ${c.path} (${c.kind})`).join('\n') || '  (none)';
          return reject(new Error(`ConnectorStub.waitFor timed out after ${timeoutMs} ms. Calls so far:\n${seen}`));
        }
        setTimeout(tick, 20);
      };
      tick();
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.failures = [];
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // The connector client keeps sockets alive; without this, close() waits for them to time out.
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', 'http://stub');
    // Split before decoding so an encoded '/' inside an id cannot create a phantom segment.
    const segments = parsed.pathname.split('/').filter(Boolean).map(safeDecode);
    const path = '/' + segments.join('/') + parsed.search;
    const body = await readBody(req);
    const route = matchRoute(method, segments);
    const record = (status: number, extra: Partial<RecordedCall> = {}) =>
      this.calls.push({
        method,
        path,
        conversationId: route.conversationId,
        activityId: route.activityId,
        kind: route.kind,
        body,
        status,
        at: Date.now(),
        ...extra,
      });

    const failure = this.takeFailure({ method, path, conversationId: route.conversationId, body });
    if (failure) {
      const { status, payload, headers } = failureResponse(failure);
      record(status);
      return sendJson(res, status, payload, headers);
    }

    const [status, payload] = this.answer(route, method, body, parsed.searchParams);
    record(status, route.kind === 'send' || route.kind === 'reply' ? { responseId: payload?.id } : {});
    if (route.kind === 'createConversation' && status < 300 && body?.activity) {
      // A createConversation carrying an activity is also a message delivery; surface it as a send.
      record(status, { kind: 'send', conversationId: payload.id, activityId: undefined, body: body.activity, responseId: payload.activityId });
    }
    sendJson(res, status, payload);
  }

  private answer(route: Route, method: string, body: any, query: URLSearchParams): [number, any] {
    switch (route.kind) {
      case 'send':
      case 'reply':
        return [200, { id: String(this.nextId++) }];
      case 'update':
        return [200, { id: route.activityId }];
      case 'delete':
        return [200, undefined];
      case 'createConversation': {
        const memberId: string = body?.members?.[0]?.id ?? 'unknown';
        const id = `a:${memberId}`;
        return [200, { id, activityId: body?.activity ? String(this.nextId++) : undefined, serviceUrl: this.url }];
      }
      case 'members':
        return [200, (this.members.get(route.conversationId!) ?? []).map(wireMember)];
      case 'pagedMembers': {
        const all = this.members.get(route.conversationId!) ?? [];
        const size = Number(query.get('pageSize')) || DEFAULT_PAGE_SIZE;
        const start = Number(query.get('continuationToken') ?? 0) || 0;
        const page = all.slice(start, start + size).map(wireMember);
        const next = start + size < all.length ? String(start + size) : undefined;
        return [200, { continuationToken: next, members: page }];
      }
      case 'member': {
        // Teams accepts either the 29: id or the AAD object id here.
        const found = (this.members.get(route.conversationId!) ?? []).find(
          (m) => m.id === route.memberId || m.aadObjectId === route.memberId,
        );
        return found
          ? [200, wireMember(found)]
          : [404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } }];
      }
      case 'meeting': {
        const info = this.meetings.get(route.meetingId!);
        return info !== undefined ? [200, info] : [404, { error: { code: 'NotFound', message: 'Meeting not found.' } }];
      }
      case 'participant': {
        const info = this.participants.get(`${route.meetingId}\n${route.participantId}`);
        return info !== undefined ? [200, info] : [404, { error: { code: 'NotFound', message: 'Participant not found.' } }];
      }
      case 'graphMessages': {
        // $orderby=lastModifiedDateTime desc with $filter=lastModifiedDateTime gt <ISO>, $top at most 50, paged by $skiptoken.
        const since = /lastModifiedDateTime gt (\S+)/.exec(query.get('$filter') ?? '')?.[1];
        const all = this.graphMessages(route.conversationId!).filter((m) => !since || m.lastModifiedDateTime > new Date(since).toISOString());
        const top = Math.min(Number(query.get('$top')) || 20, 50);
        const start = Number(query.get('$skiptoken') ?? 0) || 0;
        const next = start + top < all.length ? new URL(`${this.url}graph/v1.0/chats/${encodeURIComponent(route.conversationId!)}/messages`) : undefined;
        if (next) {
          for (const [k, v] of query) if (k !== '$skiptoken') next.searchParams.set(k, v);
          next.searchParams.set('$skiptoken', String(start + top));
        }
        return [200, { value: all.slice(start, start + top), ...(next ? { '@odata.nextLink': next.toString() } : {}) }];
      }
      case 'graphInstalledApps':
        return [200, { value: this.personalChats.has(route.userId!) ? [{ id: `install-${route.userId}` }] : [] }];
      case 'graphInstalledAppChat': {
        const chat = this.personalChats.get(route.userId!);
        return chat ? [200, { id: chat }] : [404, { error: { code: 'NotFound', message: 'No chat.' } }];
      }
      default:
        return [404, { error: { code: 'NotFound', message: `ConnectorStub has no route for ${method}.` } }];
    }
  }

  private takeFailure(c: { method: string; path: string; conversationId?: string; body: any }): Failure | undefined {
    const idx = this.failures.findIndex((f) => !f.match || f.match(c));
    if (idx < 0) return undefined;
    const pending = this.failures[idx];
    if (--pending.remaining <= 0) this.failures.splice(idx, 1);
    return pending.failure;
  }
}

function matchRoute(method: string, s: string[]): Route {
  // Microsoft Graph, for the delivery check (src/teams/graph-delivery.ts): GRAPH_BASE_URL = `${stub.url}graph/v1.0`.
  if (method === 'GET' && s[0] === 'graph' && s[1] === 'v1.0') {
    if (s[2] === 'chats' && s[4] === 'messages' && s.length === 5) return { kind: 'graphMessages', conversationId: s[3] };
    if (s[2] === 'users' && s[4] === 'teamwork' && s[5] === 'installedApps') {
      if (s.length === 6) return { kind: 'graphInstalledApps', userId: s[3] };
      if (s.length === 8 && s[7] === 'chat') return { kind: 'graphInstalledAppChat', userId: s[3] };
    }
  }
  if (s[0] === 'v3' && s[1] === 'conversations') {
    const conversationId = s[2];
    if (s.length === 2 && method === 'POST') return { kind: 'createConversation' };
    if (s[3] === 'activities' && s.length === 4 && method === 'POST') return { kind: 'send', conversationId };
    if (s[3] === 'activities' && s.length === 5 && s[4] !== 'history') {
      const activityId = s[4];
      if (method === 'POST') return { kind: 'reply', conversationId, activityId };
      if (method === 'PUT') return { kind: 'update', conversationId, activityId };
      if (method === 'DELETE') return { kind: 'delete', conversationId, activityId };
    }
    if (method === 'GET' && s[3] === 'members' && s.length === 4) return { kind: 'members', conversationId };
    if (method === 'GET' && s[3] === 'pagedmembers' && s.length === 4) return { kind: 'pagedMembers', conversationId };
    if (method === 'GET' && s[3] === 'members' && s.length === 5) return { kind: 'member', conversationId, memberId: s[4] };
    return { kind: 'other', conversationId };
  }
  if (method === 'GET' && s[0] === 'v1' && s[1] === 'meetings') {
    if (s.length === 3) return { kind: 'meeting', meetingId: s[2] };
    if (s.length === 5 && s[3] === 'participants') return { kind: 'participant', meetingId: s[2], participantId: s[4] };
  }
  return { kind: 'other' };
}

/** Roster calls return `objectId`; botbuilder's getMembers maps it to aadObjectId, pagedmembers does not, so send both. */
function wireMember(m: StubMember): any {
  return { ...m, objectId: m.aadObjectId };
}

function failureResponse(f: Failure): { status: number; payload: any; headers?: Record<string, string> } {
  switch (f.status) {
    case 429:
      return {
        status: 429,
        payload: { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        headers: { 'Retry-After': String(f.retryAfterSeconds ?? 1) },
      };
    case 403: {
      const code = f.code ?? 'ConversationBlockedByUser';
      const message = code === 'ConversationBlockedByUser' ? 'User blocked the conversation with the bot.' : 'Forbidden.';
      return { status: 403, payload: { error: { code, message } } };
    }
    case 412:
      return { status: 412, payload: { error: { code: 'PreconditionFailed', message: 'Precondition failed.' } } };
    default:
      return { status: f.status, payload: { error: { code: 'ServiceError', message: 'Service error.' } } };
  }
}

function sendJson(res: http.ServerResponse, status: number, payload: any, headers: Record<string, string> = {}): void {
  const text = payload === undefined ? '' : JSON.stringify(payload);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
