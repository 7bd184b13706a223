import { WHO_SEES_MINUTES, WHO_SEES_OTHERS } from './who-sees';
import { randomUUID } from 'node:crypto';
import type { Person, Preferences } from '../domain/person';
import { DEFAULT_PREFERENCES, quietHoursChoice, type QuietHoursChoice } from '../domain/person';
import type { Programme, Workstream } from '../domain/workstream';
import type { Names } from '../domain/person';
import { renderCard, plain } from './render-card';
import { formatPounds } from '../domain/claim';
import { ratesSentence } from './claims';

const list = (ids: string[], names: Names) => (ids.length ? ids.map(names).join(', ') : 'none yet');
/** A picker's label: the name, and the email or UPN where known, since two people in a tenant may share a name. */
const pickLabel = (p: { name: string; email?: string }) => (p.email ? `${plain(p.name)} (${p.email})` : plain(p.name));

export function setupCard(opts: { programme: Programme; workstreams: Workstream[]; people: Person[]; names: Names; justClaimed: boolean; unreachable?: { name: string; why: string }[] }) {
  return renderCard('setup', {
    justClaimed: opts.justClaimed,
    workstreams: opts.workstreams.map((w) => ({
      id: w.id,
      name: plain(w.name),
      chairs: list(w.chairIds, opts.names),
      lxps: list(w.lxpIds, opts.names),
      staff: list(w.staffIds, opts.names),
      areas: w.priorityAreas.length ? w.priorityAreas.map((p) => plain(p.name)).join('; ') : 'none yet',
      chats: w.chatIds.length ? `${w.chatIds.length} linked` : 'none linked yet',
    })),
    team: list(opts.programme.memberIds, opts.names),
    transcriptsOn: opts.programme.transcriptSuggestions?.on === true,
    transcripts:
      opts.programme.transcriptSuggestions?.on === true
        ? 'On. When a meeting Teams transcribed ends, its chair is sent, 1:1, what the LXPs who agreed to it said, to tick and save as contributions. Nothing else of the transcript is kept.'
        : 'Off. When on, the chair of a meeting Teams transcribed is sent, 1:1, what the LXPs who agreed to it said, to tick and save as contributions; each LXP agrees in their preferences. Your administrator must allow it too (see "Meeting transcripts" in the setup guide).',
    ...paymentFields(opts.programme),
    unreachable: (opts.unreachable ?? []).map((u) => ({ name: plain(u.name), why: u.why })),
    candidates: opts.people.filter((p) => !opts.programme.memberIds.includes(p.id)).map((p) => ({ id: p.id, name: pickLabel(p) })),
    removable: opts.people.filter((p) => opts.programme.memberIds.includes(p.id) && p.id !== opts.programme.leadId).map((p) => ({ id: p.id, name: pickLabel(p) })),
    successors: opts.people.filter((p) => p.id !== opts.programme.leadId).map((p) => ({ id: p.id, name: pickLabel(p) })),
  });
}

/** The payment section of setup: what involvement is paid now, and the form's starting values. */
function paymentFields(programme: Programme) {
  const p = programme.payment;
  const money = (pence: number) => (pence ? formatPounds(pence) : '');
  const days = p ? /^P(\d+)D$/.exec(p.claimsEscalateAfter)?.[1] ?? '' : '';
  const weeks = p?.steppingBackAfter ? /^P(\d+)W$/.exec(p.steppingBackAfter)?.[1] ?? '' : '';
  const away = p?.steppingBackAfter
    ? ` You are told privately when an LXP has attended none of their workstreams' meetings for ${weeks ? `${weeks} week${weeks === '1' ? '' : 's'}` : p.steppingBackAfter}, unless they paused.`
    : ' You are not told when an LXP has been away from meetings for a while: set a number of weeks to be.';
  return {
    payment: p
      ? `${ratesSentence(p.rates)} A claim waiting longer than ${days ? `${days} day${days === '1' ? '' : 's'}` : p.claimsEscalateAfter} is raised with the programme team.${away}`
      : 'No rates set yet: LXPs can claim their time and expenses, and claims show £0.00 for time until you set them.',
    awayWeeks: weeks,
    meetingRate: money(p?.rates.hourly.meeting ?? 0),
    meetingFee: money(p?.rates.fixed.meeting ?? 0),
    preparationRate: money(p?.rates.hourly.preparation ?? 0),
    preparationFee: money(p?.rates.fixed.preparation ?? 0),
    waitDays: days || '10',
  };
}

export function workstreamEditCard(opts: { workstream?: Workstream; people: { id: string; name: string; email?: string }[] }) {
  const w = opts.workstream;
  const areas = w?.priorityAreas.map((p) => p.name) ?? [];
  return renderCard('workstream-edit', {
    heading: w ? `Edit ${plain(w.name)}` : 'New workstream',
    workstreamId: w?.id ?? '',
    submissionId: randomUUID(),
    expectedUpdatedAt: w?.updatedAt ?? '',
    name: w?.name ?? '',
    chairIds: w?.chairIds.join(',') ?? '',
    lxpIds: w?.lxpIds.join(',') ?? '',
    staffIds: w?.staffIds.join(',') ?? '',
    people: opts.people.map((p) => ({ id: p.id, name: pickLabel(p) })),
    area1: areas[0] ?? '',
    area2: areas[1] ?? '',
    area3: areas[2] ?? '',
    area4: areas[3] ?? '',
    area5: areas[4] ?? '',
  });
}

export function priorityAreasCard(w: Workstream, notice = '') {
  return renderCard('priority-areas', {
    name: plain(w.name),
    workstreamId: w.id,
    areaCount: w.priorityAreas.length,
    notice,
    areas: w.priorityAreas.map((p) => ({ id: p.id, name: plain(p.name), workstreamId: w.id })),
  });
}

/** `programme`: for someone in several programmes, whose preferences these are (each programme keeps its own). */
export function preferencesCard(person: Person, welcome: boolean, programme?: string) {
  const p: Preferences = person.preferences ?? DEFAULT_PREFERENCES;
  return renderCard('preferences', {
    heading: welcome ? `Welcome to Golden Thread, ${plain(person.name)}` : programme ? `Your preferences in ${plain(programme)}` : 'Your preferences',
    welcome,
    whoSees: WHO_SEES_MINUTES,
    whoElse: WHO_SEES_OTHERS,
    personId: person.id,
    attribution: p.attribution,
    quoteInReports: String(p.quoteInReports),
    rhythm: p.rhythm,
    detail: p.detail,
    news: p.news.join(','),
    quietDays: p.quietDays.join(','),
    quietHours: quietHoursChoice(p.quietHours),
    revealToOwner: String(p.revealToOwner),
    transcriptSuggestions: String(p.transcriptSuggestions === true),
  });
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const HOURS_TEXT: Record<QuietHoursChoice, string> = { none: '', evenings: '6pm to 9am', nights: '9pm to 8am', working_hours: 'outside 9am to 5pm' };

/** "Saturday and Sunday; 6pm to 9am", or "none": when this person gets no messages. */
export function quietTimesText(p: Pick<Preferences, 'quietDays' | 'quietHours'>): string {
  // Monday first, as the card lists them.
  const days = [...p.quietDays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => DAY_NAMES[d]);
  const dayText = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : days.join('');
  return [dayText, HOURS_TEXT[quietHoursChoice(p.quietHours)]].filter(Boolean).join('; ') || 'none';
}

export function noticeCard(title: string, text: string, facts: { title: string; value: string }[] = []) {
  return renderCard('notice', { title, text, facts });
}
