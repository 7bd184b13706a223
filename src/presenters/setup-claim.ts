import { renderCard } from './render-card';

export const setupClaimCard = () => renderCard('setup-claim', {});
