import { formatDay } from '../domain/follow-up';
import type { Involvement, PauseStop } from '../domain/stepping-back';
import { renderCard } from './render-card';

const STOP_LABEL: Record<PauseStop, string> = { check_in: 'check-ins about being away', follow_ups: '"you said, we did" messages', digests: 'digests' };

/** `pause`: what a pause does, what theirs stops now, and the choice of what else to stop. */
export function pauseCard(inv: Involvement | undefined, timeZone: string, notice = '') {
  const p = inv?.paused;
  const stops = p?.stops.map((s) => STOP_LABEL[s]) ?? [];
  return renderCard('pause', {
    notice,
    state: p
      ? `You paused on ${formatDay(p.at, timeZone)}. Stopped for now: ${stops.join(', ')}. Resume whenever you are ready, or type resume.`
      : 'You are not paused.',
    stops: (p?.stops ?? []).filter((s) => s !== 'check_in').join(','),
    paused: !!p,
    pauseTitle: p ? 'Save what is stopped' : 'Pause',
  });
}
