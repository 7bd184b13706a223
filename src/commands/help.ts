import type { Deps, Caller } from './deps';
import { rolesOf } from './roles-of';

export interface HelpItem {
  command: string;
  what: string;
}

export interface HelpResult {
  name: string;
  roleSummary: string;
  items: HelpItem[];
  plainEnglish: boolean;
}

/** What this person can do, from their roles: the help card lists only what will work for them. */
export async function help(deps: Deps, caller: Caller, opts: { plainEnglish: boolean }): Promise<HelpResult> {
  const r = await rolesOf(deps, caller);
  const items: HelpItem[] = [{ command: 'help', what: 'Show this list.' }];
  const roles: string[] = [];
  if (r.programme) roles.push(r.lead ? 'programme lead' : 'programme team');
  if (r.chairOf.length) roles.push(`chair of ${r.chairOf.map((w) => w.name).join(', ')}`);
  if (r.lxpOf.length) roles.push(`Lived Experience Practitioner in ${r.lxpOf.map((w) => w.name).join(', ')}`);
  if (r.staffOf.length) roles.push(`staff in ${r.staffOf.map((w) => w.name).join(', ')}`);

  if (r.programme || !r.programmeExists) {
    items.push({ command: 'setup', what: r.programmeExists ? 'Set up workstreams, people and priority areas.' : 'Set up your programme. You will become its programme lead.' });
  }
  if (r.programme || r.chairOf.length) {
    items.push({ command: 'log', what: 'Log a contribution from a Lived Experience Practitioner (in the meeting chat: log Sam: what they said).' });
    items.push({ command: 'end meeting', what: 'End the meeting (or today\'s session) in this chat: the minutes are posted and each LXP is asked to check what was recorded.' });
    items.push({ command: 'report', what: 'See what happened to contributions, by workstream, priority area or period.' });
  }
  items.push({ command: 'overdue', what: 'See contributions whose feedback is overdue.' });
  if (r.lxpOf.length) {
    items.push({ command: 'my contributions', what: 'See what was recorded from you, where each stands and what was done.' });
    items.push({ command: 'my claims', what: 'Claim for a meeting you attended (time, preparation, travel and other costs), and see every claim and where it stands.' });
    items.push({ command: 'add to the record', what: 'After a meeting you attended, add something you said that was not recorded, or thought of afterwards, in your own words. The chair adds it or tells you why not.' });
    items.push({ command: 'propose agenda item', what: 'Propose something you would like to lead at the next meeting of your workstream.' });
    // Issue 22: typed commands only (the manifest's list is full).
    items.push({ command: 'my impact [period]', what: 'What your involvement led to (outcomes, changes, agenda items led, meetings attended), as a card and a file to keep.' });
    items.push({ command: 'pause', what: 'Step back for a while: the programme team is not told you have been away, and the messages you choose stop until you type resume.' });
  }
  if (r.programme) {
    items.push({ command: 'export', what: 'Download contributions and outcomes as a spreadsheet (CSV).' });
    items.push({ command: 'attendance <month>', what: 'Meetings attended and minutes present per LXP, for involvement payments.' });
    items.push({ command: 'export claims <month>', what: 'Involvement claims of a month for finance (CSV): hours, amounts, status, who decided and when.' });
    items.push({ command: 'audit <contribution>', what: 'The full history of one contribution.' });
    if (r.lead) items.push({ command: 'close programme', what: 'Close the programme: you get everything it holds as a file, then it is erased.' });
  } else if (r.lxpOf.length) {
    items.push({ command: 'attendance <month>', what: 'Your meetings and minutes present, for your involvement payments; tell the programme team if one is wrong.' });
  }
  if (r.programme || r.lxpOf.length || r.chairOf.length || r.staffOf.length) {
    const what = r.programme ? 'Confirm, decline or retire the programme priorities the LXPs propose, and link the priority areas that serve them.' : r.lxpOf.length ? 'See the programme priorities, and propose one.' : 'See the programme priorities.';
    items.push({ command: 'priorities', what });
  }
  if (r.lxpOf.length) items.push({ command: 'about me', what: 'Answer a few optional questions about you (age, ethnic group and others) so the programme team can see who takes part; change or delete them at any time.' });
  items.push({ command: 'preferences', what: 'Choose how you are named, and how and when you hear what happened.' });
  items.push({ command: 'my data', what: 'See everything Golden Thread holds about you, in every programme you are in.' });
  items.push({ command: 'forget me', what: 'Erase your words and your name from Golden Thread: in one of your programmes, or in all of them.' });

  return {
    name: caller.name || 'there',
    roleSummary: roles.length ? `You are ${roles.join('; ')}.` : 'You have no role in a workstream yet. The programme team can add you.',
    items,
    plainEnglish: opts.plainEnglish,
  };
}
