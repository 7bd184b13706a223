import { ANSWER_LABEL, KINDS, KIND_LABEL, OUTCOME_LABEL } from '../domain/contribution';
import { OUTCOME_STATUSES, ANSWERS, type Figures } from '../domain/report';
import type { Report } from '../commands/reports';
import { plain, renderCard } from './render-card';
import { overdueCountText } from './overdue';

export interface ReportRow {
  label: string;
  value: string;
  before: string;
  change: string;
}

export interface ReportSection {
  heading: string;
  rows: ReportRow[];
}

const signed = (d: number, unit = '') => (d === 0 ? 'no change' : `${d > 0 ? '+' : ''}${d}${unit}`);
const pct = (part: number, whole: number) => (whole ? Math.round((part * 100) / whole) : undefined);
const days = (d?: number) => (d === undefined ? 'none yet' : `${d} day${d === 1 ? '' : 's'}`);

function count(label: string, now: number, before: number): ReportRow {
  return { label, value: String(now), before: String(before), change: signed(now - before) };
}

/** Every figure of the report with the previous period beside it; the card and its tests read the same rows. */
export function reportSections(r: Pick<Report, 'current' | 'before' | 'areaNames'>): ReportSection[] {
  const { current: a, before: b } = r;
  const share = (f: Figures) => pct(f.withOutcome, f.recorded);
  const shareRow: ReportRow = {
    label: 'With an outcome',
    value: `${a.withOutcome} of ${a.recorded}${share(a) === undefined ? '' : ` (${share(a)}%)`}`,
    before: `${b.withOutcome} of ${b.recorded}${share(b) === undefined ? '' : ` (${share(b)}%)`}`,
    change: share(a) !== undefined && share(b) !== undefined ? signed(share(a)! - share(b)!, ' points') : '',
  };
  const median: ReportRow = {
    label: 'Median days from meeting to "we did"',
    value: days(a.medianDaysToWeDid),
    before: days(b.medianDaysToWeDid),
    change: a.medianDaysToWeDid !== undefined && b.medianDaysToWeDid !== undefined ? signed(a.medianDaysToWeDid - b.medianDaysToWeDid, ' days') : '',
  };
  const areas = [...new Set([...Object.keys(a.byArea), ...Object.keys(b.byArea)])]
    .map((id) => ({ id, name: r.areaNames[id] ?? 'A removed priority area' }))
    .sort((x, y) => x.name.localeCompare(y.name));
  return [
    { heading: 'Contributions recorded', rows: [count('Contributions recorded', a.recorded, b.recorded), ...KINDS.map((k) => count(KIND_LABEL[k], a.byKind[k], b.byKind[k])), count('Personal stories (restricted)', a.restricted, b.restricted)] },
    { heading: 'By priority area', rows: areas.length ? areas.map((p) => count(p.name, a.byArea[p.id] ?? 0, b.byArea[p.id] ?? 0)) : [] },
    { heading: 'What happened', rows: [shareRow, ...OUTCOME_STATUSES.map((s) => count(OUTCOME_LABEL[s], a.outcomes[s], b.outcomes[s])), median, count('Overdue now', a.overdueNow, b.overdueNow)] },
    {
      heading: 'LXP answers to "you said, we did"',
      rows: [...ANSWERS.map((x) => count(ANSWER_LABEL[x], a.answers[x], b.answers[x])), count('Answered in their own words', a.answerWords, b.answerWords), count('With a reply to their words', a.answerReplies, b.answerReplies)],
    },
    {
      heading: 'Meetings and involvement',
      rows: [
        count('Agenda items led by LXPs', a.ledAgendaItems, b.ledAgendaItems),
        count('Meetings held', a.meetings.held, b.meetings.held),
        count('Stated an aim at the start', a.meetings.aimStated, b.meetings.aimStated),
        count('Reviewed the aim at the end', a.meetings.aimReviewed, b.meetings.aimReviewed),
        count('LXP attendances (one per LXP per meeting)', a.meetings.lxpAttendances, b.meetings.lxpAttendances),
        count('LXP minutes present', a.meetings.lxpMinutes, b.meetings.lxpMinutes),
      ],
    },
  ].filter((s) => s.rows.length);
}

/** One bar of a chart, with its fallback drawn as a row of 1.5 columns: `bar` and `rest` are weights out of BAR_SPAN. */
export interface ChartBar {
  label: string;
  value: number;
  shown: string;
  bar: number;
  rest: number;
}

export interface ReportChart {
  title: string;
  bars: ChartBar[];
}

const BAR_SPAN = 40;

function barsOf(rows: [string, number][]): ChartBar[] {
  const max = Math.max(0, ...rows.map(([, v]) => v));
  return rows.map(([label, value]) => {
    // A bar of one weight at least, so a small non-zero count is still seen; none for zero.
    const bar = value > 0 ? Math.max(1, Math.round((value * BAR_SPAN) / max)) : 0;
    return { label, value, shown: String(value), bar, rest: BAR_SPAN - bar };
  });
}

/**
 * The card's main figures as Teams charts (cards/report.json draws each as a
 * Chart.HorizontalBar whose fallback is the same bars made of ColumnSets, for
 * clients that cannot draw charts). Labels are fixed words, never typed text.
 * A chart with nothing to show is left out.
 */
export function reportCharts(r: Pick<Report, 'current'>): ReportChart[] {
  const a = r.current;
  const charts: ReportChart[] = [
    {
      title: 'What happened to contributions recorded this period',
      bars: barsOf([...OUTCOME_STATUSES.map((s): [string, number] => [OUTCOME_LABEL[s], a.outcomes[s]]), ['No outcome yet', Math.max(0, a.recorded - a.withOutcome)]]),
    },
    { title: 'LXP answers to "you said, we did"', bars: barsOf(ANSWERS.map((x): [string, number] => [ANSWER_LABEL[x], a.answers[x]])) },
  ];
  return charts.filter((c) => c.bars.some((b) => b.value > 0));
}

export interface OverdueDetail {
  meeting: string;
  line: string;
}

/**
 * The report card: figures only, fit for a shared chat. `detail` (the overdue
 * list with owners, at most OVERDUE_SHOWN of `detailTotal`) only goes 1:1.
 */
export function reportCard(r: Pick<Report, 'scope' | 'period' | 'previous' | 'current' | 'before' | 'areaNames'>, detail?: OverdueDetail[], detailTotal = detail?.length ?? 0) {
  return renderCard('report', {
    scope: plain(r.scope),
    period: r.period.label,
    previous: r.previous.label,
    charts: reportCharts(r),
    sections: reportSections(r).map((s) => ({ heading: s.heading, rows: s.rows.map((row) => ({ ...row, label: plain(row.label) })) })),
    hasDetail: !!detail,
    detailHeading: detail?.length ? `Overdue now, with owners (${detailTotal}).${overdueCountText(detailTotal)}` : 'Nothing in this report is overdue.',
    detail: detail ?? [],
  });
}

/** Sent 1:1 when export is asked for in a shared chat: files can only be offered in a personal chat. */
export function exportOfferCard(label: string, filter: string) {
  return renderCard('export-offer', { label: plain(label), filter });
}
