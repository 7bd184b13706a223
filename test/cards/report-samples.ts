/*
 * Samples for the report cards (issue 7), in the shape of SAMPLES in
 * test/cards/samples.ts: spread REPORT_SAMPLES into SAMPLES there to put
 * these cards under the shared card checks.
 */
import { transition, type Contribution } from '../../src/domain/contribution';
import { figuresFrom, meetingFigures } from '../../src/domain/report';
import { monthsFrom, previousPeriod } from '../../src/domain/period';
import { exportOfferCard, reportCard } from '../../src/presenters/report';
import { overdueCard, nudgeCardData } from '../../src/presenters/overdue';
import { myContributionsCard } from '../../src/presenters/my-contributions';
import { attendanceCard } from '../../src/presenters/attendance';
import { renderCard } from '../../src/presenters/render-card';
import type { ShownOverdue } from '../../src/commands/overdue';
import { overdueEntryOf } from '../../src/domain/report';
import type { SampleBuilder, World } from './samples';

const MARCH = new Date(2026, 2, 1);

export function report(w: World) {
  const period = monthsFrom(MARCH, 1, w.timeZone);
  const [night, waits] = w.workstream.priorityAreas;
  const counts = (n: number) => ({
    recorded: 10 + n, 'kind:suggestion': 4, 'kind:challenge': 3 + n, 'kind:led_agenda_item': 3, [`area:${night.id}`]: 5, [`area:${waits.id}`]: 2 + n, restricted: 1,
    withOutcome: 6, 'outcome:adopted': 3, 'outcome:partly_adopted': 1, 'outcome:not_taken_forward': 1, 'outcome:under_consideration': 1, overdue: 2 - n,
    'answer:helpful': 3, 'answer:want_to_talk': 1, 'weDid:d:6': 2, 'weDid:d:12': 3,
  });
  return {
    scope: w.workstream.name,
    period,
    previous: previousPeriod(period, w.timeZone),
    current: figuresFrom(counts(1), meetingFigures([w.reviewedMeeting], new Date('2026-03-31T00:00:00Z'))),
    before: figuresFrom(counts(0), meetingFigures([], new Date())),
    areaNames: Object.fromEntries(w.workstream.priorityAreas.map((p) => [p.id, p.name])),
  };
}

const overdueItems = (w: World): ShownOverdue[] =>
  w.contributions
    .filter((c) => c.status !== 'withdrawn')
    .map((c, i) => {
      const contribution = (i === 1 ? { ...c, status: 'escalated' } : { ...c, status: 'overdue' }) as Contribution;
      return { contribution, entry: overdueEntryOf(contribution)!, workstream: w.workstream, daysOverdue: 3 + i * 7, canNudge: i !== 2 };
    });

function decided(w: World): Contribution {
  const c = w.contributions[0];
  return transition(c, {
    type: 'record_outcome', followUpAfterDue: c.dueAt,
    outcome: { status: 'not_taken_forward', whatWeDid: `We looked at night staffing ${w.typed}`.trim(), reason: `No budget this year ${w.typed}`.trim(), decidedBy: 'chris', decidedAt: c.dueAt },
  }, 'chris', new Date(c.dueAt));
}

export const REPORT_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  report: {
    'for the person who asked, with overdue owners': (w) =>
      reportCard(report(w), [{ meeting: `${w.meeting.title} (9 Mar 2026)`, line: `${w.workstream.name}. Suggestion from Sam Okafor. Owner Chris Morgan. Feedback was due 23 Mar 2026: 8 days overdue.` }]),
    'in a shared chat: figures only': (w) => reportCard(report(w)),
  },
  'overdue-list': {
    'a chair with three overdue': (w) => overdueCard(overdueItems(w), overdueItems(w), w.names, { id: 'chris', programme: false }, w.timeZone),
    'nothing overdue': (w) => overdueCard([], [], w.names, { id: 'chris', programme: false }, w.timeZone),
  },
  nudge: {
    'to the owner': (w) => renderCard('nudge', nudgeCardData({ contribution: w.contributions[0], workstream: w.workstream, from: 'Priya Shah', daysOverdue: 6, timeZone: w.timeZone })),
  },
  'my-contributions': {
    'Sam, with an outcome and a withdrawal': (w) =>
      myContributionsCard(
        { items: [decided(w), ...w.contributions.slice(1).filter((c) => c.lxpIds.includes('sam') && c.status !== 'withdrawn')], more: true, withdrawn: 1, workstreamNames: { [w.workstream.id]: w.workstream.name } },
        { id: 'sam', programme: false },
        w.timeZone,
      ),
    'nothing yet': (w) => myContributionsCard({ items: [], more: false, withdrawn: 0, workstreamNames: {} }, { id: 'sam', programme: false }, w.timeZone),
  },
  attendance: {
    'the programme team': (w) =>
      attendanceCard({ period: monthsFrom(MARCH, 1, w.timeZone), everyone: true, own: [], rows: [{ personId: 'alex', name: 'Alex Rivera', meetings: 2, minutes: 150, confirmed: 0 }, { personId: 'sam', name: 'Sam Okafor', meetings: 3, minutes: 240, confirmed: 1 }] }, w.timeZone),
    'no attendance': (w) => attendanceCard({ period: monthsFrom(MARCH, 1, w.timeZone), everyone: false, rows: [], own: [] }, w.timeZone),
    "an LXP's own, one meeting not recorded": (w) =>
      attendanceCard({
        period: monthsFrom(MARCH, 1, w.timeZone),
        everyone: false,
        rows: [{ personId: 'sam', name: 'Sam Okafor', meetings: 1, minutes: 0, confirmed: 1 }],
        own: [
          { meetingId: 'mt-1', title: 'Crisis pathway session, 3 Mar 2026', startedAt: '2026-03-03T10:00:00.000Z', recorded: 'confirmed' },
          { meetingId: 'mt-2', title: 'Crisis pathway <b>board</b>', startedAt: '2026-03-17T10:00:00.000Z', recorded: 'none' },
        ],
      }, w.timeZone),
  },
  'export-offer': {
    'sent 1:1 from a meeting chat': (w) => exportOfferCard(`${w.workstream.name}, March 2026`, 'Crisis pathway March 2026'),
  },
};
