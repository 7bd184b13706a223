import { claimForm, decideClaim, myClaims, setClaimPayment, submitClaim, viewClaim, type ClaimDecision } from '../commands/claims';
import { namesFor } from '../commands/names';
import { minutesFromHours, penceFromPounds } from '../domain/claim';
import { claimFormCard, claimReviewCard, myClaimsCard } from '../presenters/claims';
import { programmeSetupCard } from './setup';
import type { Payload } from './payloads';
import { answer, toAsker } from './reply';
import type { AppDeps, UseCase } from './route';
import { isShared, type Turn } from './turn';

const tz = (deps: AppDeps) => deps.settings.timeZone;

async function myClaimsReply(deps: AppDeps, turn: Turn) {
  return myClaimsCard({ ...(await myClaims(deps, turn.caller)), timeZone: tz(deps) });
}

/** `my claims`: private, so from a shared chat it goes 1:1. */
export const onMyClaims: UseCase<string> = async (deps, turn) => [
  toAsker(isShared(turn), await myClaimsReply(deps, turn), 'Your claims', 'my claims', 'Claims are private: I have sent yours to you in our personal chat.'),
];

/** A claim to make (from a meeting) or to answer (from a queried claim). */
export const onClaimOpen: UseCase<Payload<'claim_open'>> = async (deps, turn, data) => {
  let meetingId = data.meetingId;
  if (!meetingId && data.claimId) meetingId = (await viewClaim(deps, turn.caller, data.claimId)).claim.meetingId;
  if (!meetingId) return [answer(await myClaimsReply(deps, turn))];
  const form = await claimForm(deps, turn.caller, meetingId);
  if (form.claim && form.claim.status !== 'queried') return [answer(await myClaimsReply(deps, turn))];
  return [answer(claimFormCard({ meeting: form.meeting, lxpId: turn.caller.id, rates: form.rates, claim: form.claim, timeZone: tz(deps) }))];
};

export const onClaimSubmit: UseCase<Payload<'claim_submit'>> = async (deps, turn, data) => {
  const details = {
    minutes: { meeting: minutesFromHours(data.meetingHours, 'Meeting time'), preparation: minutesFromHours(data.preparationHours, 'Preparation time') },
    expenses: { travel: penceFromPounds(data.travel, 'Travel'), other: penceFromPounds(data.other, 'Other expenses'), carer: penceFromPounds(data.carer, 'Carer costs') },
    note: data.note ?? '',
    paymentDeclined: data.paymentDeclined,
  };
  const r = await submitClaim(deps, turn.caller, { meetingId: data.meetingId, details });
  const card = await myClaimsReply(deps, turn);
  const said = r.alreadySaved ? 'This claim was already sent; it is saved once.' : r.resubmitted ? 'Sent again to the programme team.' : 'Sent to the programme team.';
  return [answer(said), { to: 'here', content: { card } }];
};

const decide = (type: ClaimDecision['type']): UseCase<Payload<'claim_approve'>> => async (deps, turn, data) => {
  const decision = (type === 'approve' ? { type, reason: data.reason } : { type, reason: data.reason ?? '' }) as ClaimDecision;
  const claim = await decideClaim(deps, turn.caller, data.claimId, decision);
  const names = await namesFor(deps, turn.tenantId, [claim.lxpId, claim.decidedBy ?? '']);
  const meeting = await deps.stores.meetings.get(turn.tenantId, claim.meetingId);
  return [answer(claimReviewCard({ claim, names, meeting, timeZone: tz(deps) }))];
};
export const onClaimApprove = decide('approve');
export const onClaimQuery = decide('query');
export const onClaimDecline = decide('decline');

/** Setup: the programme's rates, typed in pounds, and after how many days a waiting claim is raised. */
export const onClaimRatesSave: UseCase<Payload<'claim_rates_save'>> = async (deps, turn, data) => {
  const rates = {
    hourly: { meeting: penceFromPounds(data.meetingRate, 'Meeting rate'), preparation: penceFromPounds(data.preparationRate, 'Preparation rate') },
    fixed: { meeting: penceFromPounds(data.meetingFee, 'Meeting fee'), preparation: penceFromPounds(data.preparationFee, 'Preparation fee') },
  };
  await setClaimPayment(deps, turn.caller, { rates, claimsEscalateAfter: `P${data.waitDays}D`, steppingBackAfter: data.awayWeeks ? `P${data.awayWeeks}W` : undefined });
  return [answer(await programmeSetupCard(deps, turn, false))];
};
