import type { LeaseEnvironment } from './environment'
import { isPastExpiry } from './expiry'
import { TaskQueue } from './leaseTimers'
import type { LeaseState } from './leaseMachine'
import type { LockClient } from './lockClient'
import { LeaseStore } from './leaseStore'
import { toLockError } from './LockError'
import { ObserverSet } from './observerSet'
import { SavesInFlight } from './leaseSaves'
import type { SaveHost } from './leaseSaves'
import type { LeaseObserver } from './observerSet'
import { TabCoordinator } from './tabCoordinator'
import type { TabLease } from './tabCoordinator'
import type { TabHub } from './tabHub'
import { afterRefusedSave } from './leaseRequests'
import { releaseLock } from './lockWrites'
import { acquireFailed, acquireFromServer, checkHolder, refreshHeld, releaseHeld, requestContext, sameUser, takeOver, userChanged } from './leaseSteps'
import type { LeaseParts } from './leaseSteps'
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
  /** The channel to this browser's other tabs of the same API and `user`, if there is one. */
  hub?(user: string): TabHub | null
}

const DEFAULT_TOUCH_INTERVAL = 10_000
// How long the lock is kept after its last user left, so that one that comes straight back (StrictMode, a route
// remount, a form in a React <Activity> hidden for a moment) keeps it without a request.
export const RELEASE_GRACE = 2_000

/**
 * One lock on one path, shared by every observer that uses it: takes it, keeps it alive, notices when it is lost
 * and gives it back. It decides what to ask the server and when; every status change is an event for its
 * {@link LeaseStore}, which applies the transition and what follows from it (timers, listeners, callbacks, other
 * tabs) in one place.
 */
export class LockLease {
  readonly path: string
  readonly #host: LeaseHost
  readonly #env: LeaseEnvironment
  readonly #observers = new ObserverSet()
  readonly #store: LeaseStore
  readonly #queue = new TaskQueue()
  readonly #tabs: TabCoordinator | null
  #acquiring: Promise<void> | null = null
  #controller = new AbortController()
  #started = false
  #lastCheckAt = 0
  #releasedOnPageHide = false
  readonly #saves: SavesInFlight
  readonly #parts: LeaseParts
  #unsubscribe: (() => void)[] = []

