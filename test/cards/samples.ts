/*
 * Realistic filled cards, one or more per template in cards/, built by
 * calling the presenters (and, where no presenter exists, the code that
 * fills the template in production) with domain objects for one story: the
 * "Crisis pathway" workstream, chaired by Chris Morgan, with LXPs Sam Okafor
 * and Alex Rivera.
 *
 * test/cards/cards.test.ts fails for a card in cards/ with no entry here, and
 * scripts/render-cards.ts turns the first sample of each card into a PNG.
 * A new card needs an entry: key = file name without .json.
 */
import { CLAIM_SAMPLES } from './claim-samples';
import { PROPOSAL_SAMPLES } from './proposal-samples';
import { PRIORITY_SAMPLES } from './priority-samples';
import { LXP_SAMPLES } from './lxp-samples';
import type { CardJson } from '../../src/presenters/render-card';
import { renderCard } from '../../src/presenters/render-card';
import { recordContribution, transition, type Contribution, type Kind, type Outcome } from '../../src/domain/contribution';
import { feedbackDue } from '../../src/domain/follow-up';
import type { Meeting } from '../../src/domain/meeting';
import { DEFAULT_PREFERENCES, newPerson, type Names, type Person } from '../../src/domain/person';
import type { Programme, Workstream } from '../../src/domain/workstream';
import { audit, type Deps } from '../../src/commands/deps';
import { help } from '../../src/commands/help';
import { attendance } from '../../src/commands/attendance';
import { contributionAudit } from '../../src/commands/contribution-audit';
import { rebuildCounters } from '../../src/commands/counters';
import { exportContributions } from '../../src/commands/export';
import { answerFeedback } from '../../src/commands/feedback';
import { collectMyDataEverywhere } from '../../src/commands/my-data';
import { myContributions } from '../../src/commands/my-contributions';
import { listOverdue, loadShown, nudgeOwner } from '../../src/commands/overdue';
import { buildReport } from '../../src/commands/reports';
import { markUnreachable } from '../../src/jobs/unreachable';
import { jobHandlers } from '../../src/jobs/handlers';
import { trackedJobs, type TrackedJob } from '../../src/jobs/schedule';
import { queryEvery } from '../../src/domain/ports';
import { carryForwardCard, linkMeetingCard, logContributionCard, lxpCheckCard, meetingStartCard, minutesCards } from '../../src/presenters/meeting';
import { askOwnerCard, digestCard, feedbackItem, youSaidWeDidCard } from '../../src/presenters/outcome';
import { attendanceCard } from '../../src/presenters/attendance';
import { meetingClosedCard } from '../../src/presenters/meeting-closed';
import { myContributionsCard } from '../../src/presenters/my-contributions';
import { overdueCard, overdueLines } from '../../src/presenters/overdue';
import { contributionAuditCard, forgetMeCard, myDataCard } from '../../src/presenters/privacy';
import { exportOfferCard, reportCard } from '../../src/presenters/report';
import { noticeCard, preferencesCard, priorityAreasCard, setupCard, workstreamEditCard } from '../../src/presenters/setup';
import { programmeChooseCard, setupClaimCard } from '../../src/presenters/setup-claim';
import { closeProgrammeCard } from '../../src/presenters/close-programme';
import { testDeps, fixedClock } from '../support/memory-collection';
import { addMemberships } from '../../src/commands/memberships';
import { OUTCOME_SAMPLES } from './outcome-samples';
import { REPORT_SAMPLES } from './report-samples';
import { SUGGESTION_SAMPLES } from './suggestion-samples';

/** Markdown and a link nobody meant to write: typed text must show exactly this, never bold text or a link. */
export const MARKDOWN = '**bold** [link](http://x)';

const TENANT = '00000000-0000-0000-0000-0000000000aa';
const TZ = 'Europe/London';
/** Monday 9 March 2026, 10:00 in London. */
const MEETING_AT = new Date('2026-03-09T10:00:00Z');
const EARLIER_AT = new Date('2026-02-09T10:00:00Z');
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

