import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Structured logs with ids only. What people said never goes to a log line:
 * callers pass ids, and these keys are removed should one slip through.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'golden-thread' },
      redact: {
        paths: ['text', 'words', 'value', 'body', 'activity.text', 'activity.value', '*.text', '*.words', 'err.config', 'req.headers.authorization'],
        remove: true,
      },
    },
    destination,
  );
}
