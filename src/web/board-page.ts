/*
 * The board as HTML: the Teams tab and the self-contained file a programme
 * publishes. Plain strings, no framework and no script: filters are a GET
 * form, charts are inline SVG each followed by the table it draws, styles
 * are inline, and nothing is fetched from anywhere. Every piece of text
 * that came from a person goes through esc().
 */
import { formatInTimeZone } from 'date-fns-tz';
import { ANSWER_LABEL, OUTCOME_LABEL, type Answer, type OutcomeStatus } from '../domain/contribution';
import { BOARD_STATUSES, BOARD_STATUS_LABEL, MIN_GROUP_SIZE, WORDS_NOT_SHARED, type Board, type BoardEntry, type BoardFilter, type MonthFigures } from '../domain/board';
import { ANSWERS, OUTCOME_STATUSES } from '../domain/report';
import type { Workstream } from '../domain/workstream';
import type { GroupFigures, WhoTakesPart } from '../domain/who-takes-part';

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export interface BoardPageModel {
  board: Board;
  /** The workstreams (and their priority areas) the viewer may filter by. */
  workstreams: Pick<Workstream, 'id' | 'name' | 'priorityAreas'>[];
  filter: BoardFilter;
  timeZone: string;
  now: Date;
  /** Whose board: "The whole programme" or "Your thread". */
  scope: string;
  /** Query parameters every link and the form carry on (the mock user in local mode). */
  carry: Record<string, string>;
  /** For the programme team: where the page to publish is previewed. */
  publishHref?: string;
  /** Issue 23: the confirmed programme priorities the board can be read by. */
  programmePriorities?: { id: string; title: string }[];
  /** "Who takes part", when the viewer may see it (the programme team). */
  whoTakesPart?: WhoTakesPart;
}

