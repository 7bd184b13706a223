import { recordContribution, type Contribution, type Outcome } from '../../src/domain/contribution';
import { DEFAULT_PREFERENCES, newPerson, type Person, type Preferences } from '../../src/domain/person';
import type { Deps } from '../../src/commands/deps';

export const T = 'tenant-1';

/** A person with preferences chosen (and consented to) at `chosenAt`. */
export async function addLxp(deps: Deps, id: string, prefs: Partial<Preferences>, chosenAt = '2026-01-01T00:00:00.000Z'): Promise<Person> {
  const choices: Preferences = { ...DEFAULT_PREFERENCES, ...prefs };
  const p = newPerson(T, id, id.toUpperCase(), new Date(chosenAt));
  return deps.stores.people.create({ ...p, preferences: choices, consent: [{ wordingVersion: 'v', shownAt: chosenAt, chosenAt, choices }] });
}

export function buildContribution(overrides: Partial<Contribution> = {}): Contribution {
  const at = new Date('2026-02-02T10:00:00Z');
  const c = recordContribution(
    {
      id: overrides.id ?? 'c1', tenantId: T, workstreamId: 'ws1', meetingId: 'm1', meetingTitle: 'Crisis pathway review', meetingDate: at.toISOString(),
      lxpIds: ['sam'], words: 'More peer support at night', kind: 'suggestion', priorityAreaIds: [], ownerId: 'chris', dueAt: '2026-02-16T10:00:00.000Z', anonymous: false, restricted: false,
    },
    'chris',
    at,
  );
  return { ...c, ...overrides };
}

/** A contribution whose outcome was decided at `decidedAt`, as recordOutcome would leave it. */
export function decided(id: string, decidedAt: string, extra: Partial<Outcome> = {}, overrides: Partial<Contribution> = {}): Contribution {
  const outcome: Outcome = { status: 'adopted', whatWeDid: `did ${id}`, decidedBy: 'chris', decidedAt, ...extra };
  return buildContribution({ id, words: `said ${id}`, status: 'outcome_recorded', outcomes: [outcome], ...overrides });
}
