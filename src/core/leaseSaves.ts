import type { TimerFunctions } from './environment'
import { LockError } from './LockError'
import { NamedTimers } from './leaseTimers'
import type { LeaseState } from './leaseMachine'
import type { LockInfo } from './types'

const isLockedError = (error: unknown) => error instanceof LockError && error.code === 'locked'

/** What a save needs from its lease. */
export interface SaveHost {
  state(): LeaseState
  /** Resolves once the lock is taken (if it is being taken), the requests in flight are done, and an expiry checked. */
  ready(): Promise<void>
  /** Whether the current user is the one holding the lock. */
  sameUser(): Promise<boolean>
  /** The login changed: drop the old user's token. */
  userChanged(): void
  /** The server refused the save because the item is locked. */
  refused(): Promise<void>
  /** The save went through with `lock`'s token. */
  saved(lock: LockInfo, release: boolean): Promise<void>
}

/**
 * The saves of one lease that are in flight. They run beside the lease's request queue, so that a slow one (an
 * upload) never keeps the lock from being refreshed; a refresh that would rotate their token (Nick) can wait for
 * them with {@link settled}.
 */
export class SavesInFlight {
  #count = 0
  readonly #waiters = new Set<() => void>()
  readonly #timers: NamedTimers<'settled'>

  constructor(timers: TimerFunctions) {
    this.#timers = new NamedTimers(timers)
  }

  /** Resolves when no save is in flight, or after `maxWait` ms, whichever comes first. */
  settled(maxWait: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#waiters.add(resolve)
      this.#timers.set('settled', maxWait, () => this._wake())
    })
  }

  /** Stops waiting (the lease is disposed). */
  wake(): void {
    this._wake()
  }

  /**
   * Runs a save with the lock's token, or refuses with `not-held`, running nothing, unless the lock is held (or the
   * server does not lock the item) by the current user.
   */
  async run<T>(host: SaveHost, send: (token: string | null) => Promise<T>, release: boolean): Promise<T> {
    await host.ready()
    const { status, lock } = host.state()
    if (status === 'unavailable') return send(null)
    if (status !== 'held' || !lock?.token) throw new LockError('not-held', process.env.NODE_ENV !== 'production' ? `Not saved: the lock is not held (it is ${status}).` : '')
    if (!(await host.sameUser())) {
      host.userChanged()
      throw new LockError('not-held', process.env.NODE_ENV !== 'production' ? 'Not saved: the lock was taken by the user logged in before.' : '')
    }
    let used = lock
    let result: T
    this.#count += 1
    try {
      try {
        result = await send(lock.token)
      } catch (error) {
        const { status: now, lock: current } = host.state()
        // On Nick a refresh that fell due during a long save rotated the token the save carried: once more, with ours.
        if (!isLockedError(error) || now !== 'held' || !current?.token || current.token === lock.token) throw error
        used = current
        result = await send(current.token)
      }
    } catch (error) {
      if (isLockedError(error)) await host.refused()
      throw error
    } finally {
      this.#count -= 1
      if (this.#count === 0) this._wake()
    }
    await host.saved(used, release)
    return result
  }

  private _wake(): void {
    this.#timers.clear('settled')
    for (const resolve of [...this.#waiters]) resolve()
    this.#waiters.clear()
  }
}
