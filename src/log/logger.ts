import pino, { type Logger, type LoggerOptions } from 'pino';
import { scrubCpr } from './cpr.js';

export type { Logger } from 'pino';

/** Walks a log record and scrubs CPR numbers from every string in it. */
function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCpr(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubCpr(value.message),
      code: (value as { code?: unknown }).code,
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = scrubValue(inner, depth + 1);
  return out;
}

export interface LoggerSettings {
  level: string;
  /** Pretty output for people at a terminal; JSON otherwise. */
  pretty: boolean;
  /** Where to write; stdout by default (file descriptor 1). */
  destination?: number | string;
  /** A stream to write JSON lines to instead (tests). */
  stream?: NodeJS.WritableStream;
}

/**
 * The root logger. Every string that reaches a line, message or field, passes the CPR
 * scrubber; mail bodies are never handed to the logger in the first place.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { app: 'postrobot' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (record) => scrubValue(record) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => scrubValue(arg)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  if (settings.pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,app',
          destination: settings.destination ?? 1,
        },
      },
    });
  }
  if (settings.stream) return pino(options, settings.stream);
  return pino(options, pino.destination({ dest: settings.destination ?? 1, sync: true }));
}

/** A logger that writes nowhere, for tests and one-shot commands. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
