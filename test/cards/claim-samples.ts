/*
 * Samples for the claim cards (issue 22), in the shape of SAMPLES in
 * test/cards/samples.ts, which spreads CLAIM_SAMPLES in: the first variant of
 * each is the one drawn in docs/cards/.
 */
import { submitClaim, transitionClaim, type Claim, type ClaimRates } from '../../src/domain/claim';
import { claimFormCard, claimNoticeCard, claimReviewCard, myClaimsCard } from '../../src/presenters/claims';
import { buildMeeting } from '../support/lxp-fixtures';
import type { SampleBuilder, World } from './samples';

const RATES: ClaimRates = { hourly: { meeting: 2000, preparation: 1500 }, fixed: { meeting: 0, preparation: 0 } };
const at = new Date('2026-03-10T12:00:00Z');

function claims(w: World) {
  const typed = w.typed ? ` ${w.typed}` : '';
  const meeting = buildMeeting({ title: w.meeting.title });
  const claim = submitClaim({ tenantId: 'tenant-1', programmeId: 'p', lxpId: 'sam', meeting, details: { minutes: { meeting: 90, preparation: 60 }, expenses: { travel: 1240, other: 0, carer: 500 }, note: `Two buses each way${typed}`, paymentDeclined: false }, rates: RATES }, undefined, at).claim;
  const queried = transitionClaim(claim, { type: 'query', reason: `Was the travel a return fare?${typed}` }, 'priya', at);
  const timeOnly: Claim = submitClaim({ tenantId: 'tenant-1', programmeId: 'p', lxpId: 'sam', meeting: buildMeeting({ id: 'm2', title: `Ward rounds${typed}` }), details: { minutes: { meeting: 60, preparation: 0 }, expenses: { travel: 0, other: 0, carer: 0 }, note: '', paymentDeclined: true }, rates: RATES }, undefined, at).claim;
  const approved = transitionClaim(timeOnly, { type: 'approve' }, 'priya', at);
  return { meeting, claim, queried, approved };
}

export const CLAIM_SAMPLES: Record<string, Record<string, SampleBuilder>> = {
  claim: {
    new: (w) => claimFormCard({ meeting: claims(w).meeting, lxpId: 'sam', rates: RATES, timeZone: w.timeZone }),
    'answering a query': (w) => claimFormCard({ meeting: claims(w).meeting, lxpId: 'sam', rates: RATES, claim: claims(w).queried, timeZone: w.timeZone }),
  },
  'claim-review': {
    submitted: (w) => claimReviewCard({ claim: claims(w).claim, names: w.names, meeting: claims(w).meeting, timeZone: w.timeZone }),
    escalated: (w) => claimReviewCard({ claim: transitionClaim(claims(w).claim, { type: 'escalate' }, 'system', at), names: w.names, meeting: claims(w).meeting, timeZone: w.timeZone }),
    'approved, time only': (w) => claimReviewCard({ claim: claims(w).approved, names: w.names, timeZone: w.timeZone }),
  },
  'my-claims': {
    some: (w) => myClaimsCard({ claims: [claims(w).queried, claims(w).approved], claimable: [buildMeeting({ id: 'm3', title: `Reference group${w.typed}` })], timeZone: w.timeZone }),
    none: (w) => myClaimsCard({ claims: [], claimable: [], timeZone: w.timeZone }),
    'a question, sent to the LXP': (w) => claimNoticeCard(claims(w).queried, w.timeZone),
  },
};
