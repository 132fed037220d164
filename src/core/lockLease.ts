import { backoffDelay } from './backoff'
import type { LeaseEnvironment } from './environment'
import { hasLapsed, isPastExpiry, keepSchedule, untilHolderLapses } from './expiry'
import { INITIAL_STATE, transition } from './leaseMachine'
import type { LeaseEvent, LeaseState } from './leaseMachine'
import { NamedTimers, TaskQueue } from './leaseTimers'
import type { LockClient } from './lockClient'
import { LockError } from './LockError'
import { ObserverSet } from './observerSet'
import { SavesInFlight } from './leaseSaves'
import type { SaveHost } from './leaseSaves'
import type { LeaseObserver } from './observerSet'
import { unlockedInfo } from './parseLock'
import { TabCoordinator } from './tabCoordinator'
import type { TabHub } from './tabHub'
import { acquireLock, afterRefresh, afterRefusedSave, checkLock, patchLock, removeOthersLock } from './leaseRequests'
import type { LeaseRequestContext } from './leaseRequests'
import type { LockInfo } from './types'

/** What a lease needs from whoever keeps it. */
export interface LeaseHost {
  /** The client to send requests with, read at each request so that a renewed login applies at once. */
  readonly client: LockClient
  readonly env: LeaseEnvironment
  /** The lock of `path` is now known to be `lock` (never with a token). */
  publish(path: string, lock: LockInfo): void
  /** The lease has no observers left and nothing to do. */
  dispose(lease: LockLease): void
  /** The channel to this browser's other tabs of the same API and user, if there is one. */
  hub?(): Promise<TabHub | null>
}

const DEFAULT_CHECK_INTERVAL = 30_000
const DEFAULT_TOUCH_INTERVAL = 10_000
// How long the lock is kept after its last user left, so that one that comes straight back (StrictMode, a route
// remount, a form in a React <Activity> hidden for a moment) keeps it without a request.
export const RELEASE_GRACE = 5_000
// On Nick a refresh rotates the token a save in flight carries: it waits for the save, but no later than this long
// before the lock would lapse.
const SAVE_REFRESH_MARGIN = 15_000
const MIN_REFRESH = 1_000
const MIN_RETRY = 500

function toLockError(error: unknown): LockError {
  return error instanceof LockError ? error : new LockError('protocol', String(error), { cause: error })
}

/**
 * One lock on one path, shared by every observer that uses it: takes it, keeps it alive, notices when it is lost
 * and gives it back. Every status change goes through {@link transition}, and what follows from one (timers,
 * listeners, callbacks, other tabs) happens in one place, `#dispatch`.
 */
export class LockLease {
  readonly path: string
  readonly #host: LeaseHost
  readonly #env: LeaseEnvironment
  #state: LeaseState = INITIAL_STATE
  readonly #listeners = new Set<() => void>()
  readonly #observers = new ObserverSet()
  readonly #timers: NamedTimers<'refresh' | 'check' | 'retry' | 'release'>
  readonly #queue = new TaskQueue()
  readonly #tabs: TabCoordinator | null
  #acquiring: Promise<void> | null = null
  #controller = new AbortController()
  #started = false
  #expiresAt: number | null = null
  #heldSince = 0
  #lastRefreshAt = 0
  #lastCheckAt = 0
  #failures = 0
  #releasedOnPageHide = false
  readonly #saves: SavesInFlight
  #unsubscribe: (() => void)[] = []

  constructor(path: string, host: LeaseHost) {
    this.path = path
    this.#host = host
    this.#env = host.env
    this.#timers = new NamedTimers(host.env.timers)
    this.#saves = new SavesInFlight(host.env.timers)
    const hub = host.hub?.bind(host)
    this.#tabs = hub
      ? new TabCoordinator(
          {
            path,
            status: () => this.#state.status,
            lock: () => this.#state.lock,
            heldSince: () => this.#heldSince,
            now: () => this.#env.now(),
            lockedByTab: (lock) => this.#dispatch({ type: 'locked-by-tab', lock }),
            handOver: (to) => void this.#queue.run(async () => this.#handOver(to)),
            peerLeft: (orphan) => void this.#queue.run(() => this.#peerLeft(orphan)),
          },
          hub,
          host.env.timers,
        )
      : null
  }

