import type { ClaimRates } from './claim';
import type { Doc } from './ports';
import { DomainError } from './errors';
import type { ProgrammePriority } from './programme-priority';

export const MAX_PRIORITY_AREAS = 5;

export interface PriorityArea {
  id: string;
  name: string;
  proposedBy: string;
}

export interface Workstream extends Doc {
  type: 'workstream';
  name: string;
  chairIds: string[];
  staffIds: string[];
  lxpIds: string[];
  priorityAreas: PriorityArea[];
  /** Meeting chats (conversation ids) linked to this workstream; recurring meetings keep their link through the chat. */
  chatIds: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * One per programme, id "programme" in the programme's partition: its name, who leads and who is on the
 * programme team. Created once per programme, so only one person can claim a programme's lead.
 */
export interface Programme extends Doc {
  type: 'programme';
  /** Shown wherever a person in several programmes needs to tell them apart. */
  name?: string;
  leadId: string;
  memberIds: string[];
  /** A channel or chat where the programme team wants notices posted, if any. */
  noticeConversationId?: string;
  /** Suggested contributions from meeting transcripts (issue 24): switched by the programme lead only. */
  transcriptSuggestions?: { on: boolean; by: string; at: string };
  /** Issue 22: what involvement is paid at, and how long a claim may wait for the programme team before they are reminded. */
  payment?: ProgrammePayment;
  /** Issue 18: being closed by its lead; `counts` (documents per container) is taken once, before anything is erased. */
  closing?: { by: string; at: string; counts?: Record<string, number> };
  /** Issue 23: programme priorities, proposed by LXPs and confirmed by the programme team (src/domain/programme-priority.ts). */
  priorities?: ProgrammePriority[];
  createdAt: string;
}

export interface ProgrammePayment {
  rates: ClaimRates;
  /** ISO 8601 duration, e.g. P10D (checked with programmeDuration). */
  claimsEscalateAfter: string;
  /** ISO 8601 duration, e.g. P8W: the programme team is told privately when an LXP has attended no meeting of their workstreams for this long (src/domain/stepping-back.ts). Unset: never. */
  steppingBackAfter?: string;
  by: string;
  at: string;
}

export const PROGRAMME_ID = 'programme';

export function addPriorityArea(ws: Workstream, area: PriorityArea): Workstream {
  const name = area.name.trim();
  if (!name) throw new DomainError('invalid_input', 'Give the priority area a name.');
  if (name.length > 80) throw new DomainError('invalid_input', 'Keep a priority area name to 80 characters or fewer.');
  if (ws.priorityAreas.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
    throw new DomainError('already_done', `"${name}" is already a priority area of ${ws.name}.`);
  }
  if (ws.priorityAreas.length >= MAX_PRIORITY_AREAS) {
    throw new DomainError(
      'limit_reached',
      `${ws.name} already has ${MAX_PRIORITY_AREAS} priority areas, the most a workstream can have. Edit or remove one first.`,
    );
  }
  return { ...ws, priorityAreas: [...ws.priorityAreas, { ...area, name }] };
}

export function roleIn(ws: Workstream, personId: string): 'chair' | 'staff' | 'lxp' | undefined {
  if (ws.chairIds.includes(personId)) return 'chair';
  if (ws.lxpIds.includes(personId)) return 'lxp';
  if (ws.staffIds.includes(personId)) return 'staff';
  return undefined;
}
