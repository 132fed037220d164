import type { LeaseEnvironment } from './environment'
import { hasLapsed, isPastExpiry, MIN_LOCK_TIMEOUT } from './expiry'
import { TaskQueue } from './leaseTimers'
import type { LeaseState } from './leaseMachine'
import type { LockClient } from './lockClient'
import { LockError } from './LockError'
import { LeaseStore } from './leaseStore'
import { ObserverSet } from './observerSet'
import { SavesInFlight } from './leaseSaves'
import type { SaveHost } from './leaseSaves'
import type { LeaseObserver } from './observerSet'
import { TabCoordinator } from './tabCoordinator'
import type { TabLease } from './tabCoordinator'
import type { TabHub } from './tabHub'
import { afterRefresh, afterRefusedSave, checkLock, patchLock, removeOthersLock, takeLock } from './leaseRequests'
import { releaseLock } from './lockWrites'
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

const DEFAULT_TOUCH_INTERVAL = 10_000
// How long the lock is kept after its last user left, so that one that comes straight back (StrictMode, a route
// remount, a form in a React <Activity> hidden for a moment) keeps it without a request.
export const RELEASE_GRACE = 2_000
// On Nick a refresh rotates the token a save in flight carries: it waits for the save, but no later than this long
// before the lock would lapse.
const SAVE_REFRESH_MARGIN = 15_000

