import { KIND_LABEL, OUTCOME_LABEL, STATUS_LABEL, type Contribution } from '../domain/contribution';
import { formatShortDay } from '../domain/follow-up';
import type { MyContributions } from '../commands/my-contributions';
import { wordsFor, type Viewer } from './contribution-view';
import { inParts } from './message-size';
import { plain, renderCard } from './render-card';

/** What was done, in the owner's words, with the reason when it was not taken forward. */
function whatWasDone(c: Contribution, timeZone: string): string {
  const o = c.outcomes[c.outcomes.length - 1];
  if (!o) return 'Nothing recorded yet.';
  const parts = [`${OUTCOME_LABEL[o.status]} (${formatShortDay(o.decidedAt, timeZone)}): ${o.whatWeDid}`];
  if (o.reason) parts.push(`Why: ${o.reason}`);
  if (o.passedTo) parts.push(`Passed to: ${o.passedTo}`);
  return plain(parts.join(' '));
}

/** The LXP's own history: they may read their own restricted stories, so the viewer is them. */
export function myContributionsCard(r: MyContributions, viewer: Viewer, timeZone: string) {
  // Every word in full, so as many of the newest as fit in one Teams message; "my data" has them all.
  const lines = r.items.map((c) => ({
    meeting: plain(`${c.meetingTitle}, ${formatShortDay(c.meetingDate, timeZone)} (${r.programmeNames?.[c.id] ? `${r.programmeNames[c.id]}: ` : ''}${r.workstreamNames[c.workstreamId] ?? 'a workstream'})`),
    about: `${KIND_LABEL[c.kind]}. ${c.anonymous ? 'Recorded as "an LXP".' : 'Recorded with your name.'}${c.restricted ? ' Personal story (restricted).' : ''}${c.addedBy === 'lxp' ? ' Added by you.' : ''}`,
    words: wordsFor(c, viewer),
    state: `Where it stands: ${STATUS_LABEL[c.status]}.`,
    done: whatWasDone(c, timeZone),
  }));
  const [items] = inParts(lines);
  const total = items.length;
  const more = r.more || total < lines.length;
  return renderCard('my-contributions', {
    title: total ? 'What was recorded from you' : 'Nothing has been recorded from you yet',
    intro: total
      ? `Newest first${more ? `: your ${total} most recent. Type "my data" for all of them, with everything else Golden Thread holds about you` : ''}.`
      : 'When a chair logs something you said in a meeting, it will appear here with what was done about it.',
    withdrawn: r.withdrawn ? `You withdrew ${r.withdrawn} contribution${r.withdrawn === 1 ? '' : 's'}; the words were erased.` : '',
    items,
  });
}
