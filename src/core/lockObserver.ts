import { LockError } from './LockError'
import type { LeaseRegistry } from './leaseRegistry'
import type { LeaseObserver, LeaseOptions, LeaseState, LeaseStatus, LockLease, LostReason } from './lockLease'
import type { LockHolder, LockInfo } from './types'

export interface LockObserverOptions extends LeaseOptions {
  /** Called each time the lock is taken. */
  onAcquired?: (lock: LockInfo) => void
  /** Called the moment a held lock is lost, with the reason and the lock as the server now has it. */
  onLost?: (reason: LostReason, lock: LockInfo | null) => void
}

export interface LockResult {
  status: LeaseStatus
  /** The current user holds the lock. */
  isHeld: boolean
  /** Another user holds the lock. */
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
  /** Gives the lock back (cancel). */
  release: () => Promise<void>
  /** Takes over another user's stealable lock; a refusal shows up as `error` (code `not-allowed`). */
  takeOver: () => Promise<void>
  /** Refreshes the lock now. */
  refresh: () => Promise<void>
  /** Call on input: checks, at most once per `touchInterval`, that the lock is still ours. */
  touch: () => void
  /** Takes the lock again (after an error, a release or a loss). */
  acquire: () => Promise<void>
}

const IDLE: LeaseState = { status: 'idle', lock: null, error: null, lostReason: null, interruptions: 0, takeOverRefused: false }
// What an enabled observer shows before it joins its lease: the lock is about to be asked for, so the first render
// must not look editable.
const ACQUIRING: LeaseState = { ...IDLE, status: 'acquiring' }

function derive(state: LeaseState, actions: Pick<LockResult, 'release' | 'takeOver' | 'refresh' | 'touch' | 'acquire'>): LockResult {
  const { status, lock } = state
  const holder = lock?.locked ? lock.holder : null
  return {
    status,
    isHeld: status === 'held',
    isLockedByOther: status === 'locked',
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

/**
 * One component's view of a lock: holds its options and callbacks, joins the shared lease while subscribed, and
 * derives a stable result object for it.
 */
export class LockObserver implements LeaseObserver {
  options: LockObserverOptions
  readonly #registry: LeaseRegistry
  #path: string
  #lease: LockLease | null = null
  #leave: (() => void) | null = null
  #unlisten: (() => void) | null = null
  readonly #listeners = new Set<() => void>()
  #state: LeaseState | null = null
  #result: LockResult
  #pathError: LeaseState | null = null
  readonly #actions: Pick<LockResult, 'release' | 'takeOver' | 'refresh' | 'touch' | 'acquire'>

  constructor(registry: LeaseRegistry, path: string, options: LockObserverOptions = {}) {
    this.#registry = registry
    this.#path = path
    this.options = options
    const run = (action: (lease: LockLease) => Promise<unknown>) => async () => {
      const lease = this.#lease
      if (lease) await action(lease)
    }
    this.#actions = {
      release: run((lease) => lease.release()),
      takeOver: run((lease) => lease.takeOver()),
      refresh: run((lease) => lease.refresh()),
      acquire: run((lease) => lease.acquire()),
      touch: () => this.#lease?.touch(),
    }
    this.#result = derive(this.#currentState(), this.#actions)
  }

  onAcquired(lock: LockInfo): void {
    this.options.onAcquired?.(lock)
  }

  onLost(reason: LostReason, lock: LockInfo | null): void {
    this.options.onLost?.(reason, lock)
  }

  /** Takes new options (and possibly a new path) from the latest render. */
  setOptions(path: string, options: LockObserverOptions): void {
    const previous = this.options
    this.options = options
    if (path !== this.#path) {
      this.#path = path
      this.#pathError = null
      if (this.#listeners.size > 0) {
        this.#disconnect()
        this.#connect()
      }
      this.#update()
    } else if (this.#lease && (previous.enabled !== options.enabled || previous.stealable !== options.stealable)) {
      this.#lease.reconcile()
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    if (this.#listeners.size === 1) this.#connect()
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.#disconnect()
    }
  }

  getCurrentResult = (): LockResult => {
    const state = this.#currentState()
    if (state !== this.#state) {
      this.#state = state
      this.#result = derive(state, this.#actions)
    }
    return this.#result
  }

  #currentState(): LeaseState {
    if (this.#pathError) return this.#pathError
    if (this.#lease) return this.#lease.getSnapshot()
    try {
      return this.#registry.peek(this.#path)?.getSnapshot() ?? (this.options.enabled === false ? IDLE : ACQUIRING)
    } catch (error) {
      return this.#invalidPath(error)
    }
  }

  #invalidPath(error: unknown): LeaseState {
    // A bad path is the caller's input: show it as an error, send nothing.
    const lockError = error instanceof LockError ? error : new LockError('invalid-path', String(error))
    this.#pathError = { ...IDLE, status: 'error', error: lockError }
    return this.#pathError
  }

  #connect(): void {
    this.#pathError = null
    let lease: LockLease
    try {
      lease = this.#registry.get(this.#path)
    } catch (error) {
      this.#invalidPath(error)
      this.#update()
      return
    }
    this.#lease = lease
    this.#unlisten = lease.subscribe(() => this.#update())
    this.#leave = lease.observe(this)
    this.#update()
  }

  #disconnect(): void {
    this.#unlisten?.()
    this.#leave?.()
    this.#unlisten = this.#leave = null
    this.#lease = null
  }

  #update(): void {
    const before = this.#result
    if (this.getCurrentResult() !== before) for (const listener of this.#listeners) listener()
  }
}
