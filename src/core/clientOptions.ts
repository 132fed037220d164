import { LockError } from './LockError'

// What createLockClient accepts, and how each option is checked and read.

type MaybePromise<T> = T | Promise<T>
type Supplier<T> = T | (() => MaybePromise<T>)

export interface LockClientOptions {
  /**
   * Base URL of the REST API, prefix included: `https://site.example/++api++`, `http://host:8080/Plone`. A
   * relative one (`/++api++`) is resolved against the page's origin. Requests never leave it.
   */
  apiPath: string
  /** JWT sent as `Authorization: Bearer`, or a function (sync or async) returning it. Defaults to none (cookie auth). */
  token?: Supplier<string | null | undefined>
  /** Extra request headers, or a function (sync or async) returning them. Defaults to none. */
  headers?: Supplier<Record<string, string>>
  /** `fetch` credentials mode, for cookie auth (`'include'`). Defaults to the browser's default (`'same-origin'`). */
  credentials?: RequestCredentials
  /**
   * The current user's id, to tell our locks from other users'. Defaults to the `sub` claim of the Bearer JWT.
   * Needed with cookie auth.
   */
  userId?: Supplier<string | null | undefined>
  /** The fetch to use. Defaults to the global `fetch`, looked up at each call so that test mocks apply. */
  fetch?: typeof fetch
  /** Milliseconds to wait for an answer before failing with code `timeout`. Defaults to 30000. */
  requestTimeout?: number
}

const CREDENTIALS = new Set(['omit', 'same-origin', 'include'])

function isSupplier(value: unknown, type: 'string' | 'object'): boolean {
  return value === undefined || value === null || typeof value === 'function' || typeof value === type
}

/** Checks a lock client's options when it is created: a wrong type is an `invalid-option` error, naming the option. */
export function validateOptions(options: LockClientOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? 'createLockClient expects an options object with `apiPath`.' : '')
  }
  if (!isSupplier(options.token, 'string')) throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`token` must be a string or a function.' : '')
  if (!isSupplier(options.userId, 'string')) throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`userId` must be a string or a function.' : '')
  if (!isSupplier(options.headers, 'object')) throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`headers` must be an object or a function.' : '')
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`fetch` must be a function.' : '')
  }
  if (options.credentials !== undefined && !CREDENTIALS.has(options.credentials)) {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`credentials` must be "omit", "same-origin" or "include".' : '')
  }
  const t = options.requestTimeout
  if (t !== undefined && (typeof t !== 'number' || !(t > 0))) {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`requestTimeout` must be a positive number of milliseconds.' : '')
  }
}

/** The value of an option given as a value or as a function (sync or async) returning it. */
export async function supply<T>(value: Supplier<T> | undefined): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => MaybePromise<T>)() : value
}

