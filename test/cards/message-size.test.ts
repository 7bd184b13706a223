import { feedbackDue } from '../../src/domain/follow-up';
import { carryForwardCard, logContributionCard, minutesCards } from '../../src/presenters/meeting';
import { digestCard, type FeedbackItem } from '../../src/presenters/outcome';
import { cardText } from '../support/e2e';
import { buildWorld, busyMeeting, type World } from './samples';

/**
 * A card must fit in one Teams message (about 100 KB in UTF-16; Teams refuses
 * a bigger one, and minutes or a digest that fail to arrive forget people).
 * The log card, posted again after every save, shows the latest few, newest
 * first and shortened; the minutes list every contribution in full, over
 * several messages when they must; a digest shows what was done in full and
 * counts what did not fit.
 */
let w: World;
beforeAll(async () => {
  w = await buildWorld();
});

const card = (count: number) =>
  logContributionCard({
    meeting: w.meeting,
    workstream: w.workstream,
    logged: busyMeeting(w, count),
    names: w.names,
    timeZone: w.timeZone,
    submissionId: 's-1',
    defaultDue: feedbackDue(new Date(w.meeting.startedAt!), { days: 14 }, w.timeZone),
  });

describe('the log card in a busy meeting', () => {
  it('counts them all, shows the latest five newest first, and says the minutes will list every one', () => {
    const text = cardText(card(12));
    expect(text).toContain('Logged so far in this meeting: 12');
    expect(text).toContain('The latest 5 are shown here. The minutes will list all 12, in full.');
    const shown = [...text.matchAll(/Contribution (\d+)\./g)].map((m) => Number(m[1]));
    expect(shown).toEqual([12, 11, 10, 9, 8]);
  });

  it('shortens long words at a word boundary, and says nothing about "latest" when all fit', () => {
    const rendered = card(3);
    const text = cardText(rendered);
    expect(text).toContain('Logged so far in this meeting: 3');
    expect(text).not.toContain('The latest');
    const words = JSON.stringify(rendered).match(/"Contribution \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string);
    expect(words).toHaveLength(3);
    for (const shown of words) {
      expect(shown.length).toBeLessThanOrEqual(281);
      expect(shown).toMatch(/ used it\.…$|\w…$/);
      expect(shown).not.toMatch(/ …$/);
    }
  });

  it('stays well inside the Teams message size limit with forty contributions of 2,000 characters', () => {
    // Teams counts a bot message in UTF-16, about 100 KB at most, and advises staying under 80 KB.
    const utf16Bytes = JSON.stringify(card(40)).length * 2;
    expect(utf16Bytes).toBeLessThan(40_000);
  });
});

describe('the minutes of a long meeting', () => {
  const minutes = (count: number) => minutesCards(w.meeting, w.workstream, busyMeeting(w, count), w.names, w.timeZone);

  it('keep every contribution in full, once, across as many messages as it takes, each inside the size limit', () => {
    const cards = minutes(40);
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    const all = cards.map((c) => JSON.stringify(c).match(/"Contribution \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string)).flat();
    expect(all).toHaveLength(40);
    expect(all.map((words) => Number(/\d+/.exec(words)![0]))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const words of all) expect(words).toHaveLength(2000);
  });

  it('say where they continue: the first message how many follow, each other message which part it is', () => {
    const cards = minutes(40);
    const n = cards.length;
    expect(cardText(cards[0])).toContain(`Continued in the next ${n - 1} messages (part 1 of ${n}).`);
    expect(cardText(cards[0])).toContain('40 contributions from Lived Experience Practitioners');
    cards.slice(1).forEach((card, i) => expect(cardText(card)).toContain(`Part ${i + 2} of ${n}`));
    // Only the first has the buttons: confirming updates that message.
    expect(cards.slice(1).every((c) => !(c as { actions?: unknown[] }).actions?.length)).toBe(true);
  });

  it('stay inside the limit with hundreds of short contributions too', () => {
    const short = busyMeeting(w, 300).map((c) => ({ ...c, words: `Point ${c.id}.` }));
    const cards = minutesCards(w.meeting, w.workstream, short, w.names, w.timeZone);
    for (const card of cards) expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    expect(cards.map((c) => JSON.stringify(c).match(/"Point busy-\d+\."/g)!.length).reduce((a, b) => a + b)).toBe(300);
  });

  it('of an ordinary meeting are one message, as before', () => {
    const cards = minutes(6);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0])).not.toContain('Continued');
  });
});

