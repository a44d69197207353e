// JSON logs (pino) to stderr, so that stdout stays free for command output.
import pino, { type Logger } from 'pino';

/** Creates the process logger; MODELOPS_LOG_LEVEL sets the level (default info, "silent" in tests). */
export function createLogger(name = 'modelops'): Logger {
  return pino({ name, level: process.env.MODELOPS_LOG_LEVEL ?? 'info' }, pino.destination(2));
}

export type { Logger };
