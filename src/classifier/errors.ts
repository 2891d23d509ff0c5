import { PostrobotError } from '../errors.js';

/** The model file is missing, unreadable, corrupt or of another format: carry on with rules alone. */
export class ModelUnusableError extends PostrobotError {
  constructor(
    code: 'ModelMissing' | 'ModelCorrupt' | 'ModelFormat',
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { retryable: false, cause });
  }
}

/** Training data is missing or not usable (e.g. fewer than two areas with mail). */
export class TrainingDataError extends PostrobotError {
  constructor(message: string, cause?: unknown) {
    super('TrainingDataInvalid', message, { retryable: false, cause });
  }
}
