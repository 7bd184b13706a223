import { KINDS, KIND_LABEL, type Contribution } from '../domain/contribution';
import { formatDay, localDate } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import type { Workstream } from '../domain/workstream';
import { contributionLine, SHARED_CHAT, whoSaid, wordsFor, type Viewer } from './contribution-view';
import { SHORT_WORDS, inParts, shortened } from './message-size';
import { plain, renderCard } from './render-card';
import { WHO_SEES_MINUTES } from './who-sees';
import { meetingAgenda } from './proposals';

/** `workstreams`: what the person may link to (src/commands/meetings.ts linkChoices); `id` is the choice's value. */
export function linkMeetingCard(workstreams: { id: string; name: string }[]) {
  return renderCard('link-meeting', { workstreams: workstreams.map((w) => ({ id: w.id, name: plain(w.name) })) });
}

/** `agenda`: the LXPs' agenda items (src/presenters/proposals.ts meetingAgenda); none on a card drawn without them. */
export function meetingStartCard(meeting: Meeting, workstream: Workstream, names: Names, carried: number, agenda: ReturnType<typeof meetingAgenda> = meetingAgenda(meeting.id, [], [], names)) {
  return renderCard('meeting-start', {
    ...agenda,
    title: plain(meeting.title),
    meetingId: meeting.id,
    workstream: plain(workstream.name),
    chair: meeting.chairId ? names(meeting.chairId) : 'not set',
    aim: meeting.aim ? plain(meeting.aim.text) : '',
    carried: carried ? `${carried} contribution${carried === 1 ? ' was' : 's were'} carried into this meeting from earlier ones.` : '',
  });
}

export interface LogCardInput {
  meeting: Meeting;
  workstream: Workstream;
  logged: Contribution[];
  names: Names;
  timeZone: string;
  submissionId: string;
  defaultDue: Date;
  notice?: string;
  prefill?: { lxpIds?: string[]; words?: string };
}

/** The log form. Everyone in the chat sees the list, so it is shown as the shared chat may see it. */
export function logContributionCard(i: LogCardInput) {
  const present = new Set(Object.entries(i.meeting.attendance).filter(([, a]) => a.spans.some((s) => !s.leftAt)).map(([id]) => id));
  const lxps = [...i.workstream.lxpIds].sort((a, b) => Number(present.has(b)) - Number(present.has(a)));
  // Newest first: the one just saved is at the top.
  const live = i.logged.filter((c) => c.status !== 'withdrawn').sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  const shown = live.slice(0, LOG_CARD_SHOWN);
  return renderCard('log-contribution', {
    meeting: plain(i.meeting.title),
    meetingId: i.meeting.id,
    workstream: plain(i.workstream.name),
    notice: i.notice ?? '',
    submissionId: i.submissionId,
    lxps: lxps.map((id) => ({ id, label: present.has(id) ? `${i.names(id)} (in the meeting)` : i.names(id) })),
    lxpIds: (i.prefill?.lxpIds ?? []).join(','),
    words: i.prefill?.words ? plain(i.prefill.words) : '',
    kind: 'suggestion',
    kinds: KINDS.map((k) => ({ title: KIND_LABEL[k], value: k })),
    areas: i.workstream.priorityAreas.map((p) => ({ id: p.id, name: plain(p.name) })),
    owners: [...new Set([...i.workstream.chairIds, ...i.workstream.staffIds])].map((id) => ({ id, name: i.names(id) })),
    ownerId: i.meeting.chairId ?? i.workstream.chairIds[0] ?? '',
    dueDate: localDate(i.defaultDue, i.timeZone),
    whoSees: `${WHO_SEES_MINUTES} "As each LXP chose" follows their preferences; a personal experience stays restricted unless you choose otherwise, and the LXP is asked again.`,
    loggedCount: live.length,
    logged: shown.map((c) => {
      const line = contributionLine(c, i.names, SHARED_CHAT, i.timeZone);
      return { ...line, words: shortened(line.words, SHORT_WORDS) };
    }),
    loggedMore: live.length > shown.length ? `The latest ${shown.length} are shown here. The minutes will list all ${live.length}, in full.` : '',
  });
}

