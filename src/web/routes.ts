/*
 * The tab pages, served by the bot's own server: GET /tab/board (the board
 * for whoever signed in) and GET /tab/board/publish (the programme team's
 * preview of the page to publish; ?download=1 gives the file itself).
 * Teams opens GET /tab (the shell that asks Teams for the sign-in token and
 * loads the board with it) and, when a channel adds the tab, /tab/configure;
 * their scripts are served from /tab/static/ (tab-shell.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Caller, Deps } from '../commands/deps';
import { boardData, boardScope } from '../commands/board-data';
import { buildBoard, withProgrammePriority, BOARD_STATUSES, type BoardFilter, type BoardStatus } from '../domain/board';
import { can } from '../domain/policy';
import { SigningKeys } from '../teams/auth';
import { document, esc, renderBoardTab, renderNotice, renderPublishedPage } from './board-page';
import { mockViewer, ssoViewer, type SsoSettings } from './sso';
import { tabAssets } from './tab-shell';

/**
 * What the tab routes need of the HTTP server: GET routes with path parameters. src/server.ts passes restify's
 * server, so restify stays in the composition root and this folder knows only Node's own request and response.
 */
export type WebRequest = IncomingMessage & { params?: Record<string, string> };
export type WebResponse = ServerResponse;
export interface WebRouter {
  get(path: string, handler: (req: WebRequest, res: WebResponse) => unknown): unknown;
}

export interface WebDeps {
  app: Deps;
  logger: Logger;
  /** Production mode: how sign-in is checked. Undefined: local mode, the Playground's mock users. */
  sso?: SsoSettings;
}

/** Sign-in settings from the configuration: none in local mode. */
export function webDeps(config: Config, app: Deps, logger: Logger): WebDeps {
  if (!config.bot) return { app, logger };
  const appId = config.bot.appId;
  const keys = new SigningKeys(config.entraMetadataUrl, { timeoutMs: config.openIdMetadataTimeout.ms, logger, name: 'the Microsoft Entra signing keys (tab sign-in)' });
  const audiences = [appId, ...(config.botDomain ? [`api://${config.botDomain}/botid-${appId}`] : [])];
  return { app, logger, sso: { keys, audiences, allowedTenants: config.allowedTenants } };
}

