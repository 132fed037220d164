import { LockError } from './LockError'
import type { LockClient, RequestOptions } from './lockClient'
import { unlockedInfo } from './parseLock'
import type { AcquireResult, LockInfo, LockOptions, RefreshResult } from './types'

// Taking, keeping, giving back and saving are functions rather than client methods: a screen that only reads lock
// status (a listing, a view page) imports the client alone and bundles none of this.

export interface AcquireOptions extends LockOptions, RequestOptions {}

export interface ReleaseOptions extends RequestOptions {
  /** Remove another user's stealable lock (take-over). Defaults to `false`. */
  force?: boolean
  /** Send with `keepalive`, so that the request survives the page going away. Defaults to `false`. */
  keepalive?: boolean
  /**
   * The lock being given back, when the caller holds it. Nick answers a plain DELETE of one's own lock as if it
   * released it but keeps it, so for Nick's locks the client asks with `force`, which Nick never applies to
   * another user's lock.
   */
  lock?: LockInfo | null | undefined
}

export interface SaveOptions extends RequestOptions {
  /** The lock token to send as `Lock-Token`. Defaults to none. */
  token?: string | null | undefined
  /** HTTP method. Defaults to `'PATCH'`. */
  method?: 'PATCH' | 'PUT' | 'POST'
  /** Extra headers for this request. */
  headers?: Record<string, string>
}

// What Nick's "release" asks for: a lock of our own that lapses one to two seconds later (Nick counts whole seconds).
const NICK_RELEASE_TIMEOUT = 1

function validateLockOptions(options: LockOptions): void {
  if (options.stealable !== undefined && typeof options.stealable !== 'boolean') {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`stealable` must be a boolean.' : '')
  }
  const t = options.timeout
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 1)) {
    // Nick stores whatever it gets: a string would make the lock practically permanent, 0 would become 600.
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`timeout` must be a number of seconds, at least 1.' : '')
  }
}

// English error types of the two servers. They may be translated, so an unknown type falls back to a GET.
const LOCKED_TYPES = new Set(['Already locked', 'Document locked'])
const NOT_ALLOWED_TYPES = new Set(['Not allowed'])
const UNAUTHORIZED_TYPES = new Set(['Unauthorized'])

function reclassify(error: LockError, code: 'locked' | 'not-allowed', message: string): LockError {
  return new LockError(code, message, {
    status: error.status,
    type: error.type,
    serverMessage: error.serverMessage,
    cause: error,
  })
}

/**
 * plone.restapi tells the owner of a non-stealable lock that it is stealable (it answers for the asking user), so
 * for a lock we just took or refreshed, what we asked for is the truth.
 */
function asRequested(lock: LockInfo, requested: LockOptions): LockInfo {
  return requested.stealable === false ? { ...lock, stealable: false } : lock
}

/**
 * POST `@lock`: takes the lock, or tells who holds it. plone.restapi answers 200 with another user's lock and
 * Nick 401 "Already locked"; both come back as `{ outcome: 'locked' }` with the holder.
 *
 * @example
 * ```ts
 * const result = await acquireLock(client, '/news/item', { stealable: false })
 * if (result.outcome === 'locked') console.info(`Locked by ${result.lock.holder?.name}`)
 * ```
 */
export async function acquireLock(client: LockClient, path: string, options: AcquireOptions = {}): Promise<AcquireResult> {
  validateLockOptions(options)
  const url = client.url(path, '@lock')
  const body: Record<string, unknown> = {}
  if (options.stealable === false) body.stealable = false
  if (options.timeout !== undefined) body.timeout = options.timeout
  if (Object.keys(body).length > 0) {
    // plone.restapi applies `stealable: false` and `timeout` to another user's lock when it answers a POST
    // with theirs: look before asking, so that we never change someone else's lock.
    const current = await client.getLock(path, options)
    if (!current.lockable) return { outcome: 'unavailable', lock: current }
    if (current.locked && !current.isMine) return { outcome: 'locked', lock: current }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await client.request('POST', url, { ...options, body })
      const lock = await client.readAnswer(path, answer, true)
      if (!lock.lockable || !lock.locked) return { outcome: 'unavailable', lock }
      return lock.isMine ? { outcome: 'held', lock: asRequested(lock, options) } : { outcome: 'locked', lock }
    } catch (error) {
      const explained = await explain401(client, error, path, 'locked', options)
      if (explained.code !== 'locked') throw explained
      const current = await client.getLock(path, options)
      if (current.locked && !current.isMine) return { outcome: 'locked', lock: current }
      // Freed between the two requests: one more try, then give up rather than loop.
      if (attempt > 0) throw explained
    }
  }
}

/**
 * PATCH `@lock`: keeps the lock alive. Sends the lock's `stealable` and `timeout` back, since Nick resets them
 * otherwise, and returns the lock with its (on Nick, new) token.
 */
export async function refreshLock(
  client: LockClient,
  path: string,
  lock: LockOptions,
  options: RequestOptions = {},
): Promise<RefreshResult> {
  validateLockOptions(lock)
  const url = client.url(path, '@lock')
  const body: Record<string, unknown> = { stealable: lock.stealable ?? true }
  if (lock.timeout !== undefined) body.timeout = lock.timeout
  try {
    const answer = await client.request('PATCH', url, { ...options, body })
    const next = await client.readAnswer(path, answer, true)
    if (!next.lockable) return { outcome: 'unavailable', lock: next }
    if (!next.locked) return { outcome: 'gone', lock: next }
    return next.isMine ? { outcome: 'held', lock: asRequested(next, lock) } : { outcome: 'taken-over', lock: next }
  } catch (error) {
    const explained = await explain401(client, error, path, 'locked', options)
    if (explained.code !== 'locked') throw explained
    const current = await client.getLock(path, options)
    if (!current.locked) return { outcome: 'gone', lock: current }
    if (current.isMine) throw explained
    return { outcome: 'taken-over', lock: current }
  }
}

