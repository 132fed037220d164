import { backoffDelay } from './backoff'
import type { LeaseEnvironment } from './environment'
import { keepSchedule, untilHolderLapses } from './expiry'
import { INITIAL_STATE, transition, watchedStatus } from './leaseMachine'
import type { LeaseEvent, LeaseState } from './leaseMachine'
import { NamedTimers } from './leaseTimers'
import type { LockError } from './LockError'
import type { ObserverSet } from './observerSet'
import type { TabCoordinator } from './tabCoordinator'
import type { LockInfo } from './types'

const DEFAULT_CHECK_INTERVAL = 30_000
const MIN_REFRESH = 1_000
const MIN_CHECK = 1_000
const MIN_RETRY = 500

/** What the store needs from its lease. */
export interface LeaseStoreHost {
  readonly env: LeaseEnvironment
  readonly observers: ObserverSet
  tabs(): TabCoordinator | null
  /** The lock is now known to be `lock` (never with a token). */
  publish(lock: LockInfo): void
  /** The refresh timer fired. */
  refresh(): void
  /** The ownership check timer fired (only while the page is visible). */
  check(): void
}

/**
 * A lease's state, and everything that follows from a change of it, in one place: the next state comes from
 * {@link transition}; then the held lock's expiry and refresh timer, the ownership check timer, the other tabs, the
 * observers' `onAcquired`/`onLost` and the listeners are brought in line with it, in that order.
 */
export class LeaseStore {
  readonly timers: NamedTimers<'refresh' | 'check' | 'retry' | 'release'>
  #state: LeaseState = INITIAL_STATE
  readonly #host: LeaseStoreHost
  readonly #listeners = new Set<() => void>()
  /** The held lock's expiry by the local clock; `null` while not held. */
  expiresAt: number | null = null
  /** When this tab began to hold the lock, and last had it confirmed. */
  heldSince = 0
  #lastRefreshAt = 0
  #failures = 0

  constructor(host: LeaseStoreHost) {
    this.#host = host
    this.timers = new NamedTimers(host.env.timers)
  }

  get state(): LeaseState {
    return this.#state
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  dispatch(event: LeaseEvent): void {
    const before = this.#state
    const next = transition(before, event)
    if (next === before) return
    this.#state = next
    const { env, observers } = this.#host
    const tabs = this.#host.tabs()
    const now = env.now()
    const wasHeld = before.status === 'held'
    const isHeld = next.status === 'held'
    if (next.lock && next.lock !== before.lock) this.#host.publish({ ...next.lock, token: null })
    if (isHeld && (event.type === 'acquired' || event.type === 'refreshed')) {
      if (!wasHeld) this.heldSince = now
      this.#failures = 0
      this.#lastRefreshAt = now
      const { expiresAt, refreshEvery } = this.keepSchedule()
      this.expiresAt = expiresAt
      this.timers.set('refresh', refreshEvery, () => this.#host.refresh(), MIN_REFRESH)
      // The server just confirmed the lock is ours: the next ownership check counts from now.
      this.timers.clear('check')
      tabs?.forgetPeer()
      tabs?.announce()
    }
    if (wasHeld && !isHeld) {
      this.expiresAt = null
      this.timers.clear('refresh', 'retry')
      const toOtherTab = event.type === 'locked-by-tab' || (event.type === 'lost' && event.reason === 'moved-to-another-tab')
      if (!toOtherTab) tabs?.released()
    }
    this.scheduleCheck()
    if (isHeld && event.type === 'acquired') observers.acquired(event.lock)
    // A removed lock later found taken over changes what the lease shows, but the loss was already reported.
    if (event.type === 'lost' && wasHeld) observers.lost(event.reason, event.lock)
    for (const listener of [...this.#listeners]) listener()
  }

  /** Tries `again` after the backoff for the failures so far (reset when the lock is next confirmed). */
  retry(error: LockError, again: () => void): void {
    this.timers.set('retry', backoffDelay(this.#failures++, error.retryAfter, this.#host.env.random), again, MIN_RETRY)
  }

  /** The held lock's expiry and refresh interval, from the lock as the server has it and the observers' options. */
  keepSchedule(): { expiresAt: number | null; refreshEvery: number } {
    const { observers, env } = this.#host
    const { lockTimeout } = observers.lockOptions()
    return keepSchedule(this.#state.lock, { lockTimeout, refreshInterval: observers.interval('refreshInterval') }, env.now())
  }

  refreshDue(): boolean {
    return this.#host.env.now() - this.#lastRefreshAt >= this.keepSchedule().refreshEvery
  }

  /** Sets the ownership check timer when the state calls for one, clears it when not. */
  scheduleCheck(): void {
    const { lock } = this.#state
    const status = watchedStatus(this.#state)
    const { env, observers } = this.#host
    const every = observers.interval('checkInterval') ?? DEFAULT_CHECK_INTERVAL
    // While another tab of ours edits, it watches the server; this one watches that tab. While refreshes fail, their
    // retries (which back off) are the checks: a check on top would only add requests.
    const retrying = status === 'held' && this.#failures > 0
    if (!status || every === false || !observers.wanted() || this.#host.tabs()?.hasPeer || retrying) {
      return this.timers.clear('check')
    }
    if (this.timers.has('check')) return
    // Another user's lock may lapse before the next check (Nick's release leaves a lock of one second): look then.
    const lapse = status === 'locked' ? untilHolderLapses(lock, env.now()) : null
    const check = () => {
      // Hidden tabs only refresh; the check resumes when the tab is visible again.
      if (env.isVisible()) this.#host.check()
      else this.scheduleCheck()
    }
    this.timers.set('check', Math.min(every, lapse ?? every), check, MIN_CHECK)
  }
}
