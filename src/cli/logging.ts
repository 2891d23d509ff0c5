import type { Config } from '../config/load.js';
import { createLogger, type Logger } from '../log/logger.js';

/** The root logger for a command: level and format from the config; logs go to stderr so stdout stays for output. */
export function loggerFor(config: Config, toStderr = false): Logger {
  const format = config.main.log.format;
  const destination = toStderr ? 2 : 1;
  const pretty =
    format === 'pretty' ||
    (format === 'auto' && Boolean(toStderr ? process.stderr.isTTY : process.stdout.isTTY));
  return createLogger({ level: config.main.log.level, pretty, destination });
}
