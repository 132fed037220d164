import { errorAnswer, unauthorized } from './answers'
import type { Answer } from './answers'
import type { LockSlot } from './LockStore'
import { randomUuid } from './randomUuid'
import type { SimulatedLock } from './types'

/** An authenticated `@lock` request on a lockable item, with what a dialect needs to answer it. */
export interface LockRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  user: string
  /** The JSON body, `{}` when there was none or it was not an object. */
  body: Record<string, unknown>
  /** Why the body could not be read as a JSON object: `'not-json'`, `'not-object'`, or `null` when it could (or was empty). */
  malformedBody: 'not-json' | 'not-object' | null
  slot: LockSlot
  now: number
  defaultTimeout: number
  lockOnEdit: boolean
  /** The item's URL (its `@id`). */
  url: string
  save(lock: SimulatedLock | null): void
  /** Marks the item non-stealable without storing a lock (see `LockStore.markNonStealable`). */
  markNonStealable(): void
  /** The full lock object, as seen by the asking user. */
  describe(lock: SimulatedLock): Record<string, unknown>
}

/** An authenticated content PATCH or DELETE. */
export interface ContentWrite {
  /** The item's lock, unless it has lapsed or the item cannot be locked. */
  live: SimulatedLock | null
  /** The `Lock-Token` header, if sent. */
  lockToken: string | null
  /** The item's id (last path segment) and URL (its `@id`). */
  id: string
  url: string
  /** Carries out the write: merges the body, or deletes the item and its lock. */
  apply(): void
  save(lock: SimulatedLock | null): void
}

/** How one server answers the requests where the two servers differ. */
export interface DialectRules {
  lock(request: LockRequest): Answer
  patchContent(write: ContentWrite): Answer
  deleteContent(write: ContentWrite): Answer
  /** The answer to a request without valid credentials, when it is not an `error` body; defaults to `error`. */
  unauthorized?(): Answer
  /** The answer for a content path that does not exist (deleted), when it is not an `error` body; defaults to `error`. */
  notFound?(path: string): Answer
  /**
   * How the server renders an error raised outside the services (no credentials, no such item), given the URL of
   * the closest item the error concerns. Defaults to the `{"error": {"type", "message"}}` body.
   */
  error?(status: number, type: string, message: string, context: string): Answer
  /** A new lock token at `now`. Defaults to a v4 UUID. */
  newToken?(now: number): string
}

/** The dialect's `error`, or its default, the `{"error": {"type", "message"}}` body. */
export function errorOf(rules: DialectRules, status: number, type: string, message: string, context: string): Answer {
  return rules.error ? rules.error(status, type, message, context) : errorAnswer(status, type, message)
}

/** The dialect's answer to a request without valid credentials on the item at `url`. */
export function unauthorizedOf(rules: DialectRules, url: string): Answer {
  if (rules.unauthorized) return rules.unauthorized()
  return rules.error
    ? rules.error(401, 'Unauthorized', 'You are not authorized to access this resource.', url)
    : unauthorized()
}

/** A new lock token at `now`, from the dialect's `newToken`, or a v4 UUID. */
export function newTokenOf(rules: DialectRules, now: number): string {
  return rules.newToken?.(now) ?? randomUuid()
}
