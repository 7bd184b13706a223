import type { Config } from '../config';
import type { Deps } from '../commands/deps';
import type { Logger } from '../logger';

/** What every Teams handler needs; built once in index.ts. */
export interface BotContext {
  deps: Deps;
  config: Config;
  logger: Logger;
  /** Plain-English questions are answered (an Azure OpenAI deployment, or a scripted model in tests). */
  questions?: boolean;
}
