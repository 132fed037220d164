import type { LockError } from './LockError'
import type { LeaseState, LeaseStatus, LostReason } from './leaseMachine'
import type { LockHolder, LockInfo } from './types'

export interface LockActions {
  /** Gives the lock back (cancel). */
  release: () => Promise<void>
  /** Takes over another user's stealable lock, or the edit from another tab; a refusal shows up as `error`. */
  takeOver: () => Promise<void>
  /** Refreshes the lock now. */
  refresh: () => Promise<void>
  /** Call on input: checks, at most once per `touchInterval`, that the lock is still ours. */
  touch: () => void
  /** Takes the lock again (after an error, a release or a loss). */
  acquire: () => Promise<void>
}

export interface LockResult extends LockActions {
  status: LeaseStatus
  /** The current user holds the lock, in this tab. */
  isHeld: boolean
  /** Another user holds the lock (the current user in another tab is not another user: see `holder.where`). */
  isLockedByOther: boolean
  /**
   * The form should not be edited: another user (or another tab) holds the lock, ours was lost or given back, or
   * the holder let go and the form's text may be out of date.
   */
  readOnly: boolean
  /** A save would be sent: the lock is held, or the server does not lock this item. */
  canSave: boolean
  /** The last known lock: ours while held, the holder's while locked or lost. */
  lock: LockInfo | null
  /** Who holds the lock, when someone does. */
  holder: LockHolder | null
  /** When the holder began editing, as far as this client has seen (see `LockInfo.since`). */
  since: Date | null
  /** When the lock lapses unless refreshed, by the local clock. */
  expiresAt: Date | null
  /**
   * `takeOver()` may take the lock: another user holds a stealable lock (we never had it, or lost it to them), or
   * the same user edits in another tab of this browser. `false` once the server refused to take this holder's lock
   * over (Nick refuses every forced unlock), while they keep it.
   */
  canTakeOver: boolean
  error: LockError | null
  lostReason: LostReason | null
  interruptions: number
}

/** What a component sees of a lease's state. */
export function lockResult(state: LeaseState, actions: LockActions): LockResult {
  const { status, lock } = state
  const holder = lock?.locked ? lock.holder : null
  return {
    status,
    isHeld: status === 'held',
    isLockedByOther: status === 'locked' && holder !== null && !holder.isMe,
    // Also after a release, and once another user's lock went away (`idle` with a lock known): the text on screen
    // may be out of date until the form reloads and takes the lock.
    readOnly: status === 'locked' || status === 'lost' || status === 'released' || (status === 'idle' && lock !== null),
    canSave: status === 'held' || status === 'unavailable',
    lock,
    holder,
    since: lock?.locked ? lock.since : null,
    expiresAt: lock?.locked ? lock.expiresAt : null,
    canTakeOver:
      (status === 'locked' || status === 'lost') &&
      holder !== null &&
      !state.takeOverRefused &&
      // The edit can always move between one's own tabs; another user's lock must be stealable.
      (holder.where === 'other-tab' || (lock?.stealable === true && !lock.isMine)),
    error: state.error,
    lostReason: state.lostReason,
    interruptions: state.interruptions,
    ...actions,
  }
}
