/**
 * Why a draft could not be kept:
 * - `unavailable`: the browser gives no storage (disabled by the user or a policy, some private modes, a server).
 * - `quota-exceeded`: the storage is full.
 * - `unserializable`: the values cannot be written as JSON (a cycle, a `BigInt`).
 * - `unknown-user`: the lock client cannot tell who the user is, so a draft could be read by the wrong person.
 * - `write-failed`: anything else the storage threw.
 */
export type DraftErrorCode = 'unavailable' | 'quota-exceeded' | 'unserializable' | 'unknown-user' | 'write-failed'

/** A draft that could not be read or written. The form goes on working; only the backup is missing. */
export class DraftError extends Error {
  override readonly name = 'DraftError'
  readonly code: DraftErrorCode

  constructor(code: DraftErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

/** Whether `error` is a {@link DraftError}. */
export function isDraftError(error: unknown): error is DraftError {
  return error instanceof DraftError
}
