import { command, event, verb, type CommandRoute, type Route } from './route';
import { answer } from './reply';
import * as meeting from './meeting';
import * as meetingEnd from './meeting-end';
import * as setup from './setup';
import * as reports from './reports';
import * as privacy from './privacy';
import * as outcomes from './outcomes';
import * as suggestions from './suggestions';
import * as claims from './claims';
import * as proposals from './proposals';
import * as closing from './close-programme';
import * as priorities from './priorities';
import * as impact from './impact';
import * as involvement from './involvement';

/**
 * Every route, in one place, in the order they are tried: work done on every
 * turn, then card verbs, events and file answers, then typed commands, then
 * the catch-alls. The card test, the manifest test and `help` read this
 * table; src/teams/adapter.ts registers it on the Teams framework.
 */
export const ROUTES: readonly Route[] = [
  { on: 'every turn', name: 'retention sweep', run: privacy.sweepOncePerDay },

  event('installed', meeting.onInstalled),
  event('meetingStart', meeting.onMeetingStart),
  event('meetingEnd', meeting.onMeetingEnd),
  event('participantJoin', meeting.onParticipantJoin),
  event('participantLeave', meeting.onParticipantLeave),

  verb('meeting_link', meeting.onMeetingLink),
  verb('aim_state', meeting.onAimState),
  verb('log_open', meeting.onLogOpen),
  verb('log_save', meeting.onLogSave),
  verb('suggestions_save', suggestions.onSuggestionsSave),
  verb('meeting_end', meetingEnd.onEndMeeting),
  verb('attendance_confirm', meetingEnd.onAttendanceConfirm),
  verb('attendance_flag', meetingEnd.onAttendanceFlag),
  verb('minutes_confirm', meeting.onMinutesConfirm),
  verb('carry_open', meeting.onCarryOpen),
  verb('carry_forward', meeting.onCarryForward),
  verb('check_confirm', meeting.onCheck('confirm')),
  verb('check_anonymise', meeting.onCheck('anonymise')),
  verb('check_withdraw', meeting.onCheck('withdraw')),
  verb('check_name', meeting.onCheck('name')),
  verb('check_restrict', meeting.onCheck('restrict')),
  verb('check_show', meeting.onCheck('lift_restriction')),
  verb('check_correct', meeting.onCheck('correct')),

  verb('programme_claim', setup.onProgrammeClaim),
  verb('programme_choose', setup.onProgrammeChoose),
  verb('programme_member_add', setup.onProgrammeMemberAdd),
  verb('programme_member_remove', setup.onProgrammeMemberRemove),
  verb('programme_lead_handover', setup.onLeadHandover),
  verb('workstream_edit', setup.onWorkstreamEdit),
  verb('workstream_save', setup.onWorkstreamSave),
  verb('priority_area_add', setup.onPriorityAreaAdd),
  verb('priority_area_remove', setup.onPriorityAreaRemove),
  verb('preferences_save', setup.onPreferencesSave),
  verb('transcripts_switch', setup.onTranscriptsSwitch),
  verb('claim_rates_save', claims.onClaimRatesSave),

  verb('lift_restriction', privacy.onLiftRestriction),
  verb('forget_me_confirm', privacy.onForgetMeConfirm),
  // Our my data consent cards first: the export's answers take the rest.
  { on: 'file', answer: 'accept', kind: privacy.MY_DATA_FILE, run: privacy.onMyDataAccepted },
  { on: 'file', answer: 'decline', kind: privacy.MY_DATA_FILE, run: privacy.onMyDataDeclined },
  // Issue 18: closing a programme (its lead): the confirmation, then the file of everything, then the erasing.
  verb('programme_close_open', closing.onCloseProgrammeOpen),
  verb('programme_close', closing.onCloseProgrammeConfirm),
  { on: 'file', answer: 'accept', kind: closing.PROGRAMME_CLOSE_FILE, run: closing.onCloseFileAccepted },
  { on: 'file', answer: 'decline', kind: closing.PROGRAMME_CLOSE_FILE, run: closing.onCloseFileDeclined },
  { on: 'file', answer: 'accept', kind: impact.IMPACT_FILE, run: impact.onImpactFileAccepted },
  { on: 'file', answer: 'decline', kind: impact.IMPACT_FILE, run: impact.onImpactFileDeclined },

  verb('nudge_owner', reports.onNudgeOwner),
  verb('export_file', reports.onExportFile),
  { on: 'file', answer: 'accept', run: reports.onExportAccepted },
  { on: 'file', answer: 'decline', run: reports.onExportDeclined },

  verb('outcome_record', outcomes.onOutcomeRecord),
  verb('feedback_answer', outcomes.onFeedbackAnswer),
  verb('answer_reply', outcomes.onAnswerReply),

  verb('claim_open', claims.onClaimOpen),
  verb('claim_submit', claims.onClaimSubmit),
  verb('claim_approve', claims.onClaimApprove),
  verb('claim_query', claims.onClaimQuery),
  verb('claim_decline', claims.onClaimDecline),
  verb('proposal_open', proposals.onProposalOpen),
  verb('proposal_submit', proposals.onProposalSubmit),
  verb('proposal_accept', proposals.onProposalAccept),
  verb('proposal_decline', proposals.onProposalDecline),
  verb('agenda_propose', proposals.onAgendaPropose),
  verb('agenda_take', proposals.onAgendaTake),
  verb('proposal_withdraw', proposals.onProposalWithdraw),

  verb('programme_priority_propose', priorities.onPriorityPropose),
  verb('programme_priority_confirm', priorities.onPriorityConfirm),
  verb('programme_priority_decline', priorities.onPriorityDecline),
  verb('programme_priority_retire', priorities.onPriorityRetire),
  verb('programme_priority_link', priorities.onPriorityLink),
  verb('about_me_open', priorities.onAboutMeOpen),
  verb('equality_save', priorities.onEqualitySave),
  verb('equality_delete', priorities.onEqualityDelete),
  verb('impact_show', impact.onImpactShow),
  verb('impact_file', impact.onImpactFile),
  verb('involvement_pause', involvement.onPauseSave),
  verb('involvement_resume', involvement.onResumePressed),

  // Issue 16: a card action no verb above takes still gets a clear answer, never an empty 501.
  { on: 'unknown card action', run: async () => [answer('Golden Thread could not read that card. Open a fresh one (type help to see what you can do) and try again.')] },

  command('help', setup.onHelp),
  command('setup', setup.onSetup),
  command('preferences', setup.onPreferences),
  command('link', meeting.onLink),
  command('log', meeting.onLog),
  command('end meeting', meetingEnd.onEndMeetingTyped),
  command('report', reports.onReport, { action: 'report', param: 'filter' }),
  command('overdue', reports.onOverdue, { action: 'overdue' }),
  command('my contributions', reports.onMyContributions, { action: 'my_contributions' }),
  command('my claims', claims.onMyClaims),
  command('add to the record', proposals.onAddToRecord),
  command('propose agenda item', proposals.onProposeAgendaTyped),
  command('my impact', impact.onMyImpact),
  command('pause', involvement.onPause),
  command('resume', involvement.onResume),
  command('attendance', reports.onAttendance, { action: 'attendance', param: 'month' }),
  command('export', reports.onExport),
  command('my data', privacy.onMyData),
  command('forget me', privacy.onForgetMe),
  command('audit', privacy.onAudit),
  command('close programme', closing.onCloseProgramme),
  command('priorities', priorities.onPriorities),
  command('about me', priorities.onAboutMe),

  { on: 'fallback', run: setup.onUnrecognised },
];

/** Typed commands, in the order they are matched. */
export const COMMANDS: ReadonlyArray<readonly [RegExp, CommandRoute['run']]> = ROUTES.filter((r): r is CommandRoute => r.on === 'command').map((r) => [r.pattern, r.run] as const);
