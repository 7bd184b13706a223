import { rememberShown } from '../commands/shown';
import type { Shows } from '../domain/shown';
import type { AppDeps } from './route';
import type { TurnRef } from './turn';

/**
 * The adapter posted (or replaced) a message that shows contributions, and Teams gave its id: remember where it
 * is, so a later change to those contributions updates it. In a personal chat the message is the person's;
 * elsewhere it belongs to the chat, which is what the update job writes to.
 */
export async function rememberPosted(deps: AppDeps, turn: TurnRef, shows: Shows, activityId: string | undefined): Promise<void> {
  const to = turn.conversationType === 'personal' ? ({ kind: 'person', personId: turn.caller.id } as const) : ({ kind: 'chat', conversationId: turn.conversationId } as const);
  try {
    await rememberShown(deps, turn.tenantId, to, activityId, shows);
  } catch (err) {
    // The person has their answer already; an untracked message is logged rather than turned into an error for them.
    deps.logger.warn({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not record where contributions are shown');
  }
}
