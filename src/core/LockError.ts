/**
 * What went wrong, as a closed set so that UIs can switch on it exhaustively.
 *
 * - `locked`: another user holds the lock (or the server refused a save because the item is locked).
 * - `not-allowed`: the server refused to release or take over a lock.
 * - `not-held`: a save was attempted while the lease does not hold the lock; nothing was sent.
 * - `unauthorized`: not logged in, or the login expired.
 * - `forbidden`: the server refused for another reason (HTTP 403).
 * - `http`: any other unexpected HTTP status (5xx, 429, 404 ...).
 * - `network`: the request did not reach the server.
 * - `timeout`: no answer within the client's `requestTimeout`.
 * - `protocol`: the server answered something that is not the `@lock` protocol: malformed, a redirect (never
 *   followed), more than 1 MB, or a token of our own that cannot be sent back.
 * - `invalid-path`: the path would leave the API or reach something other than content (another origin, `..`,
 *   control characters, `@@view`, `++namespace++`, more than 4096 characters); nothing was sent.
 * - `invalid-option`: an option of the wrong type or range, or a token that cannot be a header value; nothing was
 *   sent.
 * - `unknown-user`: the current user cannot be known (cookie auth without `userId`).
 * - `aborted`: the caller's `AbortSignal` fired.
 */
export type LockErrorCode =
  | 'locked'
  | 'not-allowed'
  | 'not-held'
  | 'unauthorized'
  | 'forbidden'
  | 'http'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'invalid-path'
  | 'invalid-option'
  | 'unknown-user'
  | 'aborted'

export interface LockErrorOptions {
  status?: number | undefined
  type?: string | undefined
  serverMessage?: string | undefined
  retryAfter?: number | undefined
  cause?: unknown
}

/** The one error class the library throws or exposes. */
export class LockError extends Error {
  override readonly name = 'LockError'
  readonly code: LockErrorCode
  /** HTTP status of the answer that caused it, if there was one. */
  readonly status: number | undefined
  /** The server's `error.type`, if it sent one (may be translated). */
  readonly type: string | undefined
  /** The server's `error.message`, if it sent one (may be translated). */
  readonly serverMessage: string | undefined
  /** Seconds the server asked to wait (`Retry-After`), if it said. */
  readonly retryAfter: number | undefined

  constructor(code: LockErrorCode, message: string, options: LockErrorOptions = {}) {
    // Without its development message (production builds), the error says its code.
    super(message || code, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
    this.type = options.type
    this.serverMessage = options.serverMessage
    this.retryAfter = options.retryAfter
  }

  /** Whether trying again later may succeed: network failures, time-outs, 5xx, 408 and 429. */
  get transient(): boolean {
    if (this.code === 'network' || this.code === 'timeout') return true
    if (this.code !== 'http' || this.status === undefined) return false
    return this.status >= 500 || this.status === 429 || this.status === 408
  }
}

export function isLockError(value: unknown): value is LockError {
  return value instanceof LockError
}

/** `error` as a {@link LockError}: itself if it is one, else wrapped with `code` (the unexpected, by default). */
export function toLockError(error: unknown, code: LockErrorCode = 'protocol'): LockError {
  return error instanceof LockError ? error : new LockError(code, String(error), { cause: error })
}
