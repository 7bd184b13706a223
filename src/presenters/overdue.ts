import { KIND_LABEL, type Contribution } from '../domain/contribution';
import { formatShortDay } from '../domain/follow-up';
import type { Names } from '../domain/person';
import type { Workstream } from '../domain/workstream';
import type { OverdueItem, ShownOverdue } from '../commands/overdue-items';
import { OVERDUE_SHOWN } from '../domain/report';
import { whoSaid, wordsFor, type Viewer } from './contribution-view';
import { plain, renderCard } from './render-card';

const daysText = (n: number) => (n === 1 ? '1 day overdue' : `${n} days overdue`);

export const NOT_QUOTED_TEXT = 'Not quoted: the LXP chose not to have their words quoted in reports.';

/**
 * One line per overdue item for a person (never a shared chat): owner named, LXP named as they chose. `unquoted`:
 * items in a report whose LXP chose not to be quoted (src/commands/quoting.ts); the LXP still reads their own.
 */
export function overdueLines(items: ShownOverdue[], names: Names, viewer: Viewer, timeZone: string, unquoted: ReadonlySet<string> = new Set()) {
  return items.map(({ contribution: c, workstream, daysOverdue, canNudge }) => ({
    id: c.id,
    meeting: plain(`${c.meetingTitle} (${formatShortDay(c.meetingDate, timeZone)})`),
    line: plain(`${workstream.name}. ${KIND_LABEL[c.kind]} from ${whoSaid(c, names, viewer)}. Owner ${names(c.ownerId)}. Feedback was due ${formatShortDay(c.dueAt, timeZone)}: ${daysText(daysOverdue)}${c.status === 'escalated' ? ', programme team told' : ''}.`),
    words: unquoted.has(c.id) && !c.lxpIds.includes(viewer.id) ? NOT_QUOTED_TEXT : wordsFor(c, viewer),
    canNudge,
    nudgeTitle: `Nudge ${names(c.ownerId)}`,
  }));
}

export const overdueCountText = (total: number) =>
  total > OVERDUE_SHOWN ? ` The ${OVERDUE_SHOWN} most overdue of ${total} are shown; the programme team can type "export" for all of them.` : '';

/** `items`: everything this person may see (for the count); `shown`: the first of them, read in full (loadShown). */
export function overdueCard(items: OverdueItem[], shown: ShownOverdue[], names: Names, viewer: Viewer, timeZone: string, notice = '') {
  return renderCard('overdue-list', {
    title: items.length ? `Overdue: ${items.length} contribution${items.length === 1 ? '' : 's'}` : 'Nothing is overdue',
    intro: items.length ? `Most overdue first. A nudge sends the owner a reminder in Teams (once a day at most).${overdueCountText(items.length)}` : 'Every contribution you can see has its feedback on time.',
    notice,
    items: overdueLines(shown, names, viewer, timeZone),
  });
}

/** Shared chats see counts only: no names, nothing anonymous or restricted. */
export function overdueSummary(items: OverdueItem[]): string {
  if (!items.length) return 'Nothing is overdue.';
  const byWs = new Map<string, number>();
  for (const i of items) byWs.set(i.workstream.name, (byWs.get(i.workstream.name) ?? 0) + 1);
  const parts = [...byWs].map(([n, c]) => `${n}: ${c}`).join('; ');
  return `${items.length} contribution${items.length === 1 ? ' is' : 's are'} overdue (${parts}).`;
}

/** Data for cards/nudge.json, stored in a notify job: so no words, only what the owner needs to find the item. */
export function nudgeCardData(i: { contribution: Contribution; workstream: Workstream; from: string; daysOverdue: number; timeZone: string }) {
  const c = i.contribution;
  return {
    from: plain(i.from),
    meeting: plain(`${c.meetingTitle} (${formatShortDay(c.meetingDate, i.timeZone)}), ${i.workstream.name}`),
    text: `A ${KIND_LABEL[c.kind].toLowerCase()} from this meeting is waiting for you to say what happened. Feedback was due ${formatShortDay(c.dueAt, i.timeZone)} (${daysText(i.daysOverdue)}).`,
  };
}
