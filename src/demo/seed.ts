/*
 * Demo data for `npm run demo` (DEMO=1): a programme as the Agents Playground
 * shows it, built through the real commands with the clock set in the past,
 * and the real job handlers run at each past moment, so every stored
 * document (contributions, counters, audit, jobs) is what the app itself
 * would have written had it been running then.
 */
import type { Deps, Caller } from '../commands/deps';
import { ensurePerson, getProgramme } from '../commands/deps';
import { claimProgrammeLead, saveWorkstream } from '../commands/setup';
import { savePreferences, type PreferencesInput } from '../commands/onboarding';
import { linkChat, meetingEnded, meetingStarted, recordAttendance, reviewAim, stateAim, type ChatRef } from '../commands/meetings';
import { checkContribution, logContribution, scheduleLxpChecks, type LogInput } from '../commands/contributions';
import { recordOutcome, type OutcomeInput } from '../commands/outcomes';
import { answerFeedback } from '../commands/feedback';
import { saveEqualityAnswers } from '../commands/about-me';
import { confirmProgrammePriority, proposeProgrammePriority } from '../commands/programme-priorities';
import { jobHandlers } from '../jobs/handlers';
import { runDueJobs } from '../jobs/scheduler';
import { jobQueue } from '../jobs/queue';
import type { JobSender } from '../jobs/job-sender';
import type { Clock } from '../domain/ports';
import type { Workstream } from '../domain/workstream';
import { addDays, atLocal, dayKey, localDayOf, weekday } from '../domain/local-time';
import { MOCK_USERS, PLAYGROUND_CHATS, PLAYGROUND_TENANT } from '../playground';

type Key = 'priya' | 'chris' | 'sam' | 'alex' | 'jordan' | 'dana';

/** The Playground's mock users as the bot knows them: AAD object id as the person id, the Teams id alongside. */
export const DEMO_PEOPLE = Object.fromEntries(
  MOCK_USERS.map((u) => [u.given.toLowerCase(), { id: u.aadObjectId, tenantId: PLAYGROUND_TENANT, name: u.name, teamsId: u.id }]),
) as Record<Key, Caller>;

/** Chats: the Playground's group chat is the Crisis pathway meeting chat; Community mental health meets elsewhere. */
export const DEMO_CHATS = {
  crisis: { tenantId: PLAYGROUND_TENANT, conversationId: PLAYGROUND_CHATS.group },
  community: { tenantId: PLAYGROUND_TENANT, conversationId: '19:demo-community-mental-health@thread.v2' },
} satisfies Record<string, ChatRef>;

export const DEMO_WORDS = {
  nightLines: 'Crisis lines at night should be answered by people who have been there themselves.',
  voicemail: 'When I rang the crisis line at 3am it went to voicemail, and I sat on the kitchen floor until morning.',
  letters: 'Discharge letters use words nobody understands; write them with the person, not about them.',
  friday: 'Who follows up when someone is discharged from the crisis team on a Friday afternoon?',
  agenda: 'Led the agenda item on what a good first hour in A&E looks like.',
  peer: 'Peer support workers in GP surgeries would catch people before they reach crisis.',
} as const;

/**
 * More LXPs of Community mental health, not Playground users: enough people for "who takes part" to show groups
 * of five or more (and hide the smaller ones). They answered the questions about themselves; they have not been to a
 * meeting yet, so the demo's reports and attendance figures are those of Sam and Alex.
 */
export const DEMO_MORE_LXPS: Caller[] = ['Morgan Hale', 'Riley Shah', 'Jamie Clarke', 'Taylor Nwosu', 'Casey Brennan', 'Robin Adeyemi', 'Avery Cole', 'Quinn Malik', 'Rowan Price', 'Harper Lewis'].map(
  (name, i) => ({ id: `00000000-0000-4000-8000-00000000d0${String(i + 1).padStart(2, '0')}`, tenantId: PLAYGROUND_TENANT, name }),
);

/** The answers, in the order Sam, Alex, then DEMO_MORE_LXPS: ages 25 to 34 and 45 to 54 five each, two others; six carers, four not, one preferring not to say. */
const DEMO_ANSWERS: Record<string, string>[] = [
  ...[0, 1, 2, 3, 4].map((i) => ({ age: '25_34', sex: i % 2 ? 'male' : 'female', carer: i < 3 ? 'yes' : 'no', ethnicity: i === 1 ? 'asian' : 'white' })),
  ...[0, 1, 2, 3, 4].map((i) => ({ age: '45_54', sex: i % 2 ? 'female' : 'male', carer: i < 3 ? 'yes' : 'no', ethnicity: i === 2 ? 'black' : 'white' })),
  { age: '65_plus', sex: 'female', carer: 'prefer_not', disability: 'yes_a_little' },
  { age: 'prefer_not', disability: 'prefer_not' },
];

