import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBot, cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, actionData, people, textOf } from '../support/talk';
import { TENANT_ID, programmeWithWorkstream, runJobs } from '../support/scenario';
import { personalConversationId, personalMessage, type From } from '../harness/activities';
import { movableClock, type MovableClock } from '../support/job-store';
import { buildMeeting } from '../support/lxp-fixtures';
import { queryEvery } from '../../src/domain/ports';
import type { Workstream } from '../../src/domain/workstream';
import { FORGET_CLAIMS_NOTE, type Claim } from '../../src/domain/claim';
import { readCsv } from '../support/read-csv';

/**
 * Issue 22, involvement claims, over HTTP against the embedded store and the connector stub: the programme
 * sets its rates in setup; LXPs claim from attendance (a join, or the chair's confirmation); the programme
 * team queries, declines and approves with reasons the LXP is sent; finance's CSV adds up.
 */

let bot: BotUnderTest;
let clock: MovableClock;
let ws: Workstream;
const { priya, sam, alex, jordan } = people;

/** Meetings come from Teams' meeting events elsewhere; here they are test inputs with the attendance those events leave. */
async function meeting(id: string, day: string, attendance: ReturnType<typeof buildMeeting>['attendance']) {
  await bot.running.deps.stores.meetings.create(
    buildMeeting({ id, tenantId: TENANT_ID, workstreamId: ws.id, title: `Crisis pathway ${day}`, createdAt: `${day}T09:55:00.000Z`, startedAt: `${day}T10:00:00.000Z`, endedAt: `${day}T11:30:00.000Z`, attendance }),
  );
}
const joined = (name: string, day: string, from: string, to: string) => ({ name, spans: [{ joinedAt: `${day}T${from}:00.000Z`, leftAt: `${day}T${to}:00.000Z` }] });

const claimsOf = async (lxpId: string) => (await queryEvery(bot.running.deps.stores.claims, TENANT_ID, [{ field: 'lxpId', op: '=', value: lxpId }])) as Claim[];
const inbox = (who: From) => bot.stub.sentActivities(personalConversationId(who)).filter((s) => s.kind === 'send').map((s) => cardOf(s.activity)).filter(Boolean).map(cardText);

async function claim(who: From, meetingId: string, fields: Record<string, string | boolean>) {
  const mine = await as(bot, who).say('my claims');
  const opened = await as(bot, who).act('claim_open', { meetingId });
  expect(opened.card).toBeDefined();
  const form = { ...actionData(opened.card, 'claim_submit'), meetingHours: inputValue(opened.card, 'meetingHours'), preparationHours: '', travel: '', other: '', carer: '', note: '', paymentDeclined: 'false', ...fields };
  return { mine, opened, res: await as(bot, who).act('claim_submit', form), form };
}

/** What an input on the card starts with, as a person who leaves it alone sends it. */
function inputValue(card: unknown, id: string): string {
  let found = '';
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.id === id && typeof o.value === 'string') found = o.value;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}


beforeAll(async () => {
  clock = movableClock('2026-03-17T10:00:00.000Z');
  bot = await startBot({}, { clock });
  ws = await programmeWithWorkstream(bot);
  // Sam joined for 86 minutes on the 9th and 60 on the 11th; Alex has no join events, but the chair confirmed them.
  await meeting('m1', '2026-03-09', { [sam.aadObjectId]: joined('Sam', '2026-03-09', '10:02', '11:28') });
  await meeting('m2', '2026-03-11', {
    [sam.aadObjectId]: joined('Sam', '2026-03-11', '10:00', '11:00'),
    [alex.aadObjectId]: { name: 'Alex', spans: [], confirmed: { present: true, by: people.chris.aadObjectId, at: '2026-03-11T11:30:00.000Z' } },
  });
  await meeting('m3', '2026-03-12', { [jordan.aadObjectId]: joined('Jordan', '2026-03-12', '10:00', '11:30') });
}, 60_000);
afterAll(async () => bot?.close());

