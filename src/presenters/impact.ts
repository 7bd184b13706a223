import { OUTCOME_LABEL } from '../domain/contribution';
import { formatShortDay, localDate } from '../domain/follow-up';
import { IMPACT_OUTCOMES, NO_AREA, type Impact, type ImpactOutcome } from '../domain/impact';
import { inParts } from './message-size';
import { plain, renderCard } from './render-card';

export const IMPACT_CARD = 'my-impact';

export const IMPACT_OUTCOME_LABEL: Record<ImpactOutcome, string> = { ...OUTCOME_LABEL, waiting: 'Waiting for an outcome' };

/** The periods the card offers; the `my impact <period>` command takes any period `report` understands. */
export const IMPACT_PERIODS = [
  { title: 'The last 3 months', value: 'last 3 months' },
  { title: 'The last 12 months', value: 'last 12 months' },
  { title: 'This year', value: 'this year' },
  { title: 'Last year', value: 'last year' },
];

export interface ImpactView {
  impact: Impact;
  /** Priority area names by id (src/domain/impact.ts areaNames). */
  areaNames: Record<string, string>;
  timeZone: string;
  /** The period choice this card shows, when it is one of IMPACT_PERIODS. */
  periodChoice?: string;
}

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function impactSummary(i: Impact): string {
  if (i.contributions === 0 && i.meetingsAttended === 0) return 'Nothing was recorded from you in this period, and Golden Thread has no meetings you attended.';
  return `You attended ${n(i.meetingsAttended, 'meeting')}. ${n(i.contributions, 'contribution')} recorded from you, ${n(i.changes.length, 'change')} made because of what you said, ${n(i.agendaItemsLed, 'agenda item')} led.`;
}

const areaLines = (v: ImpactView) =>
  Object.entries(v.impact.byArea)
    .sort(([a, x], [b, y]) => (a === NO_AREA ? 1 : b === NO_AREA ? -1 : y - x))
    .map(([id, count]) => ({ title: plain(v.areaNames[id] ?? 'A priority area no longer used'), value: String(count) }));

/** One programme's part of `my impact`, under its name. */
export interface ImpactSection extends ImpactView {
  programme: string;
}

/** In place of what was done about a personal story kept in confidence: it is counted, never described. */
const CONFIDENTIAL = 'A personal story you shared in confidence (not described here).';

function sectionData(v: ImpactSection) {
  const i = v.impact;
  const changes = i.changes.map((c) => ({
    outcome: IMPACT_OUTCOME_LABEL[c.outcome],
    whatWeDid: c.restricted ? CONFIDENTIAL : plain(c.whatWeDid),
    meeting: c.restricted ? 'A meeting' : plain(c.meetingTitle),
    date: formatShortDay(c.meetingDate, v.timeZone),
  }));
  const [shown] = inParts(changes);
  const areas = areaLines(v);
  return {
    programme: plain(v.programme),
    summary: impactSummary(i),
    outcomeCount: IMPACT_OUTCOMES.filter((o) => i.byOutcome[o] > 0).length,
    outcomes: IMPACT_OUTCOMES.filter((o) => i.byOutcome[o] > 0).map((o) => ({ title: IMPACT_OUTCOME_LABEL[o], value: String(i.byOutcome[o]) })),
    areaCount: areas.length,
    areas,
    changesHeading: i.changes.length ? 'Changes you led to' : 'No changes recorded yet in this period',
    changes: shown,
    more: shown.length < changes.length ? `And ${changes.length - shown.length} more: the copy to keep has all of them.` : '',
  };
}

/**
 * `my impact` as a card: for each of the LXP's programmes, under its name, contributions by outcome and priority
 * area, the changes they led to, agenda items led, meetings attended. One period for all.
 */
export function myImpactCard(sections: ImpactSection[], periodChoice?: string) {
  const first = sections[0];
  const period = first.impact.period;
  return renderCard(IMPACT_CARD, {
    period: plain(period.label),
    programmes: sections.map(sectionData),
    periodChoice: periodChoice ?? IMPACT_PERIODS[0].value,
    periods: IMPACT_PERIODS,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    label: plain(period.label),
  });
}

/**
 * The same figures as a plain-text file the LXP can keep (for a CV or a
 * portfolio), each programme under its name. It holds what was done, never
 * their own words, so a personal story stays out of anything they share.
 */
export function impactFile(sections: ImpactSection[], madeAt: Date): { name: string; text: string } {
  const { period } = sections[0].impact;
  const tz = sections[0].timeZone;
  const lines = ['My involvement: Golden Thread', period.label];
  for (const v of sections) {
    const i = v.impact;
    lines.push('', `== ${v.programme} ==`, '', impactSummary(i), '', 'What happened to what I said', ...IMPACT_OUTCOMES.filter((o) => i.byOutcome[o] > 0).map((o) => `  ${IMPACT_OUTCOME_LABEL[o]}: ${i.byOutcome[o]}`));
    const areas = areaLines(v);
    if (areas.length) lines.push('', 'By priority area', ...areas.map((a) => `  ${a.title}: ${a.value}`));
    lines.push('', i.changes.length ? 'Changes I led to' : 'No changes recorded yet in this period');
    for (const c of i.changes) lines.push(c.restricted ? `  ${formatShortDay(c.meetingDate, tz)}: ${IMPACT_OUTCOME_LABEL[c.outcome]}. ${CONFIDENTIAL}` : `  ${formatShortDay(c.meetingDate, tz)}, ${c.meetingTitle}: ${IMPACT_OUTCOME_LABEL[c.outcome]}. ${c.whatWeDid}`);
  }
  lines.push('', `Made on ${formatShortDay(madeAt, tz)} from the records of Golden Thread.`);
  const name = `my-impact-${localDate(period.from, tz)}-to-${localDate(new Date(period.to.getTime() - 1), tz)}.txt`;
  return { name, text: lines.join('\r\n') + '\r\n' };
}
