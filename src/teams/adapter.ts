import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { DomainError } from '../domain/errors';
import { parseEvent, type EventName } from '../app/events';
import { parsePayload, PayloadError } from '../app/payloads';
import type { Content, Out, Reply } from '../app/reply';
import type { AppDeps, CommandRoute, FileAnswer, Route } from '../app/route';
import { chooseFirst, scopeTurn, stampReply } from '../app/programme-scope';
import type { Turn } from '../app/turn';
import { rememberPosted } from '../app/shown';
import type { BotParts } from './bot-context';
import { fileConsentAttachment, sendFileInfo, uploadToConsent, UploadError } from './file-consent';
import { registerQuestionActions } from './questions';
import { replaceCard, sendCard } from './reply';
import { commandText, turnOf } from './to-domain';

/*
 * The one place that knows how teams-ai 1.x routes: it registers the route
 * table (src/app/routes.ts) on the Application in order and turns each Reply
 * into sends, updates and invoke responses. A move to the Teams SDK v2 is a
 * new file like this one.
 */

/** A message for the person who caused a problem; never a stack trace. */
export function messageFor(err: unknown): string | undefined {
  if (err instanceof DomainError || err instanceof PayloadError) return err.message;
  return undefined;
}

const ACTION_INVOKE = 'adaptiveCard/action';
const FILE_INVOKE = 'fileConsent/invoke';

const EVENT_SELECTORS: Record<EventName, (a: Activity) => boolean> = {
  installed: (a) => a.type === ActivityTypes.InstallationUpdate && (a.action === 'add' || a.action === 'add-upgrade'),
  meetingStart: (a) => a.type === ActivityTypes.Event && a.name === 'application/vnd.microsoft.meetingStart',
  meetingEnd: (a) => a.type === ActivityTypes.Event && a.name === 'application/vnd.microsoft.meetingEnd',
  // teams-ai 1.7's participantsJoin/Leave listen for a plural event name Teams never sends.
  participantJoin: (a) => a.type === ActivityTypes.Event && a.name === 'application/vnd.microsoft.meetingParticipantJoin',
  participantLeave: (a) => a.type === ActivityTypes.Event && a.name === 'application/vnd.microsoft.meetingParticipantLeave',
};

const SCOPED = Symbol('golden-thread programme');

/**
 * The turn and the deps of the programme it runs in, worked out once per activity (src/app/programme-scope.ts):
 * every route of the turn, and the conversation reference saved before them, see the same programme.
 */
export async function scopedTurn(bot: BotParts, context: TurnContext): Promise<{ turn: Turn; deps: AppDeps }> {
  let found = context.turnState.get<{ turn: Turn; deps: AppDeps }>(SCOPED);
  if (!found) {
    const turn = turnOf(context, bot.logger);
    const data = (context.activity.value as { action?: { data?: { programmeId?: unknown } } } | undefined)?.action?.data;
    const scope = await scopeTurn(bot.deps, turn, typeof data?.programmeId === 'string' ? data.programmeId : undefined);
    turn.scope = scope.kind === 'programme' ? { programmeId: scope.programmeId } : scope.kind === 'choose' ? { choices: scope.programmes } : {};
    found = { turn, deps: scope.deps };
    context.turnState.set(SCOPED, found);
  }
  return found;
}

/** Posts one thing; returns the id Teams gave a card, so a card that shows contributions can be updated later. */
async function post(bot: BotParts, context: TurnContext, content: Content): Promise<string | undefined> {
  if ('text' in content) await context.sendActivity(content.text);
  else if ('card' in content) return sendCard(context, content.card);
  else if ('fileOffer' in content) await context.sendActivity({ attachments: [fileConsentAttachment(content.fileOffer)] });
  else {
    const { info, body, retry, then } = content.upload;
    try {
      await uploadToConsent(info, body, { requireHttps: !!bot.config.bot });
    } catch (err) {
      bot.logger.warn({ err: { message: (err as Error).message } }, 'file upload failed');
      await context.sendActivity(err instanceof UploadError ? `${err.message} ${retry}` : `The file could not be saved to your OneDrive. ${retry}`);
      return;
    }
    await sendFileInfo(context, info!);
    const after = await then?.();
    if (after) await context.sendActivity(after);
  }
}

async function sendPrivately(bot: BotParts, context: TurnContext, turn: Turn, out: Extract<Out, { to: 'private' }>): Promise<void> {
  try {
    await bot.sender.send(turn.tenantId, { kind: 'person', personId: turn.caller.id }, { card: out.card, summary: out.summary });
  } catch (err) {
    bot.logger.info({ conversationId: turn.conversationId, err: { message: (err as Error).message } }, 'could not send the detail 1:1');
    await context.sendActivity(out.failed);
    return;
  }
  await context.sendActivity(out.sent);
}

/** Does what the reply says, in order; returns the answer for the card pressed, if any (outside a card action, it is posted). */
async function deliver(bot: BotParts, deps: AppDeps, context: TurnContext, turn: Turn, reply: Reply, pressed: boolean): Promise<string | AdaptiveCard | undefined> {
  let result: string | AdaptiveCard | undefined;
  for (const out of stampReply(reply, turn.scope?.programmeId)) {
    if (out.to === 'private') await sendPrivately(bot, context, turn, out);
    else if (out.to === 'here' || !pressed) {
      const id = await post(bot, context, out.content);
      if (out.shows) await rememberPosted(deps, turn, out.shows, id);
    } else {
      result = 'text' in out.content ? out.content.text : (out.content.card as AdaptiveCard);
      // The card pressed is replaced in place (see onVerb), so it keeps its id: the message the button was on.
      if (out.shows) await rememberPosted(deps, turn, out.shows, turn.replyToId);
    }
  }
  return result;
}

