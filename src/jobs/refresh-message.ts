import { randomUUID } from 'node:crypto';
import type { Deps } from '../commands/deps';
import { audit } from '../commands/deps';
import { carryCandidates } from '../commands/contributions';
import { loggedSoFar, minutesOf } from '../commands/meeting-views';
import { namesFor } from '../commands/names';
import { getWorkstream } from '../commands/setup';
import type { ShownMessage, ShownView } from '../domain/shown';
import { answerNoticeCard } from '../commands/answer-notice';
import { ANSWER_NOTICE, withdrawnNotice } from '../presenters/outcome';
import { answerReplyCard, REPLY_SUMMARY } from './answer-notice';
import { updateWithRetry } from '../domain/ports';
import { carryForwardCard, logContributionCard, meetingStartCard, minutesCards } from '../presenters/meeting';
import { renderCard, plain, type CardJson } from '../presenters/render-card';
import type { JobHandler } from './job-handler';
import { ownerCard } from './ask-owner';
import { closedView } from '../commands/meeting-end';
import { meetingClosedCard } from '../presenters/meeting-closed';
import { digestMessage } from './digest';
import { periodOf } from '../commands/digests';
import { agendaStartView } from '../commands/proposals';
import { meetingAgenda } from '../presenters/proposals';
import { agendaNotesMessage, proposalMessage } from './proposals';

const shownOf = (deps: Deps, tenantId: string, id: string) => deps.stores.shown.get(tenantId, id);

/**
 * A message drawn again from the record as it is now, by the presenter that first drew it. Undefined when there
 * is nothing left to draw it from (the meeting or contribution has gone with retention): the message is left.
 */
export async function redraw(deps: Deps, shown: ShownMessage, now: Date): Promise<{ card: CardJson; summary: string } | undefined> {
  const v = shown.view;
  const tz = deps.settings.timeZone;
  if (v.card === 'ask_owner') {
    const c = await deps.stores.contributions.get(shown.tenantId, v.contributionId);
    return c ? { card: await ownerCard(deps, c, v.variant, now), summary: 'What happened to a contribution you own?' } : undefined;
  }
  if (v.card === 'answer_notice' || v.card === 'answer_reply') return redrawAnswer(deps, shown, v);
  if (v.card === 'digest') {
    const person = await deps.stores.people.get(shown.tenantId, v.personId);
    const drawn = person && (await digestMessage(deps, person, periodOf(v.period)));
    // Everything it showed was withdrawn: the digest says so rather than keep the words.
    return drawn ? { card: drawn.card, summary: drawn.summary } : person ? { card: withdrawnNotice('You said, we did'), summary: 'You said, we did' } : undefined;
  }
  if (v.card === 'proposal') {
    const drawn = shown.to.kind === 'person' ? await proposalMessage(deps, shown.tenantId, v.proposalId, shown.to.personId, v.forLxp) : undefined;
    return drawn && { card: drawn.card, summary: drawn.summary };
  }
  if (v.card === 'agenda_notes') return agendaNotesMessage(deps, shown.tenantId, v.meetingId);
  if (v.card === 'meeting_start') {
    const meeting = await deps.stores.meetings.get(shown.tenantId, v.meetingId);
    if (!meeting?.workstreamId) return undefined;
    const { workstream, waiting, taken, names, anonymous } = await agendaStartView(deps, meeting);
    return { card: meetingStartCard(meeting, workstream, names, 0, meetingAgenda(meeting.id, waiting, taken, names, anonymous)), summary: meeting.title };
  }
  if (v.card === 'meeting_closed') {
    const view = await closedView(deps, shown.tenantId, v.meetingId);
    return view ? { card: meetingClosedCard({ ...view, timeZone: tz }), summary: `Meeting ended: ${view.meeting.title}` } : undefined;
  }
  const meeting = await deps.stores.meetings.get(shown.tenantId, v.meetingId);
  if (!meeting?.workstreamId) return undefined;
  const workstream = await getWorkstream(deps, shown.tenantId, meeting.workstreamId);
  if (v.card === 'minutes') {
    const { contributions, carried, names } = await minutesOf(deps, meeting);
    const cards = minutesCards(meeting, workstream, contributions, names, tz, carried);
    // Withdrawals can leave fewer parts than were posted: a part with nothing left says so rather than repeat another.
    const card = cards[v.part] ?? renderCard('minutes-continued', { meeting: plain(meeting.title), date: '', part: `Part ${v.part + 1}: nothing left here. Contributions were withdrawn, so the earlier parts now hold them all.`, items: [] });
    return { card, summary: `Minutes of ${meeting.title}` };
  }
  if (v.card === 'log') {
    const { logged, names, defaultDue } = await loggedSoFar(deps, meeting, workstream);
    // A fresh submission id: a save from the card as it was before still saves once (its own id), and one from now on too.
    return { card: logContributionCard({ meeting, workstream, logged, names, timeZone: tz, submissionId: randomUUID(), defaultDue }), summary: `Log a contribution: ${meeting.title}` };
  }
  const candidates = await carryCandidates(deps, shown.tenantId, workstream.id, meeting.id);
  const names = await namesFor(deps, shown.tenantId, candidates.flatMap((c) => [...c.lxpIds, c.ownerId]));
  return { card: carryForwardCard(meeting, candidates, names, tz), summary: `Earlier contributions: ${meeting.title}` };
}

