/**
 * One error class per kind of failure, each with a stable `code`, whether a retry can
 * help, and the cause kept. Messages never carry mail text, CPR numbers or passwords.
 */
export class PostrobotError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The configuration is wrong: names the file, the key path and the fix. Exit code 2. */
export class ConfigError extends PostrobotError {
  readonly file: string;
  readonly keyPath: string;
  readonly hint: string;

  constructor(file: string, keyPath: string, problem: string, hint: string) {
    super('ConfigInvalid', `${file}: ${keyPath || '(top level)'}: ${problem}. ${hint}`);
    this.file = file;
    this.keyPath = keyPath;
    this.hint = hint;
  }
}

/** A mail cannot be read as a mail, or breaks a limit: it goes to quarantine. */
export class MailRejectedError extends PostrobotError {
  constructor(
    code: 'MailUnparseable' | 'MailTooLarge' | 'MailTooManyParts',
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { retryable: false, cause });
  }
}

/** The journal (SQLite or file store) failed; the mail stays in the inbox for later. */
export class JournalError extends PostrobotError {
  constructor(message: string, cause?: unknown) {
    super('JournalFailed', message, { retryable: true, cause });
  }
}

/** An action (move, forward, notify) failed; `retryable` says whether to try again. */
export class ActionError extends PostrobotError {
  constructor(code: string, message: string, retryable: boolean, cause?: unknown) {
    super(code, message, { retryable, cause });
  }
}

/** Another daemon already holds the data directory and account. */
export class AlreadyRunningError extends PostrobotError {
  constructor(message: string) {
    super('AlreadyRunning', message);
  }
}

/** Usage errors at the command line (exit code 2). */
export class UsageError extends PostrobotError {
  constructor(message: string) {
    super('Usage', message);
  }
}

/** Short description of any thrown value that is safe to log. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
