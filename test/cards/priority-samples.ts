/*
 * Samples for the issue 23 cards (programme priorities, the equality
 * questions), in the shape of SAMPLES in test/cards/samples.ts, which spreads
 * PRIORITY_SAMPLES in.
 */
import { confirmPriority, declinePriority, proposePriority, type ProgrammePriority } from '../../src/domain/programme-priority';
import type { EqualityRecord } from '../../src/domain/who-takes-part';
import { aboutMeCard, programmePrioritiesCard } from '../../src/presenters/programme-priorities';
import type { SampleBuilder, World } from './samples';

const AT = '2026-03-10T12:00:00.000Z';

function priorities(w: World): ProgrammePriority[] {
  const typed = w.typed ? ` ${w.typed}` : '';
  const workstreams = [w.workstream, w.otherWorkstream];
  let list = proposePriority([], { id: 'pp-1', title: `Crisis care at night${typed}`, why: `Nobody should wait until morning${typed}`, by: 'sam', at: AT });
  list = proposePriority(list, { id: 'pp-2', title: `Being heard at discharge${typed}`, why: `Letters are written about us, not with us${typed}`, by: 'alex', at: AT });
  list = proposePriority(list, { id: 'pp-3', title: `Parking${typed}`, why: `It costs too much${typed}`, by: 'sam', at: AT });
  list = confirmPriority(list, 'pp-1', { by: 'priya', at: AT, areaIds: [w.workstream.priorityAreas[0].id], workstreams });
  return declinePriority(list, 'pp-3', { by: 'priya', at: AT, reason: `Outside what the programme can change${typed}` });
}

const view = (w: World, who: 'team' | 'lxp') => ({
  actor: { id: who === 'team' ? 'priya' : 'sam', tenantId: w.workstream.tenantId, programme: who === 'team' },
  team: who === 'team',
  lxp: who === 'lxp',
  priorities: priorities(w).filter((p) => p.status === 'confirmed' || (who === 'team' ? p.status === 'proposed' : p.proposedBy === 'sam')),
  workstreams: [w.workstream, w.otherWorkstream],
});

const answered: EqualityRecord = {
  id: 'equality-sam', tenantId: 't', type: 'equality', personId: 'sam', answers: { age: '35_44', sex: 'prefer_not', carer: 'yes' }, wordingVersion: 'v', answeredAt: AT, updatedAt: AT,
};

export const PRIORITY_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'programme-priorities': {
    'the programme team: one confirmed, one waiting': (w) => programmePrioritiesCard(view(w, 'team'), w.names, w.timeZone, 'c2f1e0aa-1b2c-4d5e-8f90-1234567890ab', 'Saved.'),
    'an LXP: one confirmed, one of theirs declined': (w) => programmePrioritiesCard(view(w, 'lxp'), w.names, w.timeZone, 'c2f1e0aa-1b2c-4d5e-8f90-1234567890ac'),
  },
  'about-me': {
    'not answered yet': () => aboutMeCard(undefined),
    'answered, saved': () => aboutMeCard(answered, 'Saved. Thank you. You can change or delete your answers at any time.'),
  },
};
