import { claimNeedsEscalation, programmeDuration, transitionClaim, type Claim } from '../domain/claim';
import { DomainError } from '../domain/errors';
import { claimNoticeCard, claimReviewCard } from '../presenters/claims';
import type { Recipient } from '../domain/ports';
import { audit, getProgramme } from '../commands/deps';
import { namesFor } from '../commands/names';
import type { JobHandler } from './job-handler';
import { scheduleJob } from './schedule';

/**
 * A claim has waited for the programme team longer than the programme allows.
 * Marked escalated with the etag (a second run finds it marked and does nothing),
 * then one notice per member of the team, each sent and retried on its own.
 */
export const claimEscalateHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const programme = await getProgramme(deps, job.tenantId);
    const after = programme?.payment?.claimsEscalateAfter;
    const claim = await deps.stores.claims.get(job.tenantId, job.subjectId);
    if (!programme || !after || !claim || !claimNeedsEscalation(claim, programmeDuration(after, 'claims waiting'), scheduledAt, deps.settings.timeZone)) return undefined;
    let escalated: Claim;
    try {
      escalated = await deps.stores.claims.replace(transitionClaim(claim, { type: 'escalate' }, 'system', scheduledAt));
    } catch (err) {
      // Another run, or a decision, got there first: the job after it will look again.
      if (err instanceof DomainError || (err as Error).name === 'WriteConflict') return undefined;
      throw err;
    }
    await audit(deps, job.tenantId, 'system', 'claim.escalate', { subjectType: 'claim', subjectId: claim.id });
    for (const member of programme.memberIds) {
      if (member === escalated.lxpId) continue;
      await scheduleJob(deps, { tenantId: job.tenantId, kind: 'claim_notice', subjectId: claim.id, key: `${claim.id}:escalated:${member}:${escalated.waitingSince}`, runAt: scheduledAt, payload: { to: { kind: 'person', personId: member }, about: 'escalated' } });
    }
    deps.queue.runSoon();
    return undefined;
  },
};

/** A claim to the programme team (submitted, escalated: the review card) or its decision to the LXP; built from the claim as it is when sent. */
export const claimNoticeHandler: JobHandler = {
  recipient(job) {
    return job.payload.to as Recipient;
  },
  async plan(deps, job) {
    const claim = await deps.stores.claims.get(job.tenantId, job.subjectId);
    const to = job.payload.to as Recipient;
    if (!claim || to.kind !== 'person') return undefined;
    const tz = deps.settings.timeZone;
    if (job.payload.about === 'decided') {
      if (to.personId !== claim.lxpId) return undefined;
      return { to, message: { card: claimNoticeCard(claim, tz), summary: 'Your involvement claim' } };
    }
    // Decided since: nothing to ask the team any more.
    if (claim.status !== 'submitted') return undefined;
    const names = await namesFor(deps, job.tenantId, [claim.lxpId, claim.decidedBy ?? '']);
    const meeting = await deps.stores.meetings.get(job.tenantId, claim.meetingId);
    const card = claimReviewCard({ claim, names, meeting, timeZone: tz });
    return { to, message: { card, summary: job.payload.about === 'escalated' ? 'A claim has waited too long' : 'A claim to review' } };
  },
};