// Each at least 4.5:1 on white, so bars and their legend keys pass 1.4.11 with room to spare.
const OUTCOME_COLOUR: Record<OutcomeStatus, string> = {
  adopted: '#1e6b34',
  partly_adopted: '#0b5394',
  not_taken_forward: '#a3410a',
  under_consideration: '#6a3fb5',
  passed_on: '#545454',
};
const ANSWER_COLOUR: Record<Answer, string> = { helpful: '#1e6b34', want_to_talk: '#0b5394', does_not_reflect: '#a3410a', disagree_decision: '#6a1b9a' };
const SINGLE = '#0b5394';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Segoe UI",Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#fff}
.page{max-width:64rem;margin:0 auto;padding:1rem}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,[tabindex]:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
.skip{position:absolute;left:-999rem}
.skip:focus{position:static}
h1{font-size:1.75rem;margin:.5rem 0}
h2{font-size:1.35rem;margin:2rem 0 .5rem;border-bottom:2px solid #14285a}
h3{font-size:1.1rem;margin:0 0 .25rem}
.lead{color:#333}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end;padding:.75rem;border:1px solid #595959;border-radius:4px}
.field{display:flex;flex-direction:column;min-width:10rem;max-width:100%}
label{font-weight:600}
select,input,button{font:inherit;padding:.35rem .5rem;border:1px solid #595959;border-radius:4px;background:#fff;color:#1a1a1a;max-width:100%}
button{background:#14285a;color:#fff;border-color:#14285a;cursor:pointer}
ol.entries{list-style:none;padding:0;margin:0}
ol.entries>li{border:1px solid #8a8a8a;border-left:6px solid #14285a;border-radius:4px;padding:.75rem;margin:.75rem 0}
.meta{color:#333;font-size:.95rem;margin:0}
.said,.did{margin:.35rem 0}
.tag{font-weight:600}
.none{font-style:italic;color:#333}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,28rem),1fr));gap:1.5rem}
figure{margin:0}
svg{width:100%;height:auto;display:block}
ul.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.95rem}
.swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;vertical-align:middle;border:1px solid #1a1a1a}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #8a8a8a;padding:.25rem .5rem;text-align:right}
th[scope=row],thead th:first-child{text-align:left}
.banner{background:#fff4ce;border:2px solid #8a6d00;padding:.75rem;border-radius:4px}
footer{margin-top:2rem;color:#333;font-size:.95rem}
`;

/** A whole page in the board's style; `scripts` (the tab shell's only) are same-origin paths, run in order after parsing. */
export function document(title: string, body: string, scripts: string[] = []): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
${scripts.map((src) => `<script src="${esc(src)}" defer></script>`).join('\n')}
</head>
<body>
<a class="skip" href="#main">Skip to the board</a>
${body}
</body>
</html>
`;
}

const day = (iso: string, tz: string) => formatInTimeZone(new Date(iso), tz, 'd MMMM yyyy');
const monthName = (month: string) => formatInTimeZone(new Date(`${month}-15T12:00:00Z`), 'UTC', 'MMM yyyy');
const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `?${q}` : '';
};

function entry(e: BoardEntry, tz: string): string {
  const areas = e.priorityAreas.length ? ` Priority areas: ${e.priorityAreas.map((a) => esc(a.name)).join(', ')}.` : '';
  const said = e.words ? `&ldquo;${esc(e.words)}&rdquo;` : `<span class="none">${WORDS_NOT_SHARED}</span>`;
  const did = e.outcome
    ? `<p class="did"><span class="tag">We did</span> (${esc(BOARD_STATUS_LABEL[e.status])}, ${day(e.outcome.decidedAt, tz)}): ${esc(e.outcome.whatWeDid)}</p>` +
      (e.outcome.reason ? `<p class="did"><span class="tag">Why</span>: ${esc(e.outcome.reason)}</p>` : '')
    : `<p class="did"><span class="tag">We did</span>: <span class="none">${BOARD_STATUS_LABEL.waiting}</span></p>`;
  return `<li><article aria-labelledby="e-${esc(e.id)}">
<h3 id="e-${esc(e.id)}">${esc(e.workstreamName)}, ${day(e.meetingDate, tz)}</h3>
<p class="meta">${esc(e.kind)} from ${esc(e.saidBy)}.${areas}</p>
<p class="said"><span class="tag">You said</span>: ${said}</p>
${did}
</article></li>`;
}

function entries(list: BoardEntry[], tz: string): string {
  if (!list.length) return '<p>Nothing to show here yet.</p>';
  return `<ol class="entries">\n${list.map((e) => entry(e, tz)).join('\n')}\n</ol>`;
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
}

function filterForm(m: BoardPageModel, action: string): string {
  const f = m.filter;
  const areas = m.workstreams
    .filter((w) => w.priorityAreas.length)
    .map((w) => `<optgroup label="${esc(w.name)}">${w.priorityAreas.map((a) => option(a.id, a.name, !!f.areaIds?.includes(a.id))).join('')}</optgroup>`)
    .join('');
  const hidden = Object.entries(m.carry).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return `<form class="filters" method="get" action="${esc(action)}" aria-labelledby="filter-heading">
${hidden}
${priorityField(m)}
<div class="field"><label for="f-area">Priority area</label><select id="f-area" name="area">${option('', 'All priority areas', !f.areaIds?.length)}${areas}</select></div>
<div class="field"><label for="f-workstream">Workstream</label><select id="f-workstream" name="workstream">${option('', 'All workstreams', !f.workstreamId)}${m.workstreams.map((w) => option(w.id, w.name, f.workstreamId === w.id)).join('')}</select></div>
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status">${option('', 'Any status', !f.status)}${BOARD_STATUSES.map((s) => option(s, BOARD_STATUS_LABEL[s], f.status === s)).join('')}</select></div>
<div class="field"><label for="f-from">From (month)</label><input id="f-from" name="from" type="month" value="${esc(f.fromMonth ?? '')}"></div>
<div class="field"><label for="f-to">To (month)</label><input id="f-to" name="to" type="month" value="${esc(f.toMonth ?? '')}"></div>
<div class="field"><button type="submit">Show</button></div>
<p><a href="${esc(action + query(m.carry))}">Clear the filters</a></p>
</form>`;
}

function priorityField(m: BoardPageModel): string {
  const list = m.programmePriorities ?? [];
  if (!list.length) return '';
  const chosen = m.filter.programmePriorityId;
  return `<div class="field"><label for="f-priority">Programme priority</label><select id="f-priority" name="priority">${option('', 'All programme priorities', !chosen)}${list.map((p) => option(p.id, p.title, chosen === p.id)).join('')}</select></div>`;
}

const share = (n: number, of: number) => (of ? `${n} (${Math.round((100 * n) / of)}%)` : '–');

function groupRow(g: GroupFigures): string {
  const adopted = g.decided ? `${g.adopted} of ${g.decided} (${Math.round((100 * g.adopted) / g.decided)}%)` : 'No decision yet';
  return `<tr><th scope="row">${esc(g.label)}</th><td>${g.people}</td><td>${share(g.attended, g.people)}</td><td>${share(g.contributed, g.people)}</td><td>${adopted}</td></tr>`;
}

/** The programme team's "who takes part": counts by group, groups under MIN_GROUP_SIZE hidden, never a name. */
export function whoTakesPartSection(w: WhoTakesPart): string {
  const tables = w.questions
    .map((q) => {
      const id = `who-${q.key}`;
      const hidden = q.hidden ? `<p>${q.hidden === 1 ? '1 group is' : `${q.hidden} groups are`} not shown, so that nobody in a small group can be picked out.</p>` : '';
      if (!q.groups.length) return `<h3 id="${id}-h">${esc(q.title)}</h3>
<p>No group has ${MIN_GROUP_SIZE} or more people yet.</p>`;
      return `<h3 id="${id}-h">${esc(q.title)}</h3>
<div class="table-wrap" role="region" aria-labelledby="${id}-c" tabindex="0"><table>
<caption id="${id}-c">${esc(q.title)}: taking part and outcomes by group</caption>
<thead><tr><th scope="col">Group</th><th scope="col">People</th><th scope="col">Attended a meeting</th><th scope="col">Contributed</th><th scope="col">Adopted fully or partly, of contributions decided</th></tr></thead>
<tbody>
${q.groups.map(groupRow).join('\n')}
</tbody>
</table></div>
${hidden}`;
    })
    .join('\n');
  return `<section aria-labelledby="who-takes-part">
<h2 id="who-takes-part">Who takes part</h2>
<p>${w.answered} of ${w.lxps} LXPs answered the optional questions about themselves. Groups of fewer than ${MIN_GROUP_SIZE} people are not shown, and where only one group would be hidden the next smallest is hidden too. Figures cover the whole programme since it began; the filters above do not change them. Only the programme team sees this section.</p>
${tables}
</section>`;
}

interface Series {
  label: string;
  colour: string;
  values: (number | undefined)[];
}

interface ChartSpec {
  id: string;
  title: string;
  /** What the numbers are, for the table's header and the summary. */
  unit: string;
  months: string[];
  series: Series[];
  /** Shown in the table where a value is missing. */
  missing?: string;
}

/** A round top for the axis: 1, 2, 5, 10, 20, 50… at or above the largest value. */
function niceMax(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= max)!;
}

function chartSvg(c: ChartSpec): string {
  const W = 640;
  const H = 260;
  const left = 44;
  const bottom = 36;
  const top = 20;
  const plotW = W - left - 12;
  const plotH = H - top - bottom;
  const totals = c.months.map((_, i) => c.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, c.months.length);
  const barW = Math.min(56, slot * 0.6);
  // Whole numbers only: half of 5 contributions is not a thing a person counts.
  const ticks = [0, max / 2, max].filter(Number.isInteger);
  const axis = ticks
    .map((v) => `<line x1="${left}" x2="${W - 12}" y1="${y(v)}" y2="${y(v)}" stroke="#767676" stroke-width="1"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`)
    .join('');
  const bars = c.months
    .map((m, i) => {
      const x = left + slot * i + (slot - barW) / 2;
      let base = 0;
      const rects = c.series
        .map((s) => {
          const v = s.values[i] ?? 0;
          if (!v) return '';
          const r = `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.colour}" stroke="#fff" stroke-width="1"/>`;
          base += v;
          return r;
        })
        .join('');
      const label = c.series.every((s) => s.values[i] === undefined) ? '' : `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(totals[i]) - 5).toFixed(1)}" text-anchor="middle">${Number.isInteger(totals[i]) ? totals[i] : totals[i].toFixed(1)}</text>`;
      return `${rects}${label}<text x="${(left + slot * i + slot / 2).toFixed(1)}" y="${H - 12}" text-anchor="middle">${esc(monthName(m))}</text>`;
    })
    .join('');
  const total = totals.reduce((a, b) => a + b, 0);
  const summary = c.months.length ? `${c.unit} from ${monthName(c.months[0])} to ${monthName(c.months[c.months.length - 1])}; the table below gives every figure.` : 'No figures yet.';
  return `<svg role="img" aria-labelledby="${c.id}-t ${c.id}-d" viewBox="0 0 ${W} ${H}" font-size="13" fill="#1a1a1a" font-family="system-ui, 'Segoe UI', Arial, sans-serif">
<title id="${c.id}-t">${esc(c.title)}</title>
<desc id="${c.id}-d">${esc(summary)}${c.series.length === 1 && c.id !== 'median' ? ` ${total} in all.` : ''}</desc>
<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#1a1a1a"/>${axis}${bars}
</svg>`;
}

function chartTable(c: ChartSpec): string {
  const head = `<tr><th scope="col">Month</th>${c.series.map((s) => `<th scope="col">${esc(s.label)}</th>`).join('')}</tr>`;
  const rows = c.months
    .map((m, i) => `<tr><th scope="row">${esc(monthName(m))}</th>${c.series.map((s) => `<td>${s.values[i] === undefined ? esc(c.missing ?? '–') : s.values[i]}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap" role="region" aria-labelledby="${c.id}-c" tabindex="0"><table>
<caption id="${c.id}-c">${esc(c.title)}: the figures</caption>
<thead>${head}</thead>
<tbody>
${rows}
</tbody>
</table></div>`;
}

function chart(c: ChartSpec): string {
  const legend = c.series.length > 1 ? `<ul class="legend" aria-hidden="true">${c.series.map((s) => `<li><span class="swatch" style="background:${s.colour}"></span>${esc(s.label)}</li>`).join('')}</ul>` : '';
  return `<figure aria-labelledby="${c.id}-h">
<h3 id="${c.id}-h">${esc(c.title)}</h3>
${chartSvg(c)}
${legend}
${chartTable(c)}
</figure>`;
}

export function impactCharts(months: MonthFigures[]): ChartSpec[] {
  const keys = months.map((m) => m.month);
  return [
    { id: 'contributions', title: 'Contributions each month', unit: 'Contributions recorded each month', months: keys, series: [{ label: 'Contributions', colour: SINGLE, values: months.map((m) => m.contributions) }] },
    {
      id: 'outcomes', title: 'Outcomes by status', unit: 'Latest outcomes by status, by the month of the meeting', months: keys,
      series: OUTCOME_STATUSES.map((s) => ({ label: OUTCOME_LABEL[s], colour: OUTCOME_COLOUR[s], values: months.map((m) => m.outcomes[s]) })),
    },
    {
      id: 'median', title: 'Median days from meeting to "we did"', unit: 'Median days from the meeting to the decision', months: keys, missing: 'No decision yet',
      series: [{ label: 'Median days', colour: SINGLE, values: months.map((m) => m.medianDaysToWeDid) }],
    },
    {
      id: 'answers', title: 'What LXPs said about the feedback', unit: "LXPs' answers to \"you said, we did\"", months: keys,
      series: ANSWERS.map((a) => ({ label: ANSWER_LABEL[a], colour: ANSWER_COLOUR[a], values: months.map((m) => m.answers[a]) })),
    },
    { id: 'attendance', title: 'LXP attendance at meetings', unit: 'LXP attendances at meetings (one per LXP per meeting)', months: keys, series: [{ label: 'Attendances', colour: SINGLE, values: months.map((m) => m.attendance) }] },
  ];
}

function impact(months: MonthFigures[]): string {
  if (!months.length) return '<h2 id="impact">Impact over time</h2>\n<p>No figures yet.</p>';
  return `<h2 id="impact">Impact over time</h2>\n<div class="charts">\n${impactCharts(months).map(chart).join('\n')}\n</div>`;
}

/** The Teams tab: the filter form, the board and the charts, for the viewer's thread or the programme. */
export function renderBoardTab(m: BoardPageModel, action: string): string {
  const n = m.board.entries.length;
  const publish = m.publishHref ? `<p><a href="${esc(m.publishHref)}">Publish the board: see the page first</a></p>` : '';
  return document(
    'You said, we did: Golden Thread',
    `<div class="page">
<header>
<h1>You said, we did</h1>
<p class="lead">${esc(m.scope)}. Restricted personal stories and anything withdrawn are never shown; anonymous contributions carry no name; words appear only where the LXP agreed to be quoted.</p>
${publish}
</header>
<main id="main">
<h2 id="filter-heading">Filter the board</h2>
${filterForm(m, action)}
<h2 id="board">Outcomes</h2>
<p>${n === 1 ? '1 contribution' : `${n} contributions`}, newest first.</p>
${entries(m.board.entries, m.timeZone)}
${impact(m.board.months)}
${m.whoTakesPart ? whoTakesPartSection(m.whoTakesPart) : ''}
</main>
<footer><p>Figures as at ${day(m.now.toISOString(), m.timeZone)}.</p></footer>
</div>`,
  );
}

export interface PublishedModel {
  board: Board;
  timeZone: string;
  now: Date;
  /** On the preview in the tab: where to download the file and go back; absent in the file itself. */
  preview?: { downloadHref: string; backHref: string };
}

/** The page a programme puts on its website: one file, nothing fetched, only what LXPs allowed to be public. */
export function renderPublishedPage(m: PublishedModel): string {
  const banner = m.preview
    ? `<div class="banner" role="region" aria-label="Preview">
<p><strong>Preview.</strong> This is the page as it will be published. Only contributions whose LXPs agreed to be quoted show their words and names.</p>
<p><a href="${esc(m.preview.downloadHref)}" download="you-said-we-did.html">Download this page as one HTML file</a> · <a href="${esc(m.preview.backHref)}">Back to the board</a></p>
</div>`
    : '';
  return document(
    'You said, we did',
    `<div class="page">
<header>
${banner}
<h1>You said, we did</h1>
<p class="lead">What Lived Experience Practitioners (LXPs) told our programme, and what we did about it. Personal stories shared in confidence are not included, and people who asked not to be named or quoted are not.</p>
</header>
<main id="main">
<h2 id="board">Outcomes</h2>
${entries(m.board.entries, m.timeZone)}
${impact(m.board.months)}
</main>
<footer><p>Published ${day(m.now.toISOString(), m.timeZone)} with Golden Thread.</p></footer>
</div>`,
  );
}

/** A short page for a refusal (sign-in failed, not allowed): no data, no script. */
export function renderNotice(title: string, message: string): string {
  return document(title, `<div class="page"><main id="main"><h1>${esc(title)}</h1><p>${esc(message)}</p></main></div>`);
}
