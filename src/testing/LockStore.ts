import type { SimulatedDialect, SimulatedLock } from './types'

/**
 * Whether a lock has lapsed at `now`; a timeout that is not a number (Nick stores what it is sent) never runs out.
 *
 * - plone: Zope's `LockItem.isValid` (`src/OFS/LockItem.py`) keeps a lock while `modified + timeout > now`, exact to
 *   the fraction of a second: a 2 s lock lasts exactly 2 s, and a lock with a timeout of 0 is lapsed at once.
 * - nick: counts in whole seconds, so a 2 s lock lasts between 2 and 3 s.
 */
export function isExpired(lock: SimulatedLock, now: number, dialect: SimulatedDialect): boolean {
  if (typeof lock.timeout !== 'number') return false
  if (dialect === 'plone') return lock.created + lock.timeout * 1000 <= now
  return Math.floor(now / 1000) > Math.floor(lock.created / 1000) + lock.timeout
}

/** The state of one item's lock at the time of a request. */
export interface LockSlot {
  /** The lock as stored, lapsed or not. */
  stored: SimulatedLock | null
  /** The stored lock while it has not lapsed. */
  live: SimulatedLock | null
  /**
   * Whether the item carries plone.locking's non-stealable mark (`INonStealableLock`). The mark is the item's, not
   * the lock's: it outlives a lapsed lock and is only removed by `set(path, null)` or a lock saved as stealable.
   */
  nonStealable: boolean
}

/**
 * The locks of one server, by canonical content path. A lapsed lock stays stored until replaced or removed: Nick
 * answers differently for an expired lock than for none.
 */
export class LockStore {
  readonly #locks = new Map<string, SimulatedLock>()
  readonly #nonStealable = new Set<string>()
  readonly #dialect: () => SimulatedDialect

  /** `dialect` tells which server's expiry rule applies at the time of each look-up. */
  constructor(dialect: () => SimulatedDialect) {
    this.#dialect = dialect
  }

  slot(path: string, now: number): LockSlot {
    const stored = this.#locks.get(path) ?? null
    const live = stored && !isExpired(stored, now, this.#dialect()) ? stored : null
    return { stored, live, nonStealable: this.#nonStealable.has(path) }
  }

  /**
   * Stores a lock, or removes it and the item's non-stealable mark with `null`. A lock with `stealable: false` marks
   * the item non-stealable; any other lock clears the mark.
   */
  set(path: string, lock: SimulatedLock | null): void {
    if (lock) this.#locks.set(path, lock)
    else this.#locks.delete(path)
    if (lock?.stealable === false) this.#nonStealable.add(path)
    else this.#nonStealable.delete(path)
  }

  /** Marks the item non-stealable without touching its lock (plone.restapi does so even when it took no lock). */
  markNonStealable(path: string): void {
    this.#nonStealable.add(path)
  }

  clear(): void {
    this.#locks.clear()
    this.#nonStealable.clear()
  }
}
