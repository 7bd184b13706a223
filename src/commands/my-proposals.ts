import { scrub, type PersonTraces } from '../domain/forget';
import { updateWithRetry, type Doc } from '../domain/ports';
import { queueProposalRefreshes } from './proposals';
import { transitionAgenda, transitionProposal, type AgendaProposal, type ContributionProposal } from '../domain/proposals';
import type { Deps } from './deps';

/**
 * Issue 22 in `my data` and `forget me`: an LXP's additions to the record and
 * their agenda items (the `proposals` store). Kept apart from my-data.ts and
 * forget-me.ts so those call one function each, wherever they run.
 */

export interface MyProposals {
  /** What they added to the record: their own words, where it stands, and the chair's reason when not added. */
  additions: { id: string; meetingId: string; meetingTitle: string; meetingDate: string; words?: string; kind: string; status: string; proposedAt: string; reason?: string; contributionId?: string; decidedByYou: boolean }[];
  /** Their agenda items: the title and note are theirs; "taken" says in which meeting they led it. */
  agendaItems: { id: string; workstreamId: string; title?: string; note?: string; status: string; proposedAt: string; carriedPast: string[]; takenIn?: string; takenByYou: boolean }[];
}

/** The proposals that mention the person, as `my data` lists them: words only for what they wrote themself. */
export function myProposals(docs: Doc[], who: PersonTraces): MyProposals {
  const me = (id?: string) => !!id && who.ids.includes(id);
  const out: MyProposals = { additions: [], agendaItems: [] };
  for (const d of docs as (ContributionProposal | AgendaProposal)[]) {
    const theirs = me(d.lxpId);
    if (d.type === 'contribution_proposal') {
      out.additions.push({
        id: d.id, meetingId: d.meetingId, meetingTitle: d.meetingTitle, meetingDate: d.meetingDate, kind: d.kind, status: d.status, proposedAt: d.proposedAt,
        ...(theirs ? { words: d.words, reason: d.reason } : {}),
        contributionId: d.contributionId,
        decidedByYou: me(d.decidedBy),
      });
    } else if (d.type === 'agenda_proposal') {
      out.agendaItems.push({
        id: d.id, workstreamId: d.workstreamId, status: d.status, proposedAt: d.proposedAt, carriedPast: d.carriedPast, takenIn: d.taken?.meetingId, takenByYou: me(d.taken?.by),
        ...(theirs ? { title: d.title, note: d.note } : {}),
      });
    }
  }
  return out;
}

/**
 * `forget me`: each proposal's own `forget` event erases the words of what they wrote and puts the placeholder
 * where their id was; any name left in text is scrubbed. Counts stay (an agenda item led is still counted
 * through its contribution). Returns how many documents changed; safe to run again.
 */
export async function forgetProposals(deps: Deps, tenantId: string, docs: Doc[], personId: string, who: PersonTraces, placeholder: string): Promise<number> {
  const now = deps.clock.now();
  const forget = { type: 'forget' as const, personId, placeholder };
  let n = 0;
  for (const d of docs) {
    const r = await updateWithRetry(deps.stores.proposals, tenantId, d.id, (doc) =>
      scrub(doc.type === 'contribution_proposal' ? transitionProposal(doc, forget, personId, now) : transitionAgenda(doc, forget, personId, now), who, placeholder),
    );
    // Messages that showed it (the chair's review card, the meeting card, the chair's notes) are drawn again without them.
    if (r) await queueProposalRefreshes(deps, r.after);
    n++;
  }
  return n;
}
