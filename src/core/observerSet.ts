import type { LeaseOptions } from './leaseOptions'
import type { LostReason } from './leaseMachine'
import type { LockInfo } from './types'

/** One user of a lease: a hook instance, or a caller of the core API, with its options and callbacks. */
export interface LeaseObserver {
  readonly options: LeaseOptions
}

type Durations = 'refreshInterval' | 'checkInterval' | 'touchInterval'

/**
 * The users of one lease and what their options add up to. An observer that leaves is kept aside, options and
 * all, until the lease has decided whether to give the lock back: that decision is its to influence
 * (`releaseOnUnmount: false`), although it is no longer there.
 */
export class ObserverSet {
  readonly #active = new Set<LeaseObserver>()
  #departed: LeaseObserver[] = []

  add(observer: LeaseObserver): void {
    this.#active.add(observer)
    this.#departed = this.#departed.filter((o) => o !== observer)
  }

  remove(observer: LeaseObserver): void {
    if (this.#active.delete(observer)) this.#departed.push(observer)
  }

  get size(): number {
    return this.#active.size
  }

  /** Whether some active observer wants the lock taken. */
  wanted(): boolean {
    for (const { options } of this.#active) if (options.enabled !== false) return true
    return false
  }

  /** An interval option: the most recently added observer that sets it decides. */
  interval<K extends Durations>(key: K): LeaseOptions[K] | undefined {
    let value: LeaseOptions[K] | undefined
    for (const { options } of this.#active) if (options[key] !== undefined) value = options[key]
    return value
  }

  /** Any user asking for a non-stealable lock gets one, and the longest timeout asked for wins: the safer readings. */
  lockOptions(): { stealable?: false; lockTimeout?: number } {
    let stealable: false | undefined
    let lockTimeout: number | undefined
    for (const { options } of this.#active) {
      if (options.stealable === false) stealable = false
      if (options.lockTimeout !== undefined) lockTimeout = Math.max(lockTimeout ?? 0, options.lockTimeout)
    }
    return { ...(stealable === false ? { stealable } : {}), ...(lockTimeout !== undefined ? { lockTimeout } : {}) }
  }

  /**
   * Whether the lock is to be given back on `key` (`releaseOnUnmount`, `releaseOnPageHide`): unless any observer,
   * present or departed since the last decision, said `false`. Settles the departed observers' say.
   */
  decideRelease(key: 'releaseOnUnmount' | 'releaseOnPageHide'): boolean {
    const all = [...this.#active, ...this.#departed]
    if (key === 'releaseOnUnmount') this.#departed = []
    return all.every(({ options }) => options[key] !== false)
  }

  acquired(lock: LockInfo): void {
    for (const { options } of [...this.#active]) options.onAcquired?.(lock)
  }

  lost(reason: LostReason, lock: LockInfo | null): void {
    for (const { options } of [...this.#active]) options.onLost?.(reason, lock)
  }
}