describe('a digest in a month with a lot of news', () => {
  const item = (i: number, words: string, whatWeDid: string): FeedbackItem => ({
    contributionId: `c-${i}`, words, meeting: 'Crisis pathway: March meeting', date: '9 Mar 2026', named: 'Recorded with your name.', outcome: 'Adopted',
    whatWeDid, detail: '', by: 'Chris Morgan', when: '20 Mar 2026', evidenceUrl: '', detailed: true, answered: '', answeredWords: '', via: 'digest',
  });
  const long = (what: string, i: number) => `${what} ${i}. ${'We changed the rota so that someone with lived experience answers at night. '.repeat(30)}`.slice(0, 2000);
  const digest = (items: FeedbackItem[]) => digestCard('monthly', new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), items, w.timeZone);

  it('fits one Teams message: what was done in full, what they said shortened, and the rest counted with where to find them', () => {
    const card = digest(Array.from({ length: 12 }, (_, i) => item(i, long('You said', i), long('We did', i))));
    expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    const json = JSON.stringify(card);
    const did = json.match(/"We did \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string);
    const said = json.match(/"You said \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string);
    expect(did.length).toBeGreaterThan(0);
    expect(did.length).toBeLessThan(12);
    for (const d of did) expect(d).toHaveLength(2000);
    for (const s of said) expect(s.length).toBeLessThanOrEqual(281);
    const rest = 12 - did.length;
    expect(cardText(card)).toContain(`There are ${rest} more decisions about what you said in this time. Type "my contributions" to see each one and what was done.`);
  });

  it('of an ordinary week shows everything as it was said', () => {
    const card = digest([item(1, 'Keep the line open after midnight.', 'We did.'), item(2, 'Fewer forms.', 'We cut one.')]);
    const text = cardText(card);
    expect(text).toContain('Keep the line open after midnight.');
    expect(text).not.toContain('more decision');
  });
});

describe('carrying forward in a workstream with years of open contributions', () => {
  it('lists the newest that fit in one message, shortened, each with its button, and says how many there are', () => {
    const open = busyMeeting(w, 200).reverse();
    const card = carryForwardCard({ ...w.meeting, id: 'later-meeting' }, open, w.names, w.timeZone);
    expect(JSON.stringify(card).length * 2).toBeLessThan(80_000);
    const shown = JSON.stringify(card).match(/"Contribution \d+\.[^"]*"/g)!.map((s) => JSON.parse(s) as string);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.map((t) => Number(/\d+/.exec(t)![0]))).toEqual(shown.map((_, i) => 200 - i));
    for (const t of shown) expect(t.length).toBeLessThanOrEqual(281);
    expect(JSON.stringify(card).match(/"verb":"carry_forward"/g)).toHaveLength(shown.length);
    expect(cardText(card)).toContain(`Showing the ${shown.length} most recent open contributions from earlier meetings; older ones are not listed.`);
  });

  it('with a few, lists them all and says nothing more', () => {
    const card = carryForwardCard({ ...w.meeting, id: 'later-meeting' }, busyMeeting(w, 3), w.names, w.timeZone);
    expect(cardText(card)).not.toContain('Showing the');
    expect(JSON.stringify(card).match(/"verb":"carry_forward"/g)).toHaveLength(3);
  });
});
