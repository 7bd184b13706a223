import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WHO_SEES_MINUTES, WHO_SEES_OTHERS } from '../../src/presenters/who-sees';
import { preferencesCard } from '../../src/presenters/setup';
import { newPerson } from '../../src/domain/person';
import { cardText } from '../support/e2e';

/** Issue 20: the README and the cards say the same thing about who sees what. */
describe('who sees the minutes', () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');

  it('the onboarding card and the README say it in the same words, for a private meeting and a channel meeting', () => {
    const card = cardText(preferencesCard(newPerson('t', 'sam', 'Sam Okafor', new Date('2026-03-09T10:00:00Z')), true));
    for (const sentence of [WHO_SEES_MINUTES, WHO_SEES_OTHERS]) {
      expect(card).toContain(sentence);
      expect(readme).toContain(sentence);
    }
    expect(WHO_SEES_MINUTES).toMatch(/private meeting/);
    expect(WHO_SEES_MINUTES).toMatch(/channel meeting, everyone in the channel/);
    expect(card).not.toContain('the people in that meeting');
  });
});
