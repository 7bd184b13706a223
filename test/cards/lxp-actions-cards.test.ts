/*
 * The cards of issue 22 (LXPs act), all wired now (they were kept in
 * cards/pending/ until their verbs had routes): the same checks test/cards/cards.test.ts makes of every card
 * in cards/ (1.5, the adaptivecards parser, only 1.5 properties, a label on
 * every input, every ${...} filled, typed words only as TextRun text), and
 * what each card says.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR, type CardJson } from '../../src/presenters/render-card';
import { submitClaim, transitionClaim, type Claim, type ClaimRates } from '../../src/domain/claim';
import { impactOf, areaNames } from '../../src/domain/impact';
import { proposeAgendaItem, proposeContribution, transitionAgenda, transitionProposal } from '../../src/domain/proposals';
import type { Workstream } from '../../src/domain/workstream';
import { claimFormCard, claimReviewCard, myClaimsCard } from '../../src/presenters/claims';
import { impactFile, myImpactCard } from '../../src/presenters/impact';
import { proposalReviewCard, proposeAgendaCard, proposeContributionCard } from '../../src/presenters/proposals';
import { cardText } from '../support/e2e';
import { buildMeeting } from '../support/lxp-fixtures';
import { buildContribution } from '../support/outcome-fixtures';
import { AdaptiveCardsParser } from './adaptive-cards-dom';
import { eachOfType, placesOf, unknownProperties } from './schema-1-5';

const MARKDOWN = '**bold** [link](http://x)';
const TZ = 'Europe/London';
const PENDING = path.join(CARDS_DIR, 'pending');
const at = new Date('2026-03-10T12:00:00Z');
const RATES: ClaimRates = { hourly: { meeting: 2000, preparation: 1500 }, fixed: { meeting: 0, preparation: 0 } };

/** Everything the cards show that someone typed carries `typed`, so the markdown check can find it. */
function world(typed = '') {
  const ws: Workstream = {
    id: 'ws1', tenantId: 'tenant-1', type: 'workstream', name: `Crisis care${typed}`, chairIds: ['chris'], staffIds: ['dana'], lxpIds: ['sam', 'alex'],
    priorityAreas: [{ id: 'a1', name: `Night support${typed}`, proposedBy: 'sam' }, { id: 'a2', name: 'Waiting times', proposedBy: 'alex' }], chatIds: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  };
  const meeting = buildMeeting({ title: `Crisis pathway review${typed}` });
  const names = (id: string) => ({ sam: `Sam Okafor${typed}`, chris: `Chris Morgan${typed}`, jordan: `Jordan Lee${typed}`, dana: 'Dana Fox' })[id] ?? id;
  const claim = submitClaim({ tenantId: 'tenant-1', programmeId: 'p', lxpId: 'sam', meeting, details: { minutes: { meeting: 90, preparation: 60 }, expenses: { travel: 1240, other: 0, carer: 500 }, note: `Two buses${typed}`, paymentDeclined: false }, rates: RATES }, undefined, at).claim;
  const queried = transitionClaim(claim, { type: 'query', reason: `Was that a return fare?${typed}` }, 'jordan', at);
  const declinedPay: Claim = { ...submitClaim({ tenantId: 'tenant-1', programmeId: 'p', lxpId: 'sam', meeting: buildMeeting({ id: 'm2', title: `Ward rounds${typed}` }), details: { minutes: { meeting: 60, preparation: 0 }, expenses: { travel: 0, other: 0, carer: 0 }, note: '', paymentDeclined: true }, rates: RATES }, undefined, at).claim };
  const approved = transitionClaim(declinedPay, { type: 'approve' }, 'jordan', at);
  const proposal = proposeContribution({ submissionId: 's1', tenantId: 'tenant-1', lxpId: 'sam', words: `Nobody asked about carers at night${typed}`, kind: 'suggestion', priorityAreaIds: ['a1'], attribution: 'as_chosen', restriction: 'as_kind' }, meeting, ws, at);
  const story = proposeContribution({ submissionId: 's2', tenantId: 'tenant-1', lxpId: 'sam', words: `When I was on the ward${typed}`, kind: 'personal_experience', priorityAreaIds: [], attribution: 'as_chosen', restriction: 'as_kind' }, meeting, ws, at);
  const declinedProposal = transitionProposal(proposal, { type: 'decline', reason: `Alex said it and it is recorded${typed}` }, 'chris', at);
  const agenda = proposeAgendaItem({ submissionId: 'g1', tenantId: 'tenant-1', lxpId: 'sam', title: `Peer support on the ward${typed}` }, ws, [], at);
  const carried = transitionAgenda(agenda, { type: 'carry', meetingId: 'm0' }, 'scheduler', at);
  const contributions = Array.from({ length: 6 }, (_, i) =>
    buildContribution({
      id: `c${i}`, meetingTitle: `Crisis pathway review${typed}`, meetingDate: '2026-02-02T10:00:00.000Z', priorityAreaIds: i % 2 ? ['a1'] : [], kind: i === 5 ? 'led_agenda_item' : 'suggestion',
      status: i < 3 ? 'outcome_recorded' : 'awaiting_outcome',
      outcomes: i < 3 ? [{ status: i === 2 ? 'not_taken_forward' : 'adopted', whatWeDid: `Night line funded from April${typed}`, decidedBy: 'chris', decidedAt: '2026-02-20T10:00:00.000Z' }] : [],
    }),
  );
  const impact = impactOf('sam', { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-31T23:00:00Z'), label: 'January to March 2026' }, contributions, [buildMeeting({ startedAt: '2026-02-02T10:00:00.000Z' })]);
  const areas = areaNames([ws]);
  return { ws, meeting, names, claim, queried, approved, proposal, story, declinedProposal, agenda, carried, impact, areas };
}
type World = ReturnType<typeof world>;

const SAMPLES: Record<string, Record<string, (w: World) => CardJson>> = {
  claim: {
    new: (w) => claimFormCard({ meeting: w.meeting, lxpId: 'sam', rates: RATES, timeZone: TZ }),
    'answering a query': (w) => claimFormCard({ meeting: w.meeting, lxpId: 'sam', rates: RATES, claim: w.queried, timeZone: TZ }),
  },
  'claim-review': {
    submitted: (w) => claimReviewCard({ claim: w.claim, names: w.names, meeting: w.meeting, timeZone: TZ }),
    escalated: (w) => claimReviewCard({ claim: transitionClaim(w.claim, { type: 'escalate' }, 'scheduler', at), names: w.names, meeting: w.meeting, timeZone: TZ }),
    'approved, time only': (w) => claimReviewCard({ claim: w.approved, names: w.names, timeZone: TZ }),
  },
  'my-claims': {
    some: (w) => myClaimsCard({ claims: [w.queried, w.approved], claimable: [buildMeeting({ id: 'm3', title: `Reference group${w.ws.name.slice(11)}` })], timeZone: TZ }),
    none: () => myClaimsCard({ claims: [], claimable: [], timeZone: TZ }),
  },
  'my-impact': {
    'a quarter': (w) => myImpactCard([{ programme: 'Mental health programme', impact: w.impact, areaNames: w.areas, timeZone: TZ }]),
    empty: (w) => myImpactCard([{ programme: 'Mental health programme', impact: { ...w.impact, contributions: 0, changes: [], byArea: {}, byOutcome: { ...w.impact.byOutcome, adopted: 0, not_taken_forward: 0, waiting: 0 }, meetingsAttended: 0, agendaItemsLed: 0 }, areaNames: w.areas, timeZone: TZ }]),
  },
  'propose-contribution': {
    new: (w) => proposeContributionCard({ meeting: w.meeting, workstream: w.ws, submissionId: 'sub-1', until: new Date('2026-03-16T11:30:00Z'), timeZone: TZ }),
  },
  'proposal-review': {
    pending: (w) => proposalReviewCard({ proposal: w.proposal, workstream: w.ws, names: w.names, anonymous: false, readerIsProgramme: false, defaultOwnerId: 'chris', defaultDue: '2026-03-23', timeZone: TZ }),
    'restricted, anonymous': (w) => proposalReviewCard({ proposal: w.story, workstream: w.ws, names: w.names, anonymous: true, readerIsProgramme: false, defaultOwnerId: 'chris', defaultDue: '2026-03-23', timeZone: TZ }),
    declined: (w) => proposalReviewCard({ proposal: w.declinedProposal, workstream: w.ws, names: w.names, anonymous: false, readerIsProgramme: false, defaultOwnerId: 'chris', defaultDue: '2026-03-23', timeZone: TZ }),
  },
  'propose-agenda-item': {
    'with one waiting': (w) => proposeAgendaCard({ workstreams: [w.ws], waiting: [w.carried], submissionId: 'sub-2' }),
    'nothing waiting': (w) => proposeAgendaCard({ workstreams: [w.ws], waiting: [], submissionId: 'sub-3' }),
  },
};

/** The verbs these cards use; each needs a payload and a route when the cards move to cards/ (docs/lxp-actions-wiring.md). */
const VERBS: Record<string, string[]> = {
  claim: ['claim_submit'],
  'claim-review': ['claim_approve', 'claim_decline', 'claim_query'],
  'my-claims': ['claim_open'],
  'my-impact': ['impact_file', 'impact_show'],
  'propose-contribution': ['proposal_submit'],
  'proposal-review': ['proposal_accept', 'proposal_decline', 'proposal_withdraw'],
  'propose-agenda-item': ['agenda_propose', 'proposal_withdraw'],
};

/** Every card of issue 22 is wired and lives in cards/ (samples also in test/cards/claim-samples.ts, proposal-samples.ts, lxp-samples.ts). */
const MOVED = ['claim', 'claim-review', 'my-claims', 'propose-contribution', 'proposal-review', 'propose-agenda-item', 'my-impact'];
const template = (name: string): CardJson => JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as CardJson;
const unlabelled = (card: CardJson) => {
  const out: string[] = [];
  eachOfType(card, 'Input.', (input, where) => {
    if (typeof input.label !== 'string' || !input.label.trim()) out.push(where);
  });
  return out;
};

let parser: AdaptiveCardsParser;
let w: World;
let marked: World;
beforeAll(() => {
  parser = new AdaptiveCardsParser();
  w = world();
  marked = world(MARKDOWN);
});
afterAll(() => parser?.close());

test('every card of issue 22 is sampled here and wired: none is left waiting in cards/pending/', () => {
  expect([...MOVED].sort()).toEqual(Object.keys(SAMPLES).sort());
  expect(existsSync(PENDING)).toBe(false);
});

describe.each(Object.keys(SAMPLES))('cards/%s.json', (name) => {
  it('is a 1.5 card the adaptivecards parser accepts, with only 1.5 properties and a label on every input', () => {
    const t = template(name);
    expect(t.type).toBe('AdaptiveCard');
    expect(t.version).toBe('1.5');
    expect(parser.events(t, { validate: false })).toEqual([]);
    expect(unknownProperties(t)).toEqual([]);
    expect(unlabelled(t)).toEqual([]);
  });

  it('uses Action.Execute with the fixed verbs listed for its wiring', () => {
    const verbs = new Set<string>();
    eachOfType(template(name), 'Action.', (action) => {
      expect(action.type).not.toBe('Action.Submit');
      if (action.type === 'Action.Execute') verbs.add(String(action.verb));
    });
    expect([...verbs].sort()).toEqual(VERBS[name]);
    expect([...verbs].some((v) => v.includes('${'))).toBe(false);
  });

  it.each(Object.keys(SAMPLES[name]))('filled (%s), validates cleanly with every ${...} filled and every input labelled', (variant) => {
    const card = SAMPLES[name][variant](w);
    expect(parser.events(card, { validate: true }).filter((e) => e.event !== 'Hint')).toEqual([]);
    expect(unknownProperties(card)).toEqual([]);
    expect(JSON.stringify(card).match(/\$\{[^}]*\}?|"\$(data|when)"/g) ?? []).toEqual([]);
    expect(unlabelled(card)).toEqual([]);
  });

  it('shows what people typed only as TextRun text, an input value or a choice title', () => {
    const SAFE = new Set(['TextRun.text', 'Input.Text.value', 'Input.Choice.title', 'Action.Execute.title']);
    const misplaced: string[] = [];
    let found = 0;
    for (const [variant, build] of Object.entries(SAMPLES[name])) {
      const places = placesOf(build(marked), MARKDOWN);
      found += places.length;
      for (const p of places) if (!SAFE.has(`${p.holder}.${p.key}`)) misplaced.push(`${variant}: ${p.path} (${p.holder}.${p.key})`);
    }
    expect(misplaced).toEqual([]);
    expect(found).toBeGreaterThan(0);
  });
});

const inputs = (card: CardJson) => {
  const found: Record<string, any> = {};
  eachOfType(card, 'Input.', (input) => (found[String(input.id)] = input));
  return found;
};

describe('what the cards say', () => {
  it('the claim form starts with the meeting time present, rounded up to the quarter hour, and the rates', () => {
    const card = SAMPLES.claim.new(w);
    expect(inputs(card).meetingHours.value).toBe('1.50');
    expect(inputs(card).paymentDeclined).toMatchObject({ type: 'Input.Toggle', value: 'false', valueOn: 'true' });
    expect(cardText(card)).toContain('recorded you in the meeting for 86 minutes');
    expect(cardText(card)).toContain('meeting time £20.00 an hour, and preparation time £15.00 an hour');
  });

  it('the claim form, after a query, shows the question and the claim as sent', () => {
    const card = SAMPLES.claim['answering a query'](w);
    const i = inputs(card);
    expect([i.meetingHours.value, i.preparationHours.value, i.travel.value, i.carer.value, i.note.value]).toEqual(['1.50', '1.00', '12.40', '5.00', 'Two buses']);
    expect(cardText(card)).toContain('Was that a return fare?');
    expect(cardText(card)).toContain('this claim comes to £62.40');
    expect((card.actions as any[])[0]).toMatchObject({ verb: 'claim_submit', title: 'Send again', data: { claimId: w.queried.id, meetingId: 'm1' } });
  });

  it('the review card shows how each amount was reached, and offers approve, query and decline while open', () => {
    const card = SAMPLES['claim-review'].submitted(w);
    const text = cardText(card);
    expect(text).toContain('1.50 hours at £20.00 an hour: £30.00');
    expect(text).toContain('£62.40');
    expect(text).toContain('Teams recorded them in the meeting for 86 minutes');
    expect((card.actions as any[]).map((a) => a.verb)).toEqual(['claim_approve', 'claim_query', 'claim_decline']);
    expect(inputs(card).reason.label).toMatch(/the LXP sees it/);
    const done = SAMPLES['claim-review']['approved, time only'](w);
    expect(done.actions ?? []).toEqual([]);
    expect(cardText(done)).toContain('Payment declined: time only, £0.00');
    expect(cardText(done)).toContain('Approved by Jordan Lee');
  });

  it('my claims lists every claim with its status and reason, and the meetings still to claim for', () => {
    const text = cardText(SAMPLES['my-claims'].some(w));
    expect(text).toContain('The programme team has a question');
    expect(text).toContain('Was that a return fare?');
    expect(text).toContain('Time only: you chose not to be paid.');
    expect(text).toContain('Meetings you can still claim for');
  });

  it('my impact gives the figures and the changes in plain words, and the file says the same without the LXP\'s words', () => {
    const text = cardText(SAMPLES['my-impact']['a quarter'](w));
    expect(text).toContain('You attended 1 meeting. 6 contributions recorded from you, 2 changes made because of what you said, 1 agenda item led.');
    expect(text).toContain('Night line funded from April');
    expect(text).toContain('Night support: ');
    const file = impactFile([{ programme: 'Mental health programme', impact: w.impact, areaNames: w.areas, timeZone: TZ }], at);
    expect(file.name).toBe('my-impact-2026-01-01-to-2026-03-31.txt');
    expect(file.text).toContain('  Adopted: 2\r\n');
    expect(file.text).toContain('  Not taken forward: 1\r\n');
    expect(file.text).toContain('  Night support: 3\r\n');
    expect(file.text).not.toContain('More peer support at night');
  });

  it('the chair\'s review hides a restricted story and an anonymous name, and shows a decline\'s reason', () => {
    const story = cardText(SAMPLES['proposal-review']['restricted, anonymous'](w));
    expect(story).toContain('A personal story, shared in confidence.');
    expect(story).toContain('An LXP');
    expect(story).not.toContain('When I was on the ward');
    expect(story).not.toContain('Sam Okafor');
    const pending = SAMPLES['proposal-review'].pending(w);
    expect(inputs(pending).ownerId.value).toBe('chris');
    expect(inputs(pending).dueDate.value).toBe('2026-03-23');
    expect(inputs(pending).priorityAreaIds.value).toBe('a1');
    expect(cardText(SAMPLES['proposal-review'].declined(w))).toContain('Not added by Chris Morgan: Alex said it and it is recorded');
  });

  it('the agenda card says what is waiting and that it was carried on', () => {
    expect(cardText(SAMPLES['propose-agenda-item']['with one waiting'](w))).toContain('Carried on from one meeting.');
  });
});
