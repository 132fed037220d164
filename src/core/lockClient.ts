import { systemTimers } from './environment'
import { checkAnswerUrl, checkHeaders, MAX_ANSWER_BYTES, MAX_SAVE_ANSWER_BYTES, readText } from './httpGuards'
import { LockError } from './LockError'
import { supply, validateOptions } from './clientOptions'
import type { LockClientOptions } from './clientOptions'
import { retryAfterSeconds, statusError } from './statusError'
import { readJwtSubject } from './jwt'
import { parseLock } from './parseLock'
import { normalizePath, parseApiPath, toUrl } from './resolvePath'
import type { ApiBase } from './resolvePath'
import type { LockInfo } from './types'

export type { LockClientOptions } from './clientOptions'

export interface RequestOptions {
  signal?: AbortSignal | undefined
}

/** An answer of the server, as the client read it. */
export interface Answer {
  status: number
  data: unknown
  receivedAt: number
}

// A lock seen again this long after it should have lapsed is a new one, even from the same holder.
const SINCE_MARGIN = 5_000
const SINCE_ENTRIES = 1_000

/**
 * A client for the Plone REST API `@lock` endpoint that behaves the same against plone.restapi and Nick. Create
 * one per API and user with {@link createLockClient}.
 */
export class LockClient {
  readonly #options: LockClientOptions
  readonly #base: ApiBase
  #userId: string | null = null
  readonly #since = new Map<string, { holder: string; since: number; expiresAt: number | null }>()

  constructor(options: LockClientOptions) {
    validateOptions(options)
    this.#options = options
    this.#base = parseApiPath(options.apiPath)
    if (typeof options.userId === 'string') this.#userId = options.userId
    else if (typeof options.token === 'string' && options.userId === undefined) this.#userId = readJwtSubject(options.token)
  }

  /** The API's base URL, normalized. */
  get apiPath(): string {
    return this.#base.href
  }

