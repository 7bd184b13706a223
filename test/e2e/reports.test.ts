import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, people, textOf } from '../support/talk';
import { personalMessage, personalConversationId } from '../harness/activities';
import { fixedClock } from '../support/memory-collection';
import { buildReportFixture, chatOf, type Fixture } from '../support/report-fixture';
import { MARCH_VS_FEBRUARY, reportRowsOf } from '../support/report-card';

/** Stands in for the OneDrive upload session Teams hands over when someone accepts a file. */
async function uploadTarget() {
  const puts: { headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      puts.push({ headers: req.headers, body: Buffer.concat(chunks) });
      // restify patches ServerResponse in this process, so no chaining on writeHead.
      res.statusCode = 201;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { puts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/session-1`, close: () => new Promise((r) => server.close(r)) };
}

describe('reports over HTTP (embedded store, stub connector)', () => {
  let bot: BotUnderTest;
  let fx: Fixture;
  beforeAll(async () => {
    const clock = fixedClock('2026-01-05T09:00:00Z');
    bot = await startBot({}, { clock });
    fx = await buildReportFixture(bot.running.deps, clock);
  }, 180_000);
  afterAll(async () => bot.close());

  it('report in a personal chat: every figure matches the hand count, and the owners of overdue items are listed', async () => {
    const sent = await as(bot, people.priya).say('report March 2026');
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0].activity);
    expect(reportRowsOf(card)).toEqual(MARCH_VS_FEBRUARY);
    const text = cardText(card);
    expect(text).toContain('March 2026, compared with February 2026');
    expect(text).toContain('Overdue now, with owners (5)');
    expect(text).toContain('Owner Jordan Lee');
  });

  it('my contributions in a personal chat: only the LXP\'s own, newest first', async () => {
    const sent = await as(bot, people.sam).say('my contributions');
    const text = textOf(sent);
    expect(text).toContain('What was recorded from you');
    expect(text.indexOf('Personality disorder M8')).toBeLessThan(text.indexOf('Crisis pathway M1'));
    expect(text).toContain('Contribution 44: what the LXP said');
    expect(text).toContain('Contribution 6: what the LXP said'); // his restricted story, to him
    for (const notHis of [2, 13, 25, 48]) expect(text).not.toContain(`Contribution ${notHis}:`);
    expect(text).toContain('You withdrew 3 contributions');
  });

  it('report in a meeting chat shows figures only; the detailed version goes 1:1', async () => {
    await as(bot, people.chris).say('help'); // so the bot has Chris's personal chat
    const conversationId = chatOf('w1').conversationId;
    await as(bot, people.chris).mention('report March 2026', conversationId);
    const chatText = textOf(bot.stub.sentActivities(conversationId));
    expect(chatText).toContain('Contributions recorded');
    expect(chatText).not.toContain('Owner');
    expect(chatText).toContain('I have sent you the detailed version');
    const personal = bot.stub.sentActivities(personalConversationId(people.chris));
    const detail = personal[personal.length - 1];
    expect(cardText(cardOf(detail.activity))).toContain('Owner Jordan Lee');
  });

  it('a chair cannot report on another workstream', async () => {
    const sent = await as(bot, people.chris).say('report Personality disorder');
    expect(textOf(sent)).toContain('Only the programme team and the chairs of Personality disorder');
  });

  it('export in a personal chat: a file consent card, then the CSV is uploaded on accept and a file card sent', async () => {
    const target = await uploadTarget();
    try {
      const sent = await as(bot, people.priya).say('export Carers March 2026');
      const consent = sent[0].activity.attachments[0];
      expect(consent.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
      expect(consent.name).toMatch(/^golden-thread-carers-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(consent.content.description).toContain('6 contributions');
      const accept = personalMessage({ text: '', from: people.priya, overrides: {
        type: 'invoke', name: 'fileConsent/invoke',
        value: { type: 'fileUpload', action: 'accept', context: consent.content.acceptContext, uploadInfo: { name: consent.name, uploadUrl: target.url, contentUrl: 'https://contoso-my.sharepoint.com/x.csv', uniqueId: 'u-1', fileType: 'csv' } },
      } });
      const before = bot.stub.sentActivities().length;
      const res = await bot.post(accept);
      expect(res.status).toBe(200);
      expect(target.puts).toHaveLength(1);
      const { headers, body } = target.puts[0];
      expect(headers['content-range']).toBe(`bytes 0-${body.length - 1}/${body.length}`);
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(7);
      const info = bot.stub.sentActivities().slice(before)[0].activity.attachments[0];
      expect(info).toMatchObject({ contentType: 'application/vnd.microsoft.teams.card.file.info', name: consent.name, content: { uniqueId: 'u-1', fileType: 'csv' } });

      // The same card accepted by someone else uploads nothing.
      await bot.post(personalMessage({ text: '', from: people.chris, overrides: { type: 'invoke', name: 'fileConsent/invoke', value: { ...accept.value } } }));
      expect(target.puts).toHaveLength(1);
    } finally {
      await target.close();
    }
  });
});
