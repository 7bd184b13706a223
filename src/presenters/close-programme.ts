import type { Programme } from '../domain/workstream';
import { plain, renderCard } from './render-card';

/** How much the programme holds now, in plain words. */
export interface ProgrammeHoldings {
  workstreams: number;
  people: number;
  meetings: number;
  contributions: number;
}

/** The lead's confirmation before closing: what will happen, in order, and what is held now. */
export function closeProgrammeCard(programme: Programme, held: ProgrammeHoldings) {
  return renderCard('programme-close', {
    name: plain(programme.name ?? 'the programme'),
    facts: [
      { title: 'Workstreams', value: String(held.workstreams) },
      { title: 'People', value: String(held.people) },
      { title: 'Meetings', value: String(held.meetings) },
      { title: 'Contributions', value: String(held.contributions) },
    ],
  });
}
