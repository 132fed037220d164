import { focusManager, onlineManager, timeoutManager } from '@tanstack/react-query'
import type { ManagedTimerId } from '@tanstack/react-query'
import { LockError } from './LockError'
import { backoffDelay, refreshDelay } from './backoff'
import type { LockClient } from './lockClient'
import { unlockedInfo } from './parseLock'
import type { TabHub, TabMessage } from './tabHub'
import type { LockInfo, LockOptions } from './types'

/**
 * - `idle`: not trying to hold the lock (disabled, or another user's lock went away and the form may reload).
 * - `acquiring`: asking for the lock.
 * - `held`: the current user holds it; it is kept alive.
 * - `locked`: another user holds it.
 * - `lost`: it was held, and is no longer (see `lostReason`); saving is refused.
 * - `released`: given back (cancel, save, page hidden).
 * - `unavailable`: the server does not lock this item; the form stays editable and saves without a token.
 * - `error`: taking the lock failed (see `error`).
 */
export type LeaseStatus = 'idle' | 'acquiring' | 'held' | 'locked' | 'lost' | 'released' | 'unavailable' | 'error'

/**
 * Why a held lock was lost: another user took it over; it lapsed and someone else took it; the server removed it
 * before its time; or the same user moved the edit to another tab of this browser.
 */
export type LostReason = 'taken-over' | 'expired' | 'released-by-server' | 'moved-to-another-tab'

export interface LeaseState {
  status: LeaseStatus
  /** The last known lock: ours while held, the holder's while locked. */
  lock: LockInfo | null
  /** The last failure; while `held`, a refresh that failed and is being retried. */
  error: LockError | null
  lostReason: LostReason | null
  /** How many times the lock lapsed (a long sleep, a long outage) and was taken again quietly. */
  interruptions: number
  /**
   * The server refused to let this user take the current holder's lock over (Nick refuses every forced unlock).
   * Stays set, with its `error`, while the same holder keeps the lock.
   */
  takeOverRefused: boolean
}

export interface LeaseOptions extends LockOptions {
  /** Set to `false` to not take the lock (yet). Defaults to `true`. */
  enabled?: boolean
  /** Milliseconds between refreshes. Defaults to a third of the lock's timeout, and at least 90 s before it lapses. */
  refreshInterval?: number
  /**
   * Milliseconds between ownership checks (a GET) while the tab is visible, so that an editor whose lock was taken
   * over is told within seconds; `false` turns them off. Defaults to 30000.
   */
  checkInterval?: number | false
  /** At most one ownership check per this many milliseconds from `touch()`. Defaults to 10000. */
  touchInterval?: number
  /** Give the lock back when the last component using it unmounts. Defaults to `true`. */
  releaseOnUnmount?: boolean
  /** Give the lock back (keepalive DELETE) when the page is closed or hidden for navigation. Defaults to `true`. */
  releaseOnPageHide?: boolean
}

/** One user of a lease: a hook instance, with its options and callbacks. */
export interface LeaseObserver {
  readonly options: LeaseOptions
  onAcquired?(lock: LockInfo): void
  onLost?(reason: LostReason, lock: LockInfo | null): void
}

/** What a lease needs from whoever keeps it. */
export interface LeaseHost {
  /** The client to send requests with, read at each request so that a renewed login applies at once. */
  readonly client: LockClient
  /** The lock of `path` is now known to be `lock`. */
  publish(path: string, lock: LockInfo): void
  /** The lease has no observers left and nothing to do. */
  dispose(lease: LockLease): void
  /** The channel to this browser's other tabs of the same API and user, if there is one. */
  hub?(): Promise<TabHub | null>
}

