import { formatInTimeZone } from 'date-fns-tz';
import { KIND_LABEL, STATUS_LABEL, type Kind, type Status } from '../domain/contribution';
import { formatDay, formatShortDay } from '../domain/follow-up';
import type { ContributionAudit } from '../commands/contribution-audit';
import type { MyData, MyDataEverywhere, MyProgrammeData } from '../commands/my-data';
import { FORGET_EVERYWHERE } from '../domain/forget';
import { plain, renderCard } from './render-card';

const RECENT = 5;
const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The counts shown on the `my data` and `forget me` cards for one programme: what it holds, in plain words. */
export function holdingFacts(d: Omit<MyData, 'conversations' | 'generatedAt' | 'tenantId'>): { title: string; value: string }[] {
  const said = d.contributions.filter((c) => c.relation.includes('said'));
  const ownedOrRecorded = d.contributions.filter((c) => c.relation.includes('owner') || c.relation.includes('recorded'));
  const attended = d.meetings.filter((m) => m.relation.includes('attended'));
  const minutes = attended.reduce((s, m) => s + (m.minutesPresent ?? 0), 0);
  const roles = [d.programme?.lead ? 'programme lead' : d.programme?.member ? 'programme team' : '', ...(d.workstreams.length ? [n(d.workstreams.length, 'workstream')] : [])].filter(Boolean);
  return [
    { title: 'Your record', value: d.person ? `name, Teams id, ${d.preferences ? 'your preferences' : 'no preferences chosen yet'}` : 'none' },
    { title: 'Consent records', value: String(d.consent.length) },
    { title: 'Roles', value: roles.length ? roles.join(', ') : 'none' },
    { title: 'Contributions you said', value: `${said.length}${said.some((c) => c.restricted) ? ` (${said.filter((c) => c.restricted).length} personal stories, restricted)` : ''}` },
    { title: 'Contributions you own or recorded', value: String(ownedOrRecorded.length) },
    { title: 'Meetings attended', value: attended.length ? `${attended.length}, ${n(minutes, 'minute')} present` : '0' },
    { title: 'Added to the record by you, and agenda items', value: `${n(d.proposals?.additions.length ?? 0, 'addition')}, ${n(d.proposals?.agendaItems.length ?? 0, 'agenda item')}` },
    { title: 'Audit entries about you or by you', value: String(d.audit.length) },
    { title: 'Your answers about you (about me)', value: d.aboutYou ? d.aboutYou.answers.map((a) => `${a.question}: ${a.answer}`).join('; ') || 'none' : 'none' },
    { title: 'Messages and work scheduled for you', value: String(d.jobs.filter((j) => j.forYou && (j.status === 'pending' || j.status === 'held')).length) },
    ...lxpActionFacts(d),
  ];
}

/** Issue 22: their answers in their own words, and whether they paused their involvement. */
function lxpActionFacts(d: Pick<MyData, 'contributions' | 'person'>): { title: string; value: string }[] {
  const answers = d.contributions.flatMap((c) => c.yourAnswers);
  const worded = answers.filter((a) => a.words).length;
  const paused = d.person?.involvement?.paused;
  return [
    { title: 'Your answers to "you said, we did"', value: answers.length ? `${answers.length}, ${worded} in your own words${answers.some((a) => a.reply) ? `, ${answers.filter((a) => a.reply).length} replied to` : ''}` : '0' },
    { title: 'Your involvement', value: paused ? `paused since ${paused.at.slice(0, 10)} (${paused.stops.join(', ').replace('check_in', 'check-ins').replace('follow_ups', 'you said, we did messages')})` : 'not paused' },
  ];
}

/** What is kept outside any programme: the list of their programmes and the chats Golden Thread can write to. */
export function outsideFacts(d: MyDataEverywhere): { title: string; value: string }[] {
  const names = d.programmes.map((p) => p.programmeName);
  return [
    { title: 'Your programmes', value: names.length ? names.join(', ') : 'none' },
    { title: 'Chats Golden Thread can write to', value: String(d.outsideProgrammes.conversations.length) },
  ];
}

