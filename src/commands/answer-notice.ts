import type { Answer, Contribution } from '../domain/contribution';
import { can } from '../domain/policy';
import type { Recipient } from '../domain/ports';
import type { AnswerExchange } from '../domain/proposals';
import { whoSaid, type Viewer } from '../presenters/contribution-view';
import { ANSWER_NOTICE, answerNoticeData, whoSaidToOwner } from '../presenters/outcome';
import { renderCard, type CardJson } from '../presenters/render-card';
import { actorFor, type Deps } from './deps';
import { namesFor } from './names';

/** The notice the owner or a member of the programme team is sent about an LXP's answer (src/jobs/answer-notice.ts). */
export interface AnswerNoticePayload {
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
  if (to.kind === 'chat') {
    viewer = { id: '', programme: false };
    who = whoSaid(answerer, names, viewer);
  } else if (n.audience === 'owner') {
    const actor = await actorFor(deps, { tenantId: c.tenantId, id: to.personId, name: '' });
    viewer = { id: actor.id, programme: actor.programme };
    const reveal = !!(await deps.stores.people.get(c.tenantId, n.lxpId))?.preferences?.revealToOwner;
    who = whoSaidToOwner(answerer, names, viewer, reveal);
  } else {
    // The team arranges the conversation, so a member sees who asked, and is reminded if that is not for the owner's ears.
    viewer = { id: to.personId, programme: true };
    who = names(n.lxpId) + (c.anonymous ? ' (recorded anonymously: keep their name from the owner)' : '');
  }
  // A shared chat sees their words, like the contribution's, only when it is not a story kept in confidence.
  const mayRead = !!x.words && can({ ...viewer, tenantId: c.tenantId }, 'read_answer_words', { type: 'answer', contribution: c, by: x.by, ...(to.kind === 'chat' ? { sharedChat: true } : {}) });
  // The reply button: for the owner (policy: reply_to_answer) who may read the words (none once withdrawn).
  const canReply = to.kind === 'person' && mayRead && can({ ...viewer, tenantId: c.tenantId }, 'reply_to_answer', { type: 'contribution', contribution: c });
  const data = answerNoticeData({ contribution: c, answer: n.answer, who, viewer, audience: n.audience, timeZone: deps.settings.timeZone, own: { exchange: x, mayRead, canReply, names } });
  return renderCard('answer-notice', data);
}