const DEFAULT_CHECK_INTERVAL = 30_000
const DEFAULT_TOUCH_INTERVAL = 10_000
// A lock the server reports gone within this much of its expiry counts as lapsed, not removed: the server
// rounds to whole seconds and its clock is not ours.
const EXPIRY_MARGIN = 5_000
// After another user's lock should have lapsed, how long to wait before looking: Nick counts whole seconds.
const HOLDER_LAPSE_MARGIN = 2_000
// How long a tab waits for another tab to say it edits the item before asking the server.
const TAB_ANSWER = 50
// The editing tab says so this often; a tab silent for TAB_GONE has vanished (crashed, killed) without `pagehide`.
// Hidden tabs' timers may run a minute late, hence the margin.
const TAB_HEARTBEAT = 10_000
const TAB_GONE = 90_000
// How long a take-over waits for the editing tab to hand the lock over before asking the server.
const TAB_HANDOVER = 1_000

type TimerName = 'refresh' | 'check' | 'retry' | 'release' | 'tab'

interface Peer {
  tab: string
  since: number
  /** The lock as the editing tab has it, token included (same user, same browser); never exposed. */
  lock: LockInfo
  seenAt: number
}

function toLockError(error: unknown): LockError {
  return error instanceof LockError ? error : new LockError('protocol', String(error), { cause: error })
}

/**
 * One lock on one path, shared by every component that uses it: takes it, keeps it alive, notices when it is lost
 * and gives it back. Owns its timers; they stop when its last observer leaves.
 */
export class LockLease {
  readonly path: string
  readonly #host: LeaseHost
  #state: LeaseState = { status: 'idle', lock: null, error: null, lostReason: null, interruptions: 0, takeOverRefused: false }
  readonly #listeners = new Set<() => void>()
  readonly #observers = new Set<LeaseObserver>()
  readonly #timers = new Map<TimerName, ManagedTimerId>()
  #queue: Promise<unknown> = Promise.resolve()
  #acquiring: Promise<void> | null = null
  #controller = new AbortController()
  #started = false
  #expiresAt: number | null = null
  #lastRefreshAt = 0
  #lastCheckAt = 0
  #failures = 0
  #releasedOnPageHide = false
  #unsubscribeFocus: (() => void) | null = null
  #unsubscribeOnline: (() => void) | null = null
  #hub: TabHub | null = null
  #unlistenHub: (() => void) | null = null
  #peer: Peer | null = null
  #heldSince = 0
  #waiting: { type: 'editing' | 'moved'; resolve: (message: TabMessage | null) => void } | null = null

  constructor(path: string, host: LeaseHost) {
    this.path = path
    this.#host = host
  }

