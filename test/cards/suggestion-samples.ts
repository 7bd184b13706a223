import type { SampleBuilder, World } from './samples';
import { suggestionCards, suggestionsSavedCard } from '../../src/presenters/suggestions';
import { lxpCheckCard } from '../../src/presenters/meeting';
import type { Suggestion } from '../../src/domain/transcript';

/** The chair's suggested contributions from a transcript (issue 24), for test/cards/cards.test.ts and docs/cards/. */
function suggestions(w: World): Suggestion[] {
  return [
    { id: 't3', lxpId: 'sam', start: 725, words: `The crisis line should answer at night, when people are most alone, and the letters should say who to call.${w.typed}`, summary: `answer at night, when people are most alone${w.typed}` },
    { id: 't8', lxpId: 'alex', start: 1930, words: `I waited eleven weeks for a first appointment and nobody told me where I was on the list, so I stopped asking.${w.typed}` },
  ];
}

export const SUGGESTION_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  'suggested-contributions': {
    'two suggestions, one with a quoted summary': (w) => suggestionCards({ meeting: w.meeting, workstream: w.workstream, suggestions: suggestions(w), names: w.names, submissionId: 'b5a7c3e1-0d2f-4c55-9a1e-2f6d8c4b7a10' })[0],
  },
  notice: {
    'suggestions saved, one LXP no longer agrees': (w) =>
      suggestionsSavedCard([{ lxpId: 'sam', kind: 'suggestion', alreadySaved: false }, { lxpId: 'alex', kind: 'personal_experience', alreadySaved: false }], ['jordan'], 4, w.names),
  },
  'lxp-check': {
    'for Sam, taken from the transcript': (w) =>
      lxpCheckCard(w.meeting, w.contributions.map((c) => (c.lxpIds.includes('sam') ? { ...c, source: 'transcript' as const } : c)), { id: 'sam', programme: false }, w.names, w.timeZone),
  },
};
