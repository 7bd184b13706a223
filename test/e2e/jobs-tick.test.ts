import { startBot } from '../support/e2e';
import { scheduleJob } from '../../src/jobs/schedule';
import { TENANT, chatRef } from '../support/job-store';

describe('POST /api/jobs/tick', () => {
  it('runs due jobs with the secret, and answers 401 without it', async () => {
    const bot = await startBot({ JOBS_TICK_SECRET: 'tick-secret' });
    try {
      const { deps } = bot.running;
      const chat = '19:meeting_tick@thread.v2';
      await deps.stores.conversations.upsert(chatRef(chat, bot.stub.url));
      const job = await scheduleJob(deps, {
        tenantId: TENANT,
        kind: 'notify',
        subjectId: 'tick-test',
        runAt: new Date(deps.clock.now().getTime() - 1000),
        payload: { to: { kind: 'chat', conversationId: chat }, template: 'unreachable-notice', data: { name: 'Sam', why: 'Testing.' } },
      });

      const refused = await fetch(`${bot.url}/api/jobs/tick`, { method: 'POST' });
      expect(refused.status).toBe(401);
      const wrong = await fetch(`${bot.url}/api/jobs/tick`, { method: 'POST', headers: { 'x-jobs-secret': 'guess' } });
      expect(wrong.status).toBe(401);
      expect(bot.stub.sentActivities()).toHaveLength(0);

      const ok = await fetch(`${bot.url}/api/jobs/tick`, { method: 'POST', headers: { 'x-jobs-secret': 'tick-secret' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ ran: 1, sent: 1 });
      const sent = bot.stub.sentActivities(chat);
      expect(sent).toHaveLength(1);
      expect(sent[0].activity.channelData.goldenThread.key).toBe(job.id);
      expect((await deps.stores.jobs.get(TENANT, job.id))?.status).toBe('done');
    } finally {
      await bot.close();
    }
  });
});
