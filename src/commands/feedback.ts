import { DomainError, notAllowed } from '../domain/errors';
import { ANSWER_LABEL, canApply, type Answer, type Contribution } from '../domain/contribution';
import { MAX_ANSWER_WORDS, type AnswerExchange } from '../domain/proposals';
import { can } from '../domain/policy';
import { actorFor, type Caller, type Deps } from './deps';
import { applyEvent, getContribution } from './contributions';
import { completePending, finishingIfRefused } from './outbox';
import { programmeTeam, type TeamRecipient } from './programme-team';
import type { Effect } from '../domain/effects';

/** Who the history and audit name when the scheduler, not a person, moves a contribution on. */
export const SCHEDULER_ACTOR = 'golden-thread';

/**
 * Marks the outcome decided at `decidedAt` as sent to the LXP. Safe to
 * repeat and to race: with several LXPs only the first send moves it on.
 */
export async function markFedBack(deps: Deps, tenantId: string, contributionId: string, decidedAt: string): Promise<void> {
  const c = await deps.stores.contributions.get(tenantId, contributionId);
  const last = c?.outcomes[c.outcomes.length - 1];
  if (!c || !last || last.decidedAt !== decidedAt || last.fedBackAt || !canApply(c, 'feed_back')) {
    // Sent already, perhaps by a run that failed half-way: what that run left pending is finished.
    if (c?.pending?.length) await completePending(deps, c, 'after');
    return;
  }
  try {
    await applyEvent(deps, tenantId, contributionId, { type: 'feed_back' }, SCHEDULER_ACTOR, (fresh) => {
      const l = fresh.outcomes[fresh.outcomes.length - 1];
      if (!l || l.decidedAt !== decidedAt || l.fedBackAt) throw new DomainError('already_done', 'already fed back');
    });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
}

/**
 * The LXP's answer to "you said, we did", with their own words if they wrote
 * any. It is recorded on the contribution; an answer other than "helpful", or
 * any answer with words, tells the owner and the programme team, each seeing
 * only what they may (anonymous and restricted rules, read_answer_words in policy.ts).
 */
export async function answerFeedback(deps: Deps, caller: Caller, input: { contributionId: string; answer: Answer; words?: string }): Promise<Contribution> {
  const actor = await actorFor(deps, caller);
  const words = (input.words ?? '').trim() || undefined;
  if (words && words.length > MAX_ANSWER_WORDS) throw new DomainError('invalid_input', `Your words are ${words.length} characters; keep them to ${MAX_ANSWER_WORDS}. Nothing was recorded.`);
  const authorise = (c: Contribution) => {
    if (!can(actor, 'answer_feedback', { type: 'contribution', contribution: c })) throw notAllowed('Only the person who said this can answer.');
    const last = c.outcomes[c.outcomes.length - 1];
    if (!last) throw new DomainError('stale', 'No outcome has been recorded for this yet.');
    // The same answer again adds nothing, unless it brings new words: those are never dropped.
    const before = c.answers.filter((a) => a.by === caller.id && a.at >= last.decidedAt).at(-1);
    if (before?.answer === input.answer && (!words || words === before.words)) {
      throw new DomainError('already_done', `Thank you: your answer "${ANSWER_LABEL[input.answer]}" is already recorded.`);
    }
  };
  const current = await getContribution(deps, caller.tenantId, input.contributionId);
  await finishingIfRefused(deps, current, () => authorise(current));
  const last = current.outcomes[current.outcomes.length - 1];
  // They hold the card, so it reached them even if the send's bookkeeping has not caught up yet.
  if (current.status === 'outcome_recorded') await markFedBack(deps, caller.tenantId, current.id, last.decidedAt);
  const event = { type: 'respond' as const, answer: input.answer, ...(words ? { words } : {}) };
  // Ids and facts only: the audit never holds their words. An answer other than "helpful", or any with words, tells the owner
  // and the programme team: queued in the same write as the answer.
  const { after } = await applyEvent(deps, caller.tenantId, current.id, event, caller.id, authorise, () => ({ answer: input.answer, withWords: !!words }), (_before, next) =>
    input.answer === 'helpful' && !words ? [] : noticeEffects(deps, next, caller.id, input.answer, next.answers[next.answers.length - 1].at),
  );
  if (input.answer !== 'helpful' || words) deps.queue.runSoon();
  return after;
}

/** One notice to the owner and one to each of the programme team (or their chat); each is built when it is sent. */
async function noticeEffects(deps: Deps, c: Contribution, lxpId: string, answer: Answer, answeredAt: string): Promise<Effect[]> {
  const at = deps.clock.now().toISOString();
  const owner: TeamRecipient = { to: { kind: 'person', personId: c.ownerId }, viewer: { id: c.ownerId, programme: false }, key: c.ownerId };
  const team = (await programmeTeam(deps, c.tenantId)).filter((r) => r.key !== c.ownerId && r.key !== lxpId);
  return ([[owner, 'owner'], ...team.map((t) => [t, 'team'])] as [TeamRecipient, 'owner' | 'team'][]).map(([r, audience]): Effect => ({
    kind: 'job',
    job: { kind: 'answer_notice', subjectId: c.id, key: `${lxpId}:${answer}:${answeredAt}:${r.key}`, runAt: at, payload: { lxpId, answer, audience, to: r.to, answeredAt } },
  }));
}

/**
 * The owner replies once, in plain words, to an LXP's answer that had words
 * they may read (not a restricted story's). The reply is kept with the answer
 * in the contribution, and the LXP is sent it.
 */
export async function replyToAnswer(deps: Deps, caller: Caller, input: { contributionId: string; answeredAt: string; words: string }): Promise<{ contribution: Contribution; exchange: AnswerExchange }> {
  const actor = await actorFor(deps, caller);
  const now = deps.clock.now();
  const words = input.words.trim();
  if (!words) throw new DomainError('invalid_input', 'Write your reply.');
  if (words.length > MAX_ANSWER_WORDS) throw new DomainError('invalid_input', `Your reply is ${words.length} characters; keep it to ${MAX_ANSWER_WORDS}. Nothing was sent.`);
  // Who may reply is policy's; whether there is anything to reply to, and only once, the contribution's (withReply).
  const authorise = (c: Contribution) => {
    if (!can(actor, 'reply_to_answer', { type: 'contribution', contribution: c })) throw notAllowed('Only the owner of this contribution can reply.');
    const x = c.answers.find((a) => a.at === input.answeredAt);
    if (!x) throw new DomainError('stale', 'That answer is no longer in Golden Thread.');
    if (x.words && !can(actor, 'read_answer_words', { type: 'answer', contribution: c, by: x.by })) {
      throw notAllowed('This is a personal story kept in confidence, so the LXP\'s words went to the programme team only; they will follow it up.');
    }
  };
  // The LXP is sent the reply: queued in the same write as the reply itself.
  const replyJob = (next: Contribution): Effect[] => {
    const lxp = next.answers.find((a) => a.at === input.answeredAt)!.by;
    return [{ kind: 'job', job: { kind: 'answer_reply', subjectId: next.id, key: `${input.answeredAt}:${lxp}`, runAt: now.toISOString(), payload: { answeredAt: input.answeredAt, to: { kind: 'person', personId: lxp } } } }];
  };
  const { after } = await applyEvent(deps, caller.tenantId, input.contributionId, { type: 'reply', answeredAt: input.answeredAt, words }, caller.id, authorise, () => ({ answeredAt: input.answeredAt }), (_before, next) => replyJob(next));
  const exchange = after.answers.find((a) => a.at === input.answeredAt)!;
  deps.queue.runSoon();
  return { contribution: after, exchange };
}
