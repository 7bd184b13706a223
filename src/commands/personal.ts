import { inProgramme, type Caller, type Deps } from './deps';
import { membershipsOf } from './memberships';

/** One of a person's programmes, as their own commands label it. */
export interface PersonalProgramme {
  id: string;
  name: string;
}

/**
 * The programmes a person's own commands span (`my contributions`, `my data`, `attendance`, `forget me`): every
 * programme on their index (src/domain/programme.ts), including those they no longer have a role in but which
 * still hold their records (unless `formerly: false`). Each is then read through its own view (inProgramme),
 * so what is shown for one programme comes from that programme's partition alone, and the queries name the caller.
 */
export async function programmesOf(deps: Deps, caller: Caller, opts: { formerly?: boolean } = {}): Promise<PersonalProgramme[]> {
  const index = await membershipsOf(deps, caller.tenantId, caller.id);
  const former = opts.formerly === false ? [] : Object.entries(index?.formerly ?? {});
  const found = new Map([...former, ...Object.entries(index?.programmes ?? {})].map(([id, p]) => [id, p.name]));
  return [...found].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * Runs `fn` in each of the person's programmes (name order), each with that programme's deps. The one place
 * the personal commands go across programmes: `my data` and `forget me` both run their per-programme part
 * (collectMyData, forgetMe) through here, so what one shows is what the other erases, programme by programme.
 */
export async function acrossProgrammes<D extends Deps, T>(deps: D, caller: Caller, fn: (deps: D, programme: PersonalProgramme) => Promise<T>, only?: (p: PersonalProgramme) => boolean): Promise<(PersonalProgramme & { value: T })[]> {
  const out: (PersonalProgramme & { value: T })[] = [];
  for (const programme of await programmesOf(deps, caller)) {
    if (only && !only(programme)) continue;
    out.push({ ...programme, value: await fn(inProgramme(deps, caller.tenantId, programme.id), programme) });
  }
  return out;
}

/**
 * The deps of the programme that holds something a person's own card names (a meeting on their cross-programme
 * `attendance` card): the turn's programme when it has it, else the first of their programmes that does.
 */
export async function programmeHolding<D extends Deps>(deps: D, caller: Caller, has: (deps: D) => Promise<boolean>): Promise<D> {
  if (await has(deps)) return deps;
  for (const programme of await programmesOf(deps, caller)) {
    const inside = inProgramme(deps, caller.tenantId, programme.id);
    if (await has(inside)) return inside;
  }
  return deps;
}
