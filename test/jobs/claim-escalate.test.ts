import type { Deps } from '../../src/commands/deps';
import { decideClaim, submitClaim } from '../../src/commands/claims';
import { NO_RATES, type Claim } from '../../src/domain/claim';
import { newPerson } from '../../src/domain/person';
import { queryEvery } from '../../src/domain/ports';
import type { Programme } from '../../src/domain/workstream';
import { claimEscalateHandler } from '../../src/jobs/claims';
import { jobHandlers } from '../../src/jobs/handlers';
import { runDueJobs } from '../../src/jobs/scheduler';
import { trackedJobs } from '../../src/jobs/schedule';
import { fakeSender } from '../support/job-store';
import { buildMeeting } from '../support/lxp-fixtures';
import { fixedClock, testDeps, type FixedClock } from '../support/memory-collection';

/**
 * claim_escalate (src/jobs/claims.ts): a claim the programme team has not decided within the programme's
 * `claimsEscalateAfter` is raised with each of them once; a second run, or a second instance, sends nothing
 * more; a queried claim waits for the LXP and is never raised.
 */

const T = 'tenant-1';
const DAY = 86_400_000;
let clock: FixedClock;
let deps: Deps;
let sender: ReturnType<typeof fakeSender>;

const tick = () => runDueJobs(deps, { handlers: jobHandlers(), sender, owner: 'test', scheduledAt: clock.now() });
const caller = (id: string) => ({ id, tenantId: T, name: id, teamsId: `29:${id}` });
const summaryOf = (s: { message: object }) => ('summary' in s.message ? s.message.summary : '');
const raised = () => sender.sent.filter((s) => summaryOf(s) === 'A claim has waited too long');
const details = { minutes: { meeting: 60, preparation: 0 }, expenses: { travel: 0, other: 0, carer: 0 }, note: '', paymentDeclined: false };
const claimOf = async (id: string) => (await deps.stores.claims.get(T, id)) as Claim;

beforeAll(async () => {
  clock = fixedClock('2026-03-10T09:00:00Z');
  deps = testDeps({ clock });
  sender = fakeSender();
  const programme: Programme = { id: 'programme', tenantId: T, type: 'programme', leadId: 'priya', memberIds: ['priya', 'jordan'], createdAt: clock.now().toISOString(), payment: { rates: NO_RATES, claimsEscalateAfter: 'P7D', by: 'priya', at: clock.now().toISOString() } };
  await deps.stores.workstreams.create(programme);
  for (const [id, name] of [['priya', 'Priya'], ['jordan', 'Jordan'], ['sam', 'Sam'], ['alex', 'Alex']]) await deps.stores.people.create(newPerson(T, id, name, clock.now(), `29:${id}`));
  const both = { sam: { name: 'Sam', spans: [{ joinedAt: '2026-03-09T10:00:00.000Z', leftAt: '2026-03-09T11:00:00.000Z' }] }, alex: { name: 'Alex', spans: [{ joinedAt: '2026-03-09T10:00:00.000Z', leftAt: '2026-03-09T11:00:00.000Z' }] } };
  await deps.stores.meetings.create(buildMeeting({ tenantId: T, attendance: both }));
});

describe('claims waiting too long are raised with the programme team, once', () => {
  let waiting: Claim;
  let queried: Claim;

  it('a claim within the wait is not raised; the submission notices go out', async () => {
    waiting = (await submitClaim(deps, caller('sam'), { meetingId: 'm1', details })).claim;
    queried = (await submitClaim(deps, caller('alex'), { meetingId: 'm1', details })).claim;
    await decideClaim(deps, caller('priya'), queried.id, { type: 'query', reason: 'Which meeting was this?' });
    await tick();
    // Sam's, to each of the team; Alex's was queried before the notices went, so the team is not asked about it.
    expect(sender.sent.filter((s) => summaryOf(s) === 'A claim to review')).toHaveLength(2);
    clock.set(new Date(clock.now().getTime() + 6 * DAY).toISOString());
    await tick();
    expect(raised()).toHaveLength(0);
    expect((await claimOf(waiting.id)).escalatedAt).toBeUndefined();
  });

  it('past the wait, each of the team is told once and the claim says so', async () => {
    clock.set(new Date(new Date(waiting.waitingSince).getTime() + 7 * DAY + 60_000).toISOString());
    await tick(); // the escalation, which queues a notice per member
    await tick(); // the notices
    expect(raised().map((s) => (s.to as { personId: string }).personId).sort()).toEqual(['jordan', 'priya']);
    const after = await claimOf(waiting.id);
    expect(after.escalatedAt).toBe(clock.now().toISOString());
    expect(after.history.map((h) => h.event)).toEqual(['submit', 'escalate']);
  });

  it('running the job twice (a second tick, a second instance) sends nothing more', async () => {
    const [job] = await queryEvery(trackedJobs(deps), T, [{ field: 'kind', op: '=', value: 'claim_escalate' }, { field: 'subjectId', op: '=', value: waiting.id }]);
    expect(job).toBeDefined();
    await claimEscalateHandler.plan(deps, job, clock.now());
    await claimEscalateHandler.plan(deps, job, clock.now());
    await tick();
    clock.set(new Date(clock.now().getTime() + 30 * DAY).toISOString());
    await tick();
    expect(raised()).toHaveLength(2);
    expect((await queryEvery(deps.stores.audit, T, [{ field: 'action', op: '=', value: 'claim.escalate' }])).map((a) => a.subjectId)).toEqual([waiting.id]);
  });

  it('a queried claim waits for the LXP and is never raised', async () => {
    const q = await claimOf(queried.id);
    expect(q.status).toBe('queried');
    expect(q.escalatedAt).toBeUndefined();
    expect(raised().some((s) => JSON.stringify(s.message).includes('Alex'))).toBe(false);
    // Even if its job is run by hand, long past the wait.
    const jobs = await queryEvery(trackedJobs(deps), T, [{ field: 'kind', op: '=', value: 'claim_escalate' }, { field: 'subjectId', op: '=', value: queried.id }]);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) await claimEscalateHandler.plan(deps, job, clock.now());
    await tick();
    expect((await claimOf(queried.id)).escalatedAt).toBeUndefined();
    expect(raised()).toHaveLength(2);
  });
});
