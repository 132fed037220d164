import type { Answer } from './answers'
import type { LockSlot } from './LockStore'
import type { SimulatedLock } from './types'

/** An authenticated `@lock` request on a lockable item, with what a dialect needs to answer it. */
export interface LockRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  user: string
  /** The JSON body, `{}` when there was none or it was not an object. */
  body: Record<string, unknown>
  slot: LockSlot
  now: number
  defaultTimeout: number
  lockOnEdit: boolean
  save(lock: SimulatedLock | null): void
  /** The full lock object, as seen by the asking user. */
  describe(lock: SimulatedLock): Record<string, unknown>
}

/** An authenticated content PATCH or DELETE. */
export interface ContentWrite {
  /** The item's lock, unless it has lapsed or the item cannot be locked. */
  live: SimulatedLock | null
  /** The `Lock-Token` header, if sent. */
  lockToken: string | null
  /** Carries out the write: merges the body, or deletes the item and its lock. */
  apply(): void
  save(lock: SimulatedLock | null): void
}

/** How one server answers the requests where the two servers differ. */
export interface DialectRules {
  lock(request: LockRequest): Answer
  patchContent(write: ContentWrite): Answer
  deleteContent(write: ContentWrite): Answer
  /** The answer to a request without valid credentials; defaults to `unauthorized()`. */
  unauthorized?(): Answer
  /** The answer for a content path that does not exist (deleted); defaults to a 404 `NotFound` error body. */
  notFound?(path: string): Answer
}
