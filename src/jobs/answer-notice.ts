import type { Contribution } from '../domain/contribution';
import type { Recipient } from '../domain/ports';
import type { AnswerExchange } from '../domain/proposals';
import type { Deps } from '../commands/deps';
import { answerNoticeCard, type AnswerNoticePayload } from '../commands/answer-notice';
import { namesFor } from '../commands/names';
import { ANSWER_NOTICE, answerReplyData, withdrawnNotice } from '../presenters/outcome';
import { renderCard, type CardJson } from '../presenters/render-card';
import type { JobHandler } from './job-handler';

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
    // Remembered as showing the contribution, so a withdrawal, anonymising or "forget me" draws it again (refresh_message).
    const view = { card: 'answer_notice' as const, contributionId: c.id, lxpId: n.lxpId, answer: n.answer, audience: n.audience, ...(n.answeredAt ? { answeredAt: n.answeredAt } : {}) };
    return card && { to: n.to, message: { card, summary: ANSWER_NOTICE[n.answer].heading }, shows: { view, contributionIds: [c.id] } };
  },
};

export const REPLY_SUMMARY = 'A reply to what you wrote';

/** The owner's reply as the LXP sees it; drawn again after a change, with nothing left once the words are erased. */
export async function answerReplyCard(deps: Deps, c: Contribution, x: AnswerExchange): Promise<CardJson> {
  if (c.status === 'withdrawn' || !x.reply?.words) return withdrawnNotice(REPLY_SUMMARY);
  const names = await namesFor(deps, c.tenantId, [x.reply.by]);
  return renderCard('answer-reply', answerReplyData({ contribution: c, exchange: x, ownerName: names(x.reply.by), timeZone: deps.settings.timeZone }));
}

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
    const card = await answerReplyCard(deps, c, x);
    return { to, message: { card, summary: REPLY_SUMMARY }, shows: { view: { card: 'answer_reply', contributionId: c.id, answeredAt: x.at }, contributionIds: [c.id] } };
  },
};
