import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AppDeps } from '../app/route';
import type { Sender } from '../domain/ports';

/** What the HTTP edge needs (createAdapter). */
export interface BotContext {
  config: Config;
  logger: Logger;
}

/** What the Teams layer needs to answer turns; built once, complete, in app-factory.ts. */
export interface BotParts extends BotContext {
  deps: AppDeps;
  /** Sends the 1:1 messages a reply asks for (`private`). */
  sender: Sender;
}
