import { inProgramme } from '../commands/deps';
import { chatLinkOf, membershipsOf } from '../commands/memberships';
import { programmeStores } from '../domain/programme-stores';
import type { AppDeps } from './route';
import { isShared, type Turn, type TurnRef } from './turn';
import { show, type Out, type Reply } from './reply';
import { programmeChooseCard } from '../presenters/setup-claim';
import { stampProgramme } from '../presenters/stamp-programme';

/**
 * Which programme a turn is about, decided afresh on every request (no role or programme is remembered
 * between turns, so someone removed loses access at their next press):
 * - in a chat linked to a workstream, the programme of that link;
 * - otherwise the programmes the person belongs to (their index): the one named by the card pressed, if
 *   they belong to it; their only one; or the one they last chose. With several and no choice yet, the
 *   turn has to ask (`choose`).
 * Nobody can reach a programme by naming it: a card's programme is taken only when the chat is linked to it
 * or the person's index names it, and even then every command checks their role in the programme itself.
 */
export type TurnScope =
  | { kind: 'programme'; programmeId: string; deps: AppDeps }
  | { kind: 'choose'; programmes: ProgrammeChoice[]; deps: AppDeps }
  | { kind: 'none'; deps: AppDeps };

export interface ProgrammeChoice {
  id: string;
  name: string;
}

export const NOT_IN_A_PROGRAMME = 'You are not in a programme yet. Type setup to start one, or ask a programme lead to add you.';
export const CHOOSE_FIRST = 'You are in more than one programme: type setup and choose which one first.';

/** Deps bound to no programme: reads find nothing, writes are refused with `message`. */
export function outsideProgrammes(deps: AppDeps, tenantId: string, message: string): AppDeps {
  const stores = programmeStores(deps.stores, { programmeId: '', tenantId, readOnly: message });
  return { ...deps, stores, queue: deps.queue.in(stores) };
}

export async function scopeTurn(deps: AppDeps, turn: TurnRef, hint?: string): Promise<TurnScope> {
  const { tenantId } = turn;
  const within = (programmeId: string): TurnScope => ({ kind: 'programme', programmeId, deps: inProgramme(deps, tenantId, programmeId) });
  const link = isShared(turn) ? await linkOf(deps, turn) : undefined;
  // A linked chat, and a button made in it (stamped with its programme): the chat decides, so the person's index is not read.
  if (link && (!hint || hint === link.programmeId)) return within(link.programmeId);
  const memberships = await membershipsOf(deps, tenantId, turn.caller.id);
  const mine = memberships?.programmes ?? {};
  if (hint && (hint === link?.programmeId || mine[hint])) return within(hint);
  if (link) return within(link.programmeId);
  const ids = Object.keys(mine);
  if (ids.length === 1) return within(ids[0]);
  if (ids.length > 1) {
    if (memberships?.current && mine[memberships.current]) return within(memberships.current);
    const programmes = ids.map((id) => ({ id, name: mine[id].name })).sort((a, b) => a.name.localeCompare(b.name));
    return { kind: 'choose', programmes, deps: outsideProgrammes(deps, tenantId, CHOOSE_FIRST) };
  }
  return { kind: 'none', deps: outsideProgrammes(deps, tenantId, NOT_IN_A_PROGRAMME) };
}

/** A channel meeting's thread shares its channel's link (see ChatRef). */
async function linkOf(deps: AppDeps, turn: TurnRef) {
  return (await chatLinkOf(deps, turn.tenantId, turn.conversationId)) ?? (turn.channelConversationId ? chatLinkOf(deps, turn.tenantId, turn.channelConversationId) : undefined);
}

/** Routes that make sense before a programme is chosen: everything else asks which programme first. */
// The personal commands (and the buttons on their cards) span all of a person's programmes (src/commands/personal.ts).
const WITHOUT_A_PROGRAMME = new Set(['help', 'setup', 'preferences', 'my data', 'forget me', 'programme_claim', 'programme_choose', 'installed', 'my contributions', 'attendance', 'forget_me_confirm', 'lift_restriction', 'attendance_flag', 'file my_data', 'file programme_close']);
// `my impact` covers every programme the person is in, each under its name (src/commands/impact.ts).
for (const route of ['my impact', 'impact_show', 'impact_file', 'file my_impact']) WITHOUT_A_PROGRAMME.add(route);
// A pause covers every programme where the person is an LXP, each named on the card (src/commands/involvement.ts).
for (const route of ['pause', 'resume', 'involvement_pause', 'involvement_resume']) WITHOUT_A_PROGRAMME.add(route);

/** For someone in several programmes who has not chosen one: the chooser, unless the route can do without. */
export function chooseFirst(turn: Turn, routeName: string): Reply | undefined {
  const choices = turn.scope?.choices;
  if (!choices || WITHOUT_A_PROGRAMME.has(routeName)) return undefined;
  return [show(programmeChooseCard(choices, ''))];
}

/** The cards of a reply, with the turn's programme on every button (see stampProgramme). */
export function stampReply(reply: Reply, programmeId: string | undefined): Reply {
  if (!programmeId) return reply;
  return reply.map((out): Out => {
    if (out.to === 'private') return { ...out, card: stampProgramme(out.card, programmeId) };
    if ('card' in out.content) return { ...out, content: { card: stampProgramme(out.content.card, programmeId) } } as Out;
    return out;
  });
}
