import type { Answer } from '../domain/contribution';
import type { Recipient } from '../domain/ports';
import { getProgramme } from '../commands/deps';
import { namesFor } from '../commands/names';
import { whoSaid, type Viewer } from '../presenters/contribution-view';
import { ANSWER_NOTICE, answerNoticeData, whoSaidToOwner } from '../presenters/outcome';
import { renderCard } from '../presenters/render-card';
import type { JobHandler } from './job-handler';

interface AnswerNoticePayload {
  lxpId: string;
  answer: Exclude<Answer, 'helpful'>;
  audience: 'owner' | 'team';
  to: Recipient;
}

/**
 * Tells the owner, or the programme team, that an LXP wants to talk or
 * disagrees. Built at send time, so a withdrawal in between leaves no words
 * in the message, and each reader sees only what they may.
 */
export const answerNoticeHandler: JobHandler = {
  async plan(deps, job) {
    const { lxpId, answer, audience, to } = job.payload as unknown as AnswerNoticePayload;
    const c = await deps.stores.contributions.get(job.tenantId, job.subjectId);
    if (!c || c.status === 'withdrawn' || !c.lxpIds.includes(lxpId) || !ANSWER_NOTICE[answer]) return undefined;
    const programme = await getProgramme(deps, job.tenantId);
    const names = await namesFor(deps, job.tenantId, [lxpId]);
    const answerer = { ...c, lxpIds: [lxpId] };
    let viewer: Viewer;
    let who: string;
    if (to.kind === 'chat') {
      viewer = { id: '', programme: false };
      who = whoSaid(answerer, names, viewer);
    } else if (audience === 'owner') {
      viewer = { id: to.personId, programme: !!programme?.memberIds.includes(to.personId) };
      const reveal = !!(await deps.stores.people.get(job.tenantId, lxpId))?.preferences?.revealToOwner;
      who = whoSaidToOwner(answerer, names, viewer, reveal);
    } else {
      // The team arranges the conversation, so a member sees who asked, and is reminded if that is not for the owner's ears.
      viewer = { id: to.personId, programme: true };
      who = names(lxpId) + (c.anonymous ? ' (recorded anonymously: keep their name from the owner)' : '');
    }
    const data = answerNoticeData({ contribution: c, answer, who, viewer, audience, timeZone: deps.settings.timeZone });
    return { to, message: { card: renderCard('answer-notice', data), summary: ANSWER_NOTICE[answer].heading } };
  },
};
