import { DomainError, notAllowed } from '../domain/errors';
import { can } from '../domain/policy';
import { updateWithRetry } from '../domain/ports';
import type { Meeting } from '../domain/meeting';
import type { Programme } from '../domain/workstream';
import { actorFor, audit, getProgramme, type Caller, type Deps } from './deps';

/**
 * The programme lead switches suggested contributions from meeting transcripts on or off for the programme
 * (issue 24). Off by default; each LXP's own agreement is still needed for their words to be suggested.
 */
export async function switchTranscriptSuggestions(deps: Deps, caller: Caller, on: boolean): Promise<Programme> {
  const programme = await getProgramme(deps, caller.tenantId);
  if (!programme) throw new DomainError('not_found', 'There is no programme yet. Type setup to claim it.');
  if (!can(await actorFor(deps, caller), 'switch_transcript_suggestions', { type: 'programme', leadId: programme.leadId })) {
    throw notAllowed('Only the programme lead can switch suggestions from meeting transcripts on or off.');
  }
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.workstreams, caller.tenantId, programme.id, (doc) => {
    const p = doc as Programme;
    return p.transcriptSuggestions?.on === on ? undefined : { ...p, transcriptSuggestions: { on, by: caller.id, at } };
  });
  if (!r) throw new DomainError('not_found', 'There is no programme yet. Type setup to claim it.');
  if (r.before !== r.after) await audit(deps, caller.tenantId, caller.id, 'programme.transcript_suggestions', { subjectType: 'programme', subjectId: programme.id }, { on });
  return r.after as Programme;
}

/** A channel meeting's thread ("<channel>;messageid=<root>"): the permission covers scheduled meetings with their own chat only. */
const isChannelMeeting = (m: Meeting) => m.conversationId.includes(';messageid=') || m.conversationId.endsWith('@thread.tacv2');

/**
 * Whether the chair of this meeting will be offered suggestions from its transcript: the bot can read transcripts,
 * the meeting is a scheduled one Teams told us of (its Graph id and organiser), and the programme lead has switched
 * suggestions on for the programme.
 */
export async function mayOfferTranscript(deps: Deps, meeting: Meeting): Promise<boolean> {
  if (!deps.transcripts || !meeting.graphMeetingId || !meeting.organiserId || isChannelMeeting(meeting)) return false;
  return (await getProgramme(deps, meeting.tenantId))?.transcriptSuggestions?.on === true;
}
