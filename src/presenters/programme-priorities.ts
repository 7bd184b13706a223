import { formatInTimeZone } from 'date-fns-tz';
import type { PrioritiesView } from '../commands/programme-priorities';
import type { Names } from '../domain/person';
import { areasOfPriority, confirmedPriorities, type ProgrammePriority } from '../domain/programme-priority';
import { EQUALITY_QUESTIONS, type EqualityRecord } from '../domain/who-takes-part';
import type { Workstream } from '../domain/workstream';
import { plain, renderCard } from './render-card';

/** Every workstream priority area, named with its workstream, since two workstreams may share a name. */
export function areaChoices(workstreams: readonly Workstream[]): { title: string; value: string }[] {
  return workstreams.flatMap((w) => w.priorityAreas.map((a) => ({ title: plain(`${a.name} (${w.name})`), value: a.id })));
}

function areasText(p: ProgrammePriority, workstreams: readonly Workstream[]): string {
  const names = new Map(areaChoices(workstreams).map((c) => [c.value, c.title]));
  const ids = areasOfPriority(p, workstreams);
  return ids.length ? ids.map((id) => names.get(id)!).join(', ') : 'no workstream priority area yet';
}

const STATE: Record<ProgrammePriority['status'], string> = { proposed: 'waiting for the programme team', confirmed: 'confirmed, a programme priority', declined: 'declined', retired: 'retired' };

/** `priorities`: the confirmed ones for everyone; the team decides on proposals and links areas; an LXP proposes and sees where theirs stand. */
export function programmePrioritiesCard(v: PrioritiesView, names: Names, timeZone: string, submissionId: string, notice = '') {
  const confirmed = confirmedPriorities(v.priorities);
  return renderCard('programme-priorities', {
    confirmedCount: confirmed.length,
    notice,
    team: v.team,
    lxp: v.lxp,
    submissionId,
    areaChoices: areaChoices(v.workstreams),
    confirmed: confirmed.map((p) => ({ id: p.id, title: plain(p.title), why: plain(p.why), areasText: areasText(p, v.workstreams), areaIds: areasOfPriority(p, v.workstreams).join(',') })),
    proposals: v.team
      ? v.priorities.filter((p) => p.status === 'proposed').map((p) => ({
          id: p.id, title: plain(p.title), why: plain(p.why), proposed: `Proposed by ${plain(names(p.proposedBy))} on ${formatInTimeZone(new Date(p.proposedAt), timeZone, 'd MMMM yyyy')}`,
        }))
      : [],
    mine: v.lxp
      ? v.priorities.filter((p) => p.proposedBy === v.actor.id).map((p) => ({ title: plain(p.title), state: p.status === 'declined' ? `declined. ${plain(p.reason ?? '')}` : STATE[p.status] }))
      : [],
  });
}

/** `about me`: the equality questions with the person's current answers. */
export function aboutMeCard(record: EqualityRecord | undefined, notice = '') {
  return renderCard('about-me', {
    notice,
    answered: !!record,
    questions: EQUALITY_QUESTIONS.map((q) => ({ key: q.key, question: q.question, current: record?.answers[q.key] ?? '', choices: q.choices })),
  });
}