/**
 * The log card is posted again after every save, in a busy meeting dozens of
 * times. It shows the latest few, briefly, so it stays quick to read and well
 * inside Teams' message size limit (about 100 KB, counted in UTF-16: twenty
 * contributions of 2,000 characters would not fit). The minutes show them all.
 */
const LOG_CARD_SHOWN = 5;

const REVIEW: Record<string, string> = { met: 'The chair says the aim was met.', partly: 'The chair says the aim was partly met.', not_met: 'The chair says the aim was not met.' };

/**
 * Minutes posted in the meeting chat: attributed as each LXP chose; restricted stories never shown. Every
 * contribution is there in full, so a long meeting's minutes take several messages: the first has the aim,
 * the review and the buttons, and says how many follow; each of the others says which part it is.
 */
export function minutesCards(meeting: Meeting, workstream: Workstream, contributions: Contribution[], names: Names, timeZone: string, carriedIn: Contribution[] = []) {
  const live = contributions.filter((c) => c.status !== 'withdrawn');
  const withdrawn = contributions.length - live.length;
  const items = [...live, ...carriedIn].map((c) => ({
    ...contributionLine(c, names, SHARED_CHAT, timeZone),
    checkText: checkStatus(c, names),
    link: c.meetingId !== meeting.id ? ` Carried in from ${plain(c.meetingTitle)} (${formatDay(c.meetingDate, timeZone)}).` : c.carriedInto.length ? ` Carried into ${c.carriedInto.length} later meeting(s).` : '',
  }));
  const parts = inParts(items);
  const title = plain(meeting.title);
  const date = formatDay(meeting.startedAt ?? meeting.createdAt, timeZone);
  const more = parts.length - 1;
  const first = renderCard('minutes', {
    meeting: title,
    meetingId: meeting.id,
    date,
    workstream: plain(workstream.name),
    aim: meeting.aim ? plain(meeting.aim.text) : 'No aim was stated.',
    review: meeting.review ? REVIEW[meeting.review.result] : '',
    nextSteps: meeting.review?.nextSteps ? plain(meeting.review.nextSteps) : '',
    countText: live.length ? `${live.length} contribution${live.length === 1 ? '' : 's'} from Lived Experience Practitioners` : 'No contributions from Lived Experience Practitioners were logged.',
    withdrawnText: withdrawn ? `${withdrawn} contribution${withdrawn === 1 ? ' was withdrawn by the person who said it' : 's were withdrawn by the people who said them'}.` : '',
    items: parts[0],
    continued: more ? `Continued in the next ${more === 1 ? 'message' : `${more} messages`} (part 1 of ${parts.length}).` : '',
    unreachable: '',
    confirmed: meeting.minutes?.confirmedAt ? `Confirmed by ${names(meeting.minutes.confirmedBy ?? '')}.` : '',
  });
  return [first, ...parts.slice(1).map((part, i) => renderCard('minutes-continued', { meeting: title, date, part: `Part ${i + 2} of ${parts.length}`, items: part }))];
}

/**
 * Whether the LXP has checked an item yet, as the minutes say it: the minutes are posted when the meeting ends,
 * before anyone has checked anything, and are updated as each LXP answers (see src/jobs/refresh-message.ts). An
 * anonymous item says "the LXP", so the line never names someone the item does not name.
 */
export function checkStatus(c: Contribution, names: Names): string {
  const who = c.anonymous ? 'the LXP' : c.lxpIds.map(names).join(' and ');
  if (c.check === 'corrected') return `Checked by ${who}: this is their wording.`;
  if (c.check === 'confirmed') return `Checked by ${who}.`;
  return `Waiting for ${who} to check.`;
}

/**
 * The check card goes 1:1 to an LXP. Each item carries the words twice (as the record, and in the correction box)
 * and four buttons, and a correction can bring any item to 2,000 characters: six such items make about 64 KB in
 * UTF-16, inside Teams' limit for one message (about 100 KB) and its advice (80 KB). An LXP with more than six
 * contributions in one meeting gets them in parts of six, one message each, in the order they were recorded.
 */
export const CHECK_CARD_ITEMS = 6;

