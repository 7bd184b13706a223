import type { JobHandlers } from './job-handler';
import { notifyHandler } from './notify';
import { onboardHandler } from './onboard';
import { lxpCheckHandler } from './lxp-check';
import { askOwnerHandler, remindOwnerHandler } from './ask-owner';
import { escalateHandler, overdueNoticeHandler } from './escalate';
import { feedBackHandler } from './feed-back';
import { digestHandler } from './digest';
import { answerNoticeHandler, answerReplyHandler } from './answer-notice';
import { retentionHandler } from './retention';
import { refreshMessageHandler } from './refresh-message';
import { closeMeetingHandler } from './close-meeting';
import { postMinutesHandler } from './post-minutes';
import { meetingClosedHandler } from './meeting-closed';
import { transcriptSuggestionsHandler } from './transcript-suggestions';
import { claimEscalateHandler, claimNoticeHandler } from './claims';
import { agendaCarryHandler, proposalNoticeHandler } from './proposals';
import { closeProgrammeHandler } from './close-programme';
import { steppingBackHandler, steppingBackNoticeHandler } from './stepping-back';

/** Every job kind the scheduler can run. Add a kind here, next to its handler's import. */
export function jobHandlers(): JobHandlers {
  return {
    notify: notifyHandler,
    onboard: onboardHandler,
    lxp_check: lxpCheckHandler,
    ask_owner: askOwnerHandler,
    remind_owner: remindOwnerHandler,
    escalate: escalateHandler,
    overdue_notice: overdueNoticeHandler,
    feed_back: feedBackHandler,
    digest: digestHandler,
    answer_notice: answerNoticeHandler,
    retention: retentionHandler,
    refresh_message: refreshMessageHandler,
    close_meeting: closeMeetingHandler,
    post_minutes: postMinutesHandler,
    meeting_closed: meetingClosedHandler,
    transcript_suggestions: transcriptSuggestionsHandler,
    claim_escalate: claimEscalateHandler,
    claim_notice: claimNoticeHandler,
    proposal_notice: proposalNoticeHandler,
    agenda_carry: agendaCarryHandler,
    close_programme: closeProgrammeHandler,
    answer_reply: answerReplyHandler,
    stepping_back: steppingBackHandler,
    stepping_back_notice: steppingBackNoticeHandler,
  };
}
