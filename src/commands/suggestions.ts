import { DomainError, notAllowed } from '../domain/errors';
import type { AttributionChoice, RestrictionChoice } from '../domain/attribution';
import type { Kind } from '../domain/contribution';
import type { Meeting } from '../domain/meeting';
import type { Person } from '../domain/person';
import { can } from '../domain/policy';
import { getMany, type NewJob } from '../domain/ports';
import { suggestable, type SuggestionPeople } from '../domain/transcript';
import type { Workstream } from '../domain/workstream';
import { logContribution } from './contributions';
import { actorFor, getProgramme, type Caller, type Deps } from './deps';
import { getMeeting } from './meeting-record';
import { getWorkstream } from './setup';

/** One suggestion the chair ticked, as the card sent it back: `lxpId` is the card's word, checked again here. */
export interface SuggestionPick {
  suggestionId: string;
  lxpId: string;
  words: string;
  kind: Kind;
  priorityAreaIds: string[];
  ownerId?: string;
  attribution: AttributionChoice;
  restriction: RestrictionChoice;
}

export interface SaveSuggestionsInput {
  meetingId: string;
  /** The card's (or its part's) submission id: with the suggestion id it makes each contribution's id. */
  submissionId: string;
  picks: SuggestionPick[];
}

export interface SaveSuggestionsResult {
  meeting: Meeting;
  workstream: Workstream;
  saved: { lxpId: string; kind: Kind; alreadySaved: boolean }[];
  /** Ticked, but the LXP no longer agrees, or is no longer an LXP of the workstream, or is staff: not saved. */
  refused: string[];
}

/**
 * Who may be suggested in this workstream now: its LXPs who agree today, never its chairs or staff, nor the
 * programme team. Read when the transcript is fetched and again when the chair saves, since a card can sit for days.
 */
export async function suggestionPeople(deps: Deps, workstream: Workstream): Promise<{ people: SuggestionPeople; persons: Map<string, Person> }> {
  const [persons, programme] = await Promise.all([getMany(deps.stores.people, workstream.tenantId, workstream.lxpIds), getProgramme(deps, workstream.tenantId)]);
  const consentedIds = workstream.lxpIds.filter((id) => persons.get(id)?.preferences?.transcriptSuggestions === true);
  const programmeIds = programme ? [programme.leadId, ...programme.memberIds] : [];
  const staffIds = [...workstream.chairIds, ...workstream.staffIds, ...programmeIds, ...[...persons.values()].filter((p) => p.programme).map((p) => p.id)];
  return { people: { lxpIds: workstream.lxpIds, staffIds, consentedIds }, persons };
}

/**
 * Saves the suggestions the chair ticked as ordinary contributions, marked as taken from the transcript; each LXP's
 * check then goes out as for anything logged. Never trusts the card: the caller must be allowed to log in the
 * meeting, and each LXP must still be suggestable. Ids come from the submission and the suggestion, so pressing
 * Save again saves nothing twice.
 */
export async function saveSuggestions(deps: Deps, caller: Caller, input: SaveSuggestionsInput): Promise<SaveSuggestionsResult> {
  const meeting = await getMeeting(deps, caller.tenantId, input.meetingId);
  if (!meeting.workstreamId) throw new DomainError('not_found', 'This meeting is not linked to a workstream.');
  const workstream = await getWorkstream(deps, caller.tenantId, meeting.workstreamId);
  if (!can(await actorFor(deps, caller), 'log_contribution', { type: 'meeting', meeting, workstream })) {
    throw notAllowed(`Only the chairs of ${workstream.name} or the programme team can save suggested contributions.`);
  }
  const { people, persons } = await suggestionPeople(deps, workstream);
  const ok = suggestable(people);
  const result: SaveSuggestionsResult = { meeting, workstream, saved: [], refused: [] };
  for (const pick of input.picks) {
    if (!ok.has(pick.lxpId.toLowerCase())) {
      result.refused.push(pick.lxpId);
      continue;
    }
    try {
      const { contribution, alreadySaved } = await logContribution(deps, caller, {
        submissionId: `${input.submissionId}:${pick.suggestionId}`,
        meetingId: meeting.id,
        lxpIds: [pick.lxpId],
        words: pick.words,
        kind: pick.kind,
        priorityAreaIds: pick.priorityAreaIds,
        ownerId: pick.ownerId,
        anonymous: false,
        restricted: false,
        attribution: pick.attribution,
        restriction: pick.restriction,
        source: 'transcript',
      });
      result.saved.push({ lxpId: pick.lxpId, kind: contribution.kind, alreadySaved });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const n = result.saved.length;
      const before = n ? ` The ${n === 1 ? 'one' : n} ticked before it ${n === 1 ? 'is' : 'are'} saved, and pressing Save again will not save ${n === 1 ? 'it' : 'them'} twice.` : '';
      throw new DomainError(err.code, `The suggestion from ${persons.get(pick.lxpId)?.name || 'an LXP'} was not saved: ${err.message}${before}`);
    }
  }
  return result;
}

/** Teams takes a while to publish a transcript: the first look is this long after the meeting ends. */
export const TRANSCRIPT_FIRST_LOOK_MINUTES = 5;
/** When Graph has none yet, look again this long after each earlier look, then tell the chair there is none. */
export const TRANSCRIPT_LOOK_AGAIN_MINUTES = [10, 30];

/** Queued by the one meeting close (closeMeeting): the first look at the transcript, a few minutes after the end. */
export function transcriptJob(meeting: Meeting, now: Date): NewJob {
  return {
    tenantId: meeting.tenantId,
    kind: 'transcript_suggestions',
    subjectId: meeting.id,
    key: `${meeting.id}:look1`,
    runAt: new Date(now.getTime() + TRANSCRIPT_FIRST_LOOK_MINUTES * 60_000),
    payload: { meetingId: meeting.id, look: 0, part: 0 },
  };
}
