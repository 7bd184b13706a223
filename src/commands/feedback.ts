import { DomainError, notAllowed } from '../domain/errors';
import { ANSWER_LABEL, canApply, type Answer, type Contribution } from '../domain/contribution';
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
 * The LXP's answer to "you said, we did". It is recorded on the
 * contribution; wanting to talk, or disagreeing, tells the owner and the
 * programme team, each seeing only what they may (anonymous and restricted rules).
 */
export async function answerFeedback(deps: Deps, caller: Caller, input: { contributionId: string; answer: Answer }): Promise<Contribution> {
  const actor = await actorFor(deps, caller);
  const authorise = (c: Contribution) => {
    if (!can(actor, 'answer_feedback', { type: 'contribution', contribution: c })) throw notAllowed('Only the person who said this can answer.');
    const last = c.outcomes[c.outcomes.length - 1];
    if (!last) throw new DomainError('stale', 'No outcome has been recorded for this yet.');
    if (c.answers.some((a) => a.by === caller.id && a.answer === input.answer && a.at >= last.decidedAt)) {
      throw new DomainError('already_done', `Thank you: your answer "${ANSWER_LABEL[input.answer]}" is already recorded.`);
    }
  };
  const current = await getContribution(deps, caller.tenantId, input.contributionId);
  await finishingIfRefused(deps, current, () => authorise(current));
  const last = current.outcomes[current.outcomes.length - 1];
  // They hold the card, so it reached them even if the send's bookkeeping has not caught up yet.
  if (current.status === 'outcome_recorded') await markFedBack(deps, caller.tenantId, current.id, last.decidedAt);
  // Wanting to talk, or disagreeing, tells the owner and the programme team: queued in the same write as the answer.
  const { after } = await applyEvent(deps, caller.tenantId, current.id, { type: 'respond', answer: input.answer }, caller.id, authorise, () => ({ answer: input.answer }), (_before, next) =>
    input.answer === 'helpful' ? [] : noticeEffects(deps, next, caller.id, input.answer),
  );
  if (input.answer !== 'helpful') deps.queue.runSoon();
  return after;
}

/** One notice to the owner and one to each of the programme team (or their chat); each is built when it is sent. */
async function noticeEffects(deps: Deps, c: Contribution, lxpId: string, answer: Exclude<Answer, 'helpful'>): Promise<Effect[]> {
  const at = deps.clock.now().toISOString();
  const owner: TeamRecipient = { to: { kind: 'person', personId: c.ownerId }, viewer: { id: c.ownerId, programme: false }, key: c.ownerId };
  const team = (await programmeTeam(deps, c.tenantId)).filter((r) => r.key !== c.ownerId && r.key !== lxpId);
  return ([[owner, 'owner'], ...team.map((t) => [t, 'team'])] as [TeamRecipient, 'owner' | 'team'][]).map(([r, audience]): Effect => ({
    kind: 'job',
    job: { kind: 'answer_notice', subjectId: c.id, key: `${lxpId}:${answer}:${at}:${r.key}`, runAt: at, payload: { lxpId, answer, audience, to: r.to } },
  }));
}