describe('involvement claims over HTTP', () => {
  it('the programme team sets the rates and the wait in setup', async () => {
    const saved = await as(bot, priya).act('claim_rates_save', { meetingRate: '20.00', preparationRate: '15', meetingFee: '', preparationFee: '', waitDays: '7' });
    expect(cardText(saved.card)).toContain('meeting time £20.00 an hour, and preparation time £15.00 an hour');
    expect(cardText(saved.card)).toContain('waiting longer than 7 days');
    // Staff cannot.
    const refused = await as(bot, jordan).act('claim_rates_save', { meetingRate: '99', preparationRate: '99', waitDays: '1' });
    expect(refused.message ?? cardText(refused.card)).toContain('Only the programme team can set what involvement is paid');
  });

  it('Sam claims from attendance; a second submission saves once', async () => {
    const { mine, opened, res, form } = await claim(sam, 'm1', { preparationHours: '1', travel: '12.40' });
    expect(textOf(mine)).toContain('Meetings you can still claim for');
    // 86 minutes present, prefilled rounded up to the quarter hour.
    expect(actionData(opened.card, 'claim_submit')).toBeDefined();
    expect(JSON.stringify(opened.card)).toContain('"value":"1.50"');
    expect(res.message ?? '').toContain('Sent to the programme team');
    const again = await as(bot, sam).act('claim_submit', { ...form, meetingHours: '1.5', travel: '99.00' });
    expect(again.message).toContain('already sent; it is saved once');
    const stored = await claimsOf(sam.aadObjectId);
    expect(stored).toHaveLength(1);
    // 1.5 h × £20 + 1 h × £15 + £12.40
    expect(stored[0].amounts.total).toBe(3000 + 1500 + 1240);
    const audits = await queryEvery(bot.running.deps.stores.audit, TENANT_ID, [{ field: 'action', op: '=', value: 'claim.submit' }]);
    expect(audits).toHaveLength(1);
  });

  it('a staff member approving is refused; an LXP cannot claim a meeting they were not in', async () => {
    const [c] = await claimsOf(sam.aadObjectId);
    const refused = await as(bot, jordan).act('claim_approve', { claimId: c.id });
    expect(refused.message ?? cardText(refused.card)).toContain('Only the programme team can approve, query or decline claims');
    expect((await claimsOf(sam.aadObjectId))[0].status).toBe('submitted');
    const notThere = await as(bot, alex).act('claim_submit', { meetingId: 'm1', meetingHours: '1', paymentDeclined: 'false' });
    expect(notThere.message ?? cardText(notThere.card)).toContain('no record of you');
  });

  it('query, the LXP is told the reason, resubmits, and the team approves', async () => {
    const [c] = await claimsOf(sam.aadObjectId);
    await runJobs(bot);
    expect(inbox(priya).some((t) => t.includes('Involvement claim') && t.includes('£57.40'))).toBe(true);
    const queried = await as(bot, priya).act('claim_query', { claimId: c.id, reason: 'Was the travel a return fare?' });
    expect(cardText(queried.card)).toContain('The programme team has a question');
    await runJobs(bot);
    expect(inbox(sam).some((t) => t.includes('Was the travel a return fare?'))).toBe(true);
    const { res } = await claim(sam, 'm1', { meetingHours: '1.5', preparationHours: '1', travel: '6.20', note: 'It was a single; the return was a lift.' });
    expect(res.message).toContain('Sent again');
    const approved = await as(bot, priya).act('claim_approve', { claimId: c.id });
    expect(cardText(approved.card)).toContain('Approved by Priya');
    await runJobs(bot);
    expect(inbox(sam).some((t) => t.includes('decided on your claim: approved'))).toBe(true);
    const [after] = await claimsOf(sam.aadObjectId);
    expect(after.amounts.total).toBe(3000 + 1500 + 620);
    expect(after.history.map((h) => h.event)).toEqual(['submit', 'query', 'resubmit', 'approve']);
  });

  it('export claims: the CSV parsed back matches rates × hours, with a declined payment and a queried claim', async () => {
    // Alex, confirmed by the chair only, declines payment (time only); Sam's second claim is queried and left so.
    const alexClaim = await claim(alex, 'm2', { meetingHours: '1.5', paymentDeclined: 'true' });
    expect(alexClaim.res.message).toContain('Sent to the programme team');
    const samSecond = await claim(sam, 'm2', { preparationHours: '0.75', carer: '20' });
    expect(samSecond.res.message).toContain('Sent to the programme team');
    const second = (await claimsOf(sam.aadObjectId)).find((c) => c.meetingId === 'm2')!;
    await as(bot, priya).act('claim_query', { claimId: second.id, reason: 'Who did the caring?' });
    const declined = (await claimsOf(alex.aadObjectId))[0];
    await as(bot, priya).act('claim_approve', { claimId: declined.id });

    const puts: Buffer[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => { puts.push(Buffer.concat(chunks)); res.statusCode = 201; res.end('{}'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const sent = await as(bot, priya).say('export claims March 2026');
      const consent = sent[0].activity.attachments[0];
      expect(consent.name).toBe('golden-thread-claims-2026-03.csv');
      expect(consent.content.description).toContain('3 claims');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/1`;
      await bot.post(personalMessage({ text: '', from: priya, overrides: { type: 'invoke', name: 'fileConsent/invoke', value: { type: 'fileUpload', action: 'accept', context: consent.content.acceptContext, uploadInfo: { name: consent.name, uploadUrl: url, contentUrl: 'https://x/y.csv', uniqueId: 'u', fileType: 'csv' } } } }));
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(puts).toHaveLength(1);
    const [header, ...rows] = readCsv(puts[0].toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    const col = (name: string) => header.indexOf(name);
    expect(rows).toHaveLength(3);
    const rates = { meeting: 2000, preparation: 1500 };
    const pence = (s: string) => Math.round(Number(s) * 100);
    for (const r of rows) {
      const declinedPay = r[col('Payment declined')] === 'yes';
      const meetingPay = declinedPay ? 0 : Math.floor((Number(r[col('Meeting hours')]) * 60 * rates.meeting + 30) / 60);
      const prepPay = declinedPay ? 0 : Math.floor((Number(r[col('Preparation hours')]) * 60 * rates.preparation + 30) / 60);
      expect(pence(r[col('Meeting pay (£)')])).toBe(meetingPay);
      expect(pence(r[col('Preparation pay (£)')])).toBe(prepPay);
      const expenses = ['Travel (£)', 'Other expenses (£)', 'Carer costs (£)'].reduce((s, h) => s + pence(r[col(h)]), 0);
      expect(pence(r[col('Total (£)')])).toBe(meetingPay + prepPay + expenses);
    }
    const byPerson = (name: string, status: string) => rows.find((r) => r[col('Person')].startsWith(name) && r[col('Status')] === status);
    expect(byPerson('Sam', 'Approved')).toBeDefined();
    expect(byPerson('Sam', 'Approved')![col('Total (£)')]).toBe('51.20');
    expect(byPerson('Sam', 'The programme team has a question')![col('Total (£)')]).toBe('51.25'); // prefilled 1.00 h of meeting (60 minutes present) at £20, 0.75 h preparing at £15, £20 carer costs
    const alexRow = byPerson('Alex', 'Approved')!;
    expect(alexRow[col('Payment declined')]).toBe('yes');
    expect(alexRow[col('Meeting hours')]).toBe('1.50');
    expect(alexRow[col('Total (£)')]).toBe('0.00');
    expect(alexRow[col('Decided by')]).toContain('Priya');
  });

  it('forget me keeps the claims for finance, with the name replaced and the note erased, and says so first', async () => {
    const before = await claimsOf(sam.aadObjectId);
    expect(before.some((c) => c.note)).toBe(true);
    const confirm = cardOf((await as(bot, sam).say('forget me'))[0].activity);
    expect(cardText(confirm)).toContain(FORGET_CLAIMS_NOTE);
    const done = await as(bot, sam).act('forget_me_confirm', { ...actionData(confirm, 'forget_me_confirm'), understood: 'true' });
    expect(cardText(done.card)).toContain('Golden Thread has forgotten you');
    expect(await claimsOf(sam.aadObjectId)).toEqual([]);
    const kept = await Promise.all(before.map((c) => bot.running.deps.stores.claims.get(TENANT_ID, c.id)));
    for (const [i, c] of kept.entries()) {
      expect(c).toBeDefined();
      expect(c!.lxpId).toMatch(/^forgotten-/);
      expect(c!.note).toBe('');
      expect(c!.amounts).toEqual(before[i].amounts);
      expect(c!.status).toBe(before[i].status);
      expect(JSON.stringify(c)).not.toContain(sam.aadObjectId);
      expect(JSON.stringify(c)).not.toContain('Sam Okafor');
    }
  });
});