/**
 * Gives the lock back, or with `force` removes another user's stealable lock. Releasing a lock that is now
 * someone else's leaves it alone and returns it; a forced release the server refuses or ignores fails with
 * `not-allowed`.
 *
 * Nick's DELETE answers "unlocked" but never removes the lock, forced or not. For Nick's lock of our own the
 * client therefore sends one `PATCH @lock {"timeout": 1, "stealable": true}` instead: Nick stores a new lock that
 * lapses a second or two later (it counts in whole seconds), so the item is free for others almost at once.
 */
export async function releaseLock(client: LockClient, path: string, options: ReleaseOptions = {}): Promise<LockInfo> {
  const url = client.url(path, '@lock')
  const own = options.lock
  if (own?.isMine === true && own.dialect === 'nick' && !options.force) return releaseNicksOwn(client, path, url, options)
  const force = options.force === true
  const request = { signal: options.signal, keepalive: options.keepalive === true, ...(force ? { body: { force: true } } : {}) }
  try {
    const answer = await client.request('DELETE', url, request)
    const lock = await client.readAnswer(path, answer, false)
    if (options.force && lock.locked && !lock.isMine) {
      // The holder's name is the server's text: it stays in `holder`, out of the message.
      throw new LockError('not-allowed', process.env.NODE_ENV !== 'production' ? "The server kept the other user's lock (it is not stealable)." : '', {
        status: answer.status,
      })
    }
    return lock
  } catch (error) {
    if (options.keepalive) throw error
    const explained = await explain401(client, error, path, 'not-allowed', options)
    if (explained.code !== 'not-allowed' || options.force) throw explained
    // Nick refuses a plain DELETE of a lock that is someone else's: nothing of ours is left.
    const current = await client.getLock(path, options)
    if (current.locked && current.isMine) throw explained
    return current
  }
}

async function releaseNicksOwn(client: LockClient, path: string, url: string, options: ReleaseOptions): Promise<LockInfo> {
  const body = { timeout: NICK_RELEASE_TIMEOUT, stealable: true }
  try {
    await client.request('PATCH', url, { signal: options.signal, keepalive: options.keepalive === true, body })
  } catch (error) {
    if (options.keepalive) throw error
    const explained = await explain401(client, error, path, 'locked', options)
    if (explained.code !== 'locked') throw explained
    // Someone else holds the lock now: ours is gone already.
    return client.getLock(path, options)
  }
  client.forget(path)
  return unlockedInfo(Date.now())
}

/**
 * Saves content (PATCH by default) with the lock token in the `Lock-Token` header. A refusal because the item
 * is locked (plone.restapi 403, Nick 401, 423) fails with code `locked`.
 */
export async function saveWithLock(client: LockClient, path: string, body: unknown, options: SaveOptions = {}): Promise<unknown> {
  const url = client.url(path)
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined && options.token !== null && typeof options.token !== 'string') {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? 'The lock token (`token`) must be a string.' : '')
  }
  if (options.token) headers['Lock-Token'] = options.token
  try {
    const answer = await client.request(options.method ?? 'PATCH', url, { signal: options.signal, body, headers, save: true })
    return answer.data
  } catch (error) {
    if (!(error instanceof LockError)) throw error
    if (error.code === 'locked') throw error
    if (error.status === 403 && /locked/i.test(error.serverMessage ?? '')) {
      throw reclassify(error, 'locked', process.env.NODE_ENV !== 'production' ? 'The server refused the save: the item is locked.' : '')
    }
    if (error.status === 403 || error.status === 401) {
      throw await explain401(client, error, path, 'locked', options, true)
    }
    throw error
  }
}

/**
 * A 401 (and, for saves, a 403) can mean "not logged in" or, on Nick, "locked"/"not allowed". Known error types
 * say which; for others (they may be translated) a GET tells: if it too is refused, the login is the problem.
 */
async function explain401(
  client: LockClient,
  error: unknown,
  path: string,
  meaning: 'locked' | 'not-allowed',
  options: RequestOptions,
  forSave = false,
): Promise<LockError> {
  if (!(error instanceof LockError)) return new LockError('protocol', process.env.NODE_ENV !== 'production' ? 'The request failed in an unexpected way.' : '', { cause: error })
  if (error.status !== 401 && !(forSave && error.status === 403)) return error
  if (error.type && UNAUTHORIZED_TYPES.has(error.type)) return error
  if (error.type && LOCKED_TYPES.has(error.type)) return reclassify(error, 'locked', process.env.NODE_ENV !== 'production' ? 'Another user holds the lock.' : '')
  if (error.type && NOT_ALLOWED_TYPES.has(error.type)) {
    return reclassify(error, 'not-allowed', "The server does not allow removing this lock.")
  }
  let current: LockInfo
  try {
    current = await client.getLock(path, options)
  } catch (checkError) {
    if (checkError instanceof LockError && checkError.code === 'aborted') throw checkError
    return error
  }
  if (forSave) {
    return current.locked ? reclassify(error, 'locked', process.env.NODE_ENV !== 'production' ? 'The server refused the save: the item is locked.' : '') : error
  }
  return reclassify(error, meaning, process.env.NODE_ENV !== 'production' ? (meaning === 'locked' ? 'Another user holds the lock.' : 'The server does not allow removing this lock.') : '')
}
