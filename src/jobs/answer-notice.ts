import type { Answer, Contribution } from '../domain/contribution';
import type { Recipient } from '../domain/ports';
import { can } from '../domain/policy';
import type { AnswerExchange } from '../domain/proposals';
import { actorFor, type Deps } from '../commands/deps';
import { namesFor } from '../commands/names';
import { whoSaid, type Viewer } from '../presenters/contribution-view';
import { ANSWER_NOTICE, answerNoticeData, answerReplyData, whoSaidToOwner } from '../presenters/outcome';
import { renderCard, type CardJson } from '../presenters/render-card';
import type { JobHandler } from './job-handler';

interface AnswerNoticePayload {
  lxpId: string;
  answer: Answer;
  audience: 'owner' | 'team';
  to: Recipient;
  /** Which answer (jobs queued before issue 22 have none: their latest). */
  answeredAt?: string;
}

/** The answer this notice is about: the one given at `answeredAt`, or the LXP's latest. */
const exchangeOf = (c: Contribution, lxpId: string, answeredAt?: string): AnswerExchange | undefined =>
  answeredAt ? c.answers.find((a) => a.at === answeredAt && a.by === lxpId) : c.answers.filter((a) => a.by === lxpId).at(-1);

/**
 * The card the owner or a member of the programme team sees about an LXP's answer, as that reader may see it:
 * built by the job when it sends, and again when the owner replies (the card they pressed is redrawn).
 */
export async function answerNoticeCard(deps: Deps, c: Contribution, n: AnswerNoticePayload): Promise<CardJson | undefined> {
  const x = exchangeOf(c, n.lxpId, n.answeredAt);
  if (!x || !ANSWER_NOTICE[n.answer]) return undefined;
  const names = await namesFor(deps, c.tenantId, [n.lxpId, x.reply?.by ?? '']);
  const answerer = { ...c, lxpIds: [n.lxpId] };
  const to = n.to;
  let viewer: Viewer;
  let who: string;
  let mayRead: boolean;
  if (to.kind === 'chat') {
    viewer = { id: '', programme: false };
    who = whoSaid(answerer, names, viewer);
    // A shared chat: their words, like the contribution's, only when it is not a story kept in confidence.
    mayRead = !!x.words && can({ ...viewer, tenantId: c.tenantId }, 'read_answer_words', { type: 'answer', contribution: c, by: x.by, sharedChat: true });
  } else if (n.audience === 'owner') {
    const actor = await actorFor(deps, { tenantId: c.tenantId, id: to.personId, name: '' });
    viewer = { id: actor.id, programme: actor.programme };
    const reveal = !!(await deps.stores.people.get(c.tenantId, n.lxpId))?.preferences?.revealToOwner;
    who = whoSaidToOwner(answerer, names, viewer, reveal);
    mayRead = !!x.words && can({ ...viewer, tenantId: c.tenantId }, 'read_answer_words', { type: 'answer', contribution: c, by: x.by });
  } else {
    // The team arranges the conversation, so a member sees who asked, and is reminded if that is not for the owner's ears.
    viewer = { id: to.personId, programme: true };
    who = names(n.lxpId) + (c.anonymous ? ' (recorded anonymously: keep their name from the owner)' : '');
    mayRead = !!x.words && can({ ...viewer, tenantId: c.tenantId }, 'read_answer_words', { type: 'answer', contribution: c, by: x.by });
  }
  const canReply = to.kind === 'person' && to.personId === c.ownerId && mayRead && c.status !== 'withdrawn';
  const data = answerNoticeData({ contribution: c, answer: n.answer, who, viewer, audience: n.audience, timeZone: deps.settings.timeZone, own: { exchange: x, mayRead, canReply, names } });
  return renderCard('answer-notice', data);
}

/**
 * Tells the owner, or the programme team, that an LXP answered (wants to
 * talk, disagrees, or wrote in their own words). Built at send time, so a
 * withdrawal in between leaves no words in the message, and each reader sees
 * only what they may.
 */
export const answerNoticeHandler: JobHandler = {
  async plan(deps, job) {
    const n = job.payload as unknown as AnswerNoticePayload;
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (!c || c.status === 'withdrawn' || !c.lxpIds.includes(n.lxpId)) return undefined;
    const card = await answerNoticeCard(deps, c, n);
    return card && { to: n.to, message: { card, summary: ANSWER_NOTICE[n.answer].heading } };
  },
};

/** The owner's one reply, to the LXP who wrote; built at send time, so a withdrawal or "forget me" in between sends nothing. */
export const answerReplyHandler: JobHandler = {
  recipient(job) {
    return job.payload.to as Recipient;
  },
  async plan(deps, job) {
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    const to = job.payload.to as Recipient;
    const x = c?.answers.find((a) => a.at === job.payload.answeredAt);
    if (!c || !x?.reply || c.status === 'withdrawn' || to.kind !== 'person' || to.personId !== x.by || !c.lxpIds.includes(x.by)) return undefined;
    const names = await namesFor(deps, job.tenantId, [x.reply.by]);
    const card = renderCard('answer-reply', answerReplyData({ contribution: c, exchange: x, ownerName: names(x.reply.by), timeZone: deps.settings.timeZone }));
    return { to, message: { card, summary: 'A reply to what you wrote' } };
  },
};
