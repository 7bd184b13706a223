import type { Contribution } from '../domain/contribution';
import { DomainError } from '../domain/errors';
import { feedbackDue } from '../domain/follow-up';
import type { Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import { can } from '../domain/policy';
import type { Workstream } from '../domain/workstream';
import { carriedInto, carryCandidates, contributionsOfMeeting } from './contributions';
import { actorFor, type Caller, type Deps } from './deps';
import { getMeeting } from './meetings';
import { namesFor } from './names';
import { getWorkstream } from './setup';

/** What the log card shows besides its form: what was logged so far in the meeting, the names in it, and the default due date. */
export async function loggedSoFar(deps: Deps, meeting: Meeting, workstream: Workstream, known?: Names): Promise<{ logged: Contribution[]; names: Names; defaultDue: Date }> {
  // The workstream's people are known already, so their names are read alongside the list (or not at all when the
  // turn read them already: `known`); only anyone else in it waits.
  const members = new Set([...workstream.lxpIds, ...workstream.chairIds, ...workstream.staffIds]);
  const [logged, memberNames] = await Promise.all([contributionsOfMeeting(deps, meeting.tenantId, meeting.id), known ?? namesFor(deps, meeting.tenantId, members)]);
  const otherNames = await namesFor(deps, meeting.tenantId, logged.flatMap((c) => [...c.lxpIds, c.ownerId]).filter((id) => !members.has(id)));
  const names = (id: string) => (members.has(id) ? memberNames(id) : otherNames(id));
  const defaultDue = feedbackDue(new Date(meeting.startedAt ?? meeting.createdAt), deps.settings.followUpAfter, deps.settings.timeZone);
  return { logged, names, defaultDue };
}

/** A meeting and the workstream it belongs to. */
export async function meetingWithWorkstream(deps: Deps, tenantId: string, meetingId: string): Promise<{ meeting: Meeting; workstream: Workstream }> {
  const meeting = await getMeeting(deps, tenantId, meetingId);
  return { meeting, workstream: await getWorkstream(deps, tenantId, meeting.workstreamId!) };
}

/** Everything the minutes show: the meeting's contributions, those carried into it (not withdrawn), and the names in them. */
export async function minutesOf(deps: Deps, meeting: Meeting): Promise<{ contributions: Contribution[]; carried: Contribution[]; names: Names }> {
  const contributions = await contributionsOfMeeting(deps, meeting.tenantId, meeting.id);
  const carried = (await carriedInto(deps, meeting.tenantId, meeting.id)).filter((c) => c.status !== 'withdrawn');
  const names = await namesFor(deps, meeting.tenantId, [...[...contributions, ...carried].flatMap((c) => [...c.lxpIds, c.ownerId]), meeting.minutes?.confirmedBy ?? '']);
  return { contributions, carried, names };
}

/** The earlier contributions a chair may carry into this meeting; only the chairs and the programme team may see them. */
export async function carryChoices(deps: Deps, caller: Caller, meetingId: string): Promise<{ meeting: Meeting; candidates: Contribution[]; names: Names }> {
  const { meeting, workstream } = await meetingWithWorkstream(deps, caller.tenantId, meetingId);
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'carry_forward', { type: 'meeting', meeting, workstream })) throw new DomainError('not_allowed', `Only the chairs of ${workstream.name} or the programme team can carry contributions forward.`);
  const candidates = await carryCandidates(deps, caller.tenantId, workstream.id, meeting.id);
  const names = await namesFor(deps, caller.tenantId, candidates.flatMap((c) => [...c.lxpIds, c.ownerId]));
  return { meeting, candidates, names };
}

/** What the LXP check card shows after an answer: the meeting, all its contributions and the LXPs' names. */
export async function checkView(deps: Deps, tenantId: string, meetingId: string): Promise<{ meeting: Meeting; all: Contribution[]; names: Names }> {
  const meeting = await getMeeting(deps, tenantId, meetingId);
  const all = await contributionsOfMeeting(deps, tenantId, meeting.id);
  return { meeting, all, names: await namesFor(deps, tenantId, all.flatMap((x) => x.lxpIds)) };
}
