import type { Deps } from '../commands/deps';
import type { Logger } from '../logger';
import type { EventInput, EventName } from './events';
import type { Payload, Verb } from './payloads';
import type { Reply } from './reply';
import type { Turn } from './turn';

/** What use cases need beyond the commands' Deps; complete when built (app-factory.ts). */
export interface AppDeps extends Deps {
  logger: Logger;
  /** Plain-English questions are answered (an Azure OpenAI deployment, or a scripted model in tests). */
  questions: boolean;
}

/** One thing a person can do, as plain code: what they asked in, what they should see out. */
export type UseCase<I> = (deps: AppDeps, turn: Turn, input: I) => Promise<Reply>;

/** A file consent card came back: `context` is what the offer carried; `upload` is where Teams said to put the file. */
export interface FileAnswer {
  context: Record<string, unknown>;
  upload?: import('./reply').UploadInfo;
}

export type Route =
  /** Runs before the routes below on every turn from a known tenant; its reply is ignored. */
  | { on: 'every turn'; name: string; run: UseCase<void> }
  /** An Action.Execute button: the payload is checked against PAYLOADS[verb] first. */
  | { on: 'verb'; verb: Verb; run: UseCase<never> }
  | { on: 'event'; event: EventName; run: UseCase<never> }
  /** A file consent card answered; `kind` matches the offer's context.kind, none takes the rest. */
  | { on: 'file'; answer: 'accept' | 'decline'; kind?: string; run: UseCase<FileAnswer> }
  /** A card action no route above takes (no verb, an unknown verb, no value at all). */
  | { on: 'unknown card action'; run: UseCase<void> }
  /** A typed command, matched in order on the text after the bot's mention; the input is the rest of the text. */
  | { on: 'command'; command: string; pattern: RegExp; run: UseCase<string>; question?: { action: string; param?: string } }
  /** Text that no command took. */
  | { on: 'fallback'; run: UseCase<string> };

export type CommandRoute = Extract<Route, { on: 'command' }>;

export const verb = <V extends Verb>(v: V, run: UseCase<Payload<V>>): Route => ({ on: 'verb', verb: v, run: run as UseCase<never> });
export const event = <E extends EventName>(e: E, run: UseCase<EventInput<E>>): Route => ({ on: 'event', event: e, run: run as UseCase<never> });
/** `command('my data', run)` matches "my data" at the start of the text (spaces already single), in any case. */
export const command = (name: string, run: UseCase<string>, question?: CommandRoute['question']): Route => ({
  on: 'command',
  command: name,
  pattern: new RegExp(`^${name}\\b`, 'i'),
  run,
  question,
});