export interface World {
  /** Appended to everything a person typed (words, aims, titles, names of workstreams and areas). */
  typed: string;
  timeZone: string;
  deps: Deps;
  people: Person[];
  names: Names;
  programme: Programme;
  workstream: Workstream;
  otherWorkstream: Workstream;
  /** The meeting as it ends: aim stated, Sam still in it, Alex left. */
  meeting: Meeting;
  /** The same meeting after the chair reviewed the aim and confirmed the minutes. */
  reviewedMeeting: Meeting;
  /** Logged in `meeting`: Sam's suggestion (confirmed), Alex's anonymous challenge, Sam's restricted story, Alex's withdrawn question. */
  contributions: Contribution[];
  /** From February's meeting, carried into `meeting`. */
  carriedIn: Contribution[];
  /** Open contributions from February that could still be carried in. */
  carryCandidates: Contribution[];
  /** February contributions with outcomes: Sam's (adopted, fed back), Alex's (not taken forward, fed back), Alex's question (still under consideration). */
  adopted: Contribution;
  notTakenForward: Contribution;
  underConsideration: Contribution;
  /** Work done once per world (a command that schedules a job), shared by every sample that needs it. */
  once<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export async function buildWorld(typed = ''): Promise<World> {
  const t = (s: string) => (typed ? `${s} ${typed}` : s);
  const created = EARLIER_AT.toISOString();
  const person = (id: string, name: string) => newPerson(TENANT, id, name, EARLIER_AT, `29:1-${id}`);
  const chris = person('chris', 'Chris Morgan');
  const sam: Person = { ...person('sam', 'Sam Okafor'), preferences: { ...DEFAULT_PREFERENCES } };
  const alex: Person = { ...person('alex', 'Alex Rivera'), preferences: { ...DEFAULT_PREFERENCES, attribution: 'anonymous', rhythm: 'weekly', quietDays: [0, 5, 6], revealToOwner: true } };
  const priya = person('priya', 'Priya Shah');
  const jordan: Person = { ...person('jordan', 'Jordan Lee'), programme: true };
  const dana = person('dana', 'Dana Whitfield');
  const people = [chris, sam, alex, priya, jordan, dana];
  const byId = new Map(people.map((p) => [p.id, p.name]));
  const names: Names = (id) => byId.get(id) ?? 'someone';

  const programme: Programme = { id: 'programme', tenantId: TENANT, type: 'programme', leadId: 'jordan', memberIds: ['jordan'], createdAt: created };
  const workstream: Workstream = {
    id: 'ws-crisis',
    tenantId: TENANT,
    type: 'workstream',
    name: t('Crisis pathway'),
    chairIds: ['chris'],
    staffIds: ['priya'],
    lxpIds: ['alex', 'sam'],
    priorityAreas: [
      { id: 'pa-night', name: t('Crisis care at night'), proposedBy: 'sam' },
      { id: 'pa-waits', name: t('Waiting times'), proposedBy: 'chris' },
      { id: 'pa-discharge', name: t('Discharge planning'), proposedBy: 'alex' },
    ],
    chatIds: ['19:meeting_crisis@thread.v2'],
    createdAt: created,
    updatedAt: '2026-02-20T09:12:00.000Z',
  };
  const otherWorkstream: Workstream = {
    ...workstream,
    id: 'ws-housing',
    name: t('Housing and recovery'),
    chairIds: ['dana'],
    staffIds: [],
    lxpIds: ['sam'],
    priorityAreas: [],
    chatIds: [],
  };

  const earlier: Meeting = {
    id: 'm-feb',
    tenantId: TENANT,
    type: 'meeting',
    conversationId: '19:meeting_crisis@thread.v2',
    workstreamId: workstream.id,
    title: t('Crisis pathway: February meeting'),
    startedAt: EARLIER_AT.toISOString(),
    endedAt: at(EARLIER_AT, 60).toISOString(),
    chairId: 'chris',
    attendance: {},
    createdAt: EARLIER_AT.toISOString(),
  };
  const meeting: Meeting = {
    id: 'm-mar',
    tenantId: TENANT,
    type: 'meeting',
    conversationId: '19:meeting_crisis@thread.v2',
    teamsMeetingId: 'MCMxOTptZWV0aW5n',
    workstreamId: workstream.id,
    title: t('Crisis pathway: March meeting'),
    startedAt: MEETING_AT.toISOString(),
    chairId: 'chris',
    organiserId: 'chris',
    aim: { text: t('Agree three changes to the out-of-hours crisis line, with the people who use it.'), by: 'chris', at: at(MEETING_AT, 3).toISOString() },
    attendance: {
      sam: { name: 'Sam Okafor', spans: [{ joinedAt: at(MEETING_AT, 1).toISOString() }] },
      alex: { name: 'Alex Rivera', spans: [{ joinedAt: at(MEETING_AT, 2).toISOString(), leftAt: at(MEETING_AT, 40).toISOString() }] },
    },
    createdAt: MEETING_AT.toISOString(),
  };
  const reviewedMeeting: Meeting = {
    ...meeting,
    endedAt: at(MEETING_AT, 60).toISOString(),
    review: { result: 'partly', nextSteps: t('Priya to cost a peer supporter on the night shift; Chris to bring it back in April.'), by: 'chris', at: at(MEETING_AT, 75).toISOString() },
    minutes: { postedAt: at(MEETING_AT, 61).toISOString(), confirmedBy: 'chris', confirmedAt: at(MEETING_AT, 75).toISOString() },
  };

  const due = (m: Date) => feedbackDue(m, { days: 14 }, TZ).toISOString();
  let n = 0;
  const log = (m: Meeting, when: Date, lxpIds: string[], kind: Kind, words: string, extra: { anonymous?: boolean; restricted?: boolean; priorityAreaIds?: string[] } = {}) =>
    recordContribution(
      {
        id: `c-${++n}`,
        tenantId: TENANT,
        workstreamId: workstream.id,
        meetingId: m.id,
        meetingTitle: m.title,
        meetingDate: m.startedAt!,
        lxpIds,
        words: t(words),
        kind,
        priorityAreaIds: extra.priorityAreaIds ?? [],
        ownerId: 'chris',
        dueAt: due(when),
        anonymous: extra.anonymous ?? false,
        restricted: extra.restricted ?? false,
      },
      'chris',
      when,
    );

  const suggestion = transition(
    log(meeting, at(MEETING_AT, 12), ['sam'], 'suggestion', 'Have someone who has used the crisis line answering it at night. People hang up when they hear a script.', { priorityAreaIds: ['pa-night'] }),
    { type: 'confirm' },
    'sam',
    at(MEETING_AT, 90),
  );
  const challenge = log(meeting, at(MEETING_AT, 20), ['alex'], 'challenge', 'Every assessment asks the same questions again. Nobody reads the notes from last time, so we tell our story over and over.', {
    anonymous: true,
    priorityAreaIds: ['pa-waits'],
  });
  const story = log(meeting, at(MEETING_AT, 31), ['sam'], 'personal_experience', 'When I rang at 2am I waited forty minutes, then was told to go to A&E on my own.', { restricted: true, priorityAreaIds: ['pa-night'] });
  const withdrawn = transition(log(meeting, at(MEETING_AT, 38), ['alex'], 'question', 'Who decides when someone is discharged from the crisis team?'), { type: 'withdraw' }, 'alex', at(MEETING_AT, 95));

  // February's feedback was due on Monday 23 February: this one is overdue and the programme team was told.
  const carriedLogged: Contribution = {
    ...log(earlier, at(EARLIER_AT, 25), ['sam', 'alex'], 'lived_experience_knowledge', 'Discharge letters use words nobody outside the team understands. Write them in plain English.', { priorityAreaIds: ['pa-discharge'] }),
    carriedInto: [meeting.id],
  };
  const carried = transition(transition(carriedLogged, { type: 'become_overdue' }, 'golden-thread', new Date('2026-02-24T10:00:00Z')), { type: 'escalate' }, 'golden-thread', new Date('2026-03-03T10:00:00Z'));
  const decided = new Date('2026-03-02T15:30:00Z');
  const outcome = (o: Omit<Outcome, 'decidedBy' | 'decidedAt'>): Outcome => ({ ...o, whatWeDid: t(o.whatWeDid), decidedBy: 'chris', decidedAt: decided.toISOString() });
  const decide = (c: Contribution, o: Outcome, fedBack: boolean) => {
    const recorded = transition(c, { type: 'record_outcome', outcome: o, followUpAfterDue: due(decided) }, 'chris', decided);
    return fedBack ? transition(recorded, { type: 'feed_back' }, 'golden-thread', at(decided, 60)) : recorded;
  };
  const underConsideration = decide(
    log(earlier, at(EARLIER_AT, 40), ['alex'], 'question', 'Can the crisis team text back instead of calling when someone cannot talk?'),
    outcome({ status: 'under_consideration', whatWeDid: 'We are asking the phone provider whether texts can come from the crisis line number.', newDueAt: '2026-03-30T09:00:00.000Z' }),
    true,
  );
  const adopted = decide(
    log(earlier, at(EARLIER_AT, 15), ['sam'], 'suggestion', 'Put the crisis line number and the text service on every discharge letter.', { priorityAreaIds: ['pa-discharge'] }),
    outcome({ status: 'adopted', whatWeDid: 'From April every discharge letter carries the crisis line number and the text service, on the first page.', evidenceUrl: 'https://intranet.example.org/crisis/discharge-letter' }),
    true,
  );
  const notTakenForward = decide(
    log(earlier, at(EARLIER_AT, 50), ['alex'], 'challenge', 'Stop sending people to A&E when the crisis team is busy.', { anonymous: true }),
    outcome({ status: 'not_taken_forward', whatWeDid: 'We looked at the night rota with the trust.', reason: t('A&E is the only service open all night; we are adding a call back within the hour instead.') }),
    true,
  );
  const contributions = [suggestion, challenge, story, withdrawn];

  const clock = fixedClock(at(MEETING_AT, 120).toISOString());
  const deps = testDeps({ clock });
  for (const p of people) await deps.stores.people.create(p);
  await deps.stores.workstreams.create(programme);
  await deps.stores.workstreams.create(workstream);
  await deps.stores.workstreams.create(otherWorkstream);
  // Their lists of programmes, which my data and forget me read (issue 18).
  await addMemberships(deps, TENANT, people.map((p) => p.id));
  await deps.stores.meetings.create({ ...earlier, attendance: { sam: { name: 'Sam Okafor', spans: [{ joinedAt: at(EARLIER_AT, 0).toISOString(), leftAt: at(EARLIER_AT, 58).toISOString() }] } } });
  await deps.stores.meetings.create({ ...meeting, endedAt: at(MEETING_AT, 60).toISOString() });
  for (const c of [...contributions, carried, underConsideration, adopted, notTakenForward]) {
    await deps.stores.contributions.create(c);
    // The audit trail the commands would have written, one entry per step of the contribution's history.
    for (const h of c.history) {
      clock.set(h.at);
      await audit(deps, TENANT, h.by, h.event === 'record' ? 'contribution.recorded' : `contribution.${h.event}`, { subjectType: 'contribution', subjectId: c.id }, { from: h.from, to: h.to });
    }
  }
  clock.set(at(MEETING_AT, 120).toISOString());
  await rebuildCounters(deps, TENANT);
  const done = new Map<string, Promise<unknown>>();

  return {
    typed,
    timeZone: TZ,
    deps,
    people,
    names,
    programme,
    workstream,
    otherWorkstream,
    meeting,
    reviewedMeeting,
    contributions,
    carriedIn: [carried],
    carryCandidates: [carried, underConsideration],
    adopted,
    notTakenForward,
    underConsideration,
    once<T>(key: string, work: () => Promise<T>): Promise<T> {
      if (!done.has(key)) done.set(key, work());
      return done.get(key) as Promise<T>;
    },
  };
}

const caller = (w: World, id: string) => ({ id, tenantId: TENANT, name: w.names(id), teamsId: `29:1-${id}` });
const person = (w: World, id: string) => w.people.find((p) => p.id === id)!;

/** The card a queued job would send, planned by the job's own handler, as the scheduler does. */
async function cardFromJob(w: World, which: string, pick: (job: TrackedJob) => boolean): Promise<CardJson> {
  const jobs = await queryEvery(trackedJobs(w.deps), TENANT, [{ field: 'type', op: '=', value: 'job' }]);
  const job = jobs.find(pick);
  if (!job) throw new Error(`no ${which} job was queued`);
  const handler = jobHandlers()[job.kind];
  if (!handler) throw new Error(`no handler for ${job.kind} jobs`);
  const plan = await handler.plan(w.deps, job, w.deps.clock.now());
  if (!plan || !('card' in plan.message)) throw new Error(`the ${which} job planned no card`);
  return plan.message.card;
}

const feedbackFor = (w: World, c: Contribution, lxpId: string, via: 'card' | 'digest', answered?: 'helpful' | 'want_to_talk') =>
  feedbackItem({ contribution: c, outcome: c.outcomes[c.outcomes.length - 1], lxpId, names: w.names, detail: 'detailed', timeZone: w.timeZone, via, answered });

export type SampleBuilder = (w: World) => CardJson | Promise<CardJson>;

/**
 * card name → variant → builder. The first variant of each card is the one
 * scripts/render-cards.ts draws for docs/cards/<card>.png.
 */
/** `count` contributions of 2,000 characters each (the most a card accepts), one a minute, in the world's meeting. */
export function busyMeeting(w: World, count: number): Contribution[] {
  const long = (i: number) => `Contribution ${i + 1}. ${'The night service should be answered by someone who has used it. '.repeat(40)}`.slice(0, 2000);
  return Array.from({ length: count }, (_, i) =>
    recordContribution(
      {
        id: `busy-${i + 1}`, tenantId: TENANT, workstreamId: w.workstream.id, meetingId: w.meeting.id, meetingTitle: w.meeting.title, meetingDate: w.meeting.startedAt!,
        lxpIds: [i % 2 ? 'alex' : 'sam'], words: long(i), kind: 'suggestion', priorityAreaIds: [], ownerId: 'chris',
        dueAt: feedbackDue(MEETING_AT, { days: 14 }, w.timeZone).toISOString(), anonymous: false, restricted: false,
      },
      'chris',
      at(MEETING_AT, i),
    ),
  );
}

export const SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'log-contribution': {
    'after three saves': (w) =>
      logContributionCard({
        meeting: w.meeting,
        workstream: w.workstream,
        logged: w.contributions,
        names: w.names,
        timeZone: w.timeZone,
        submissionId: '7d1c1f0e-2a55-4d0a-9a39-3f1f6f0f4e21',
        defaultDue: feedbackDue(MEETING_AT, { days: 14 }, w.timeZone),
        notice: 'Saved. You can log another below.',
      }),
    'a busy meeting: 40 long contributions': (w) =>
      logContributionCard({
        meeting: w.meeting,
        workstream: w.workstream,
        logged: busyMeeting(w, 40),
        names: w.names,
        timeZone: w.timeZone,
        submissionId: '5b0c7a51-3c0e-4f4e-9a4a-2d7f1c0b8e11',
        defaultDue: feedbackDue(MEETING_AT, { days: 14 }, w.timeZone),
        notice: 'Saved. You can log another below.',
      }),
    'prefilled from "log Sam: ..."': (w) =>
      logContributionCard({
        meeting: w.meeting,
        workstream: w.workstream,
        logged: [],
        names: w.names,
        timeZone: w.timeZone,
        submissionId: '0b9e5a55-51c4-4a57-8f5e-1f2b1b7c9d10',
        defaultDue: feedbackDue(MEETING_AT, { days: 14 }, w.timeZone),
        prefill: { lxpIds: ['sam'], words: `Could the text service stay open after midnight? ${w.typed}`.trim() },
      }),
  },
  minutes: {
    'at the meeting end': (w) => minutesCards(w.meeting, w.workstream, w.contributions, w.names, w.timeZone, w.carriedIn)[0],
    'reviewed and confirmed': (w) => minutesCards(w.reviewedMeeting, w.workstream, w.contributions, w.names, w.timeZone, w.carriedIn)[0],
    'a long meeting, first of several messages': (w) => minutesCards(w.meeting, w.workstream, busyMeeting(w, 40), w.names, w.timeZone)[0],
    'nothing logged, no aim': (w) => minutesCards({ ...w.meeting, aim: undefined }, w.workstream, [], w.names, w.timeZone)[0],
  },
  'minutes-continued': {
    'a long meeting, second part': (w) => minutesCards(w.meeting, w.workstream, busyMeeting(w, 40), w.names, w.timeZone)[1],
  },
  'lxp-check': {
    'for Sam, one confirmed': (w) => lxpCheckCard(w.meeting, w.contributions, { id: 'sam', programme: false }, w.names, w.timeZone),
    'for Alex, after withdrawing': (w) => lxpCheckCard(w.meeting, w.contributions, { id: 'alex', programme: false }, w.names, w.timeZone, 'Withdrawn: your words have been erased.'),
    'for Sam, 20 contributions: part 2 of 4': (w) =>
      lxpCheckCard(w.meeting, busyMeeting(w, 40).map((c) => ({ ...c, words: `${c.words.split('. ').slice(0, 2).join('. ')}.` })), { id: 'sam', programme: false }, w.names, w.timeZone, '', 1),
  },
  'meeting-closed': {
    'closed by the scheduler, attendance from events': (w) =>
      meetingClosedCard({ meeting: { ...w.meeting, endedBy: 'scheduler', scheduledEnd: w.meeting.endedAt }, workstream: w.workstream, contributions: 3, checked: ['sam', 'alex'], names: w.names, timeZone: w.timeZone }),
    'ended by the chair, attendance confirmed': (w) =>
      meetingClosedCard({
        meeting: { ...w.meeting, endedBy: { personId: 'chris' }, attendance: { sam: { name: 'Sam Okafor', spans: [], confirmed: { present: true, by: 'chris', at: w.meeting.endedAt! } } } },
        workstream: w.workstream, contributions: 0, checked: [], names: w.names, timeZone: w.timeZone, notice: 'Saved: attendance is recorded as confirmed by you.',
      }),
  },
  'meeting-start': {
    'aim stated, contributions carried in': (w) => meetingStartCard(w.meeting, w.workstream, w.names, 2),
    'no aim yet': (w) => meetingStartCard({ ...w.meeting, aim: undefined }, w.workstream, w.names, 0),
  },
  'link-meeting': {
    'two workstreams': (w) => linkMeetingCard([w.workstream, w.otherWorkstream]),
    'no workstreams yet': () => linkMeetingCard([]),
  },
  'carry-forward': {
    'one carried, one open': (w) => carryForwardCard(w.meeting, w.carryCandidates, w.names, w.timeZone),
    'after carrying': (w) => carryForwardCard(w.meeting, w.carriedIn, w.names, w.timeZone, 'Carried into this meeting. It will appear in these minutes, and the earlier meeting shows the link.'),
    'nothing to carry': (w) => carryForwardCard(w.meeting, [], w.names, w.timeZone),
  },
  help: {
    // As src/teams/handlers/help.ts fills it: the help command's result.
    'for the chair': async (w) => renderCard('help', await help(w.deps, caller(w, 'chris'), { plainEnglish: false })),
    'for the programme lead, plain English on': async (w) => renderCard('help', await help(w.deps, caller(w, 'jordan'), { plainEnglish: true })),
    'for an LXP': async (w) => renderCard('help', await help(w.deps, caller(w, 'sam'), { plainEnglish: false })),
  },
  preferences: {
    'welcome for Sam': (w) => preferencesCard(person(w, 'sam'), true),
    'Alex changing choices': (w) => preferencesCard(person(w, 'alex'), false),
  },
  'priority-areas': {
    'after adding one': (w) => priorityAreasCard(w.workstream, `Added "${w.workstream.priorityAreas[1].name}".`),
    'none yet': (w) => priorityAreasCard(w.otherWorkstream),
  },
  setup: {
    'just claimed, two workstreams': (w) => setupCard({ programme: w.programme, workstreams: [w.workstream, w.otherWorkstream], people: w.people, names: w.names, justClaimed: true }),
    'nothing set up yet': (w) => setupCard({ programme: w.programme, workstreams: [], people: [person(w, 'jordan')], names: w.names, justClaimed: true }),
  },
  'setup-claim': {
    default: () => setupClaimCard(),
  },
  'programme-choose': {
    'two programmes, then setup': () => programmeChooseCard([{ id: 'programme-1', name: 'Mental health programme' }, { id: 'pg-2', name: 'Maternity voices' }], 'setup'),
  },
  'workstream-edit': {
    'editing Crisis pathway': (w) => workstreamEditCard({ workstream: w.workstream, people: w.people }),
    'new workstream': (w) => workstreamEditCard({ people: w.people }),
  },
  notice: {
    // As the preferences_save route fills it.
    'choices saved': () =>
      noticeCard('Your choices are saved', 'Thank you. You can change them at any time by typing preferences.', [
        { title: 'Named as', value: 'your name' },
        { title: 'You said, we did', value: 'as it happens' },
      ]),
    'no facts': () => noticeCard('Nothing to do', 'There are no contributions waiting for you.'),
  },
  'unreachable-notice': {
    // As production fills it: markUnreachable queues a notify job, whose handler renders the card.
    'Alex blocked the bot': async (w) => {
      await w.once('unreachable', () => markUnreachable(w.deps, TENANT, 'alex', 'blocked', w.deps.clock.now()));
      return cardFromJob(w, 'unreachable-notice', (j) => j.payload.template === 'unreachable-notice');
    },
  },
  'ask-owner': {
    'first ask, anonymous challenge': (w) =>
      askOwnerCard({
        contribution: w.contributions[1],
        names: w.names,
        viewer: { id: 'chris', programme: false },
        reveal: false,
        owners: [{ id: 'chris', name: 'Chris Morgan' }, { id: 'priya', name: 'Priya Shah' }],
        variant: 'ask',
        workstream: w.workstream.name,
        now: w.deps.clock.now(),
        timeZone: w.timeZone,
      }),
    'reminder, still under consideration': (w) =>
      askOwnerCard({
        contribution: w.underConsideration,
        names: w.names,
        viewer: { id: 'chris', programme: false },
        reveal: true,
        owners: [{ id: 'chris', name: 'Chris Morgan' }, { id: 'priya', name: 'Priya Shah' }],
        variant: 'reminder',
        workstream: w.workstream.name,
        now: w.deps.clock.now(),
        timeZone: w.timeZone,
      }),
  },
  'you-said-we-did': {
    'adopted, for Sam': (w) => youSaidWeDidCard(feedbackFor(w, w.adopted, 'sam', 'card')),
    'after Sam answered': (w) => youSaidWeDidCard(feedbackFor(w, w.adopted, 'sam', 'card', 'helpful'), 'Thank you. Chris Morgan will see your answer.'),
  },
  digest: {
    'weekly, for Alex': (w) =>
      digestCard('weekly', new Date('2026-03-02T00:00:00Z'), new Date('2026-03-09T00:00:00Z'), [feedbackFor(w, w.notTakenForward, 'alex', 'digest'), feedbackFor(w, w.underConsideration, 'alex', 'digest')], w.timeZone),
  },
  'answer-notice': {
    // Sam would like to talk: answerFeedback queues a notice to the owner, planned as the scheduler would.
    'to the owner': async (w) => {
      await w.once('answer', () => answerFeedback(w.deps, caller(w, 'sam'), { contributionId: w.adopted.id, answer: 'want_to_talk' }));
      return cardFromJob(w, 'answer-notice', (j) => j.kind === 'answer_notice' && (j.payload.to as { personId?: string }).personId === 'chris');
    },
  },
  nudge: {
    'from the programme lead': async (w) => {
      await w.once('nudge', () => nudgeOwner(w.deps, caller(w, 'jordan'), w.carriedIn[0].id));
      return cardFromJob(w, 'nudge', (j) => j.payload.template === 'nudge');
    },
  },
  'overdue-list': {
    'for the programme lead': async (w) => {
      const items = await listOverdue(w.deps, caller(w, 'jordan'));
      return overdueCard(items, await loadShown(w.deps, TENANT, items), w.names, { id: 'jordan', programme: true }, w.timeZone);
    },
    'nothing overdue': async (w) => {
      const items = await listOverdue(w.deps, caller(w, 'dana'));
      return overdueCard(items, await loadShown(w.deps, TENANT, items), w.names, { id: 'dana', programme: false }, w.timeZone);
    },
  },
  report: {
    // As the report route sends it 1:1: figures, and the overdue items with their owners.
    'programme, this month, with detail': async (w) => {
      const report = await buildReport(w.deps, caller(w, 'jordan'), '');
      const overdue = await loadShown(w.deps, TENANT, await listOverdue(w.deps, caller(w, 'jordan')));
      return reportCard(report, overdueLines(overdue, w.names, { id: 'jordan', programme: true }, w.timeZone));
    },
    'Crisis pathway, for a shared chat': async (w) => reportCard(await buildReport(w.deps, caller(w, 'chris'), '')),
  },
  attendance: {
    'everyone, March 2026': async (w) => attendanceCard(await attendance(w.deps, caller(w, 'jordan'), 'March 2026'), w.deps.settings.timeZone),
    'Sam, February 2026': async (w) => attendanceCard(await attendance(w.deps, caller(w, 'sam'), 'February 2026'), w.deps.settings.timeZone),
    'nobody attended': async (w) => attendanceCard(await attendance(w.deps, caller(w, 'jordan'), 'January 2026'), w.deps.settings.timeZone),
  },
  'my-contributions': {
    'for Sam': async (w) => myContributionsCard(await myContributions(w.deps, caller(w, 'sam')), { id: 'sam', programme: false }, w.timeZone),
    'for Alex, one withdrawn': async (w) => myContributionsCard(await myContributions(w.deps, caller(w, 'alex')), { id: 'alex', programme: false }, w.timeZone),
    'nothing yet': async (w) => myContributionsCard(await myContributions(w.deps, caller(w, 'dana')), { id: 'dana', programme: false }, w.timeZone),
  },
  'my-data': {
    'for Sam': async (w) =>
      myDataCard(await collectMyDataEverywhere(w.deps, caller(w, 'sam')), { timeZone: w.timeZone, file: 'The full record is also a JSON file: choose Allow on the card below and Teams saves it to your OneDrive.' }),
  },
  'programme-close': {
    'Maternity voices': async () =>
      closeProgrammeCard({ id: 'programme', tenantId: TENANT, type: 'programme', name: 'Maternity voices', leadId: 'bob', memberIds: ['bob'], createdAt: '2026-01-05T09:00:00.000Z' }, { workstreams: 2, people: 14, meetings: 9, contributions: 57 }),
  },
  'forget-me': {
    'for Alex': async (w) => forgetMeCard(await collectMyDataEverywhere(w.deps, caller(w, 'alex')), 'alex'),
  },
  'contribution-audit': {
    'the carried-forward contribution': async (w) => contributionAuditCard(await contributionAudit(w.deps, caller(w, 'jordan'), w.carriedIn[0].id), w.timeZone),
  },
  'export-offer': {
    // As the export route fills it.
    'March 2026': async (w) => exportOfferCard((await exportContributions(w.deps, caller(w, 'jordan'), 'March 2026')).label, 'March 2026'),
  },
};

// More variants written alongside their cards; the ones above stay first, so they are the ones drawn in docs/cards/.
for (const more of [OUTCOME_SAMPLES, REPORT_SAMPLES, SUGGESTION_SAMPLES, CLAIM_SAMPLES, PROPOSAL_SAMPLES, PRIORITY_SAMPLES, LXP_SAMPLES]) {
  for (const [card, variants] of Object.entries(more)) SAMPLES[card] = { ...SAMPLES[card], ...variants };
}
