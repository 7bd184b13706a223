import type { Deps, Caller } from './deps';
import { actorFor, inProgramme } from './deps';
import { programmesOf, type PersonalProgramme } from './personal';
import { workstreamsOf } from './roles-of';
import { getMany, queryEvery } from '../domain/ports';
import { can, type Actor } from '../domain/policy';
import { mayShowOnBoard, type Audience, type BoardInput } from '../domain/board';
import type { Contribution } from '../domain/contribution';
import type { Meeting } from '../domain/meeting';
import { areasOfPriority } from '../domain/programme-priority';
import type { WhoTakesPart } from '../domain/who-takes-part';
import { confirmedProgrammePriorities } from './programme-priorities';
import { whoTakesPartFor } from './about-me';

export interface BoardData extends BoardInput {
  actor: Actor;
  /** Issue 23: the confirmed programme priorities, each with the workstream priority areas linked to it (the board's filter). */
  programmePriorities: { id: string; title: string; areaIds: string[] }[];
  /** "Who takes part", for those the policy lets see it (the programme team); undefined for anyone else. */
  whoTakesPart?: WhoTakesPart;
  /** Whether this is the whole programme (the programme team) rather than one person's thread. */
  wholeProgramme: boolean;
}

/**
 * Everything the board reads, for one viewer, in one place. The programme
 * team sees the programme; anyone else sees the contributions the policy
 * gives them on the board (an LXP, their own thread; a chair, their
 * workstreams') and the attendance behind them. `deps` are the programme's
 * (boardScope below chooses it from the viewer's own programmes).
 */
export async function boardData(deps: Deps, viewer: Caller, audience: Audience = 'programme'): Promise<BoardData> {
  const tenantId = viewer.tenantId;
  const [actor, workstreams, all, meetings] = await Promise.all([
    actorFor(deps, viewer),
    workstreamsOf(deps, tenantId),
    queryEvery(deps.stores.contributions, tenantId, [{ field: 'status', op: '!=', value: 'withdrawn' }]),
    queryEvery(deps.stores.meetings, tenantId, [{ field: 'workstreamId', op: 'defined' }]),
  ]);
  const byId = new Map(workstreams.map((w) => [w.id, w]));
  const contributions = all.filter(
    (c: Contribution) => mayShowOnBoard(c) && can(actor, 'view_board', { type: 'contribution', contribution: c, workstream: byId.get(c.workstreamId) }),
  );
  const chaired = new Set(workstreams.filter((w) => can(actor, 'view_board', { type: 'workstream', workstream: w })).map((w) => w.id));
  // Attendance as policy.ts gives it (view_attendance): the programme team everyone's, anyone else only their own.
  const seen = meetings.flatMap((m: Meeting): Meeting[] => {
    if (can(actor, 'view_attendance', { type: 'meeting', meeting: m, workstream: byId.get(m.workstreamId!) })) return [m];
    const own = m.attendance[actor.id];
    return own && can(actor, 'view_attendance', { type: 'person', personId: actor.id }) ? [{ ...m, attendance: { [actor.id]: own } }] : [];
  });
  const lxpIds = new Set(contributions.flatMap((c) => c.lxpIds));
  const people = [...(await getMany(deps.stores.people, tenantId, lxpIds)).values()].map((p) => ({ id: p.id, name: p.name, preferences: p.preferences }));
  const [priorities, whoTakesPart] = await Promise.all([
    confirmedProgrammePriorities(deps, tenantId),
    audience === 'programme' ? whoTakesPartFor(deps, actor, { workstreams, contributions: all, meetings }) : undefined,
  ]);
  return {
    actor,
    programmePriorities: priorities.map((p) => ({ id: p.id, title: p.title, areaIds: areasOfPriority(p, workstreams) })),
    whoTakesPart,
    wholeProgramme: actor.programme,
    contributions,
    meetings: seen,
    people,
    workstreams: workstreams.filter((w) => chaired.has(w.id) || contributions.some((c) => c.workstreamId === w.id)),
    timeZone: deps.settings.timeZone,
    audience,
  };
}

/** Which programme's board a signed-in viewer sees: the tab runs outside any turn, so no chat or card says. */
export type BoardScope =
  | { kind: 'programme'; deps: Deps; programme: PersonalProgramme; several: boolean }
  | { kind: 'choose'; programmes: PersonalProgramme[] }
  | { kind: 'none' }
  | { kind: 'refused' };

/**
 * Issue 18: the programme comes from the viewer's own list of programmes (their index), never from the address
 * alone: their only one; with several, the one `asked` names (the tab's `programme` parameter), or a choice;
 * a programme that is not theirs is refused. Their role in it is then read from the programme, as in a turn.
 */
export async function boardScope(deps: Deps, viewer: Caller, asked?: string): Promise<BoardScope> {
  // Programmes they only used to be in give no board: access ends with their last role.
  const mine = await programmesOf(deps, viewer, { formerly: false });
  const pick = asked ? mine.find((p) => p.id === asked) : mine.length === 1 ? mine[0] : undefined;
  if (pick) return { kind: 'programme', deps: inProgramme(deps, viewer.tenantId, pick.id), programme: pick, several: mine.length > 1 };
  if (asked) return { kind: 'refused' };
  return mine.length ? { kind: 'choose', programmes: mine } : { kind: 'none' };
}