  get #client(): LockClient {
    return this.#host.client
  }

  get #signal(): AbortSignal {
    return this.#controller.signal
  }

  getSnapshot = (): LeaseState => this.#state

  /** Listens to state changes; has no side effects (see {@link observe}). */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Adds a user of the lock. The first enabled one takes it; when the last leaves, it is given back. */
  observe(observer: LeaseObserver): () => void {
    this.#observers.add(observer)
    this.#timers.clear('release')
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe = [this.#env.onVisible(() => this.#onVisible()), this.#env.onOnline(() => this.#onOnline())]
    }
    this.reconcile()
    return () => {
      this.#observers.remove(observer)
      this.reconcile()
    }
  }

  /** Re-reads the observers' options: takes the lock when one wants it, schedules giving it back when none does. */
  reconcile(): void {
    const wanted = this.#observers.wanted()
    if (wanted && !this.#started) {
      this.#timers.clear('release')
      this.#started = true
      void this.acquire()
    } else if (!wanted && (this.#started || this.#observers.size === 0) && !this.#timers.has('release')) {
      this.#timers.set('release', this.#observers.size === 0 ? RELEASE_GRACE : 0, () => void this.#leave())
    }
    this.#scheduleCheck()
  }

  /** Takes the lock (again). Resolves once the outcome is known; failures are in the state, never thrown. */
  acquire(): Promise<LeaseState> {
    if (this.#acquiring) return this.#acquiring.then(() => this.#state)
    if (this.#signal.aborted) this.#controller = new AbortController()
    this.#timers.clear('refresh', 'check', 'retry')
    this.#releasedOnPageHide = false
    this.#dispatch({ type: 'acquire' })
    const run = this.#queue.run(async () => {
      try {
        const peerLock = await this.#tabs?.ask()
        if (peerLock) return this.#dispatch({ type: 'locked-by-tab', lock: peerLock })
        // Everyone left while the other tabs were asked (a quick remount, a route change): take nothing.
        if (!this.#observers.wanted()) return this.#dispatch({ type: 'stopped' })
      } catch (error) {
        return this.#fail(error)
      }
      await this.#acquireFromServer()
    })
    this.#acquiring = run.finally(() => {
      this.#acquiring = null
    })
    return this.#acquiring.then(() => this.#state)
  }

  /** Refreshes the lock now, if it is held. */
  refresh(): Promise<LeaseState> {
    return this.#queue.run(() => this.#refresh()).then(() => this.#state)
  }

  /** Checks now who holds the lock (a GET). */
  check(): Promise<LeaseState> {
    return this.#queue.run(() => this.#check()).then(() => this.#state)
  }

  /** The user is editing: checks ownership at once, at most once per `touchInterval`. */
  touch(): void {
    const { status } = this.#state
    const every = this.#observers.interval('touchInterval') ?? DEFAULT_TOUCH_INTERVAL
    if ((status !== 'held' && status !== 'locked') || every === false) return
    if (this.#env.now() - this.#lastCheckAt < every) return
    this.#lastCheckAt = this.#env.now()
    void this.check()
  }

  /** Gives the lock back (cancel). */
  release(): Promise<LeaseState> {
    this.#timers.clear('refresh', 'check', 'retry')
    return this.#queue.run(() => this.#release()).then(() => this.#state)
  }

  /**
   * Takes over another user's stealable lock (force DELETE, then POST), or the edit from another tab of ours. A
   * refusal leaves the status as it was, with a `not-allowed` error.
   */
  takeOver(): Promise<LeaseState> {
    return this.#queue.run(() => this.#takeOver()).then(() => this.#state)
  }

  /**
   * Runs a save with the lock's token, outside the request queue so that refreshes go on meanwhile. Waits while the
   * lock is being taken; refuses with `not-held`, running nothing, unless it is held (or the server does not lock
   * this item) by the current user. A refusal because the item is locked marks the lease lost. After a successful
   * save the lock is given back when `release` is true.
   */
  save<T>(send: (token: string | null) => Promise<T>, options: { release?: boolean } = {}): Promise<T> {
    return this.#saves.run(this.#saveHost, send, options.release !== false)
  }

  readonly #saveHost: SaveHost = {
    state: () => this.#state,
    ready: async () => {
      if (this.#acquiring) await this.#acquiring
      await this.#queue.idle()
      // Past its expiry (an outage kept the refreshes from landing) the lock may be gone or someone else's.
      if (this.#state.status === 'held' && isPastExpiry(this.#expiresAt, this.#env.now())) await this.check()
    },
    sameUser: () => this.#sameUser(),
    userChanged: () => void this.#queue.run(() => this.#userChanged()),
    refused: () => this.#queue.run(async () => this.#dispatch(await afterRefusedSave(this.#context()))),
    saved: (lock, release) =>
      this.#queue.run(async () => {
        // Nick clears the lock when it accepts a save with its token; plone.restapi keeps it.
        if (release) {
          if (lock.dialect === 'nick') this.#dispatch({ type: 'released', at: this.#env.now() })
          else await this.#release()
        } else if (lock.dialect === 'nick') await this.#acquireFromServer()
      }),
  }

  /** Sends a keepalive release for a held lock as the page goes away. */
  pageHide(): void {
    const { status, lock } = this.#state
    if (status !== 'held' || !this.#observers.decideRelease('releaseOnPageHide')) return
    this.#releasedOnPageHide = true
    this.#dispatch({ type: 'released', at: this.#env.now() })
    // No time to ask for the user id: the one last resolved must still be the holder's, or nothing is sent.
    if (this.#client.knownUserId !== lock?.holder?.id) return
    this.#client.release(this.path, { keepalive: true, lock }).catch(() => {
      // The page is going away; there is nobody left to tell. The lock lapses on its own.
    })
  }

  /** The page came back from the back/forward cache: take the lock again if it was given back on the way out. */
  pageShow(): void {
    if (this.#releasedOnPageHide && this.#observers.wanted()) void this.acquire()
  }

  // ---- the one place where the state changes ----

  #dispatch(event: LeaseEvent): void {
    const before = this.#state
    const next = transition(before, event)
    if (next === before) return
    this.#state = next
    const now = this.#env.now()
    const wasHeld = before.status === 'held'
    const isHeld = next.status === 'held'
    if (next.lock && next.lock !== before.lock) this.#host.publish(this.path, { ...next.lock, token: null })
    if (isHeld && (event.type === 'acquired' || event.type === 'refreshed')) {
      if (!wasHeld) this.#heldSince = now
      this.#failures = 0
      this.#lastRefreshAt = now
      const { expiresAt, refreshEvery } = this.#keepSchedule()
      this.#expiresAt = expiresAt
      this.#timers.set('refresh', refreshEvery, () => void this.refresh(), MIN_REFRESH)
      // The server just confirmed the lock is ours: the next ownership check counts from now.
      this.#timers.clear('check')
      this.#tabs?.forgetPeer()
      this.#tabs?.announce()
    }
    if (wasHeld && !isHeld) {
      this.#expiresAt = null
      this.#timers.clear('refresh', 'retry')
      const toOtherTab = event.type === 'locked-by-tab' || (event.type === 'lost' && event.reason === 'moved-to-another-tab')
      if (!toOtherTab) this.#tabs?.released()
    }
    this.#scheduleCheck()
    if (isHeld && event.type === 'acquired') this.#observers.acquired(event.lock)
    if (event.type === 'lost') this.#observers.lost(event.reason, event.lock)
    for (const listener of [...this.#listeners]) listener()
  }

  // ---- requests, one at a time (run through the queue) ----

  #context(): LeaseRequestContext {
    return { client: this.#client, path: this.path, signal: this.#signal, requested: this.#observers.lockOptions(), expiresAt: this.#expiresAt, now: this.#env.now() }
  }

  async #acquireFromServer(): Promise<void> {
    try {
      this.#dispatch(await acquireLock(this.#context()))
    } catch (error) {
      this.#fail(error)
    }
  }

  #fail(error: unknown): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted') return
    this.#dispatch({ type: 'failed', error: lockError })
    if (lockError.transient && this.#observers.wanted()) this.#retry(lockError, () => void this.acquire())
  }

  #retry(error: LockError, again: () => void): void {
    this.#timers.set('retry', backoffDelay(this.#failures++, error.retryAfter, this.#env.random), again, MIN_RETRY)
  }

  async #refresh(): Promise<void> {
    if (this.#state.status !== 'held') return
    this.#timers.clear('refresh', 'retry')
    // After a sleep the lock may be gone or someone else's: look before trusting it.
    if (isPastExpiry(this.#expiresAt, this.#env.now())) return this.#check()
    if (!(await this.#sameUser())) return this.#userChanged()
    await this.#afterSaves()
    if (this.#state.status !== 'held') return
    try {
      const result = await patchLock(this.#context(), this.#state.lock)
      if (this.#state.status !== 'held') return
      const context = this.#context()
      this.#dispatch(await afterRefresh(context, result, hasLapsed(context.expiresAt, context.now)))
    } catch (error) {
      this.#refreshFailed(error)
    }
  }

  /** On Nick, a refresh waits for the saves in flight (it would rotate their token), but not until the lock lapses. */
  #afterSaves(): Promise<void> {
    if (this.#state.lock?.dialect !== 'nick') return Promise.resolve()
    return this.#saves.settled((this.#expiresAt ?? this.#env.now()) - SAVE_REFRESH_MARGIN - this.#env.now())
  }

  #refreshFailed(error: unknown): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted' || this.#state.status !== 'held') return
    // The lock stays held while it has time; the next try may come after it lapsed, and then finds out.
    this.#dispatch({ type: 'failed', error: lockError })
    this.#retry(lockError, () => void this.refresh())
  }

  async #check(): Promise<void> {
    const { status, lock } = this.#state
    if ((status !== 'held' && status !== 'locked') || this.#tabs?.hasPeer) return
    this.#timers.clear('check')
    this.#lastCheckAt = this.#env.now()
    try {
      if (status === 'held' && !(await this.#sameUser())) return await this.#userChanged()
      const event = await checkLock(this.#context(), status, lock)
      if (this.#state.status === status) this.#dispatch(event)
    } catch (error) {
      if (this.#state.status === 'held') this.#refreshFailed(error)
      else if (this.#state.status === status) this.#dispatch({ type: 'failed', error: toLockError(error) })
    } finally {
      this.#scheduleCheck()
    }
  }

  async #release(): Promise<void> {
    const { status, lock } = this.#state
    this.#dispatch({ type: 'stopped' })
    if (status !== 'held') return
    const mine = await this.#sameUser()
    this.#dispatch({ type: 'released', at: this.#env.now() })
    // Another user logged in meanwhile: the old user's lock cannot be given back with the new user's login.
    if (!mine) return
    try {
      const answer = await this.#client.release(this.path, { lock, signal: this.#signal })
      if (answer.locked) this.#host.publish(this.path, { ...answer, token: null })
    } catch (error) {
      this.#dispatch({ type: 'failed', error: toLockError(error) })
    }
  }

  async #takeOver(): Promise<void> {
    const { status, lock } = this.#state
    if (this.#tabs?.hasPeer && (status === 'locked' || status === 'lost')) {
      const handed = await this.#tabs.take()
      // Handed over: the same server lock, no request, no window for another user. No answer: that tab is gone.
      return handed ? this.#dispatch({ type: 'acquired', lock: handed }) : this.#acquireFromServer()
    }
    // From `lost` too: an editor whose lock was taken may take it back, if the new holder's lock allows it.
    const refusal = await removeOthersLock(this.#context(), status === 'locked' || status === 'lost' ? lock : null)
    if (refusal) return refusal.forEach((event) => this.#dispatch(event))
    this.#dispatch({ type: 'acquire' })
    await this.#acquireFromServer()
  }

  #handOver(to: string): void {
    const lock = this.#state.lock
    if (this.#state.status !== 'held' || !lock) return
    this.#tabs?.moved(to, lock)
    const holder = lock.holder ? { ...lock.holder, where: 'other-tab' as const } : null
    this.#dispatch({ type: 'lost', reason: 'moved-to-another-tab', lock: { ...lock, token: null, holder } })
  }

  async #peerLeft(orphan: LockInfo | null): Promise<void> {
    this.#dispatch({ type: 'freed', lock: unlockedInfo(this.#env.now()) })
    if (!orphan) return
    await this.#client.release(this.path, { lock: orphan, signal: this.#signal }).catch((error: unknown) => {
      this.#dispatch({ type: 'failed', error: toLockError(error) })
    })
  }

  /** Whether the current user (the client may have a new token or be a new client) is the one who holds the lock. */
  async #sameUser(): Promise<boolean> {
    const holder = this.#state.lock?.holder?.id
    if (!holder) return true
    return (await this.#client.getUserId().catch(() => null)) === holder
  }

  /** Another user is logged in now: the old user's token is dropped, and the lock asked for as the new user. */
  async #userChanged(): Promise<void> {
    if (this.#state.status !== 'held') return
    this.#dispatch({ type: 'acquire' })
    await this.#acquireFromServer()
  }

  #scheduleCheck(): void {
    const { status, lock } = this.#state
    const every = this.#observers.interval('checkInterval') ?? DEFAULT_CHECK_INTERVAL
    // While another tab of ours edits, it watches the server; this one watches that tab.
    // While refreshes fail, their retries (which back off) are the checks: a check on top would only add requests.
    const retrying = status === 'held' && this.#failures > 0
    if ((status !== 'held' && status !== 'locked') || every === false || !this.#observers.wanted() || this.#tabs?.hasPeer || retrying) {
      return this.#timers.clear('check')
    }
    if (this.#timers.has('check')) return
    // Another user's lock may lapse before the next check (Nick's release leaves a lock of one second): look then.
    const lapse = status === 'locked' ? untilHolderLapses(lock, this.#env.now()) : null
    this.#timers.set('check', Math.min(every, lapse ?? every), () => {
      // Hidden tabs only refresh; the check resumes when the tab is visible again.
      if (this.#env.isVisible()) void this.check()
      else this.#scheduleCheck()
    }, 1_000)
  }

  #onVisible(): void {
    const { status } = this.#state
    if (status === 'held' && this.#refreshDue()) void this.refresh()
    else if (status === 'held' || status === 'locked') void this.check()
  }

  #onOnline(): void {
    const { status, error } = this.#state
    if (status === 'held' && (error || this.#refreshDue())) void this.refresh()
    else if (status === 'error' && this.#observers.wanted()) void this.acquire()
  }

  #refreshDue(): boolean {
    return this.#env.now() - this.#lastRefreshAt >= this.#keepSchedule().refreshEvery
  }

  #keepSchedule() {
    const { lockTimeout } = this.#observers.lockOptions()
    return keepSchedule(this.#state.lock, { lockTimeout, refreshInterval: this.#observers.interval('refreshInterval') }, this.#env.now())
  }

  async #leave(): Promise<void> {
    if (this.#observers.wanted()) return
    const release = this.#observers.decideRelease('releaseOnUnmount')
    this.#started = false
    this.#timers.clear('refresh', 'check', 'retry')
    if (release) {
      // Queued behind a lock still being taken; an observer that came back meanwhile keeps it.
      await this.#queue.run(async () => {
        if (!this.#observers.wanted()) await this.#release()
      })
    } else if (this.#state.status === 'acquiring') this.#controller.abort()
    if (this.#observers.size === 0 && !this.#observers.wanted()) this.dispose()
  }

  /** Stops everything (timers, listeners, other tabs) without a request, and tells the host. */
  dispose(): void {
    this.#controller.abort()
    this.#timers.clearAll()
    this.#saves.wake()
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
    this.#tabs?.close()
    this.#host.dispose(this)
  }
}
