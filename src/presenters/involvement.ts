import { formatDay } from '../domain/follow-up';
import type { ProgrammeInvolvement } from '../commands/involvement';
import type { PauseStop } from '../domain/stepping-back';
import { renderCard } from './render-card';

const STOP_LABEL: Record<PauseStop, string> = { check_in: 'check-ins about being away', follow_ups: '"you said, we did" messages', digests: 'digests' };

function stateIn(v: ProgrammeInvolvement, timeZone: string): string {
  const p = v.involvement?.paused;
  if (!p) return `${v.programme}: you are not paused.`;
  return `${v.programme}: you paused on ${formatDay(p.at, timeZone)}. Stopped for now: ${p.stops.map((s) => STOP_LABEL[s]).join(', ')}.`;
}

/** `pause`: what a pause does, where it applies (each of their programmes by name), what it stops now, and the choice of what else to stop. */
export function pauseCard(views: ProgrammeInvolvement[], timeZone: string, notice = '') {
  const paused = views.map((v) => v.involvement?.paused).filter((p) => !!p);
  const names = views.map((v) => v.programme);
  const where = names.length > 1 ? `A pause covers all your programmes: ${names.slice(0, -1).join(', ')} and ${names.at(-1)}.` : '';
  return renderCard('pause', {
    notice,
    state: [...views.map((v) => stateIn(v, timeZone)), paused.length ? 'Resume whenever you are ready, or type resume.' : '', where].filter(Boolean).join('\n\n'),
    stops: (paused[0]?.stops ?? []).filter((s) => s !== 'check_in').join(','),
    paused: paused.length > 0,
    pauseTitle: paused.length ? 'Save what is stopped' : 'Pause',
  });
}
