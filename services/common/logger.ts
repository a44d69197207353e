// JSON logs (pino) to stderr, so that stdout stays free for command output.
import pino, { type Logger } from 'pino';
import { readVar } from '../../core/config';

/**
 * Creates the process logger; MODELOPS_LOG_LEVEL sets the level (default info, "silent" in tests). With `file`
 * the JSON lines are appended there instead (its folder is created), so a story for people is not interleaved.
 */
export function createLogger(name = 'modelops', file?: string): Logger {
  return pino({ name, level: readVar('MODELOPS_LOG_LEVEL') ?? 'info' }, file ? pino.destination({ dest: file, mkdir: true, sync: true }) : pino.destination(2));
}

export type { Logger };