/** An answer notice or a reply drawn again: what it said is gone once the contribution is withdrawn or the words erased. */
async function redrawAnswer(deps: Deps, shown: ShownMessage, v: Extract<ShownView, { card: 'answer_notice' | 'answer_reply' }>): Promise<{ card: CardJson; summary: string } | undefined> {
  const c = await deps.stores.contributions.get(shown.tenantId, v.contributionId);
  if (!c) return undefined;
  if (v.card === 'answer_reply') {
    const x = c.answers.find((a) => a.at === v.answeredAt);
    return x ? { card: await answerReplyCard(deps, c, x), summary: REPLY_SUMMARY } : undefined;
  }
  const gone = c.status === 'withdrawn' || !c.lxpIds.includes(v.lxpId);
  const card = gone ? undefined : await answerNoticeCard(deps, c, { ...v, to: shown.to });
  return { card: card ?? withdrawnNotice(ANSWER_NOTICE[v.answer].heading), summary: ANSWER_NOTICE[v.answer].heading };
}

/**
 * Updates one posted message so what people read matches the record (issue 20): queued by queueRefreshes after
 * a contribution is corrected, anonymised or named, withdrawn, restricted or lifted, or its LXP forgotten. The
 * update goes through the scheduler like any send, so the limiter, Retry-After and the lease apply, and a crash
 * or a 429 loses nothing: the job runs again and draws the message from the record as it is then. Updating
 * twice with the same content is harmless, which is what makes a second run safe.
 */
export const refreshMessageHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    const shown = await shownOf(deps, job.tenantId, String(job.payload.shownId ?? job.subjectId));
    if (!shown || shown.gone) return undefined;
    const drawn = await redraw(deps, shown, scheduledAt);
    if (!drawn) return undefined;
    return { to: shown.to, message: drawn, replaces: shown.activityId };
  },
  /** Teams will not take the update: the record says so (no more jobs for it) and the audit notes it for each contribution. */
  async gone(deps, job, _scheduledAt, err) {
    const id = String(job.payload.shownId ?? job.subjectId);
    const at = deps.clock.now().toISOString();
    const r = await updateWithRetry(deps.stores.shown, job.tenantId, id, (m) => (m.gone ? undefined : { ...m, gone: { at, reason: String(err.status) } }));
    if (!r || r.before.gone) return;
    for (const contributionId of r.after.contributionIds) {
      await audit(deps, job.tenantId, 'golden-thread', 'contribution.message_gone', { subjectType: 'contribution', subjectId: contributionId }, { card: r.after.view.card, status: err.status });
    }
  },
};
