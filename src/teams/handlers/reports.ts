import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotContext } from '../bot-context';
import { answering, onExecute } from '../execute';
import { sendCard } from '../reply';
import { toTurnRef, type TurnRef } from '../to-domain';
import { fileConsentAttachment, sendFileInfo, uploadToConsent, UploadError, type ExportContext } from '../file-consent';
import { buildReport, overdueInReport } from '../../commands/reports';
import { listOverdue, nudgeOwner, overdueDetail } from '../../commands/overdue';
import { myContributions } from '../../commands/my-contributions';
import { attendance } from '../../commands/attendance';
import { exportContributions } from '../../commands/export';
import { actorFor } from '../../commands/deps';
import type { CardJson } from '../../presenters/render-card';
import { exportOfferCard, reportCard } from '../../presenters/report';
import { overdueCard, overdueLines, overdueSummary } from '../../presenters/overdue';
import { myContributionsCard } from '../../presenters/my-contributions';
import { attendanceCard, attendanceSummary } from '../../presenters/attendance';

const shared = (turn: TurnRef) => turn.conversationType !== 'personal';

/**
 * The detailed version goes to the person who asked, in their 1:1 chat. From
 * a shared chat that is a proactive send; if Teams cannot reach them, the
 * chat is told how to get it, without the details.
 */
async function toAsker(bot: BotContext, context: TurnContext, turn: TurnRef, card: CardJson, summary: string, retry: string, sent: string): Promise<void> {
  if (!shared(turn)) {
    await sendCard(context, card);
    return;
  }
  try {
    if (!bot.deps.sender) throw new Error('no sender');
    await bot.deps.sender.send(turn.tenantId, { kind: 'person', personId: turn.caller.id }, { card, summary });
    await context.sendActivity(sent);
  } catch (err) {
    bot.logger.info({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not send the detail 1:1');
    await context.sendActivity(`I couldn't write to you privately. Open a chat with me (Golden Thread) and type "${retry}" there.`);
  }
}

export async function onReport(bot: BotContext, context: TurnContext, args: string): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const report = await buildReport(bot.deps, turn.caller, args);
    const inScope = await overdueInReport(bot.deps, turn.caller, report);
    const { shown, names } = await overdueDetail(bot.deps, turn.tenantId, inScope);
    const viewer = { id: turn.caller.id, programme: report.scopeOf.actor.programme };
    const detailed = reportCard(report, overdueLines(shown, names, viewer, bot.config.timeZone), inScope.length);
    if (shared(turn)) await sendCard(context, reportCard(report));
    await toAsker(bot, context, turn, detailed, `Report: ${report.scope}`, `report ${args}`.trim(), 'I have sent you the detailed version, with the overdue items and their owners, in our personal chat.');
  });
}

export async function onOverdue(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const items = await listOverdue(bot.deps, turn.caller);
    const actor = await actorFor(bot.deps, turn.caller);
    if (shared(turn)) await context.sendActivity(overdueSummary(items));
    if (shared(turn) && !items.length) return;
    const { shown, names } = await overdueDetail(bot.deps, turn.tenantId, items);
    await toAsker(bot, context, turn, overdueCard(items, shown, names, { id: turn.caller.id, programme: actor.programme }, bot.config.timeZone), 'Overdue contributions', 'overdue', 'I have sent you the list, with owners, in our personal chat.');
  });
}

export async function onMyContributions(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const mine = await myContributions(bot.deps, turn.caller);
    await toAsker(bot, context, turn, myContributionsCard(mine, { id: turn.caller.id, programme: false }, bot.config.timeZone), 'Your contributions', 'my contributions', 'What was recorded from you is private: I have sent it to you in our personal chat.');
  });
}

export async function onAttendance(bot: BotContext, context: TurnContext, args: string): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const result = await attendance(bot.deps, turn.caller, args);
    if (shared(turn) && result.everyone) await context.sendActivity(attendanceSummary(result));
    await toAsker(bot, context, turn, attendanceCard(result), 'Attendance', `attendance ${args}`.trim(), 'I have sent the details, with names, to you in our personal chat.');
  });
}

/** Files can only be offered in a personal chat: there the consent card comes at once; from a shared chat, a button in the 1:1 chat. */
async function offerFile(bot: BotContext, context: TurnContext, turn: TurnRef, filter: string): Promise<void> {
  const file = await exportContributions(bot.deps, turn.caller, filter);
  const description = `${file.rows} contribution${file.rows === 1 ? '' : 's'}: ${file.label}. Withdrawn ones are left out; personal stories and anonymous ones stay that way.`;
  const consent: ExportContext = { filter, requester: turn.caller.id };
  await context.sendActivity({ attachments: [fileConsentAttachment(file.filename, description, Buffer.byteLength(file.csv, 'utf8'), consent)] });
}

export async function onExport(bot: BotContext, context: TurnContext, args: string): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    if (!shared(turn)) return offerFile(bot, context, turn, args);
    const file = await exportContributions(bot.deps, turn.caller, args);
    await toAsker(bot, context, turn, exportOfferCard(file.label, args), 'Your export', `export ${args}`.trim(), 'Exports are files, and Teams only sends files in a personal chat: I have sent you a button there.');
  });
}

export function registerReports(app: Application<TurnState>, bot: BotContext): void {
  onExecute(app, bot, 'nudge_owner', async (_ctx, turn, data) => {
    const r = await nudgeOwner(bot.deps, turn.caller, data.contributionId);
    return r.alreadyNudged ? `${r.ownerName} was already nudged about this today.` : `Done: ${r.ownerName} will get a reminder in Teams.`;
  });

  onExecute(app, bot, 'export_file', async (context, turn, data) => {
    if (shared(turn)) return 'Files can only be sent in our personal chat. Type export there.';
    await offerFile(bot, context, turn, data.filter ?? '');
    return 'Choose Allow on the card below and Teams will save the file to your OneDrive.';
  });

  app.fileConsentAccept(async (context, _state, response) => {
    const turn = toTurnRef(context);
    const ctx = (response.context ?? {}) as Partial<ExportContext>;
    await answering(context, async () => {
      // The consent card was made for one person; a forwarded or replayed one does nothing for anyone else.
      if (ctx.requester !== turn.caller.id) {
        await context.sendActivity('This file was prepared for someone else. Type export to make your own.');
        return;
      }
      // Made again from the filter, with permission checked again, so the file reflects withdrawals made since the card was sent.
      const file = await exportContributions(bot.deps, turn.caller, ctx.filter ?? '');
      try {
        await uploadToConsent(response.uploadInfo, Buffer.from(file.csv, 'utf8'), { requireHttps: !!bot.config.bot });
      } catch (err) {
        bot.logger.warn({ err: { message: (err as Error).message } }, 'export upload failed');
        await context.sendActivity(err instanceof UploadError ? `${err.message} Type export to try again.` : 'The file could not be saved to your OneDrive. Type export to try again.');
        return;
      }
      await sendFileInfo(context, response.uploadInfo!);
    });
  });

  app.fileConsentDecline(async (context) => {
    await context.sendActivity('No file was saved. Type export whenever you want one.');
  });
}
