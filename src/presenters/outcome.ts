import { ANSWER_LABEL, OUTCOME_LABEL, type Answer, type Contribution, type Outcome } from '../domain/contribution';
import { formatDay, localDate } from '../domain/follow-up';
import type { Names, Preferences } from '../domain/person';
import type { AnswerExchange } from '../domain/proposals';
import { kindLabel, whoSaid, wordsFor, type Viewer } from './contribution-view';
import { SHORT_WORDS, inParts, shortened } from './message-size';
import { plain, renderCard } from './render-card';

/** Anonymous means "an LXP" to the owner too, unless every LXP who said it allowed their owner to see it was them. */
export function whoSaidToOwner(c: Contribution, names: Names, viewer: Viewer, everyLxpRevealsToOwner: boolean): string {
  if (c.anonymous && everyLxpRevealsToOwner) return c.lxpIds.map(names).join(' and ');
  return whoSaid(c, names, viewer);
}

const HEADING = {
  ask: 'What happened to this contribution?',
  reminder: 'Reminder: what happened to this contribution?',
};
export type AskVariant = keyof typeof HEADING;

export function outcomeDetail(o: Outcome, names: Names, timeZone: string): string {
  if (o.status === 'not_taken_forward') return `Why: ${plain(o.reason ?? '')}`;
  if (o.status === 'under_consideration' && o.newDueAt) return `To be decided by ${formatDay(o.newDueAt, timeZone)}.`;
  if (o.status === 'passed_on') return `Passed to ${plain(o.passedTo ?? 'another group')}${o.newOwnerId ? `; ${names(o.newOwnerId)} owns it now` : ''}.`;
  return '';
}

export interface AskOwnerInput {
  contribution: Contribution;
  names: Names;
  viewer: Viewer;
  reveal: boolean;
  owners: { id: string; name: string }[];
  variant: AskVariant;
  workstream: string;
  now: Date;
  timeZone: string;
}

export function askOwnerCard(i: AskOwnerInput) {
  const c = i.contribution;
  const last = c.outcomes[c.outcomes.length - 1];
  const due = formatDay(c.dueAt, i.timeZone);
  return renderCard('ask-owner', {
    heading: HEADING[i.variant],
    intro: `You own this contribution. Its feedback is due on ${due}. What you write under "What we did" is sent to the LXP as "you said, we did".`,
    kind: kindLabel(c),
    who: whoSaidToOwner(c, i.names, i.viewer, i.reveal),
    words: wordsFor(c, i.viewer),
    meeting: plain(c.meetingTitle),
    workstream: plain(i.workstream),
    date: formatDay(c.meetingDate, i.timeZone),
    previous: last ? `${OUTCOME_LABEL[last.status]}: ${plain(last.whatWeDid)} ${outcomeDetail(last, i.names, i.timeZone)}`.trim() : '',
    owners: i.owners.map((o) => ({ id: o.id, name: plain(o.name) })),
    today: localDate(i.now, i.timeZone),
    contributionId: c.id,
    dueAt: c.dueAt,
  });
}

export interface FeedbackItemInput {
  contribution: Contribution;
  outcome: Outcome;
  lxpId: string;
  names: Names;
  detail: Preferences['detail'];
  timeZone: string;
  via: 'card' | 'digest';
  answered?: Answer;
  /** The words they wrote with that answer, shown back to them. */
  answeredWords?: string;
}

/** One "you said, we did": the LXP may always read their own words, restricted or not. */
export function feedbackItem(i: FeedbackItemInput) {
  const c = i.contribution;
  const o = i.outcome;
  return {
    contributionId: c.id,
    words: wordsFor(c, { id: i.lxpId, programme: false }),
    meeting: plain(c.meetingTitle),
    date: formatDay(c.meetingDate, i.timeZone),
    named: c.anonymous ? 'Recorded as "an LXP".' : 'Recorded with your name.',
    outcome: OUTCOME_LABEL[o.status],
    whatWeDid: plain(o.whatWeDid),
    detail: outcomeDetail(o, i.names, i.timeZone),
    by: i.names(o.decidedBy),
    when: formatDay(o.decidedAt, i.timeZone),
    evidenceUrl: o.evidenceUrl ?? '',
    detailed: i.detail === 'detailed',
    answered: i.answered ? `You answered: ${ANSWER_LABEL[i.answered]}.` : '',
    answeredWords: i.answered && i.answeredWords ? plain(i.answeredWords) : '',
    via: i.via,
  };
}

export type FeedbackItem = ReturnType<typeof feedbackItem>;

export function youSaidWeDidCard(item: FeedbackItem, notice = '') {
  return renderCard('you-said-we-did', { notice, items: [item] });
}

/**
 * A digest is one message, so it must fit in one: what was done is shown in full, what the LXP said (their own
 * words, a reminder here) is shortened, and in a month with more news than fits, the rest are counted and
 * "my contributions" lists them with what was done.
 */