// Teams frames a tab; nothing else may. The pages need no script, no font and nothing from another host.
const FRAME_ANCESTORS = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.office.com https://*.cloud.microsoft";
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors ${FRAME_ANCESTORS}`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The Teams JS library fetches, once as it loads, Microsoft's current list of
 * the Teams hosts whose messages it accepts, and uses the list bundled in it
 * when it cannot. Data, not code: allowed at this one address, so the list
 * keeps up with new Teams hosts between our updates of the library.
 */
export const TEAMS_ORIGIN_LIST = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

// The shell and the configuration page run our own scripts (and only those) and fetch the board from us.
const SCRIPT_CSP = `default-src 'none'; script-src 'self'; connect-src 'self' ${TEAMS_ORIGIN_LIST}; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors ${FRAME_ANCESTORS}`;

function send(res: WebResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra });
  res.end(html);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The filter from the query string; anything not understood is left out rather than refused. */
export function filterFrom(params: URLSearchParams): BoardFilter {
  const one = (name: string) => params.get(name)?.trim() || undefined;
  const status = one('status');
  const from = one('from');
  const to = one('to');
  const areas = params.getAll('area').map((a) => a.trim()).filter(Boolean);
  return {
    areaIds: areas.length ? areas : undefined,
    programmePriorityId: one('priority'),
    workstreamId: one('workstream'),
    status: status && (BOARD_STATUSES as string[]).includes(status) ? (status as BoardStatus) : undefined,
    fromMonth: from && MONTH.test(from) ? from : undefined,
    toMonth: to && MONTH.test(to) ? to : undefined,
  };
}

/** The viewer, or a refusal already sent (401 and no data). */
async function signIn(deps: WebDeps, req: WebRequest, res: WebResponse, params: URLSearchParams): Promise<{ viewer: Caller; carry: Record<string, string> } | undefined> {
  if (!deps.sso) {
    const given = params.get('user') ?? (req.headers['x-mock-user'] as string | undefined);
    const viewer = mockViewer(given ?? undefined);
    if (viewer) return { viewer, carry: params.get('user') ? { user: params.get('user')! } : {} };
    send(res, 401, renderNotice('Not signed in', 'That is not one of the Playground\'s users.'));
    return undefined;
  }
  const result = await ssoViewer(req.headers.authorization, deps.sso);
  if ('viewer' in result) return { viewer: result.viewer, carry: {} };
  deps.logger.info({ reason: result.problem, path: (req.url ?? '').split('?')[0] }, 'tab request refused: sign-in failed');
  send(res, 401, renderNotice('Sign in needed', 'Open this page from Golden Thread in Microsoft Teams.'), { 'www-authenticate': 'Bearer' });
  return undefined;
}

/**
 * The programme whose board this is (issue 18), from the viewer's own programmes: with several, the `programme`
 * parameter names one of theirs (then carried on every link and the form), or they are asked which. Anything
 * else is refused with no data. Undefined: a page was already sent.
 */
async function programmeOf(deps: WebDeps, res: WebResponse, signed: { viewer: Caller; carry: Record<string, string> }, params: URLSearchParams, path: string) {
  const scope = await boardScope(deps.app, signed.viewer, params.get('programme')?.trim() || undefined);
  if (scope.kind === 'programme') {
    const carry = scope.several ? { ...signed.carry, programme: scope.programme.id } : signed.carry;
    return { app: scope.deps, carry, name: scope.several ? scope.programme.name : undefined };
  }
  if (scope.kind === 'choose') {
    const links = scope.programmes.map((p) => `<li><a href="${esc(`${path}?${new URLSearchParams({ ...signed.carry, programme: p.id })}`)}">${esc(p.name)}</a></li>`).join('\n');
    send(res, 200, document('Which programme?', `<div class="page"><main id="main"><h1>Which programme?</h1><p>You are in more than one programme. Choose whose board to see.</p>\n<ul>\n${links}\n</ul></main></div>`));
  } else if (scope.kind === 'refused') send(res, 403, renderNotice('Not your programme', 'You can see the board of the programmes you are in. Open the tab again to choose one.'));
  // Not a refusal: nothing to show yet (a tenant's first visitor, or someone whose programme was closed).
  else send(res, 200, renderNotice('You said, we did', 'You are not in a programme yet, so there is no board to show. Type setup to Golden Thread to start one, or ask a programme lead to add you.'));
  return undefined;
}

function failed(deps: WebDeps, res: WebResponse, err: unknown): void {
  deps.logger.error({ err: { message: (err as Error).message } }, 'tab page failed');
  if (!res.headersSent) send(res, 500, renderNotice('Something went wrong', 'Nothing was changed. Please try again in a moment.'));
}

/** teams-js and our scripts, from our own host, under an address that changes with their content. */
function staticFile(tab: ReturnType<typeof tabAssets>, req: WebRequest, res: WebResponse): void {
  const file = tab.files.get(String(req.params?.file));
  if (!file) {
    send(res, 404, renderNotice('Not found', 'There is no such file.'));
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    // The pages ask for each file with a hash of its content (?v=), so a new version is a new address.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  res.end(file.body);
}

/** The board as the viewer may see it, filtered by the query. */
async function boardPage(deps: WebDeps, req: WebRequest, res: WebResponse): Promise<void> {
  try {
    const params = new URL(req.url ?? '/', 'http://tab').searchParams;
    const signed = await signIn(deps, req, res, params);
    if (!signed) return;
    const programme = await programmeOf(deps, res, signed, params, '/tab/board');
    if (!programme) return;
    const data = await boardData(programme.app, signed.viewer);
    const filter = withProgrammePriority(filterFrom(params), data.programmePriorities);
    const board = buildBoard(data, filter);
    const query = new URLSearchParams(programme.carry).toString();
    send(res, 200, renderBoardTab({
      board,
      workstreams: data.workstreams,
      programmePriorities: data.programmePriorities,
      whoTakesPart: data.whoTakesPart,
      filter,
      timeZone: data.timeZone,
      now: deps.app.clock.now(),
      scope: `${programme.name ? `${programme.name}: ` : ''}${data.wholeProgramme ? 'The whole programme' : `Your thread, ${signed.viewer.name || 'as you see it'}`}`,
      carry: programme.carry,
      publishHref: can(data.actor, 'publish_board', { type: 'programme' }) ? `/tab/board/publish${query ? `?${query}` : ''}` : undefined,
    }, '/tab/board'));
  } catch (err) {
    failed(deps, res, err);
  }
}

/** The programme team's publish preview, and the self-contained file itself with ?download=1. */
async function publishPage(deps: WebDeps, req: WebRequest, res: WebResponse): Promise<void> {
  try {
    const params = new URL(req.url ?? '/', 'http://tab').searchParams;
    const signed = await signIn(deps, req, res, params);
    if (!signed) return;
    const programme = await programmeOf(deps, res, signed, params, '/tab/board/publish');
    if (!programme) return;
    const data = await boardData(programme.app, signed.viewer, 'public');
    if (!can(data.actor, 'publish_board', { type: 'programme' })) {
      send(res, 403, renderNotice('Programme team only', 'Only the programme team can publish the board.'));
      return;
    }
    const board = buildBoard(data);
    const now = deps.app.clock.now();
    if (params.get('download') === '1') {
      send(res, 200, renderPublishedPage({ board, timeZone: data.timeZone, now }), { 'content-disposition': 'attachment; filename="you-said-we-did.html"' });
      return;
    }
    const carry = new URLSearchParams(programme.carry);
    const back = `/tab/board${carry.size ? `?${carry}` : ''}`;
    carry.set('download', '1');
    send(res, 200, renderPublishedPage({ board, timeZone: data.timeZone, now, preview: { downloadHref: `/tab/board/publish?${carry}`, backHref: back } }));
  } catch (err) {
    failed(deps, res, err);
  }
}

export function registerWebRoutes(server: WebRouter, deps: WebDeps): void {
  const tab = tabAssets();

  // Teams opens this. In local mode there is no Teams to ask for a token: straight to the board (?user= carried).
  server.get('/tab', async (req: WebRequest, res: WebResponse) => {
    if (!deps.sso) {
      const query = new URL(req.url ?? '/', 'http://tab').search;
      res.writeHead(302, { location: `/tab/board${query}`, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    send(res, 200, tab.shell, { 'content-security-policy': SCRIPT_CSP });
  });
  server.get('/tab/configure', async (_req: WebRequest, res: WebResponse) => {
    send(res, 200, tab.configure, { 'content-security-policy': SCRIPT_CSP });
  });
  server.get('/tab/static/:file', async (req: WebRequest, res: WebResponse) => staticFile(tab, req, res));
  server.get('/tab/board', async (req: WebRequest, res: WebResponse) => boardPage(deps, req, res));
  server.get('/tab/board/publish', async (req: WebRequest, res: WebResponse) => publishPage(deps, req, res));
}
