import type { ErrorCode } from './error-codes.js';

/**
 * Every error memtriage raises on purpose carries a stable code (`MT_ERR_<AREA>_<WHAT>`), listed in
 * error-codes.ts and docs/errors.md. Messages may change between versions; codes may not.
 */
export class MemtriageError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemtriageError';
    this.code = code;
  }
}

/** Input the user gave us is wrong (CLI exit code 2, HTTP 4xx). */
export class InputError extends MemtriageError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'InputError';
  }
}

/** A bundle directory or one of its files cannot be read at all. */
export class BundleError extends InputError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('MT_ERR_BUNDLE_INVALID', `${file}: ${message}`, options);
    this.name = 'BundleError';
  }
}