export interface MyDataCardOptions {
  timeZone: string;
  /** What happened to the JSON file, in a sentence (sent, or why not). */
  file: string;
  notice?: string;
}

/** One programme's part of the `my data` card: its name, the counts, and the recent items in the person's own words. */
function programmeSection(p: MyProgrammeData, o: MyDataCardOptions) {
  const said = p.contributions.filter((c) => c.relation.includes('said'));
  const attended = p.meetings.filter((m) => m.relation.includes('attended'));
  return {
    name: plain(p.programmeName),
    facts: holdingFacts(p),
    contributionCount: said.length,
    contributions: said.slice(0, RECENT).map((c) => ({
      id: c.id,
      programmeId: p.programmeId,
      heading: `${KIND_LABEL[c.kind as Kind] ?? 'Contribution'}, ${formatShortDay(c.meetingDate, o.timeZone)}. ${STATUS_LABEL[c.status as Status] ?? ''}`,
      meeting: plain(c.meetingTitle),
      words: c.status === 'withdrawn' || !c.words ? 'Withdrawn: the words were erased.' : plain(c.words),
      restricted: c.restricted && c.status !== 'withdrawn',
    })),
    meetingCount: attended.length,
    meetings: attended.slice(0, RECENT).map((m) => ({ title: plain(m.title), when: `${m.startedAt ? formatShortDay(m.startedAt, o.timeZone) : 'date not known'}: ${n(m.minutesPresent ?? 0, 'minute')} present` })),
  };
}

/** `my data`: per programme, counts of everything held and the recent items in the person's own words; then what is kept outside any programme. */
export function myDataCard(d: MyDataEverywhere, o: MyDataCardOptions) {
  return renderCard('my-data', {
    notice: o.notice ?? '',
    asOf: formatDay(d.generatedAt, o.timeZone),
    file: o.file,
    outside: outsideFacts(d),
    none: d.programmes.length === 0,
    programmes: d.programmes.map((p) => programmeSection(p, o)),
  });
}

/** The confirmation before `forget me`: what will happen, what each programme holds now, and (in several) which to forget them in. */
export function forgetMeCard(d: MyDataEverywhere, personId: string, notice = '') {
  const several = d.programmes.length > 1;
  return renderCard('forget-me', {
    personId,
    notice,
    programmes: d.programmes.map((p) => ({ name: plain(p.programmeName), facts: holdingFacts(p) })),
    outside: outsideFacts(d),
    several,
    which: several ? '' : FORGET_EVERYWHERE,
    choices: [...d.programmes.map((p) => ({ title: `Only ${plain(p.programmeName)}`, value: p.programmeId })), { title: 'All my programmes', value: FORGET_EVERYWHERE }],
  });
}

/** `audit <contribution>`: one line per entry; only labels and names, never the words. */
export function contributionAuditCard(a: ContributionAudit, timeZone: string) {
  const c = a.contribution;
  return renderCard('contribution-audit', {
    id: plain(a.id),
    meeting: c ? plain(c.meetingTitle) : 'Deleted at the end of the retention period',
    facts: c
      ? [
          { title: 'Meeting date', value: formatDay(c.meetingDate, timeZone) },
          { title: 'Kind', value: KIND_LABEL[c.kind] },
          { title: 'Where it stands', value: STATUS_LABEL[c.status] },
          { title: 'Personal story (restricted)', value: c.restricted ? 'yes' : 'no' },
          { title: 'Anonymous', value: c.anonymous ? 'yes' : 'no' },
        ]
      : [],
    lines: a.lines.map((l) => ({ when: formatInTimeZone(new Date(l.at), timeZone, 'd MMM yyyy, HH:mm'), who: plain(l.who), what: l.what })),
  });
}
