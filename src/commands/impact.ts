import { DomainError } from '../domain/errors';
import { areaNames, impactOf, type Impact, type ImpactPeriod } from '../domain/impact';
import type { Meeting } from '../domain/meeting';
import { defaultPeriod, findPeriod } from '../domain/period';
import { queryEvery } from '../domain/ports';
import type { Workstream } from '../domain/workstream';
import { audit, inProgramme, type Caller, type Deps } from './deps';
import { acrossProgrammes } from './personal';

/**
 * `my impact [period]` (issue 22): what one LXP's involvement led to, in
 * each of their programmes, labelled with its name. Only the caller's own
 * records are read, so nobody can ask for someone else's.
 */

export interface ProgrammeImpact {
  programmeId: string;
  programme: string;
  impact: Impact;
  /** Priority area names by id, across the programme's workstreams. */
  areaNames: Record<string, string>;
}

/** "last 12 months", "2025", "since 1 March" (what `report` understands); nothing named is the last 3 months. */
export function impactPeriod(text: string, now: Date, timeZone: string): ImpactPeriod {
  const t = text.trim().toLowerCase().replace(/[^\p{L}\p{N}-]+/gu, ' ').trim();
  if (!t) return defaultPeriod(now, timeZone);
  const found = findPeriod(t, now, timeZone);
  if (!found.period || found.rest.replace(/\b(for|in|over|of|the|during)\b/g, '').trim()) {
    throw new DomainError('invalid_input', 'Name a period, for example "my impact last 12 months", "my impact 2025" or "my impact since 1 March".');
  }
  return found.period;
}

/** One programme's figures for the caller (`p`: that programme's deps): their contributions and the meetings they were in. */
async function impactIn(p: Deps, caller: Caller, programmeId: string, programme: string, period: ImpactPeriod): Promise<ProgrammeImpact> {
  const contributions = await queryEvery(p.stores.contributions, caller.tenantId, [{ field: 'lxpIds', op: 'contains', value: caller.id }]);
  const meetings = (await queryEvery(p.stores.meetings, caller.tenantId, [{ field: 'type', op: '=', value: 'meeting' }])) as Meeting[];
  const workstreams = (await queryEvery(p.stores.workstreams, caller.tenantId, [{ field: 'type', op: '=', value: 'workstream' }])) as Workstream[];
  return { programmeId, programme, impact: impactOf(caller.id, period, contributions, meetings.filter((m) => m.attendance[caller.id])), areaNames: areaNames(workstreams) };
}

/** Every programme the caller belongs to, by name; the period from what they typed or chose on the card. */
export async function myImpact(deps: Deps, caller: Caller, period: ImpactPeriod): Promise<ProgrammeImpact[]> {
  const each = await acrossProgrammes(deps, caller, (inside, p) => impactIn(inside, caller, p.id, p.name, period));
  if (!each.length) throw new DomainError('not_found', 'You are not in a programme yet, so there is nothing to show. Ask a programme lead to add you.');
  return each.map((e) => e.value);
}

/** The file to keep: audited in each programme it draws on (ids and counts, never what was said). */
export async function auditImpactFile(deps: Deps, caller: Caller, impacts: ProgrammeImpact[]): Promise<void> {
  for (const i of impacts) {
    await audit(inProgramme(deps, caller.tenantId, i.programmeId), caller.tenantId, caller.id, 'impact.file', { subjectType: 'person', subjectId: caller.id }, { from: i.impact.period.from.toISOString(), to: i.impact.period.to.toISOString(), contributions: i.impact.contributions });
  }
}
