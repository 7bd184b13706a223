import type { JobHandler, JobPlan } from './job-handler';
import { chairOf } from '../commands/meeting-end';
import { namesFor } from '../commands/names';
import type { Deps } from '../commands/deps';
import { getWorkstream } from '../commands/setup';
import { suggestionPeople, TRANSCRIPT_LOOK_AGAIN_MINUTES } from '../commands/suggestions';
import { mayOfferTranscript } from '../commands/transcript-switch';
import { attended, type Meeting } from '../domain/meeting';
import type { Job } from '../domain/job';
import { updateWithRetry } from '../domain/ports';
import { suggestionsFromTranscript, withSummaries, worthFetching } from '../domain/transcript';
import type { Workstream } from '../domain/workstream';
import { suggestionCards, transcriptNote, type TranscriptNote } from '../presenters/suggestions';
import { noticeCard } from '../presenters/setup';
import type { CardJson } from '../presenters/render-card';

const minutes = (n: number) => n * 60_000;
const meetingIdOf = (job: Job) => String(job.payload.meetingId ?? job.subjectId);
const numberIn = (job: Job, key: string) => Number(job.payload[key] ?? 0) || 0;

const toChair = (chair: string, card: CardJson, summary: string): JobPlan => ({ to: { kind: 'person', personId: chair }, message: { card, summary } });
const note = (chair: string, reason: TranscriptNote) => {
  const n = transcriptNote(reason);
  return toChair(chair, noticeCard(n.title, n.text), n.title);
};

/** The suggestion cards for a meeting, planned now from the transcript as Graph serves it; the words live only in the cards. */
async function plannedCards(deps: Deps, job: Job, meeting: Meeting, workstream: Workstream, chair: string): Promise<{ cards: CardJson[] } | { note: JobPlan } | { again: true } | undefined> {
  const { people } = await suggestionPeople(deps, workstream);
  const present = Object.entries(meeting.attendance).filter(([, a]) => attended(a)).map(([id]) => id);
  // Nothing is fetched unless an LXP who agreed was there.
  if (!worthFetching(people, present)) return undefined;
  const fetched = await deps.transcripts!.fetch({ tenantId: meeting.tenantId, organiserId: meeting.organiserId!, onlineMeetingId: meeting.graphMeetingId! });
  if (!fetched.ok) {
    if (fetched.reason === 'no_transcript' && numberIn(job, 'look') < TRANSCRIPT_LOOK_AGAIN_MINUTES.length && numberIn(job, 'part') === 0) return { again: true };
    return { note: note(chair, fetched.reason) };
  }
  const { suggestions } = suggestionsFromTranscript(fetched.files, people);
  if (!suggestions.length) return { note: note(chair, 'nothing_to_suggest') };
  const withQuotes = deps.summarise ? await withSummaries(suggestions, deps.summarise) : suggestions;
  const names = await namesFor(deps, meeting.tenantId, workstream.lxpIds);
  // One submission per meeting: pressing Save on a card sent again saves nothing twice.
  return { cards: suggestionCards({ meeting, workstream, suggestions: withQuotes, names, submissionId: `ts-${meeting.id}` }) };
}

/**
 * Suggested contributions from the meeting's Teams transcript, 1:1 to the chair (issue 24). Everything is planned
 * when the job runs: the job holds the meeting id, which look and which part, never a word of the transcript, and
 * the card is not remembered as shown (it shows no contribution). A card in several parts goes one part a job,
 * each sent part queuing the next, which reads the transcript again rather than keep it anywhere meanwhile.
 */
export const transcriptSuggestionsHandler: JobHandler = {
  async plan(deps, job, scheduledAt) {
    if (!deps.transcripts) return undefined;
    const meeting = await deps.stores.meetings.get(job.tenantId, meetingIdOf(job));
    if (!meeting?.endedAt || !meeting.workstreamId || !(await mayOfferTranscript(deps, meeting))) return undefined;
    const workstream = await getWorkstream(deps, job.tenantId, meeting.workstreamId);
    const chair = chairOf(meeting, workstream);
    if (!chair) return undefined;
    const planned = await plannedCards(deps, job, meeting, workstream, chair);
    if (!planned) return undefined;
    if ('note' in planned) return planned.note;
    if ('again' in planned) {
      const look = numberIn(job, 'look') + 1;
      await deps.queue.add({
        tenantId: job.tenantId, kind: 'transcript_suggestions', subjectId: meeting.id, key: `${meeting.id}:look${look + 1}`,
        runAt: new Date(scheduledAt.getTime() + minutes(TRANSCRIPT_LOOK_AGAIN_MINUTES[look - 1])), payload: { meetingId: meeting.id, look, part: 0 },
      });
      return undefined;
    }
    const part = numberIn(job, 'part');
    const of = planned.cards.length;
    if (part >= of) return undefined;
    // How many parts, so the send of one knows whether to queue the next: a count, nothing of the transcript.
    if (meeting.suggestionParts !== of) await updateWithRetry(deps.stores.meetings, job.tenantId, meeting.id, (m) => (m.suggestionParts === of ? undefined : { ...m, suggestionParts: of }));
    return toChair(chair, planned.cards[part], `Suggested contributions from the transcript of ${meeting.title}${of > 1 ? ` (part ${part + 1} of ${of})` : ''}`);
  },
  async sent(deps, job) {
    // A part of the suggestions queues the next; a note (no parts counted) ends it. The next part plans itself when it runs.
    const look = numberIn(job, 'look');
    const part = numberIn(job, 'part');
    const meetingId = meetingIdOf(job);
    const meeting = await deps.stores.meetings.get(job.tenantId, meetingId);
    if (!meeting?.suggestionParts || part + 1 >= meeting.suggestionParts) return;
    await deps.queue.add({ tenantId: job.tenantId, kind: 'transcript_suggestions', subjectId: meetingId, key: `${meetingId}:look${look + 1}:part${part + 2}`, runAt: deps.clock.now(), payload: { meetingId, look, part: part + 1 } });
    deps.queue.runSoon();
  },
};
