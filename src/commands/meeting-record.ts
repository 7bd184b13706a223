import type { Meeting } from '../domain/meeting';
import { notFound } from '../domain/errors';
import type { Deps } from './deps';

/** One meeting by id, or a plain "no longer here". Its own module so contributions and meetings need not import each other. */
export async function getMeeting(deps: Deps, tenantId: string, meetingId: string): Promise<Meeting> {
  const m = await deps.stores.meetings.get(tenantId, meetingId);
  if (!m) throw notFound('That meeting is no longer in Golden Thread.');
  return m;
}
