// The shapes `useDraft` and `DraftKeeper` share: what the form hands in (its input and options) and what it gets
// back (the result and the offered draft). Kept apart from the keeper so the public types read on their own.
import type { DraftError } from './DraftError'
import type { DraftStorage } from './draftStore'
import type { LockClient } from './lockClient'
import type { LeaseStatus } from './leaseMachine'

/** The item as the server has it now, in the form's shape. */
export interface DraftServerState<TValues> {
  /** The server's values, shaped like the form's (what the form shows before anyone types). */
  values: TValues
  /**
   * The item's version: its `modified` date (plone.restapi and Nick both send it with the content), or its `ETag`.
   * `null` when the server gives none; changes are then told apart by the values alone.
   */
  version: string | null
}

export interface DraftOptions<TValues> {
  /**
   * The form's lock (`useLock`'s result, or anything with its `status`). Drafts are written, and offered, only while
   * it is `held` (or `unavailable`: the server does not lock the item), so a read-only tab never overwrites the
   * editing tab's draft and a lost lock leaves the draft as it was. Defaults to none: written whenever the values
   * change.
   */
  lock?: { status: LeaseStatus } | null | undefined
  /**
   * Fetches the item again and returns its state (or nothing, to go by the next `server`). Called when the lock is
   * taken back after it was lost or let go (`takeOver()`, `acquire()`), with `checking` true until it answers, so
   * that a save never goes out over a version this form has not seen. When it fails, `checking` stays true until
   * the item arrives again as a new `server`, or `rebase()`. Defaults to none.
   */
  reload?: (() => Promise<DraftServerState<TValues> | null | undefined | void>) | undefined
  /** Milliseconds between writes while the values keep changing. Defaults to 1000. */
  throttle?: number | undefined
  /** Milliseconds a draft is kept after it was last written. Defaults to three days (259200000). */
  maxAge?: number | undefined
  /** Where drafts are kept. Defaults to `localStorage`. */
  storage?: DraftStorage | undefined
}

/** A draft found in storage when the form opened, that differs from what the form shows. */
export interface DraftOffer<TValues> {
  values: TValues
  /** When it was last written. */
  savedAt: Date
  /** The item's version it was edited from. */
  basedOn: string | null
  /**
   * The item changed on the server since the draft began: restoring it and saving would overwrite those changes.
   * Always `true` for a draft kept without a version.
   */
  changedSince: boolean
  /** Takes the draft: returns its values for the form to show; they count as edited from the draft's version. */
  restore: () => TValues
  /** Throws the draft away. */
  discard: () => void
}

export interface DraftResult<TValues> {
  /** A draft to offer back, until `restore()` or `discard()`. Nothing is written while it is offered. */
  offer: DraftOffer<TValues> | null
  /**
   * The server has a version of the item other than the one the values on screen were edited from: someone saved
   * in between. Saving now would overwrite their changes. `rebase()` once the editor has seen them.
   */
  changedOnServer: boolean
  /** The lock was taken back and `reload` has not answered yet: do not save until it has. */
  checking: boolean
  /** When this form last wrote its draft; `null` when it keeps none. */
  storedAt: Date | null
  /** Why the draft could not be read or written; the form works as before, without a backup. */
  error: DraftError | null
  /** Removes the draft (after a cancel, say). Later changes are kept again. */
  discard: () => void
  /** Takes the server's current version as the base of the values on screen: the editor has seen its changes. */
  rebase: () => void
  /** Writes a pending change now rather than at the end of the throttle. */
  flush: () => void
}

/** What the form tells the keeper on each render. */
export interface DraftInput<TValues> {
  client: LockClient
  path: string
  values: TValues
  /** The item as last fetched; `null` or `undefined` while it loads (nothing is offered or written then). */
  server: DraftServerState<TValues> | null | undefined
  options: DraftOptions<TValues>
}
