import { randomUUID } from 'node:crypto';
import { plain, renderCard } from './render-card';

/** "Start a programme": for someone in no programme yet. The submission id makes a double press start one programme. */
export const setupClaimCard = () => renderCard('setup-claim', { submissionId: randomUUID() });

/** "Which programme?": for someone in several, with a way to start another. `then` is what to show once chosen. */
export const programmeChooseCard = (programmes: { id: string; name: string }[], then: 'setup' | 'preferences' | '') =>
  renderCard('programme-choose', { programmes: programmes.map((p) => ({ id: p.id, name: plain(p.name) })), then, submissionId: randomUUID() });
