import { buildReport, overdueInReport } from '../commands/reports';
import { listOverdue, nudgeOwner, overdueDetail } from '../commands/overdue';
import { myContributionsEverywhere } from '../commands/my-contributions';
import { exportAttendance, myAttendance } from '../commands/attendance';
import { exportContributions } from '../commands/export';
import { exportClaims } from '../commands/claims';
import { notQuotable } from '../commands/quoting';
import { actorFor } from '../commands/deps';
import { exportOfferCard, reportCard } from '../presenters/report';
import { overdueCard, overdueLines, overdueSummary } from '../presenters/overdue';
import { myContributionsCard } from '../presenters/my-contributions';
import { attendanceCard, attendanceSummary } from '../presenters/attendance';
import type { Payload } from './payloads';
import { answer, say, show, toAsker, type Out, type UploadInfo } from './reply';
import type { AppDeps, UseCase } from './route';
import { isShared, type Turn } from './turn';

export const onReport: UseCase<string> = async (deps, turn, args) => {
  const report = await buildReport(deps, turn.caller, args);
  const inScope = await overdueInReport(deps, turn.caller, report);
  const { shown, names } = await overdueDetail(deps, turn.tenantId, inScope);
  const viewer = { id: turn.caller.id, programme: report.scopeOf.actor.programme };
  const unquoted = await notQuotable(deps, turn.tenantId, shown.map((s) => s.contribution));
  const detailed = reportCard(report, overdueLines(shown, names, viewer, deps.settings.timeZone, unquoted), inScope.length);
  const sent = 'I have sent you the detailed version, with the overdue items and their owners, in our personal chat.';
  return [...(isShared(turn) ? [show(reportCard(report))] : []), toAsker(isShared(turn), detailed, `Report: ${report.scope}`, `report ${args}`.trim(), sent)];
};

export const onOverdue: UseCase<string> = async (deps, turn) => {
  const items = await listOverdue(deps, turn.caller);
  const actor = await actorFor(deps, turn.caller);
  const summary = isShared(turn) ? [say(overdueSummary(items))] : [];
  if (isShared(turn) && !items.length) return summary;
  const { shown, names } = await overdueDetail(deps, turn.tenantId, items);
  const card = overdueCard(items, shown, names, { id: turn.caller.id, programme: actor.programme }, deps.settings.timeZone);
  return [...summary, toAsker(isShared(turn), card, 'Overdue contributions', 'overdue', 'I have sent you the list, with owners, in our personal chat.')];
};

export const onMyContributions: UseCase<string> = async (deps, turn) => {
  const card = myContributionsCard(await myContributionsEverywhere(deps, turn.caller), { id: turn.caller.id, programme: false }, deps.settings.timeZone);
  return [toAsker(isShared(turn), card, 'Your contributions', 'my contributions', 'What was recorded from you is private: I have sent it to you in our personal chat.')];
};

export const onAttendance: UseCase<string> = async (deps, turn, args) => {
  const result = await myAttendance(deps, turn.caller, args);
  const summary = isShared(turn) && result.everyone ? [say(attendanceSummary(result))] : [];
  return [...summary, toAsker(isShared(turn), attendanceCard(result, deps.settings.timeZone), 'Attendance', `attendance ${args}`.trim(), 'I have sent the details, with names, to you in our personal chat.')];
};

/** What travels in the export's consent card and comes back on accept: the filter, not the file, so the file is made from current data. */
export interface ExportContext {
  filter: string;
  requester: string;
}

/** `export attendance <month>` is the attendance file, `export claims <month>` finance's claims file; any other filter, the contributions. */
const exportFile = (deps: AppDeps, caller: Turn['caller'], filter: string) => {
  const attendance = /^attendance\b\s*(.*)$/i.exec(filter.trim());
  const claims = /^claims\b\s*(.*)$/i.exec(filter.trim());
  if (claims) return exportClaims(deps, caller, claims[1]);
  return attendance ? exportAttendance(deps, caller, attendance[1]) : exportContributions(deps, caller, filter);
};

/** Files can only be offered in a personal chat: there the consent card comes at once. */
async function fileOffer(deps: AppDeps, turn: Turn, filter: string): Promise<Out> {
  const file = await exportFile(deps, turn.caller, filter);
  const description = file.filename.includes('-claims-')
    ? `${file.rows} claim${file.rows === 1 ? '' : 's'}: ${file.label}. One line per claim, every status, with amounts and who decided; notes and reasons are not in the file.`
    : file.filename.includes('-attendance-')
    ? `${file.rows} attendance record${file.rows === 1 ? '' : 's'}: ${file.label}. Attendance the chair confirmed is marked as such.`
    : `${file.rows} contribution${file.rows === 1 ? '' : 's'}: ${file.label}. Withdrawn ones are left out; personal stories and anonymous ones stay that way, and words are quoted only where the LXP agreed.`;
  const context: ExportContext = { filter, requester: turn.caller.id };
  return { to: 'here', content: { fileOffer: { filename: file.filename, description, sizeInBytes: Buffer.byteLength(file.csv, 'utf8'), context: { ...context } } } };
}

/** `export`: the consent card in a personal chat; from a shared chat, a button in the 1:1 chat. */
export const onExport: UseCase<string> = async (deps, turn, args) => {
  if (!isShared(turn)) return [await fileOffer(deps, turn, args)];
  const file = await exportFile(deps, turn.caller, args);
  const sent = 'Exports are files, and Teams only sends files in a personal chat: I have sent you a button there.';
  return [toAsker(true, exportOfferCard(file.label, args), 'Your export', `export ${args}`.trim(), sent)];
};

export const onNudgeOwner: UseCase<Payload<'nudge_owner'>> = async (deps, turn, data) => {
  const r = await nudgeOwner(deps, turn.caller, data.contributionId);
  return [answer(r.alreadyNudged ? `${r.ownerName} was already nudged about this today.` : `Done: ${r.ownerName} will get a reminder in Teams.`)];
};

export const onExportFile: UseCase<Payload<'export_file'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer('Files can only be sent in our personal chat. Type export there.')];
  return [await fileOffer(deps, turn, data.filter ?? ''), answer('Choose Allow on the card below and Teams will save the file to your OneDrive.')];
};

/** The export's consent card accepted: made again from the filter, with permission checked again, so the file reflects withdrawals made since. */
export const onExportAccepted: UseCase<{ context: Record<string, unknown>; upload?: UploadInfo }> = async (deps, turn, { context, upload }) => {
  // The consent card was made for one person; a forwarded or replayed one does nothing for anyone else.
  if (context.requester !== turn.caller.id) return [say('This file was prepared for someone else. Type export to make your own.')];
  const file = await exportFile(deps, turn.caller, typeof context.filter === 'string' ? context.filter : '');
  return [{ to: 'here', content: { upload: { info: upload, body: Buffer.from(file.csv, 'utf8'), retry: 'Type export to try again.' } } }];
};

export const onExportDeclined: UseCase<unknown> = async () => [say('No file was saved. Type export whenever you want one.')];
