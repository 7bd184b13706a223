import type { Contribution } from './contribution';
import { scrub, tracesOf } from './forget';

/**
 * The part of the 'forget' event that takes a person out of a contribution:
 * their id (as LXP, owner, recorder, decider, answerer, in the history)
 * becomes the placeholder, and their name in text others typed becomes
 * "[name removed]". Counts are kept: the contribution
 * still has an LXP (the placeholder), so it is still counted.
 */
export function forgetPerson(c: Contribution, personId: string, placeholder: string, name?: string, newOwnerId?: string): Contribution {
  const out = scrub(c, tracesOf([personId], name), placeholder);
  return {
    ...out,
    id: c.id,
    tenantId: c.tenantId,
    _etag: c._etag,
    // An open contribution needs someone to answer for it; the caller picks a chair when there is one.
    ownerId: c.ownerId === personId ? (newOwnerId ?? placeholder) : out.ownerId,
    lxpIds: [...new Set(out.lxpIds)],
  };
}