  get #client(): LockClient {
    return this.#host.client
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
    this.#clearTimer('release')
    if (!this.#unsubscribeFocus) {
      this.#unsubscribeFocus = focusManager.subscribe((focused) => focused && this.#onVisible())
      this.#unsubscribeOnline = onlineManager.subscribe((online) => online && this.#onOnline())
    }
    this.reconcile()
    return () => {
      this.#observers.delete(observer)
      this.reconcile()
    }
  }

  get observerCount(): number {
    return this.#observers.size
  }

  /** Re-reads the observers' options: takes the lock when one wants it, schedules giving it back when none does. */
  reconcile(): void {
    const wanted = this.#wanted()
    if (wanted && !this.#started) {
      this.#clearTimer('release')
      this.#started = true
      void this.acquire()
    } else if (!wanted && (this.#started || this.#observers.size === 0) && !this.#timers.has('release')) {
      // Deferred, so that a component that comes straight back (StrictMode, a route remount) keeps the lock.
      const releaseOnUnmount = this.#option('releaseOnUnmount', true)
      this.#setTimer('release', 0, () => this.#leave(releaseOnUnmount))
    }
    this.#scheduleCheck()
  }

  /** Takes the lock (again). Resolves once the outcome is known; failures are in the state, never thrown. */
  acquire(): Promise<LeaseState> {
    if (this.#acquiring) return this.#acquiring.then(() => this.#state)
    if (this.#controller.signal.aborted) this.#controller = new AbortController()
    this.#clearTimers()
    this.#releasedOnPageHide = false
    this.#set({ status: 'acquiring', error: null, lostReason: null })
    const run = this.#enqueue(async () => {
      try {
        const editing = await this.#askTabs()
        if (editing?.type === 'editing') return this.#lockedByTab(editing)
        // Everyone left while the other tabs were asked (a quick remount, a route change): take nothing.
        if (!this.#wanted()) return this.#set({ status: 'idle' })
      } catch (error) {
        return this.#fail(error, () => this.acquire())
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
    return this.#enqueue(() => this.#refresh()).then(() => this.#state)
  }

  /** Checks now who holds the lock (a GET). */
  check(): Promise<LeaseState> {
    return this.#enqueue(() => this.#check()).then(() => this.#state)
  }

  /**
   * Tells the lease that the user is editing: checks ownership at once, at most once per `touchInterval`, so that
   * an editor whose lock was taken learns it while typing.
   */
  touch(): void {
    const status = this.#state.status
    if (status !== 'held' && status !== 'locked') return
    if (Date.now() - this.#lastCheckAt < this.#option('touchInterval', DEFAULT_TOUCH_INTERVAL)) return
    this.#lastCheckAt = Date.now()
    void this.check()
  }

  /** Gives the lock back (cancel). */
  release(): Promise<LeaseState> {
    this.#clearTimers()
    return this.#enqueue(() => this.#release()).then(() => this.#state)
  }

  /**
   * Takes over another user's stealable lock: removes it (force DELETE) and takes our own. When the server
   * refuses (Nick always does), the state stays `locked` with a `not-allowed` error.
   */
  takeOver(): Promise<LeaseState> {
    return this.#enqueue(async () => {
      if (this.#peer && (this.#state.status === 'locked' || this.#state.status === 'lost')) return this.#takeFromTab()
      const { status, lock } = this.#state
      // From `lost` too: an editor whose lock was taken may take it back, if the new holder's lock allows it.
      const othersLock = (status === 'locked' || status === 'lost') && lock?.locked === true && !lock.isMine
      if (!othersLock || !lock.stealable) {
        this.#set({
          error: new LockError('not-allowed', lock?.locked ? 'This lock cannot be taken over.' : 'There is no lock to take over.'),
        })
        return
      }
      try {
        // The view may be up to a check old: force only the lock the user saw, not one someone else took since.
        const current = await this.#client.getLock(this.path, { signal: this.#controller.signal })
        if (current.locked && !current.isMine && current.holder?.id !== lock.holder?.id) {
          const name = current.holder?.name ?? 'another user'
          this.#set({ lock: current, error: new LockError('not-allowed', `The lock is now ${name}'s; take over again if you mean to.`) })
          return
        }
        if (current.locked) await this.#client.release(this.path, { force: true, signal: this.#controller.signal })
      } catch (error) {
        const lockError = toLockError(error)
        this.#set({ error: lockError, takeOverRefused: lockError.code === 'not-allowed' })
        return
      }
      this.#set({ status: 'acquiring', error: null })
      await this.#acquireFromServer()
    }).then(() => this.#state)
  }

  /**
   * Runs a save with the lock's token. Waits while the lock is being taken; refuses with `not-held`, running
   * nothing, unless it is held (or the server does not lock this item). A refusal because the item is locked marks
   * the lease lost. After a successful save the lock is given back when `release` is true.
   */
  async save<T>(fn: (token: string | null) => Promise<T>, options: { release?: boolean } = {}): Promise<T> {
    if (this.#acquiring) await this.#acquiring
    return this.#enqueue(async () => {
      // Past its expiry (an outage kept the refreshes from landing) the lock may be gone or someone else's: look
      // first, so that a stale token never saves over another user's work.
      if (this.#state.status === 'held' && this.#pastExpiry()) await this.#check()
      const { status, lock } = this.#state
      if (status === 'unavailable') return fn(null)
      if (status !== 'held' || !lock?.token) {
        throw new LockError('not-held', `Not saved: the lock is not held (it is ${status}).`)
      }
      let result: T
      try {
        result = await fn(lock.token)
      } catch (error) {
        if (error instanceof LockError && error.code === 'locked') await this.#afterRefusedSave()
        throw error
      }
      // Nick clears the lock when it accepts a save with its token; plone.restapi keeps it.
      if (options.release !== false) {
        this.#clearTimers()
        if (lock.dialect === 'nick') {
          this.#becomeReleased()
          this.#hub?.send({ type: 'released', path: this.path })
        } else await this.#release()
      } else if (lock.dialect === 'nick') {
        // Editing goes on: take the lock Nick just dropped again, before anyone else can.
        await this.#acquireFromServer()
      }
      return result
    })
  }

  /** Sends a keepalive DELETE for a held lock as the page goes away. */
  pageHide(): void {
    if (this.#state.status !== 'held' || !this.#option('releaseOnPageHide', true)) return
    const lock = this.#state.lock
    this.#clearTimers()
    this.#releasedOnPageHide = true
    this.#becomeReleased()
    this.#hub?.send({ type: 'released', path: this.path })
    this.#client.release(this.path, { keepalive: true, lock }).catch(() => {
      // The page is going away; there is nobody left to tell. The lock lapses on its own.
    })
  }

  /** The page came back from the back/forward cache: take the lock again if it was given back on the way out. */
  pageShow(): void {
    if (this.#releasedOnPageHide && this.#wanted()) void this.acquire()
  }

  // ---- internals ----

  #wanted(): boolean {
    for (const observer of this.#observers) if (observer.options.enabled !== false) return true
    return false
  }

  #option<K extends keyof LeaseOptions>(key: K, fallback: NonNullable<LeaseOptions[K]>): NonNullable<LeaseOptions[K]> {
    // The most recently mounted observer that sets an option decides.
    let value: LeaseOptions[K] | undefined
    for (const observer of this.#observers) if (observer.options[key] !== undefined) value = observer.options[key]
    return (value ?? fallback) as NonNullable<LeaseOptions[K]>
  }

  #lockOptions(): LockOptions {
    // Any component asking for a non-stealable lock gets one: that is the safer reading.
    let stealable: boolean | undefined
    let timeout: number | undefined
    for (const { options } of this.#observers) {
      if (options.stealable === false) stealable = false
      if (options.timeout !== undefined) timeout = Math.max(timeout ?? 0, options.timeout)
    }
    return { ...(stealable === false ? { stealable } : {}), ...(timeout !== undefined ? { timeout } : {}) }
  }

  #set(patch: Partial<LeaseState>): void {
    const next = { ...this.#state, ...patch }
    const changed = (Object.keys(patch) as (keyof LeaseState)[]).some((key) => next[key] !== this.#state[key])
    if (!changed) return
    this.#state = next
    if (patch.lock) this.#host.publish(this.path, { ...patch.lock, token: null })
    for (const listener of this.#listeners) listener()
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    // One request at a time per lock: a refresh that rotates Nick's token must not race a save using the old one.
    const run = this.#queue.then(task, task)
    this.#queue = run.catch(() => undefined)
    return run
  }

  #setTimer(name: TimerName, delay: number, callback: () => void): void {
    this.#clearTimer(name)
    this.#timers.set(
      name,
      timeoutManager.setTimeout(() => {
        this.#timers.delete(name)
        callback()
      }, delay),
    )
  }

  #clearTimer(name: TimerName): void {
    const id = this.#timers.get(name)
    if (id === undefined) return
    timeoutManager.clearTimeout(id)
    this.#timers.delete(name)
  }

  #clearTimers(): void {
    for (const name of ['refresh', 'check', 'retry', 'tab'] as const) this.#clearTimer(name)
  }

  #postLock() {
    const { stealable, timeout } = this.#lockOptions()
    return this.#client.acquire(this.path, { stealable, timeout, signal: this.#controller.signal })
  }

  /** Asks the server for the lock and shows the outcome; a failure is shown and, when transient, retried. */
  async #acquireFromServer(): Promise<void> {
    try {
      const result = await this.#postLock()
      this.#applyAcquired(result.outcome, result.lock)
    } catch (error) {
      this.#fail(error, () => this.acquire())
    }
  }

  #applyAcquired(outcome: 'held' | 'locked' | 'unavailable', lock: LockInfo): void {
    if (outcome === 'held') {
      this.#held(lock)
      for (const observer of this.#observers) observer.onAcquired?.(lock)
    } else {
      this.#expiresAt = null
      const refused = this.#state.takeOverRefused && lock.holder?.id === this.#state.lock?.holder?.id
      this.#set({ status: outcome, lock, ...(refused ? {} : { error: null, takeOverRefused: false }) })
      this.#scheduleCheck()
    }
  }

  #held(lock: LockInfo): void {
    this.#failures = 0
    this.#lastRefreshAt = Date.now()
    this.#expiresAt = lock.expiresAt?.getTime() ?? null
    if (this.#state.status !== 'held') this.#heldSince = Date.now()
    this.#peer = null
    const holder = lock.holder ? { ...lock.holder, where: 'this-tab' as const } : null
    this.#set({ status: 'held', lock: { ...lock, holder }, error: null, lostReason: null, takeOverRefused: false })
    this.#scheduleRefresh()
    // The server just confirmed the lock is ours: the next ownership check counts from now.
    this.#clearTimer('check')
    this.#scheduleCheck()
    this.#announce()
  }

  #lose(reason: LostReason, lock: LockInfo | null): void {
    this.#clearTimers()
    // Tabs waiting on this one stop waiting (a move to another tab is announced by the move itself).
    if (this.#state.status === 'held' && reason !== 'moved-to-another-tab') this.#hub?.send({ type: 'released', path: this.path })
    this.#peer = null
    this.#expiresAt = null
    this.#set({ status: 'lost', lostReason: reason, ...(lock ? { lock } : {}) })
    for (const observer of this.#observers) observer.onLost?.(reason, lock)
  }

  #becomeReleased(): void {
    this.#expiresAt = null
    this.#set({ status: 'released', lock: unlockedInfo(Date.now()), error: null })
  }

  #fail(error: unknown, retry: () => void): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted') return
    this.#set({ status: 'error', error: lockError })
    if (lockError.transient && this.#wanted()) {
      this.#setTimer('retry', backoffDelay(this.#failures++, lockError.retryAfter), retry)
    }
  }

  #refreshEvery(): number {
    const custom = this.#option('refreshInterval', 0)
    if (custom > 0) return custom
    return refreshDelay(this.#state.lock?.timeout ?? 600)
  }

  #scheduleRefresh(): void {
    if (this.#state.status !== 'held' || this.#expiresAt === null) return
    this.#setTimer('refresh', this.#refreshEvery(), () => void this.refresh())
  }

  #scheduleCheck(): void {
    const status = this.#state.status
    const every = this.#option('checkInterval', DEFAULT_CHECK_INTERVAL)
    // While another tab of ours edits, it watches the server; this one watches that tab.
    if ((status !== 'held' && status !== 'locked') || every === false || !this.#wanted() || this.#peer) {
      this.#clearTimer('check')
      return
    }
    if (this.#timers.has('check')) return
    this.#setTimer('check', Math.min(every, this.#untilHolderLapses() ?? every), () => {
      // Hidden tabs only refresh; the check resumes when the tab is visible again.
      if (focusManager.isFocused()) void this.check()
      else this.#scheduleCheck()
    })
  }

  /**
   * While another user holds the lock: how long until their lock lapses, plus the server's rounding, when that is
   * sooner than the next check (Nick's release leaves a lock that lapses within two seconds). `null` otherwise, and
   * for a lock whose expiry is already past by our clock (the clocks differ): the regular interval applies then.
   */
  #untilHolderLapses(): number | null {
    const expiresAt = this.#state.status === 'locked' ? this.#state.lock?.expiresAt?.getTime() : undefined
    if (expiresAt === undefined) return null
    const left = expiresAt - Date.now()
    return left > 0 ? left + HOLDER_LAPSE_MARGIN : null
  }

  /** By our clock the lock has run out (a sleep, an outage): the server's answer must be checked before trusting it. */
  #pastExpiry(): boolean {
    return this.#expiresAt !== null && Date.now() > this.#expiresAt
  }

  /** The lock ran out or is about to, allowing for the server's whole seconds and its clock. */
  #lapsed(): boolean {
    return this.#expiresAt !== null && Date.now() >= this.#expiresAt - EXPIRY_MARGIN
  }

  #patchLock() {
    // Sent back as they are, since Nick resets both to its defaults otherwise.
    const timeout = this.#state.lock?.timeout
    const options = { stealable: this.#lockOptions().stealable ?? true, ...(timeout ? { timeout } : {}) }
    return this.#client.refresh(this.path, options, { signal: this.#controller.signal })
  }

  async #refresh(): Promise<void> {
    if (this.#state.status !== 'held') return
    this.#clearTimer('refresh')
    this.#clearTimer('retry')
    // After a sleep the lock may be gone or someone else's: look before trusting it.
    if (this.#pastExpiry()) return this.#check()
    try {
      const result = await this.#patchLock()
      if (this.#state.status !== 'held') return
      if (result.outcome === 'held') this.#held(result.lock)
      else if (result.outcome === 'taken-over') this.#lose(this.#lapsed() ? 'expired' : 'taken-over', result.lock)
      else if (result.outcome === 'gone') await this.#gone(result.lock)
      else this.#set({ status: 'unavailable', lock: result.lock })
    } catch (error) {
      this.#refreshFailed(error)
    }
  }

  #refreshFailed(error: unknown): void {
    const lockError = toLockError(error)
    if (lockError.code === 'aborted' || this.#state.status !== 'held') return
    // The lock stays held while it has time; the next try may come after it lapsed, and then finds out.
    this.#set({ error: lockError })
    this.#setTimer('retry', backoffDelay(this.#failures++, lockError.retryAfter), () => void this.refresh())
  }

  /** The server says there is no lock: lapsed (take it again quietly) or removed before its time (lost). */
  async #gone(answer: LockInfo): Promise<void> {
    if (!this.#lapsed()) {
      this.#lose('released-by-server', answer)
      return
    }
    const result = await this.#postLock()
    if (result.outcome === 'held') {
      this.#set({ interruptions: this.#state.interruptions + 1 })
      this.#held(result.lock)
    } else if (result.outcome === 'locked') this.#lose('expired', result.lock)
    else this.#set({ status: 'unavailable', lock: result.lock })
  }

  async #check(): Promise<void> {
    const status = this.#state.status
    if ((status !== 'held' && status !== 'locked') || this.#peer) return
    this.#clearTimer('check')
    this.#lastCheckAt = Date.now()
    try {
      const lock = await this.#client.getLock(this.path, { signal: this.#controller.signal })
      if (this.#state.status !== status) return
      if (status === 'locked') {
        // A refused take-over stays explained while the same holder keeps the lock: asking again gets the same no.
        const refused = this.#state.takeOverRefused && lock.locked && lock.holder?.id === this.#state.lock?.holder?.id
        if (refused) this.#set({ lock })
        else if (lock.locked && !lock.isMine) this.#set({ lock, error: null, takeOverRefused: false })
        else this.#set({ status: 'idle', lock, error: null, takeOverRefused: false })
      } else if (!lock.locked) await this.#gone(lock)
      else if (!lock.isMine) this.#lose(this.#lapsed() ? 'expired' : 'taken-over', lock)
      else if (this.#pastExpiry()) await this.#refreshAfterSleep()
      else this.#set({ error: null })
    } catch (error) {
      if (this.#state.status === 'held') this.#refreshFailed(error)
      else if (toLockError(error).code !== 'aborted' && this.#state.status === status) this.#set({ error: toLockError(error) })
    } finally {
      this.#scheduleCheck()
    }
  }

  async #refreshAfterSleep(): Promise<void> {
    // The server still has our lock although our clock says it lapsed (it stored a longer timeout, or the clocks
    // differ): keep it, refreshing at once.
    this.#expiresAt = Date.now() + 1
    try {
      const result = await this.#patchLock()
      if (result.outcome === 'held') this.#held(result.lock)
      else if (result.outcome === 'taken-over') this.#lose('expired', result.lock)
      else if (result.outcome === 'gone') await this.#gone(result.lock)
    } catch (error) {
      this.#refreshFailed(error)
    }
  }

  async #afterRefusedSave(): Promise<void> {
    let lock: LockInfo | null = null
    try {
      lock = await this.#client.getLock(this.path, { signal: this.#controller.signal })
    } catch {
      // Who holds it now is only shown to the user; the save was refused either way.
    }
    const reason: LostReason = lock?.locked ? (this.#lapsed() ? 'expired' : 'taken-over') : 'released-by-server'
    this.#lose(reason, lock)
  }

  async #release(): Promise<void> {
    const { status, lock } = this.#state
    if (status === 'acquiring' || status === 'error') this.#set({ status: 'idle', error: null })
    if (status !== 'held') return
    this.#clearTimers()
    this.#becomeReleased()
    this.#hub?.send({ type: 'released', path: this.path })
    try {
      const answer = await this.#client.release(this.path, { lock, signal: this.#controller.signal })
      if (answer.locked) this.#host.publish(this.path, { ...answer, token: null })
    } catch (error) {
      const lockError = toLockError(error)
      // The lock lapses on its own; say what happened without pretending we still hold it.
      if (lockError.code !== 'aborted') this.#set({ error: lockError })
    }
  }

  #onVisible(): void {
    const status = this.#state.status
    if (status === 'held') {
      if (Date.now() - this.#lastRefreshAt >= this.#refreshEvery()) void this.refresh()
      else void this.check()
    } else if (status === 'locked') void this.check()
  }

  #onOnline(): void {
    const status = this.#state.status
    if (status === 'held' && (this.#state.error || Date.now() - this.#lastRefreshAt >= this.#refreshEvery())) {
      void this.refresh()
    } else if (status === 'error' && this.#wanted()) void this.acquire()
  }

  async #leave(release: boolean): Promise<void> {
    if (this.#wanted()) return
    this.#started = false
    this.#clearTimers()
    if (release) {
      // Queued behind a lock still being taken; a component that came back meanwhile keeps it.
      await this.#enqueue(async () => {
        if (!this.#wanted()) await this.#release()
      })
    } else if (this.#state.status === 'acquiring') this.#controller.abort()
    if (this.#observers.size === 0 && !this.#wanted()) {
      this.#unsubscribeFocus?.()
      this.#unsubscribeOnline?.()
      this.#unlistenHub?.()
      this.#unsubscribeFocus = this.#unsubscribeOnline = this.#unlistenHub = null
      this.#hub = null
      this.#peer = null
      this.#clearTimer('tab')
      this.#host.dispose(this)
    }
  }

  // ---- the other tabs of this browser ----

  async #joinHub(): Promise<TabHub | null> {
    if (this.#hub || !this.#host.hub) return this.#hub
    const hub = await this.#host.hub()
    if (hub && !this.#hub) {
      this.#hub = hub
      this.#unlistenHub = hub.listen(this.path, (message) => this.#onTabMessage(message))
    }
    return this.#hub
  }

  /** Asks whether another tab edits this item; resolves with its answer, or `null` when none answers in time. */
  async #askTabs(): Promise<TabMessage | null> {
    const hub = await this.#joinHub()
    if (!hub) return null
    hub.send({ type: 'ask', path: this.path })
    return this.#await('editing', TAB_ANSWER)
  }

  #await(type: 'editing' | 'moved', timeout: number): Promise<TabMessage | null> {
    return new Promise((resolve) => {
      const timer = timeoutManager.setTimeout(() => done(null), timeout)
      const done = (message: TabMessage | null) => {
        timeoutManager.clearTimeout(timer)
        if (this.#waiting?.resolve === done) this.#waiting = null
        resolve(message)
      }
      this.#waiting = { type, resolve: done }
    })
  }

  #announce(): void {
    const lock = this.#state.lock
    if (this.#hub && lock && this.#state.status === 'held') {
      this.#hub.send({ type: 'editing', path: this.path, since: this.#heldSince, lock })
      this.#setTimer('tab', TAB_HEARTBEAT, () => this.#announce())
    }
  }

  #lockedByTab(message: Extract<TabMessage, { type: 'editing' | 'moved' }>, from = message.type === 'moved' ? message.to : message.from): void {
    this.#clearTimers()
    this.#expiresAt = null
    this.#peer = { tab: from, since: message.since, lock: message.lock, seenAt: Date.now() }
    const holder = message.lock.holder ? { ...message.lock.holder, isMe: true, where: 'other-tab' as const } : null
    this.#set({ status: 'locked', lock: { ...message.lock, token: null, holder }, error: null })
    this.#watchPeer()
  }

  #watchPeer(): void {
    this.#setTimer('tab', TAB_HEARTBEAT, () => {
      const peer = this.#peer
      if (!peer || this.#state.status !== 'locked') return
      if (Date.now() - peer.seenAt < TAB_GONE) return this.#watchPeer()
      // The editing tab vanished without saying so: give the lock back for it, so nobody waits for it to lapse.
      void this.#enqueue(async () => {
        if (this.#peer !== peer) return
        this.#peer = null
        this.#set({ status: 'idle', lock: unlockedInfo(Date.now()), error: null })
        this.#hub?.send({ type: 'released', path: this.path })
        await this.#client.release(this.path, { lock: peer.lock, signal: this.#controller.signal }).catch((error: unknown) => {
          if (toLockError(error).code !== 'aborted') this.#set({ error: toLockError(error) })
        })
      })
    })
  }

  async #takeFromTab(): Promise<void> {
    const hub = this.#hub
    if (!hub) return
    hub.send({ type: 'take', path: this.path })
    const moved = await this.#await('moved', TAB_HANDOVER)
    if (moved?.type === 'moved') {
      // The editing tab handed the lock over: same server lock, no request, no window for another user.
      this.#peer = null
      this.#held(moved.lock)
      for (const observer of this.#observers) observer.onAcquired?.(moved.lock)
      return
    }
    // The editing tab did not answer: it is gone. The lock is this user's, so the server gives it to us.
    this.#peer = null
    await this.#acquireFromServer()
  }

  #onTabMessage(message: TabMessage): void {
    const { status } = this.#state
    if (this.#waiting?.type === message.type && (message.type !== 'moved' || message.to === this.#hub?.id)) {
      this.#waiting.resolve(message)
      return
    }
    switch (message.type) {
      case 'ask':
        if (status === 'held') this.#announce()
        break
      case 'editing':
        if (status === 'held') {
          // Two tabs took the lock at the same moment: the earlier one edits, the other waits, and the server
          // lock (the same one for both) stays.
          const theirsFirst = message.since < this.#heldSince || (message.since === this.#heldSince && message.from < (this.#hub?.id ?? ''))
          if (theirsFirst) this.#lockedByTab(message)
          else this.#announce()
        } else if (status === 'locked' && this.#peer) {
          this.#lockedByTab(message)
        }
        break
      case 'take':
        // Queued behind any refresh in flight, so that the token handed over is the one Nick issued last.
        void this.#enqueue(async () => {
          const lock = this.#state.lock
          if (this.#state.status !== 'held' || !lock) return
          this.#hub?.send({ type: 'moved', path: this.path, to: message.from, since: Date.now(), lock })
          const holder = lock.holder ? { ...lock.holder, where: 'other-tab' as const } : null
          this.#lose('moved-to-another-tab', { ...lock, token: null, holder })
          // Remember where the edit went, so that this tab can take it back.
          this.#peer = { tab: message.from, since: Date.now(), lock, seenAt: Date.now() }
        })
        break
      case 'moved':
        if (status === 'locked' && this.#peer) this.#lockedByTab(message)
        break
      case 'released':
        if (status === 'locked' && this.#peer?.tab === message.from) {
          this.#peer = null
          this.#clearTimer('tab')
          this.#set({ status: 'idle', lock: unlockedInfo(Date.now()), error: null })
        }
        break
    }
  }
}