/** Runs a route outside a card action: a known problem is answered in plain words. */
async function runAndPost(bot: BotParts, context: TurnContext, name: string, run: (deps: AppDeps, turn: Turn) => Promise<Reply>): Promise<void> {
  const { turn, deps } = await scopedTurn(bot, context);
  try {
    await deliver(bot, deps, context, turn, chooseFirst(turn, name) ?? (await run(deps, turn)), false);
  } catch (err) {
    const message = messageFor(err);
    if (!message) throw err;
    await context.sendActivity(message);
  }
}

/** The invoke response teams-ai would give for a string returned from actionExecute. */
async function answerInvoke(context: TurnContext, message: string): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message } } });
}

/**
 * A card action: payload checked first, then the use case; known problems
 * become a short message and change nothing. A card answer replaces the one
 * acted on, for everyone in a shared chat, without `refresh` (which would
 * make teams-ai update the message every time).
 */
function onVerb(app: Application<TurnState>, bot: BotParts, route: Extract<Route, { on: 'verb' }>): void {
  app.adaptiveCards.actionExecute(route.verb, async (context, _state, raw) => {
    const { turn, deps } = await scopedTurn(bot, context);
    try {
      const data = parsePayload(route.verb, raw);
      const reply = chooseFirst(turn, route.verb) ?? (await route.run(deps, turn, data as never));
      const result = (await deliver(bot, deps, context, turn, reply, true)) ?? 'Done.';
      if (typeof result !== 'string' && turn.conversationType !== 'personal') await replaceCard(context, result);
      return result;
    } catch (err) {
      const message = messageFor(err);
      if (!message) throw err;
      bot.logger.info({ verb: route.verb, activityId: turn.activityId, conversationId: turn.conversationId, code: err instanceof DomainError ? err.code : 'invalid_payload' }, 'card action refused');
      return message;
    }
  });
}

function onUnknownAction(app: Application<TurnState>, bot: BotParts, route: Extract<Route, { on: 'unknown card action' }>): void {
  const selector = async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && context.activity.name === ACTION_INVOKE;
  app.addRoute(selector, async (context) => {
    const { turn, deps } = await scopedTurn(bot, context);
    bot.logger.info({ activityId: turn.activityId, conversationId: turn.conversationId }, 'card action not understood');
    const result = await deliver(bot, deps, context, turn, await route.run(deps, turn), true);
    await answerInvoke(context, typeof result === 'string' ? result : 'Golden Thread could not read that card.');
  }, true);
}

function onFile(app: Application<TurnState>, bot: BotParts, route: Extract<Route, { on: 'file' }>): void {
  const selector = async (context: TurnContext) => {
    const a = context.activity;
    return a.type === ActivityTypes.Invoke && a.name === FILE_INVOKE && a.value?.action === route.answer && (route.kind === undefined || a.value?.context?.kind === route.kind);
  };
  app.addRoute(selector, async (context) => {
    const value = (context.activity.value ?? {}) as { context?: Record<string, unknown>; uploadInfo?: FileAnswer['upload'] };
    await runAndPost(bot, context, `file ${route.kind ?? ''}`, (deps, turn) => route.run(deps, turn, { context: value.context ?? {}, upload: value.uploadInfo }));
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
  }, true);
}

function onEvent(app: Application<TurnState>, bot: BotParts, route: Extract<Route, { on: 'event' }>): void {
  app.activity(async (context) => EVENT_SELECTORS[route.event](context.activity), async (context) => {
    const input = parseEvent(route.event, context.activity.value);
    if (input === undefined) {
      bot.logger.warn({ activityId: context.activity.id, event: route.event }, 'event value not understood; ignored');
      return;
    }
    await runAndPost(bot, context, route.event, (deps, turn) => route.run(deps, turn, input as never));
  });
}

/** Runs a typed command's use case; plain-English questions call this too, so the same permission checks apply. */
export const runCommand = (bot: BotParts, context: TurnContext, route: CommandRoute, args: string) => runAndPost(bot, context, route.command, (deps, turn) => route.run(deps, turn, args));

function onMessages(app: Application<TurnState>, bot: BotParts, commands: CommandRoute[], fallback: Extract<Route, { on: 'fallback' }> | undefined): void {
  app.activity(ActivityTypes.Message, async (context, state) => {
    const text = commandText(context);
    for (const route of commands) {
      const m = route.pattern.exec(text);
      if (m) return runCommand(bot, context, route, text.slice(m[0].length).trim());
    }
    if (bot.deps.questions && text) {
      // A plain-English question: the planner answers through the same use cases, and so the same permission checks.
      state.temp.input = text;
      await app.ai.run(context, state);
      return;
    }
    if (fallback) await runAndPost(bot, context, 'fallback', (deps, turn) => fallback.run(deps, turn, text));
  });
}

/** Registers the table on the Application, in order. */
export function registerRoutes(app: Application<TurnState>, bot: BotParts, routes: readonly Route[]): void {
  const commands = routes.filter((r): r is CommandRoute => r.on === 'command');
  for (const route of routes) {
    if (route.on === 'every turn') {
      app.turn('beforeTurn', async (context) => {
        const { turn, deps } = await scopedTurn(bot, context);
        await route.run(deps, turn);
        return true;
      });
    } else if (route.on === 'verb') onVerb(app, bot, route);
    else if (route.on === 'unknown card action') onUnknownAction(app, bot, route);
    else if (route.on === 'file') onFile(app, bot, route);
    else if (route.on === 'event') onEvent(app, bot, route);
    else if (route.on === 'fallback') onMessages(app, bot, commands, route);
  }
  if (bot.deps.questions) registerQuestionActions(app, commands, (context, route, args) => runCommand(bot, context, route, args));
}
