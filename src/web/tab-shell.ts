/*
 * The pages Teams opens in a tab before there is a token. Teams frames the
 * tab with a plain GET, so the board itself (which needs
 * `Authorization: Bearer`) cannot be the page Teams opens. The shell asks
 * Teams for the single sign-on token (teams-js `authentication.getAuthToken`),
 * fetches the board with it, and puts the returned page in its own place; it
 * does the same for the filter form, the board's links and the download, so
 * the token lives only in this page's memory, for one request at a time.
 *
 * Scripts come only from our own host: the Teams JS library from
 * node_modules and the two small scripts below, each at a path carrying a
 * hash of its content so it can be cached for a year.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { document } from './board-page';

/** The shell: fetches the board (or the page a link names) with a fresh Teams token each time. */
const TAB_SCRIPT = `(function () {
  'use strict';
  var teams = window.microsoftTeams;
  var first = true;

  function say(text) {
    var status = document.getElementById('status');
    if (!status) {
      status = document.createElement('p');
      status.id = 'status';
      status.setAttribute('role', 'alert');
      (document.querySelector('main') || document.body).prepend(status);
    }
    status.textContent = text;
  }

  function token() {
    return teams.authentication.getAuthToken();
  }

  // Only the board's own pages are fetched this way; anything else is left to the browser.
  function ours(url) {
    return url.origin === location.origin && (url.pathname === '/tab/board' || url.pathname.indexOf('/tab/board/') === 0);
  }

  async function show(path) {
    var res;
    try {
      var t = await token();
      res = await fetch(path, { headers: { authorization: 'Bearer ' + t }, credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      say('Teams could not sign you in. Close this tab and open it again; if that does not help, ask your programme team.');
      return;
    }
    var page = new DOMParser().parseFromString(await res.text(), 'text/html');
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    var url = new URL(path, location.href);
    // Keep the board's filters in the address, so reloading the tab shows the same board.
    if (res.ok && url.pathname === '/tab/board') history.replaceState(null, '', '/tab' + url.search);
    if (!first) {
      // As after a page load: reading starts at the top, and a screen reader hears the new heading.
      var h1 = document.querySelector('h1');
      if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus(); }
      window.scrollTo(0, 0);
    }
    first = false;
  }

  async function download(url, name) {
    var res = await fetch(url.pathname + url.search, { headers: { authorization: 'Bearer ' + (await token()) }, credentials: 'omit', cache: 'no-store' });
    if (!res.ok) return show(url.pathname + url.search);
    var href = URL.createObjectURL(await res.blob());
    var a = document.createElement('a');
    a.href = href;
    a.download = name || 'you-said-we-did.html';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(href); }, 60000);
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var action = new URL(form.getAttribute('action') || location.href, location.href);
    if (form.method !== 'get' || !ours(action)) return;
    ev.preventDefault();
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === 'string' && value !== '') query.append(key, value);
    });
    var q = query.toString();
    show(action.pathname + (q ? '?' + q : ''));
  });

  document.addEventListener('click', function (ev) {
    var a = ev.target instanceof Element ? ev.target.closest('a[href]') : null;
    if (!a) return;
    var url = new URL(a.getAttribute('href'), location.href);
    if (url.protocol !== location.protocol || !ours(url)) return;
    ev.preventDefault();
    if (a.hasAttribute('download')) download(url, a.getAttribute('download'));
    else show(url.pathname + url.search);
  });

  if (!teams) {
    say('This page opens inside Microsoft Teams: open Golden Thread there.');
    return;
  }
  var outside = setTimeout(function () { say('This page opens inside Microsoft Teams: open Golden Thread there.'); }, 8000);
  teams.app.initialize().then(function () {
    clearTimeout(outside);
    return show('/tab/board' + location.search);
  }, function () {
    clearTimeout(outside);
    say('This page opens inside Microsoft Teams: open Golden Thread there.');
  });
})();
`;

/** The channel tab's configuration page: nothing to choose, so it is valid at once and saves the board. */
const CONFIGURE_SCRIPT = `(function () {
  'use strict';
  var teams = window.microsoftTeams;
  if (!teams) return;
  teams.app.initialize().then(function () {
    teams.pages.config.registerOnSaveHandler(function (save) {
      var board = location.origin + '/tab';
      teams.pages.config
        .setConfig({ entityId: 'board', contentUrl: board, websiteUrl: board, suggestedDisplayName: 'You said, we did' })
        .then(function () { save.notifySuccess(); }, function (e) { save.notifyFailure(String(e && e.message || e)); });
    });
    teams.pages.config.setValidityState(true);
  });
})();
`;

export interface StaticFile {
  /** The path the pages use, with a content hash so it can be cached for a year. */
  href: string;
  body: string;
}

function staticFile(name: string, body: string): StaticFile {
  const v = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { href: `/tab/static/${name}?v=${v}`, body };
}

export interface TabAssets {
  files: Map<string, StaticFile>;
  shell: string;
  configure: string;
}

let assets: TabAssets | undefined;

/** Read once: the Teams JS library from node_modules, and the two pages that use it. */
export function tabAssets(): TabAssets {
  if (assets) return assets;
  const teamsJs = staticFile('teams-js.js', readFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  const tab = staticFile('tab.js', TAB_SCRIPT);
  const configure = staticFile('configure.js', CONFIGURE_SCRIPT);
  const files = new Map([teamsJs, tab, configure].map((f) => [f.href.slice('/tab/static/'.length).split('?')[0], f]));
  assets = {
    files,
    shell: document(
      'You said, we did: Golden Thread',
      `<div class="page"><main id="main">
<h1>You said, we did</h1>
<p id="status" role="status">Signing you in with Microsoft Teams…</p>
</main></div>`,
      [teamsJs.href, tab.href],
    ),
    configure: document(
      'Add the board to this channel: Golden Thread',
      `<div class="page"><main id="main">
<h1>You said, we did, in this channel</h1>
<p>This tab shows the programme's "You said, we did" board: what LXPs said and what was done about it. Each person sees what they may see: the programme team the whole programme, an LXP their own thread.</p>
<p>There is nothing to set up. Select <strong>Save</strong> to add the tab.</p>
</main></div>`,
      [teamsJs.href, configure.href],
    ),
  };
  return assets;
}