function toLockError(error: unknown): LockError {
  return error instanceof LockError ? error : new LockError('protocol', String(error), { cause: error })
}

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
      dispatch: (event) => this.#store.dispatch(event),
      run: (task) => void this.#queue.run(task),
      releaseFor: (lock) =>
        releaseLock(this._client, this.path, { lock, signal: this._signal }).then(
          () => undefined,
          (error: unknown) => this.#store.dispatch({ type: 'failed', error: toLockError(error) }),
        ),
    }
    this.#tabs = hub ? new TabCoordinator(tabLease, hub, host.env.timers) : null
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
        return this._fail(error)
      }
      await this._acquireFromServer()
    })
    this.#acquiring = run.finally(() => {
      this.#acquiring = null
    })
    return this.#acquiring.then(() => this.#store.state)
  }

  /** Refreshes the lock now, if it is held. */
  refresh(): Promise<LeaseState> {
    return this.#queue.run(() => this._refresh()).then(() => this.#store.state)
  }

  /** Checks now who holds the lock (a GET). */
  check(): Promise<LeaseState> {
    return this.#queue.run(() => this._check()).then(() => this.#store.state)
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
    return this.#queue.run(() => this._release()).then(() => this.#store.state)
  }

  /**
   * Takes over another user's stealable lock (force DELETE, then POST), or the edit from another tab of ours. A
   * refusal leaves the status as it was, with a `not-allowed` error.
   */
  takeOver(): Promise<LeaseState> {
    return this.#queue.run(() => this._takeOver()).then(() => this.#store.state)
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
    sameUser: () => this._sameUser(),
    userChanged: () => void this.#queue.run(() => this._userChanged()),
    refused: () => this.#queue.run(async () => this.#store.dispatch(await afterRefusedSave(this._context()))),
    saved: (lock, release) =>
      this.#queue.run(async () => {
        // Nick clears the lock when it accepts a save with its token; plone.restapi keeps it.
        if (release) {
          if (lock.dialect === 'nick') this.#store.dispatch({ type: 'released', at: this.#env.now() })
          else await this._release()
        } else if (lock.dialect === 'nick') await this._acquireFromServer()
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

  // ---- requests, one at a time (run through the queue) ----

  private _context(): LeaseRequestContext {
    return { client: this._client, path: this.path, signal: this._signal, requested: this.#observers.lockOptions(), expiresAt: this.#store.expiresAt, now: this.#env.now() }
  }

  private async _acquireFromServer(): Promise<void> {
    try {
      this.#store.dispatch(await takeLock(this._context()))
    } catch (error) {
      return this._fail(error)
    }
    // Nick answers a POST on one's own lock with that lock as it is: right after a release it is the one-second lock
    // the release left, which would lapse under the new form. A refresh gives it the lifetime asked for.
    const timeout = this.#store.state.status === 'held' ? this.#store.state.lock?.timeout : undefined
    if (typeof timeout === 'number' && timeout > 0 && timeout * 1000 < MIN_LOCK_TIMEOUT) await this._refresh()
  }

  private _fail(error: unknown): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted') return
    this.#store.dispatch({ type: 'failed', error: lockError })
    if (lockError.transient && this.#observers.wanted()) this.#store.retry(lockError, () => void this.acquire())
  }

  private async _refresh(): Promise<void> {
    if (this.#store.state.status !== 'held') return
    this.#store.timers.clear('refresh', 'retry')
    // After a sleep the lock may be gone or someone else's: look before trusting it.
    if (isPastExpiry(this.#store.expiresAt, this.#env.now())) return this._check()
    if (!(await this._sameUser())) return this._userChanged()
    await this._afterSaves()
    if (this.#store.state.status !== 'held') return
    try {
      const result = await patchLock(this._context(), this.#store.state.lock)
      if (this.#store.state.status !== 'held') return
      const context = this._context()
      this.#store.dispatch(await afterRefresh(context, result, hasLapsed(context.expiresAt, context.now)))
    } catch (error) {
      this._refreshFailed(error)
    }
  }

  /** On Nick, a refresh waits for the saves in flight (it would rotate their token), but not until the lock lapses. */
  private _afterSaves(): Promise<void> {
    if (this.#store.state.lock?.dialect !== 'nick') return Promise.resolve()
    return this.#saves.settled((this.#store.expiresAt ?? this.#env.now()) - SAVE_REFRESH_MARGIN - this.#env.now())
  }

  private _refreshFailed(error: unknown): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted' || this.#store.state.status !== 'held') return
    // The lock stays held while it has time; the next try may come after it lapsed, and then finds out.
    this.#store.dispatch({ type: 'failed', error: lockError })
    this.#store.retry(lockError, () => void this.refresh())
  }

  private async _check(): Promise<void> {
    const { status, lock } = this.#store.state
    if ((status !== 'held' && status !== 'locked') || this.#tabs?.hasPeer) return
    this.#store.timers.clear('check')
    this.#lastCheckAt = this.#env.now()
    try {
      if (status === 'held' && !(await this._sameUser())) return await this._userChanged()
      const event = await checkLock(this._context(), status, lock)
      if (this.#store.state.status === status) this.#store.dispatch(event)
    } catch (error) {
      if (this.#store.state.status === 'held') this._refreshFailed(error)
      else if (this.#store.state.status === status) this.#store.dispatch({ type: 'failed', error: toLockError(error) })
    } finally {
      this.#store.scheduleCheck()
    }
  }

  private async _release(): Promise<void> {
    const { status, lock } = this.#store.state
    this.#store.dispatch({ type: 'stopped' })
    if (status !== 'held') return
    const mine = await this._sameUser()
    this.#store.dispatch({ type: 'released', at: this.#env.now() })
    // Another user logged in meanwhile: the old user's lock cannot be given back with the new user's login.
    if (!mine) return
    try {
      const answer = await releaseLock(this._client, this.path, { lock, signal: this._signal })
      if (answer.locked) this.#host.publish(this.path, { ...answer, token: null })
    } catch (error) {
      this.#store.dispatch({ type: 'failed', error: toLockError(error) })
    }
  }

  private async _takeOver(): Promise<void> {
    const { status, lock } = this.#store.state
    if (this.#tabs?.hasPeer && (status === 'locked' || status === 'lost')) {
      const handed = await this.#tabs.take()
      // Handed over: the same server lock, no request, no window for another user. No answer: that tab is gone.
      return handed ? this.#store.dispatch({ type: 'acquired', lock: handed }) : this._acquireFromServer()
    }
    // From `lost` too: an editor whose lock was taken may take it back, if the new holder's lock allows it.
    const refusal = await removeOthersLock(this._context(), status === 'locked' || status === 'lost' ? lock : null)
    if (refusal) return refusal.forEach((event) => this.#store.dispatch(event))
    this.#store.dispatch({ type: 'acquire' })
    await this._acquireFromServer()
  }

  /** Whether the current user (the client may have a new token or be a new client) is the one who holds the lock. */
  private async _sameUser(): Promise<boolean> {
    const holder = this.#store.state.lock?.holder?.id
    if (!holder) return true
    return (await this._client.getUserId().catch(() => null)) === holder
  }

  /** Another user is logged in now: the old user's token is dropped, and the lock asked for as the new user. */
  private async _userChanged(): Promise<void> {
    if (this.#store.state.status !== 'held') return
    this.#store.dispatch({ type: 'acquire' })
    await this._acquireFromServer()
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
        if (!this.#observers.wanted()) await this._release()
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