/** One LXP's contributions in a meeting, in the order they were recorded, in the parts their check messages show. */
export function checkParts(contributions: Contribution[], lxpId: string): Contribution[][] {
  const mine = contributions
    .filter((c) => c.lxpIds.includes(lxpId))
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
  const parts: Contribution[][] = [];
  for (let i = 0; i < mine.length; i += CHECK_CARD_ITEMS) parts.push(mine.slice(i, i + CHECK_CARD_ITEMS));
  return parts;
}

/** Said on the LXP's check card of a contribution the chair saved from the transcript (issue 24): Teams can mishear. */
export const TAKEN_FROM_TRANSCRIPT = 'Taken from the meeting transcript by the chair. Teams can mishear: correct the words if they are not what you said.';

/** Said on the LXP's check card of something they added themself (issue 22) and the chair accepted or took. */
export const ADDED_BY_YOU = 'Added by you: the chair accepted it into the record.';
export const LED_BY_YOU = 'Your agenda item: the chair took it and you led it.';

export function lxpCheckCard(meeting: Meeting, contributions: Contribution[], viewer: Viewer, names: Names, timeZone: string, notice = '', part = 0) {
  const parts = checkParts(contributions, viewer.id);
  const total = parts.reduce((n, p) => n + p.length, 0);
  // A button on a part that no longer exists (a "forget me" took contributions away since) shows the last one.
  part = Math.min(part, Math.max(0, parts.length - 1));
  return renderCard('lxp-check', {
    meeting: plain(meeting.title),
    meetingId: meeting.id,
    date: formatDay(meeting.startedAt ?? meeting.createdAt, timeZone),
    notice,
    partText:
      parts.length < 2 ? '' : part === 0 ? `You have ${total} contributions from this meeting to check. They come in ${parts.length} messages; this is part 1 of ${parts.length}.` : `Part ${part + 1} of ${parts.length}.`,
    items: (parts[part] ?? []).map((c) => ({
      id: c.id,
      meetingId: meeting.id,
      part,
      kind: KIND_LABEL[c.kind],
      named: c.anonymous ? 'Recorded as "an LXP"' : `Recorded with your name`,
      isRestricted: c.restricted,
      shownTo: c.restricted
        ? 'Kept in confidence: only you and the programme team can read it. Choose "It may be shown" if the people who see the minutes may read it.'
        : 'Shown in the minutes, to the people who see them. Choose "Keep it in confidence" if only you and the programme team should read it.',
      state: c.status === 'withdrawn' ? 'Withdrawn.' : c.check === 'confirmed' ? 'You confirmed this.' : c.check === 'corrected' ? 'Your wording is the record.' : 'Not checked yet.',
      words: wordsFor(c, viewer),
      source: c.source === 'transcript' ? TAKEN_FROM_TRANSCRIPT : c.addedBy === 'lxp' ? (c.kind === 'led_agenda_item' ? LED_BY_YOU : ADDED_BY_YOU) : '',
      open: c.status !== 'withdrawn',
      checked: c.check !== 'unchecked',
      isAnonymous: c.anonymous,
      who: whoSaid(c, names, viewer),
    })),
  });
}

/**
 * Open contributions from earlier meetings that the chair can bring into this one, shown as the shared chat may
 * see them, newest first (as `candidates` come). A workstream collects them for years, so the card shows the
 * newest that fit in one Teams message, each shortened as on the log card.
 */
export function carryForwardCard(meeting: Meeting, candidates: Contribution[], names: Names, timeZone: string, notice = '') {
  const [items] = inParts(
    candidates.map((c) => {
      const line = contributionLine(c, names, SHARED_CHAT, timeZone);
      return {
        ...line,
        words: shortened(line.words, SHORT_WORDS),
        meetingId: meeting.id,
        from: `${plain(c.meetingTitle)}, ${formatDay(c.meetingDate, timeZone)}`,
        carried: c.carriedInto.includes(meeting.id),
      };
    }),
  );
  return renderCard('carry-forward', {
    meeting: plain(meeting.title),
    notice,
    items,
    more: items.length < candidates.length ? `Showing the ${items.length} most recent open contributions from earlier meetings; older ones are not listed.` : '',
  });
}
