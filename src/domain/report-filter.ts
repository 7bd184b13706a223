import { DomainError } from './errors';
import { findPeriod, type Period } from './period';
import type { Workstream } from './workstream';

/** What "report Crisis pathway waiting times since 1 March" asks for. Empty lists mean "no filter". */
export interface ReportFilter {
  workstreams: Workstream[];
  /** Priority area ids; a name shared by several workstreams matches each. */
  areaIds: string[];
  areaName?: string;
  /** Issue 23: read by a programme priority, whose linked workstream priority areas are `areaIds`. */
  programmePriority?: string;
  period?: Period;
}

/** A confirmed programme priority as the filter reads it: its title, and the workstream priority areas linked to it. */
export interface PriorityForFilter {
  title: string;
  areaIds: string[];
}

const FILLER = new Set(['for', 'in', 'on', 'of', 'the', 'and', 'from', 'during', 'workstream', 'priority', 'area', 'group', 'report', 'export', 'what', 'about', 'programme']);

const normal = (s: string) => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

/** Removes the longest name found in the text (whole words only); returns the index of the match. */
function takeName(text: string, names: string[]): { index: number; rest: string } | undefined {
  const order = names.map((n, i) => ({ n: normal(n), i })).filter((x) => x.n.trim()).sort((a, b) => b.n.length - a.n.length);
  for (const { n, i } of order) {
    const at = text.indexOf(n);
    if (at >= 0) return { index: i, rest: text.slice(0, at) + ' ' + text.slice(at + n.length) };
  }
  return undefined;
}

/**
 * Reads plain-word filters. Names are taken first, so a workstream called
 * "May group" is not read as a month; anything left over that is not a
 * period or a filler word is refused with the names that would work.
 */
export function parseReportFilter(text: string, workstreams: Workstream[], now: Date, timeZone: string, priorities: PriorityForFilter[] = []): ReportFilter {
  let rest = normal(text);
  const filter: ReportFilter = { workstreams: [], areaIds: [] };
  // Whichever of a workstream name and a programme priority title is longer is read first ("crisis" inside "crisis care at night").
  const wsNames = workstreams.map((w) => w.name);
  const titles = priorities.map((p) => p.title);
  const wsHit = takeName(rest, wsNames);
  const ppHit = takeName(rest, titles);
  const priorityFirst = !!ppHit && (!wsHit || ppHit.rest.length < wsHit.rest.length);
  const ws = priorityFirst ? takeName(ppHit.rest, wsNames) : wsHit;
  const pp = priorityFirst ? ppHit : takeName(ws ? ws.rest : rest, titles);
  rest = priorityFirst ? (ws ?? ppHit).rest : (pp ?? ws)?.rest ?? rest;
  if (ws) filter.workstreams = [workstreams[ws.index]];
  // A programme priority stands for the set of workstream priority areas linked to it.
  if (pp) {
    const p = priorities[pp.index];
    if (!p.areaIds.length) throw new DomainError('invalid_input', `No workstream priority area is linked to the programme priority "${p.title}" yet, so nothing can be read by it. The programme team links them: type priorities.`);
    filter.programmePriority = p.title;
    filter.areaIds = [...p.areaIds];
  }
  const pool = (filter.workstreams.length ? filter.workstreams : workstreams).flatMap((w) => w.priorityAreas);
  const area = pp ? undefined : takeName(rest, pool.map((p) => p.name));
  if (area) {
    const name = pool[area.index].name.toLowerCase();
    filter.areaName = pool[area.index].name;
    filter.areaIds = pool.filter((p) => p.name.toLowerCase() === name).map((p) => p.id);
    rest = area.rest;
  }
  const found = findPeriod(rest.replace(/\s+/g, ' ').trim(), now, timeZone);
  filter.period = found.period;
  const left = found.rest.split(' ').filter((w) => w && !FILLER.has(w));
  if (left.length) {
    const names = workstreams.map((w) => w.name).join(', ') || 'none yet';
    throw new DomainError(
      'invalid_input',
      `I didn't understand "${left.join(' ')}". Name a workstream (${names}), a priority area, a programme priority, or a period such as "last quarter", "since 1 March", "March 2026" or "2026".`,
    );
  }
  return filter;
}
