import { applyEvent } from '../../src/commands/contributions';
import { ensureDigestScheduled } from '../../src/commands/digests';
import type { Deps } from '../../src/commands/deps';
import type { OutgoingMessage, Recipient } from '../../src/domain/ports';
import { jobHandlers } from '../../src/jobs/handlers';
import type { JobSender, SendOptions } from '../../src/jobs/job-sender';
import { runDueJobs } from '../../src/jobs/scheduler';
import { fixedClock, testDeps, type FixedClock } from '../support/memory-collection';
import { T, addLxp, decided } from '../support/outcome-fixtures';

/*
 * Issue 20: a digest ("you said, we did: your week") shows what the LXP said. When they correct or withdraw it
 * later, the digest already in their chat is drawn again from the record, as the minutes and owners' cards are.
 */

interface Delivery {
  to: Recipient;
  message: OutgoingMessage;
  replaces?: string;
  activityId: string;
}

function recordingSender(): JobSender & { deliveries: Delivery[] } {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    async send(_tenantId: string, to: Recipient, message: OutgoingMessage, options: SendOptions = {}) {
      const activityId = options.replaces ?? `act-${deliveries.length + 1}`;
      deliveries.push({ to, message, replaces: options.replaces, activityId });
      return { activityId };
    },
  };
}

const text = (d: Delivery) => JSON.stringify('card' in d.message ? d.message.card : d.message);

let clock: FixedClock;
let deps: Deps;
let sender: ReturnType<typeof recordingSender>;
const tick = () => runDueJobs(deps, { handlers: jobHandlers(), sender, owner: 'test', scheduledAt: clock.now() });

beforeEach(() => {
  clock = fixedClock('2026-03-09T10:00:00Z');
  deps = testDeps({ clock });
  sender = recordingSender();
});

/** Sam's weekly digest with two outcomes, sent; returns the digest as it went out. */
async function sentDigest(): Promise<Delivery> {
  await addLxp(deps, 'sam', { rhythm: 'weekly', quietDays: [] });
  await ensureDigestScheduled(deps, T, 'sam');
  await deps.stores.contributions.create(decided('o-kept', '2026-03-10T09:00:00.000Z'));
  await deps.stores.contributions.create(decided('o-gone', '2026-03-11T09:00:00.000Z'));
  const [digest] = (await deps.stores.jobs.query(T, [{ field: 'kind', op: '=', value: 'digest' }])).items;
  expect(digest).toBeDefined();
  clock.set(digest.runAt);
  await tick();
  const sent = sender.deliveries.filter((d) => !d.replaces && text(d).includes('said o-gone'));
  expect(sent).toHaveLength(1);
  return sent[0];
}

it('a digest in the LXP\'s chat loses the words they withdrew and shows the words they corrected, updated in place once', async () => {
  const digest = await sentDigest();
  expect(text(digest)).toContain('said o-kept');

  await applyEvent(deps, T, 'o-gone', { type: 'withdraw' }, 'sam');
  await applyEvent(deps, T, 'o-kept', { type: 'correct', words: 'said it better' }, 'sam');
  await tick();

  const updates = sender.deliveries.filter((d) => d.replaces === digest.activityId);
  expect(updates.length).toBeGreaterThan(0);
  const latest = updates[updates.length - 1];
  expect(text(latest)).not.toContain('said o-gone');
  expect(text(latest)).not.toContain('said o-kept');
  expect(text(latest)).toContain('said it better');
  // Nothing new was posted: the digest was changed where it is.
  expect(sender.deliveries.filter((d) => !d.replaces && text(d).includes('said it better'))).toHaveLength(0);
});
