import { feedbackDue } from '../../src/domain/follow-up';
import { logContributionCard } from '../../src/presenters/meeting';
import { cardText } from '../support/e2e';
import { buildWorld, busyMeeting, type World } from './samples';

/**
 * The log card is posted again after every save, so in a busy meeting it is
 * read dozens of times and must still fit in one Teams message. It shows the
 * latest few, newest first and shortened; the minutes list them all in full.
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