  /** The canonical path below the API (`/news/item`); throws `invalid-path` for anything that would leave it. */
  normalizePath(path: string): string {
    return normalizePath(this.#base, path)
  }

  /** The absolute URL of a path below the API, optionally of one of its endpoints. */
  url(path: string, endpoint?: string): string {
    return toUrl(this.#base, this.normalizePath(path), endpoint)
  }

  /** The current user's id as last known, without asking; `null` before it was first resolved. */
  get knownUserId(): string | null {
    return this.#userId
  }

  /** Resolves the current user's id from `userId` or the JWT; `null` when it cannot be known. */
  async getUserId(): Promise<string | null> {
    const { userId, token } = this.#options
    let id: string | null | undefined
    if (userId !== undefined) id = await supply(userId)
    else {
      const jwt = await supply(token)
      id = jwt ? readJwtSubject(jwt) : null
    }
    this.#userId = id ?? null
    return this.#userId
  }

  /**
   * Headers for a request, without `Lock-Token`; exposed for custom save functions. Fails with `invalid-option`
   * (quoting no value) when one cannot be sent, such as a JWT with a line break.
   */
  async headers(): Promise<Record<string, string>> {
    const extra = (await supply(this.#options.headers)) ?? {}
    const token = await supply(this.#options.token)
    const headers: Record<string, string> = { ...extra, Accept: 'application/json' }
    if (token) headers.Authorization = `Bearer ${token}`
    checkHeaders(headers)
    return headers
  }

  /**
   * Normalizes a lock object the caller already has (a content GET's or a listing's `lock`), using the user id as
   * last resolved.
   */
  parseLock(raw: unknown, receivedAt = Date.now(), path?: string): LockInfo {
    const lock = parseLock(raw, { userId: this.#userId, receivedAt, fresh: false, origin: this.#base.origin })
    return path === undefined ? lock : this._remember(path, lock)
  }

  /** GET `@lock`: who holds the item's lock, if anyone. */
  async getLock(path: string, options: RequestOptions = {}): Promise<LockInfo> {
    const url = this.url(path, '@lock')
    const answer = await this.request('GET', url, options)
    return this.readAnswer(path, answer, false)
  }

  private async _requireUserId(): Promise<string> {
    const id = await this.getUserId()
    if (id === null) {
      throw new LockError(
        'unknown-user',
        process.env.NODE_ENV !== 'production'
          ? 'The current user is unknown, so whose lock this is cannot be told: pass `userId` to createLockClient (needed with cookie auth).'
          : '',
      )
    }
    return id
  }

  /**
   * The lock in an answer, for the current user (resolved first when the item is locked).
   *
   * @internal
   */
  async readAnswer(path: string, answer: Answer, fresh: boolean): Promise<LockInfo> {
    if (answer.data === undefined) {
      throw new LockError('protocol', process.env.NODE_ENV !== 'production' ? `The server answered HTTP ${answer.status} with no lock object.` : '', { status: answer.status })
    }
    const raw = answer.data
    const locked = typeof raw === 'object' && raw !== null && (raw as { locked?: unknown }).locked === true
    const userId = locked ? await this._requireUserId() : this.#userId
    return this._remember(path, parseLock(raw, { userId, receivedAt: answer.receivedAt, fresh, origin: this.#base.origin }))
  }

  /**
   * Forgets since when the lock of `path` was held without a gap (it was given back).
   *
   * @internal
   */
  forget(path: string): void {
    this.#since.delete(this.normalizePath(path))
  }

  /**
   * Both servers move `created` forward on every refresh (Nick even writes a new lock), so a lock's `created` says
   * when it was last refreshed. While one holder keeps an item locked without a gap, `since` stays at the earliest
   * `created` this client has seen.
   */
  private _remember(path: string, lock: LockInfo): LockInfo {
    const key = this.normalizePath(path)
    if (!lock.locked || !lock.holder || !lock.created) {
      if (lock.lockable) this.#since.delete(key)
      return lock
    }
    const seen = this.#since.get(key)
    const unbroken =
      seen !== undefined &&
      seen.holder === lock.holder.id &&
      seen.since <= lock.created.getTime() &&
      (seen.expiresAt === null || lock.receivedAt <= seen.expiresAt + SINCE_MARGIN)
    const since = unbroken ? seen.since : lock.created.getTime()
    this.#since.set(key, { holder: lock.holder.id, since, expiresAt: lock.expiresAt?.getTime() ?? null })
    // Bounded: a long-lived listing client must not grow without end.
    if (this.#since.size > SINCE_ENTRIES) this.#since.delete(this.#since.keys().next().value as string)
    return unbroken ? { ...lock, since: new Date(since) } : lock
  }

  /**
   * Sends one request to the API and reads its JSON answer; fails with a {@link LockError} for anything but a 2xx.
   * Used by the lock's write functions (`acquireLock` ...).
   *
   * @internal
   */
  async request(
    method: string,
    url: string,
    init: RequestOptions & { body?: unknown; keepalive?: boolean; headers?: Record<string, string>; save?: boolean },
  ): Promise<Answer> {
    const { signal } = init
    const headers = { ...(await this.headers()), ...init.headers }
    if (init.headers) checkHeaders(init.headers)
    const body = init.body === undefined ? undefined : JSON.stringify(init.body)
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    // Checked after the headers were built: the token supplier may have taken a while.
    if (signal?.aborted) throw new LockError('aborted', process.env.NODE_ENV !== 'production' ? `${method} ${url} was aborted.` : '')

    const controller = new AbortController()
    let timedOut = false
    const onAbort = () => controller.abort()
    signal?.addEventListener('abort', onAbort)
    const timer = systemTimers.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.#options.requestTimeout ?? 30_000)
    const fail = (cause: unknown): LockError => {
      if (cause instanceof LockError) return cause
      if (timedOut) return new LockError('timeout', process.env.NODE_ENV !== 'production' ? `${method} ${url} got no answer in time.` : '', { cause })
      if (signal?.aborted) return new LockError('aborted', process.env.NODE_ENV !== 'production' ? `${method} ${url} was aborted.` : '', { cause })
      return new LockError('network', process.env.NODE_ENV !== 'production' ? `${method} ${url} did not reach the server.` : '', { cause })
    }

    let response: Response
    let text: string
    try {
      const fetchFn = this.#options.fetch ?? globalThis.fetch
      response = await fetchFn(url, {
        method,
        headers,
        body: body ?? null,
        signal: controller.signal,
        keepalive: init.keepalive === true,
        // A redirect would re-send the credentials (Lock-Token included) wherever the server points, and its answer
        // would be about another resource: it is an error, never followed.
        redirect: 'manual',
        ...(this.#options.credentials ? { credentials: this.#options.credentials } : {}),
      })
      checkAnswerUrl(response, method, url)
      text = await readText(response, method, url, init.save && response.ok ? MAX_SAVE_ANSWER_BYTES : MAX_ANSWER_BYTES)
    } catch (cause) {
      // The rest of an answer refused above is not wanted.
      controller.abort()
      throw fail(cause)
    } finally {
      systemTimers.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }

    const receivedAt = Date.now()
    let data: unknown = undefined
    if (text.trim() !== '') {
      try {
        data = JSON.parse(text)
      } catch {
        if (response.ok) {
          const kind = /^\s*</.test(text) ? 'an HTML page' : 'text that is not JSON'
          throw new LockError('protocol', process.env.NODE_ENV !== 'production' ? `${method} ${url} answered ${kind} instead of JSON.` : '', { status: response.status })
        }
      }
    }
    if (!response.ok) {
      const secrets = [headers['Lock-Token'], headers.Authorization?.replace(/^Bearer /, '')].filter((v): v is string => !!v)
      throw statusError(response.status, data, retryAfterSeconds(response.headers.get('Retry-After')), secrets)
    }
    return { status: response.status, data, receivedAt }
  }
}

/**
 * Creates a client for the `@lock` endpoint of one API, for one user.
 *
 * @example
 * ```ts
 * const client = createLockClient({ apiPath: 'https://site.example/++api++', token: () => auth.jwt })
 * const result = await acquireLock(client, '/news/item')
 * if (result.outcome === 'locked') console.info(`Locked by ${result.lock.holder?.name}`)
 * ```
 */
export function createLockClient(options: LockClientOptions): LockClient {
  return new LockClient(options)
}

