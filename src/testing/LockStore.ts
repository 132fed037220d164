import type { SimulatedLock } from './types'

/**
 * Whether a lock has lapsed at `now`. Both servers count in whole seconds, so a 2 s lock lasts between 2 and 3 s;
 * a timeout that is not a number (Nick stores what it is sent) never runs out.
 */
export function isExpired(lock: SimulatedLock, now: number): boolean {
  if (typeof lock.timeout !== 'number') return false
  return Math.floor(now / 1000) > Math.floor(lock.created / 1000) + lock.timeout
}

/** The state of one item's lock at the time of a request. */
export interface LockSlot {
  /** The lock as stored, lapsed or not. */
  stored: SimulatedLock | null
  /** The stored lock while it has not lapsed. */
  live: SimulatedLock | null
}

/**
 * The locks of one server, by canonical content path. A lapsed lock stays stored until replaced or removed: Nick
 * answers differently for an expired lock than for none.
 */
export class LockStore {
  readonly #locks = new Map<string, SimulatedLock>()

  slot(path: string, now: number): LockSlot {
    const stored = this.#locks.get(path) ?? null
    return { stored, live: stored && !isExpired(stored, now) ? stored : null }
  }

  set(path: string, lock: SimulatedLock | null): void {
    if (lock) this.#locks.set(path, lock)
    else this.#locks.delete(path)
  }

  clear(): void {
    this.#locks.clear()
  }
}
