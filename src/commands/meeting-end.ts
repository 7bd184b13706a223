import { DomainError, notAllowed } from '../domain/errors';
import { attended, type Meeting } from '../domain/meeting';
import type { Names } from '../domain/person';
import { can } from '../domain/policy';
import { updateWithRetry } from '../domain/ports';
import type { Workstream } from '../domain/workstream';
import { contributionsOfMeeting, scheduleNothingRecordedChecks } from './contributions';
import { actorFor, audit, type Caller, type Deps } from './deps';
import { auditOnce } from './audit-once';
import { getMeeting } from './meetings';
import { namesFor } from './names';
import { programmeTeam } from './programme-team';
import { getWorkstream } from './setup';
import { plain } from '../presenters/render-card';

/** What the chair's end-of-meeting card shows (see presenters/meeting-closed.ts). */
export interface ClosedView {
  meeting: Meeting;
  workstream: Workstream;
  contributions: number;
  /** The meeting's contributions that are not withdrawn. */
  contributionIds: string[];
  checked: string[];
  names: Names;
}

export async function closedView(deps: Deps, tenantId: string, meetingId: string): Promise<ClosedView | undefined> {
  const meeting = await deps.stores.meetings.get(tenantId, meetingId);
  if (!meeting?.workstreamId) return undefined;
  const workstream = await getWorkstream(deps, tenantId, meeting.workstreamId);
  const live = (await contributionsOfMeeting(deps, tenantId, meeting.id)).filter((c) => c.status !== 'withdrawn');
  const checked = [...new Set(live.flatMap((c) => c.lxpIds))];
  const by = meeting.endedBy && typeof meeting.endedBy === 'object' ? [meeting.endedBy.personId] : [];
  const names = await namesFor(deps, tenantId, [...workstream.lxpIds, ...checked, ...by]);
  return { meeting, workstream, contributions: live.length, contributionIds: live.map((c) => c.id), checked, names };
}

/** Who gets the end-of-meeting card: the chair who ended it, or the meeting's chair, or the workstream's first. */
export function chairOf(meeting: Meeting, workstream: Workstream): string | undefined {
  if (meeting.endedBy && typeof meeting.endedBy === 'object') return meeting.endedBy.personId;
  return meeting.chairId ?? workstream.chairIds[0];
}

/**
 * The chair's "was here" ticks, saved for every LXP of the workstream: ticked is present, unticked is not,
 * each marked as confirmed by the chair. The join and leave times Teams sent are kept alongside.
 */
export async function confirmAttendance(deps: Deps, caller: Caller, meetingId: string, presentIds: string[]): Promise<Meeting> {
  const meeting = await getMeeting(deps, caller.tenantId, meetingId);
  const ws = meeting.workstreamId ? await getWorkstream(deps, caller.tenantId, meeting.workstreamId) : undefined;
  if (!ws) throw new DomainError('not_found', 'This meeting is not linked to a workstream.');
  const actor = await actorFor(deps, caller);
  if (!can(actor, 'confirm_minutes', { type: 'meeting', meeting, workstream: ws })) throw notAllowed(`Only the chairs of ${ws.name} or the programme team can confirm attendance.`);
  if (presentIds.some((id) => !ws.lxpIds.includes(id))) throw new DomainError('stale', `Someone ticked is no longer an LXP of ${ws.name}. Open the card again from the latest message.`);
  const names = await namesFor(deps, caller.tenantId, ws.lxpIds);
  const at = deps.clock.now().toISOString();
  const r = await updateWithRetry(deps.stores.meetings, caller.tenantId, meetingId, (m) => {
    // The same ticks by the same person again (a retry after a failure, a second press) change nothing.
    if (ws.lxpIds.every((id) => m.attendance[id]?.confirmed?.present === presentIds.includes(id) && m.attendance[id]?.confirmed?.by === caller.id)) return undefined;
    const attendance = { ...m.attendance };
    for (const id of ws.lxpIds) {
      const entry = attendance[id] ?? { name: names(id), spans: [] };
      attendance[id] = { ...entry, confirmed: { present: presentIds.includes(id), by: caller.id, at } };
    }
    return { ...m, attendance };
  });
  // One entry per confirmation stored, under the time it was stored: a retry that finds it done writes none again.
  const confirmedAt = ws.lxpIds.map((id) => r!.after.attendance[id]?.confirmed?.at).find(Boolean) ?? at;
  await auditOnce(deps, { id: `${meetingId}:attendance:${confirmedAt}`, tenantId: caller.tenantId, at: confirmedAt, actorId: caller.id, action: 'meeting.attendance_confirmed', subjectType: 'meeting', subjectId: meetingId, detail: { present: presentIds } });
  // An LXP ticked "was here" with nothing recorded is told so, as those Teams saw join were at the end (once per LXP and meeting).
  await scheduleNothingRecordedChecks(deps, r!.after);
  return r!.after;
}