  constructor(path: string, host: LeaseHost) {
    this.path = path
    this.#host = host
    this.#env = host.env
    this.#store = new LeaseStore({
      env: host.env,
      observers: this.#observers,
      tabs: () => this.#tabs,
      publish: (lock) => host.publish(path, lock),
      refresh: () => void this.refresh(),
      check: () => void this.check(),
    })
    this.#saves = new SavesInFlight(host.env.timers)
    const hub = host.hub?.bind(host)
    const tabLease: TabLease = {
      path,
      state: () => this.#store.state,
      heldSince: () => this.#store.heldSince,
      now: () => this.#env.now(),
      userId: () => this._client.getUserId().catch(() => null),
      dispatch: (event) => this.#store.dispatch(event),
      run: (task) => void this.#queue.run(task),
      releaseFor: (lock) =>
        releaseLock(this._client, this.path, { lock, signal: this._signal }).then(
          () => undefined,
          (error: unknown) => this.#store.dispatch({ type: 'failed', error: toLockError(error) }),
        ),
    }
    this.#tabs = hub ? new TabCoordinator(tabLease, hub, host.env.timers) : null
    this.#parts = {
      path,
      env: host.env,
      store: this.#store,
      observers: this.#observers,
      tabs: this.#tabs,
      saves: this.#saves,
      client: () => this._client,
      signal: () => this._signal,
      publish: (lock) => host.publish(path, lock),
      acquire: () => void this.acquire(),
      refresh: () => void this.refresh(),
      checked: () => {
        this.#lastCheckAt = this.#env.now()
      },
    }
  }

  private get _client(): LockClient {
    return this.#host.client
  }

  private get _signal(): AbortSignal {
    return this.#controller.signal
  }

  getSnapshot = (): LeaseState => this.#store.state

  /** Listens to state changes; has no side effects (see {@link observe}). */
  subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener)

  /** Adds a user of the lock. The first enabled one takes it; when the last leaves, it is given back. */
  observe(observer: LeaseObserver): () => void {
    this.#observers.add(observer)
    this.#store.timers.clear('release')
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe = [this.#env.onVisible(() => this._onVisible()), this.#env.onOnline(() => this._onOnline())]
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
      this.#store.timers.clear('release')
      this.#started = true
      void this.acquire()
    } else if (!wanted && (this.#started || this.#observers.size === 0) && !this.#store.timers.has('release')) {
      this.#store.timers.set('release', this.#observers.size === 0 ? RELEASE_GRACE : 0, () => void this._leave())
    }
    this.#store.scheduleCheck()
  }

  /** Takes the lock (again). Resolves once the outcome is known; failures are in the state, never thrown. */
  acquire(): Promise<LeaseState> {
    if (this.#acquiring) return this.#acquiring.then(() => this.#store.state)
    if (this._signal.aborted) this.#controller = new AbortController()
    this.#store.timers.clear('refresh', 'check', 'retry')
    this.#releasedOnPageHide = false
    this.#store.dispatch({ type: 'acquire' })
    const run = this.#queue.run(async () => {
      try {
        const peerLock = await this.#tabs?.ask()
        if (peerLock) return this.#store.dispatch({ type: 'locked-by-tab', lock: peerLock })
        // Everyone left while the other tabs were asked (a quick remount, a route change): take nothing.
        if (!this.#observers.wanted()) return this.#store.dispatch({ type: 'stopped' })
      } catch (error) {
        return acquireFailed(this.#parts, error)
      }
      await acquireFromServer(this.#parts)
    })
    this.#acquiring = run.finally(() => {
      this.#acquiring = null
    })
    return this.#acquiring.then(() => this.#store.state)
  }

  /** Refreshes the lock now, if it is held. */
  refresh(): Promise<LeaseState> {
    return this.#queue.run(() => refreshHeld(this.#parts)).then(() => this.#store.state)
  }

  /** Checks now who holds the lock (a GET). */
  check(): Promise<LeaseState> {
    return this.#queue.run(() => checkHolder(this.#parts)).then(() => this.#store.state)
  }

  /** The user is editing: checks ownership at once, at most once per `touchInterval`. */
  touch(): void {
    const { status } = this.#store.state
    const every = this.#observers.interval('touchInterval') ?? DEFAULT_TOUCH_INTERVAL
    if ((status !== 'held' && status !== 'locked') || every === false) return
    if (this.#env.now() - this.#lastCheckAt < every) return
    this.#lastCheckAt = this.#env.now()
    void this.check()
  }

  /** Gives the lock back (cancel). */
  release(): Promise<LeaseState> {
    this.#store.timers.clear('refresh', 'check', 'retry')
    return this.#queue.run(() => releaseHeld(this.#parts)).then(() => this.#store.state)
  }

  /**
   * Takes over another user's stealable lock (force DELETE, then POST), or the edit from another tab of ours. A
   * refusal leaves the status as it was, with a `not-allowed` error.
   */
  takeOver(): Promise<LeaseState> {
    return this.#queue.run(() => takeOver(this.#parts)).then(() => this.#store.state)
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
    state: () => this.#store.state,
    ready: async () => {
      if (this.#acquiring) await this.#acquiring
      await this.#queue.idle()
      // Past its expiry (an outage kept the refreshes from landing) the lock may be gone or someone else's.
      if (this.#store.state.status === 'held' && isPastExpiry(this.#store.expiresAt, this.#env.now())) await this.check()
    },
    sameUser: () => sameUser(this.#parts),
    userChanged: () => void this.#queue.run(() => userChanged(this.#parts)),
    refused: () => this.#queue.run(async () => this.#store.dispatch(await afterRefusedSave(requestContext(this.#parts)))),
    saved: (lock, release) =>
      this.#queue.run(async () => {
        // Nick clears the lock when it accepts a save with its token; plone.restapi keeps it.
        if (release) {
          if (lock.dialect === 'nick') this.#store.dispatch({ type: 'released', at: this.#env.now() })
          else await releaseHeld(this.#parts)
        } else if (lock.dialect === 'nick') await acquireFromServer(this.#parts)
      }),
  }

  /** Sends a keepalive release for a held lock as the page goes away. */
  pageHide(): void {
    const { status, lock } = this.#store.state
    if (status !== 'held' || !this.#observers.decideRelease('releaseOnPageHide')) return
    this.#releasedOnPageHide = true
    this.#store.dispatch({ type: 'released', at: this.#env.now() })
    // No time to ask for the user id: the one last resolved must still be the holder's, or nothing is sent.
    if (this._client.knownUserId !== lock?.holder?.id) return
    releaseLock(this._client, this.path, { keepalive: true, lock }).catch(() => {
      // The page is going away; there is nobody left to tell. The lock lapses on its own.
    })
  }

  /** The page came back from the back/forward cache: take the lock again if it was given back on the way out. */
  pageShow(): void {
    if (this.#releasedOnPageHide && this.#observers.wanted()) void this.acquire()
  }

  private _onVisible(): void {
    const { status } = this.#store.state
    if (status === 'held' && this.#store.refreshDue()) void this.refresh()
    else if (status === 'held' || status === 'locked') void this.check()
  }

  private _onOnline(): void {
    const { status, error } = this.#store.state
    if (status === 'held' && (error || this.#store.refreshDue())) void this.refresh()
    else if (status === 'error' && this.#observers.wanted()) void this.acquire()
  }

  private async _leave(): Promise<void> {
    if (this.#observers.wanted()) return
    const release = this.#observers.decideRelease('releaseOnUnmount')
    this.#started = false
    this.#store.timers.clear('refresh', 'check', 'retry')
    if (release) {
      // Queued behind a lock still being taken; an observer that came back meanwhile keeps it.
      await this.#queue.run(async () => {
        if (!this.#observers.wanted()) await releaseHeld(this.#parts)
      })
    } else if (this.#store.state.status === 'acquiring') this.#controller.abort()
    if (this.#observers.size === 0 && !this.#observers.wanted()) this.dispose()
  }

  /** Stops everything (timers, listeners, other tabs) without a request, and tells the host. */
  dispose(): void {
    this.#controller.abort()
    this.#store.timers.clearAll()
    this.#saves.wake()
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
    this.#tabs?.close()
    this.#host.dispose(this)
  }
}