/** Three programme priorities the LXPs proposed and the programme team confirmed, each with the areas that serve it. */
export const DEMO_PRIORITIES = {
  night: { title: 'Crisis care that is there at night', why: 'Most crises happen after services close.', areas: [['crisis', 'Crisis care at night']] },
  leaving: { title: 'Leaving hospital safely', why: 'The days after discharge are when people fall through the gaps.', areas: [['crisis', 'Leaving hospital']] },
  home: { title: 'Support close to home', why: 'Help from people nearby, before things reach crisis.', areas: [['community', 'Peer support'], ['community', 'Housing and benefits']] },
} as const;

export interface DemoSeedResult {
  seeded: boolean;
  workstreams: Workstream[];
  contributions: number;
}

/** A clock the seed moves by hand; commands read it through deps.clock. */
function settableClock(at: Date): Clock & { set(d: Date): void } {
  let t = at.getTime();
  return { now: () => new Date(t), set: (d: Date) => void (t = d.getTime()) };
}

/**
 * Seeds the store for the Playground's tenant, once: when a programme
 * already exists there (a second `npm run demo`, or someone already ran
 * setup) nothing is changed.
 */
export async function seedDemo(deps: Deps, opts: { now?: Date } = {}): Promise<DemoSeedResult> {
  const tenantId = PLAYGROUND_TENANT;
  if (await getProgramme(deps, tenantId)) return { seeded: false, workstreams: [], contributions: 0 };

  const tz = deps.settings.timeZone;
  const now = opts.now ?? deps.clock.now();
  const clock = settableClock(new Date(0));
  // A queue of its own: jobs stamped with the past clock, and no scheduler woken.
  const past: Deps = { ...deps, clock, queue: jobQueue({ stores: deps.stores, clock }) };
  const P = DEMO_PEOPLE;

  // What the scheduler would have done at each past moment, run at that moment. Those messages went nowhere
  // (there was no Teams then); the jobs, and everything their handlers record, are stored as if delivered.
  let delivered = 0;
  const pastSender: JobSender = { send: async () => ({ activityId: `demo-seed-${++delivered}` }) };
  const handlers = jobHandlers();
  const catchUpTo = async (target: Date) => {
    for (let i = 0; i < 500; i++) {
      const [next] = (await past.stores.jobs.query(tenantId, [
        { field: 'status', op: '=', value: 'pending' },
        { field: 'runAt', op: '<=', value: target.toISOString() },
      ], { orderBy: { field: 'runAt', direction: 'ASC' }, pageSize: 1 })).items;
      if (!next) break;
      if (new Date(next.runAt) > clock.now()) clock.set(new Date(next.runAt));
      await runDueJobs(past, { handlers, sender: pastSender, owner: 'demo-seed', scheduledAt: clock.now() });
    }
    clock.set(target);
  };
  const at = async <T>(when: Date, step: () => Promise<T>): Promise<T> => {
    if (when < clock.now()) throw new Error(`demo seed: ${when.toISOString()} is before ${clock.now().toISOString()}`);
    await catchUpTo(when);
    return step();
  };

  // Local calendar: the Crisis pathway meeting on the Tuesday four to five weeks ago, Community mental health a week later.
  const today = localDayOf(now, tz);
  let meetingDay = addDays(today, -30);
  while (weekday(meetingDay) !== 2) meetingDay = addDays(meetingDay, -1);
  const crisisAt = atLocal(meetingDay, 10, tz);
  const communityAt = atLocal(addDays(meetingDay, 8), 14, tz);
  const hours = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);
  const days = (d: Date, n: number) => atLocal(addDays(localDayOf(d, tz), n), 11, tz);

  // Setup, six weeks ago: everyone says hello, Priya claims the programme and creates the workstreams.
  const setupAt = atLocal(addDays(meetingDay, -14), 9, tz);
  let crisis!: Workstream;
  let community!: Workstream;
  await at(setupAt, async () => {
    for (const p of [...Object.values(P), ...DEMO_MORE_LXPS]) await ensurePerson(past, p);
    await claimProgrammeLead(past, P.priya);
    crisis = (await saveWorkstream(past, P.priya, {
      submissionId: 'demo-workstream-crisis', name: 'Crisis pathway', chairIds: [P.chris.id], staffIds: [P.jordan.id], lxpIds: [P.sam.id, P.alex.id],
      priorityAreas: ['Crisis care at night', 'Leaving hospital', 'Carers and families'],
    })).workstream;
    community = (await saveWorkstream(past, P.priya, {
      submissionId: 'demo-workstream-community', name: 'Community mental health', chairIds: [P.dana.id], staffIds: [P.jordan.id], lxpIds: [P.alex.id, P.sam.id, ...DEMO_MORE_LXPS.map((p) => p.id)],
      priorityAreas: ['Peer support', 'Waiting times', 'Housing and benefits'],
    })).workstream;
  });

  // The LXPs answer the welcome card the next morning.
  const prefs = (p: Partial<PreferencesInput>): PreferencesInput => ({
    attribution: 'named', quoteInReports: false, rhythm: 'as_it_happens', detail: 'detailed', news: ['good_news', 'not_taken_forward', 'under_consideration'], quietDays: [0, 6], revealToOwner: true, ...p,
  });
  await at(hours(setupAt, 24), async () => {
    await savePreferences(past, P.sam, prefs({ quoteInReports: true }));
    await savePreferences(past, P.alex, prefs({ attribution: 'anonymous', rhythm: 'weekly', detail: 'brief', revealToOwner: false }));
  });

  // The LXPs answer the questions about themselves and propose programme priorities; the programme team confirms three.
  await at(hours(setupAt, 25), () => seedTakingPart(past, [P.sam, P.alex, ...DEMO_MORE_LXPS], P.priya, { crisis, community }));

  // The chairs link their meeting chats.
  await at(hours(setupAt, 26), async () => {
    await linkChat(past, P.chris, DEMO_CHATS.crisis, crisis.id);
    await linkChat(past, P.dana, DEMO_CHATS.community, community.id);
  });

  const area = (ws: Workstream, name: string) => ws.priorityAreas.find((a) => a.name === name)!.id;
  const log = (chair: Caller, meetingId: string, input: Omit<LogInput, 'meetingId' | 'anonymous' | 'restricted'> & Partial<Pick<LogInput, 'anonymous' | 'restricted'>>) =>
    logContribution(past, chair, { anonymous: false, restricted: false, ...input, meetingId }).then((r) => r.contribution);

  // The Crisis pathway meeting: aim, attendance, five contributions, minutes confirmed.
  const m1 = await at(crisisAt, async () => {
    const { meeting } = await meetingStarted(past, DEMO_CHATS.crisis, { title: 'Crisis pathway monthly', startTime: crisisAt.toISOString(), organiserId: P.chris.id });
    await recordAttendance(past, DEMO_CHATS.crisis, 'join', [P.sam, P.alex].map((p) => ({ id: p.id, name: p.name, teamsId: p.teamsId })), crisisAt);
    await stateAim(past, P.chris, meeting.id, 'Agree what changes first in crisis care at night.');
    return meeting;
  });
  const ids: Record<string, string> = {};
  await at(hours(crisisAt, 0.5), async () => {
    ids.nightLines = (await log(P.chris, m1.id, { submissionId: 'demo-c1', lxpIds: [P.sam.id], words: DEMO_WORDS.nightLines, kind: 'suggestion', priorityAreaIds: [area(crisis, 'Crisis care at night')], ownerId: P.jordan.id })).id;
    ids.voicemail = (await log(P.chris, m1.id, { submissionId: 'demo-c2', lxpIds: [P.alex.id], words: DEMO_WORDS.voicemail, kind: 'personal_experience', priorityAreaIds: [area(crisis, 'Crisis care at night')], restricted: true })).id;
    ids.letters = (await log(P.chris, m1.id, { submissionId: 'demo-c3', lxpIds: [P.alex.id], words: DEMO_WORDS.letters, kind: 'challenge', priorityAreaIds: [area(crisis, 'Leaving hospital')], anonymous: true })).id;
    // Due ten days ago: the first reminder has gone, so it is overdue; the programme team is told in a few days.
    const due = addDays(today, -10);
    ids.friday = (await log(P.chris, m1.id, { submissionId: 'demo-c4', lxpIds: [P.sam.id], words: DEMO_WORDS.friday, kind: 'question', priorityAreaIds: [area(crisis, 'Leaving hospital')], ownerId: P.jordan.id, dueDate: dayKey(due) })).id;
    ids.agenda = (await log(P.chris, m1.id, { submissionId: 'demo-c5', lxpIds: [P.sam.id], words: DEMO_WORDS.agenda, kind: 'led_agenda_item', priorityAreaIds: [] })).id;
  });
  await at(hours(crisisAt, 1.5), async () => {
    await recordAttendance(past, DEMO_CHATS.crisis, 'leave', [{ id: P.alex.id, name: P.alex.name, teamsId: P.alex.teamsId }], hours(crisisAt, 1.25));
    const ended = await meetingEnded(past, DEMO_CHATS.crisis, hours(crisisAt, 1.5).toISOString());
    // As the meetingEnd handler does: each LXP is asked to check what was recorded from them.
    if (ended?.first) await scheduleLxpChecks(past, ended.meeting);
    await reviewAim(past, P.chris, m1.id, 'partly', 'Jordan to ask the crisis line about peer workers on nights.');
  });
  // Sam checks and confirms; Alex leaves theirs as recorded.
  await at(hours(crisisAt, 5), () => checkContribution(past, P.sam, ids.nightLines, 'confirm'));

  // Community mental health, a week later: one contribution from Alex.
  const m2 = await at(communityAt, async () => {
    const { meeting } = await meetingStarted(past, DEMO_CHATS.community, { title: 'Community mental health steering group', startTime: communityAt.toISOString(), organiserId: P.dana.id });
    await recordAttendance(past, DEMO_CHATS.community, 'join', [{ id: P.alex.id, name: P.alex.name, teamsId: P.alex.teamsId }], communityAt);
    return meeting;
  });
  await at(hours(communityAt, 0.5), async () => {
    ids.peer = (await log(P.dana, m2.id, { submissionId: 'demo-c6', lxpIds: [P.alex.id], words: DEMO_WORDS.peer, kind: 'lived_experience_knowledge', priorityAreaIds: [area(community, 'Peer support')] })).id;
  });
  await at(hours(communityAt, 1.5), async () => {
    const ended = await meetingEnded(past, DEMO_CHATS.community, hours(communityAt, 1.5).toISOString());
    if (ended?.first) await scheduleLxpChecks(past, ended.meeting);
  });

  // You said, we did: the owners record what happened.
  const outcome = (who: Caller, when: Date, input: OutcomeInput) => at(when, () => recordOutcome(past, who, input));
  await outcome(P.jordan, days(crisisAt, 9), {
    contributionId: ids.nightLines, status: 'adopted', whatWeDid: 'The crisis line is recruiting four peer workers for night shifts, starting next month.', evidenceUrl: 'https://example.org/crisis-line-peer-workers',
  });
  await outcome(P.chris, days(crisisAt, 10), {
    contributionId: ids.letters, status: 'not_taken_forward', whatWeDid: 'We looked at the discharge letter template with the ward managers.', reason: 'The letter format is set nationally this year; we have asked for it to be reviewed.',
  });
  // Sam reads "you said, we did" and finds it helpful.
  await at(days(crisisAt, 11), () => answerFeedback(past, P.sam, { contributionId: ids.nightLines, answer: 'helpful' }));
  await outcome(P.chris, days(crisisAt, 12), {
    contributionId: ids.voicemail, status: 'under_consideration', whatWeDid: 'Commissioners are costing a call-back promise for calls that reach voicemail.', newDate: dayKey(addDays(today, 21)),
  });
  await outcome(P.chris, days(crisisAt, 13), {
    contributionId: ids.agenda, status: 'adopted', whatWeDid: 'The "first hour in A&E" checklist from that item is now used in the emergency department.',
  });
  await outcome(P.dana, days(communityAt, 6), {
    contributionId: ids.peer, status: 'partly_adopted', whatWeDid: 'Two GP surgeries will pilot a peer support worker one day a week.',
  });

  // Up to a minute ago: whatever the scheduler would have done by now (the overdue reminder, digests) is done.
  await catchUpTo(new Date(now.getTime() - 60_000));
  const fresh = await Promise.all([crisis, community].map(async (w) => (await deps.stores.workstreams.get(tenantId, w.id)) as Workstream));
  return { seeded: true, workstreams: fresh, contributions: Object.keys(ids).length };
}

async function seedTakingPart(deps: Deps, lxps: Caller[], team: Caller, ws: Record<'crisis' | 'community', Workstream>): Promise<void> {
  for (const [i, lxp] of lxps.entries()) await saveEqualityAnswers(deps, lxp, DEMO_ANSWERS[i]);
  for (const [key, p] of Object.entries(DEMO_PRIORITIES)) {
    const proposed = await proposeProgrammePriority(deps, key === 'leaving' ? lxps[1] : lxps[0], { title: p.title, why: p.why, submissionId: `demo-priority-${key}` });
    const areaIds = p.areas.map(([w, name]) => ws[w].priorityAreas.find((a) => a.name === name)!.id);
    await confirmProgrammePriority(deps, team, proposed.id, areaIds);
  }
}
