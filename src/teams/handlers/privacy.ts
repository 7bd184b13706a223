import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotContext } from '../bot-context';
import { answering, onExecute } from '../execute';
import { sendCard } from '../reply';
import { toTurnRef, type TurnRef } from '../to-domain';
import { fileConsentAttachment, sendFileInfo, uploadToConsent, UploadError } from '../file-consent';
import { forgetKnownRefs } from '../conversation-refs';
import { collectMyData, myDataJson } from '../../commands/my-data';
import { forgetMe } from '../../commands/forget-me';
import { liftRestriction } from '../../commands/restriction';
import { contributionAudit } from '../../commands/contribution-audit';
import { localDate } from '../../domain/follow-up';
import { ensureRetentionSweep } from '../../jobs/retention';
import { contributionAuditCard, forgetMeCard, myDataCard } from '../../presenters/privacy';
import { noticeCard } from '../../presenters/setup';

/** Marks our consent cards, so our accept route takes them and the export's route takes the rest. */
const MY_DATA_FILE = 'my_data';
const FILE_OFFERED = 'The full record is also a JSON file: choose Allow on the card below and Teams saves it to your OneDrive.';

const personalOnly = (turn: TurnRef) => turn.conversationType === 'personal';

async function offerMyDataFile(bot: BotContext, context: TurnContext, turn: TurnRef, size: number): Promise<void> {
  const filename = `golden-thread-my-data-${localDate(bot.deps.clock.now(), bot.config.timeZone)}.json`;
  // Only the requester travels in the card; the file is made again on accept, from what is held then.
  const consent = { kind: MY_DATA_FILE, filter: '', requester: turn.caller.id };
  await context.sendActivity({ attachments: [fileConsentAttachment(filename, 'Everything Golden Thread holds about you, as JSON.', size, consent)] });
}

/** `my data`: the card, then the file offer, both in the personal chat only. */
export async function onMyData(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    if (!personalOnly(turn)) {
      await context.sendActivity('What Golden Thread holds about you is private: type my data in our personal chat with me (Golden Thread).');
      return;
    }
    const data = await collectMyData(bot.deps, turn.caller);
    await sendCard(context, myDataCard(data, { timeZone: bot.config.timeZone, file: FILE_OFFERED }));
    await offerMyDataFile(bot, context, turn, Buffer.byteLength(myDataJson(data), 'utf8'));
  });
}

export async function onForgetMe(bot: BotContext, context: TurnContext): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    if (!personalOnly(turn)) {
      await context.sendActivity('For your privacy, type forget me in our personal chat with me (Golden Thread). Nothing has been erased.');
      return;
    }
    await sendCard(context, forgetMeCard(await collectMyData(bot.deps, turn.caller), turn.caller.id));
  });
}

export async function onAudit(bot: BotContext, context: TurnContext, args: string): Promise<void> {
  const turn = toTurnRef(context);
  await answering(context, async () => {
    const history = await contributionAudit(bot.deps, turn.caller, args);
    if (!personalOnly(turn)) {
      await context.sendActivity('The history of a contribution is for the programme team: type audit and its id in our personal chat with me.');
      return;
    }
    await sendCard(context, contributionAuditCard(history, bot.config.timeZone));
  });
}

const isMyDataConsent = (action: 'accept' | 'decline') => async (context: TurnContext) =>
  context.activity.type === ActivityTypes.Invoke &&
  context.activity.name === 'fileConsent/invoke' &&
  context.activity.value?.action === action &&
  context.activity.value?.context?.kind === MY_DATA_FILE;

const today = new Map<string, string>();

/** Starts each tenant's daily retention sweep the first time it is seen each day; the job then keeps itself going. */
async function sweepOncePerDay(bot: BotContext, context: TurnContext): Promise<void> {
  const tenantId = toTurnRef(context).tenantId;
  const day = bot.deps.clock.now().toISOString().slice(0, 10);
  if (!tenantId || today.get(tenantId) === day) return;
  try {
    await ensureRetentionSweep(bot.deps, tenantId);
    today.set(tenantId, day);
  } catch (err) {
    bot.logger.warn({ tenantId, err: { message: (err as Error).message } }, 'could not schedule the retention sweep; will try on the next turn');
  }
}

/** Registered before the reports' routes: the file consent routes here must see our consent cards first. */
export function registerPrivacy(app: Application<TurnState>, bot: BotContext): void {
  app.turn('beforeTurn', async (context) => {
    await sweepOncePerDay(bot, context);
    return true;
  });

  onExecute(app, bot, 'lift_restriction', async (_ctx, turn, data) => {
    await liftRestriction(bot.deps, turn.caller, data.contributionId);
    const notice = 'Done: that story is now shown like your other contributions.';
    // A card acted on in a shared chat is replaced for everyone: never put someone's own data there.
    if (!personalOnly(turn)) return notice;
    const mine = await collectMyData(bot.deps, turn.caller);
    return myDataCard(mine, { timeZone: bot.config.timeZone, file: 'Type my data for the full record as a file.', notice });
  });

  onExecute(app, bot, 'forget_me_confirm', async (_ctx, turn, data) => {
    if (!personalOnly(turn)) return 'Forget me only works in our personal chat. Nothing has been erased.';
    const counts = await forgetMe(bot.deps, turn.caller, data.personId);
    bot.logger.info({ tenantId: turn.tenantId, ...counts }, 'a person asked to be forgotten; records rewritten');
    // The bot remembered that it had saved this person and chat; if they write again, a new record is started.
    forgetKnownRefs();
    return noticeCard('Golden Thread has forgotten you', 'Your words are erased and your name is gone from every record. Reports still count what you contributed, without your name. The programme team has been told that someone asked to be forgotten, not who. Thank you for what you shared.');
  });

  app.addRoute(isMyDataConsent('accept'), async (context) => {
    const turn = toTurnRef(context);
    const value = context.activity.value as { context?: { requester?: string }; uploadInfo?: Parameters<typeof uploadToConsent>[0] };
    await answering(context, async () => {
      if (value.context?.requester !== turn.caller.id) {
        await context.sendActivity('This file was prepared for someone else. Type my data to get your own.');
        return;
      }
      const body = Buffer.from(myDataJson(await collectMyData(bot.deps, turn.caller)), 'utf8');
      try {
        await uploadToConsent(value.uploadInfo, body, { requireHttps: !!bot.config.bot });
      } catch (err) {
        bot.logger.warn({ err: { message: (err as Error).message } }, 'my data upload failed');
        await context.sendActivity(err instanceof UploadError ? `${err.message} Type my data to try again.` : 'The file could not be saved to your OneDrive. Type my data to try again.');
        return;
      }
      await sendFileInfo(context, value.uploadInfo!);
    });
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
  }, true);

  app.addRoute(isMyDataConsent('decline'), async (context) => {
    await context.sendActivity('No file was saved. Type my data whenever you want it.');
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
  }, true);
}
