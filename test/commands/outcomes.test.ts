import { recordOutcome, type OutcomeInput } from '../../src/commands/outcomes';
import type { Deps } from '../../src/commands/deps';
import { DomainError } from '../../src/domain/errors';
import type { Job } from '../../src/domain/job';
import { newPerson } from '../../src/domain/person';
import type { Workstream } from '../../src/domain/workstream';
import { scheduleJob } from '../../src/jobs/schedule';
import { fixedClock, testDeps } from '../support/memory-collection';
import { T, addLxp, buildContribution } from '../support/outcome-fixtures';

let deps: Deps;
const caller = (id: string) => ({ id, tenantId: T, name: id });
const base: OutcomeInput = { contributionId: 'c1', status: 'adopted', whatWeDid: 'We now run a peer support line at night.' };

beforeEach(async () => {
  deps = testDeps({ clock: fixedClock('2026-03-09T10:00:00Z') });
  const ws: Workstream = { id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis pathway', chairIds: ['chris'], staffIds: ['jordan'], lxpIds: ['sam', 'alex'], priorityAreas: [], chatIds: [], createdAt: '', updatedAt: '' };
  await deps.stores.workstreams.create(ws);
  await deps.stores.workstreams.create({ id: 'programme', tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya'], createdAt: '' });
  for (const id of ['chris', 'jordan', 'priya', 'kim']) await deps.stores.people.create(newPerson(T, id, id, deps.clock.now()));
  await addLxp(deps, 'sam', { rhythm: 'as_it_happens', quietDays: [0, 6] });
  await addLxp(deps, 'alex', { rhythm: 'weekly', quietDays: [] });
  await deps.stores.contributions.create(buildContribution({ id: 'c1', ownerId: 'jordan', dueAt: '2026-03-06T10:00:00.000Z', lxpIds: ['sam', 'alex'] }));
});

const refusal = async (input: Partial<OutcomeInput>, who = 'jordan') => {
  const err = await recordOutcome(deps, caller(who), { ...base, ...input }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
};
const jobs = async (kind: string): Promise<Job[]> => (await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: kind }])).items;

describe('recordOutcome: what the owner must give', () => {
  it.each([
    ['what we did is required', { whatWeDid: '   ' }, /Say what was done/],
    ['what we did is at most 2,000 characters', { whatWeDid: 'x'.repeat(2001) }, /2,001 characters; the most is 2,000/],
    ['not taken forward needs a reason', { status: 'not_taken_forward' as const }, /Give the reason it was not taken forward/],
    ['under consideration needs a new date', { status: 'under_consideration' as const }, /Give the date by when it will be decided/],
    ['the new date must be a date', { status: 'under_consideration' as const, newDate: '2026-02-30x' }, /not a date/],
    ['the new date must be in the future', { status: 'under_consideration' as const, newDate: '2026-03-09' }, /must be after today/],
    ['passed on needs the group', { status: 'passed_on' as const, newOwnerId: 'kim' }, /Say which group/],
    ['passed on needs the new owner', { status: 'passed_on' as const, passedTo: 'Housing board' }, /Choose who owns it now/],
    ['passed on to someone unknown', { status: 'passed_on' as const, passedTo: 'Housing board', newOwnerId: 'nobody' }, /do not know the new owner/],
    ['evidence over http', { evidenceUrl: 'http://example.org/minutes' }, /https:\/\//],
    ['evidence that is not a link', { evidenceUrl: 'javascript:alert(1)' }, /https:\/\//],
  ])('%s', async (_name, input, message) => {
    const err = await refusal(input);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(message);
    expect((await deps.stores.contributions.get(T, 'c1'))?.outcomes).toEqual([]);
  });

  it('refuses an LXP who is not the owner, and says who may', async () => {
    const err = await refusal({}, 'sam');
    expect(err.code).toBe('not_allowed');
    expect(err.message).toMatch(/Only the owner of this contribution, a chair of Crisis pathway or the programme team/);
  });

  it('refuses a withdrawn contribution', async () => {
    const c = (await deps.stores.contributions.get(T, 'c1'))!;
    await deps.stores.contributions.replace({ ...c, status: 'withdrawn', words: '' });
    const err = await refusal({});
    expect(err.message).toMatch(/withdrawn by the person who said it/);
  });

  it('refuses a card made for an earlier due date', async () => {
    const err = await refusal({ dueAt: '2026-02-20T10:00:00.000Z' });
    expect(err.code).toBe('stale');
  });

  it('keeps a valid https evidence link, and a chair may record it too', async () => {
    const { outcome } = await recordOutcome(deps, caller('chris'), { ...base, evidenceUrl: ' https://example.org/minutes?id=3 ' });
    expect(outcome).toMatchObject({ status: 'adopted', evidenceUrl: 'https://example.org/minutes?id=3', decidedBy: 'chris', decidedAt: '2026-03-09T10:00:00.000Z' });
  });
});

describe('recordOutcome: what happens next', () => {
  it('stops the chasers and tells each LXP as they chose', async () => {
    await scheduleJob(deps, { tenantId: T, kind: 'remind_owner', subjectId: 'c1', runAt: new Date('2026-03-13T10:00:00Z') });
    await scheduleJob(deps, { tenantId: T, kind: 'escalate', subjectId: 'c1', runAt: new Date('2026-03-20T10:00:00Z') });
    const { contribution } = await recordOutcome(deps, caller('jordan'), { ...base, reason: 'ignored for adopted' });
    expect(contribution.status).toBe('outcome_recorded');
    expect(contribution.outcomes[0].reason).toBeUndefined();
    expect((await jobs('remind_owner'))[0].status).toBe('done');
    expect((await jobs('escalate'))[0].status).toBe('done');
    // Sam hears now; Alex (weekly) in the digest.
    const feed = await jobs('feed_back');
    expect(feed.map((j) => [j.payload.lxpId, j.runAt])).toEqual([['sam', '2026-03-09T10:00:00.000Z']]);
    expect((await jobs('digest')).map((j) => j.id)).toEqual(['digest:alex:weekly:2026-03-16']);
  });

  it('never in quiet days: news decided on a Saturday waits for Monday 09:00', async () => {
    (deps.clock as ReturnType<typeof fixedClock>).set('2026-03-14T15:00:00Z');
    await recordOutcome(deps, caller('jordan'), base);
    expect((await jobs('feed_back')).map((j) => j.runAt)).toEqual(['2026-03-16T09:00:00.000Z']);
  });

  it('only the kinds of news asked for', async () => {
    const sam = (await deps.stores.people.get(T, 'sam'))!;
    await deps.stores.people.replace({ ...sam, preferences: { ...sam.preferences!, news: ['good_news'] } });
    await recordOutcome(deps, caller('jordan'), { ...base, status: 'not_taken_forward', reason: 'No budget this year.' });
    expect(await jobs('feed_back')).toEqual([]);
  });

  it('still under consideration reopens it with the new date and asks again then', async () => {
    const { contribution } = await recordOutcome(deps, caller('jordan'), { ...base, status: 'under_consideration', newDate: '2026-04-15' });
    expect(contribution).toMatchObject({ status: 'awaiting_outcome', dueAt: '2026-04-15T09:00:00.000Z' });
    expect((await jobs('ask_owner')).map((j) => j.id)).toEqual(['ask_owner:c1:2026-04-15T09:00:00.000Z']);
    // The same card submitted again is out of date now.
    const err = await refusal({ status: 'under_consideration', newDate: '2026-04-15', dueAt: '2026-03-06T10:00:00.000Z' });
    expect(err.code).toBe('stale');
  });

  it('passed to another group: the new owner is asked at a fresh due date', async () => {
    const { contribution } = await recordOutcome(deps, caller('jordan'), { ...base, status: 'passed_on', passedTo: 'Housing board', newOwnerId: 'kim' });
    // FOLLOWUP_AFTER (14 days) from today, on a working day at 10:00 local.
    expect(contribution).toMatchObject({ status: 'awaiting_outcome', ownerId: 'kim', dueAt: '2026-03-23T10:00:00.000Z' });
    expect(contribution.outcomes[0]).toMatchObject({ passedTo: 'Housing board', newOwnerId: 'kim' });
    expect((await jobs('ask_owner')).map((j) => j.subjectId)).toEqual(['c1']);
  });
});