/** An LXP's own attendance in one meeting, as `attendance` lists it for them. */
export function attendanceOf(meeting: Meeting, personId: string): 'events' | 'confirmed' | 'confirmed_absent' | 'none' {
  const a = meeting.attendance[personId];
  if (!a) return 'none';
  if (a.confirmed) return a.confirmed.present ? 'confirmed' : 'confirmed_absent';
  return attended(a) ? 'events' : 'none';
}

/**
 * An LXP says their attendance for a meeting is wrong: the programme team is told (each member 1:1, or their
 * notice chat), with the LXP's note. The record itself is changed by a chair, not by the LXP.
 */
export async function flagAttendance(deps: Deps, caller: Caller, meetingId: string, note: string): Promise<Meeting> {
  const text = note.trim();
  if (text.length > 500) throw new DomainError('invalid_input', 'Keep the note to 500 characters or fewer.');
  const meeting = await getMeeting(deps, caller.tenantId, meetingId);
  const ws = meeting.workstreamId ? await getWorkstream(deps, caller.tenantId, meeting.workstreamId) : undefined;
  // Only the LXP's own membership matters here, so no programme document is read for it.
  const lxpOfIt = !!ws && can({ id: caller.id, tenantId: caller.tenantId, programme: false }, 'flag_attendance', { type: 'meeting', meeting, workstream: ws });
  if (!ws || !lxpOfIt) throw notAllowed('You can flag your own attendance, for meetings of your workstreams.');
  const names = await namesFor(deps, caller.tenantId, [caller.id]);
  const recorded = { events: 'present (from Teams join and leave times)', confirmed: 'present (confirmed by the chair)', confirmed_absent: 'not present (confirmed by the chair)', none: 'not recorded' }[attendanceOf(meeting, caller.id)];
  const at = deps.clock.now();
  for (const r of await programmeTeam(deps, caller.tenantId)) {
    await deps.queue.add({
      tenantId: caller.tenantId,
      kind: 'notify',
      subjectId: caller.id,
      key: `attendance-flag:${meetingId}:${r.key}:${at.getTime()}`,
      runAt: at,
      payload: {
        to: r.to,
        template: 'notice',
        summary: 'An LXP says their attendance is wrong',
        data: {
          title: 'An LXP says their attendance is wrong',
          // The notice is a ready-made card (see jobs/notify.ts): anything a person typed is made plain here.
          text: `${plain(names(caller.id))} says the attendance recorded for them in ${plain(meeting.title)} is wrong. A chair of ${plain(ws.name)} can correct it on the end-of-meeting card.`,
          facts: [
            { title: 'Meeting', value: plain(meeting.title) },
            { title: 'Recorded as', value: recorded },
            ...(text ? [{ title: 'Their note', value: plain(text) }] : []),
          ],
        },
      },
    });
  }
  deps.queue.runSoon();
  await audit(deps, caller.tenantId, caller.id, 'meeting.attendance_flagged', { subjectType: 'meeting', subjectId: meetingId });
  return meeting;
}
