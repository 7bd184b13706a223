import { namesFor } from '../commands/names';
import { saveSuggestions } from '../commands/suggestions';
import { suggestionsSavedCard } from '../presenters/suggestions';
import type { Payload } from './payloads';
import { answer } from './reply';
import type { UseCase } from './route';

/**
 * The chair saves the suggestions they ticked on the "Suggested contributions" card (issue 24). The card pressed
 * is replaced by one that shows no transcript words, so the unticked ones do not stay in the chat.
 */
export const onSuggestionsSave: UseCase<Payload<'suggestions_save'>> = async (deps, turn, data) => {
  const { saved, refused } = await saveSuggestions(deps, turn.caller, data);
  const names = await namesFor(deps, turn.tenantId, [...saved.map((s) => s.lxpId), ...refused]);
  return [answer(suggestionsSavedCard(saved, refused, data.suggestedCount, names))];
};