export function digestCard(rhythm: 'weekly' | 'monthly', from: Date, to: Date, items: FeedbackItem[], timeZone: string) {
  const last = new Date(to.getTime() - 1);
  const [shown] = inParts(items.map((i) => ({ ...i, words: shortened(i.words, SHORT_WORDS) })));
  const rest = items.length - shown.length;
  return renderCard('digest', {
    heading: rhythm === 'weekly' ? 'You said, we did: your week' : 'You said, we did: your month',
    period: `What happened to what you said, decided from ${formatDay(from, timeZone)} to ${formatDay(last, timeZone)}.`,
    items: shown,
    more: rest ? `There ${rest === 1 ? 'is 1 more decision' : `are ${rest} more decisions`} about what you said in this time. Type "my contributions" to see each one and what was done.` : '',
  });
}

export const ANSWER_NOTICE: Record<Answer, { heading: string; answered: string; owner: string; team: string }> = {
  // Only sent when they wrote something: a plain "helpful" needs nobody's attention.
  helpful: {
    heading: 'An LXP wrote about their feedback',
    answered: 'found what was done helpful, and wrote to you about it.',
    owner: 'Nothing needs doing.',
    team: 'For your information: nothing needs doing unless you see a reason to.',
  },
  want_to_talk: {
    heading: 'An LXP would like to talk about their feedback',
    answered: 'would like to talk about what was done with this.',
    owner: 'Please offer them a conversation, or ask the programme team to arrange one.',
    team: 'Please make sure someone offers them a conversation soon.',
  },
  does_not_reflect: {
    heading: "An LXP says the feedback doesn't reflect what they said",
    answered: 'says this outcome does not reflect what they said.',
    owner: 'Please look again at what they said and what was recorded, and talk it through with them or the programme team.',
    team: 'Please check the record with them and the owner.',
  },
  disagree_decision: {
    heading: 'An LXP disagrees with the decision',
    answered: 'disagrees with the decision made about this.',
    owner: 'Please consider what they said; the programme team can arrange a conversation if they want one.',
    team: 'Please make sure their disagreement is heard, and offer a conversation if they want one.',
  },
};

/** The LXP's answer and own words, as one reader may see them (src/domain/proposals.ts mayReadAnswerWords). */
export interface AnswerNoticeWords {
  exchange: AnswerExchange;
  mayRead: boolean;
  /** The owner, while they have not replied and may read the words. */
  canReply: boolean;
  names: Names;
}

/** Data for cards/answer-notice.json, kept in a notify job: `who` and the words already follow the reader's rules. */
export function answerNoticeData(i: { contribution: Contribution; answer: Answer; who: string; viewer: Viewer; audience: 'owner' | 'team'; timeZone: string; own?: AnswerNoticeWords }) {
  const c = i.contribution;
  const o = c.outcomes[c.outcomes.length - 1];
  const text = ANSWER_NOTICE[i.answer];
  const x = i.own?.exchange;
  const reply = x?.reply;
  return {
    heading: text.heading,
    who: plain(i.who),
    answered: text.answered,
    words: wordsFor(c, i.viewer),
    meeting: plain(c.meetingTitle),
    date: formatDay(c.meetingDate, i.timeZone),
    outcome: o ? OUTCOME_LABEL[o.status] : '',
    whatWeDid: o ? plain(o.whatWeDid) : '',
    ownWords: x?.words && i.own?.mayRead ? plain(x.words) : '',
    withheld: x?.words && !i.own?.mayRead ? 'They also wrote a few words. As this is a personal story kept in confidence, their words went to the programme team only.' : '',
    canReply: !!i.own?.canReply && !reply,
    replied: reply && i.own?.mayRead ? `${i.own.names(reply.by)} replied on ${formatDay(reply.at, i.timeZone)}:` : '',
    reply: reply && i.own?.mayRead ? plain(reply.words) : '',
    contributionId: c.id,
    answeredAt: x?.at ?? '',
    next: i.audience === 'owner' ? text.owner + (i.own?.canReply && !reply ? ' You can reply once, in plain words, below: the LXP receives your reply.' : '') : text.team,
  };
}

/** To the LXP: the owner's one reply to what they wrote, with their answer and words beside it. */
export function answerReplyData(i: { contribution: Contribution; exchange: AnswerExchange; ownerName: string; timeZone: string }) {
  const c = i.contribution;
  const x = i.exchange;
  return {
    heading: 'A reply to what you wrote',
    who: plain(i.ownerName),
    when: formatDay(x.reply?.at ?? x.at, i.timeZone),
    reply: plain(x.reply?.words ?? ''),
    answered: `You answered "${ANSWER_LABEL[x.answer]}" and wrote:`,
    yourWords: plain(x.words ?? ''),
    words: wordsFor(c, { id: x.by, programme: false }),
    meeting: plain(c.meetingTitle),
    date: formatDay(c.meetingDate, i.timeZone),
    next: 'The owner replies once. If you want to talk it through, the programme team can arrange a conversation.',
  };
}

/** A message drawn again after what it showed was withdrawn or erased: its title, and no words left (digest, answer notice, reply). */
export function withdrawnNotice(title: string) {
  return renderCard('notice', { title, text: 'What this message showed was withdrawn.', facts: [] });
}
