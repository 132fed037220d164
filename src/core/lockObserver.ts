import { toLockError } from './LockError'
import type { LeaseRegistry } from './leaseRegistry'
import { INITIAL_STATE } from './leaseMachine'
import type { LeaseState } from './leaseMachine'
import { validateLeaseOptions } from './leaseOptions'
import type { LeaseOptions } from './leaseOptions'
import type { LockLease } from './lockLease'
import { lockResult } from './lockResult'
import type { LockActions, LockResult } from './lockResult'
import type { LeaseObserver } from './observerSet'

// What an enabled observer shows before it joins its lease: the lock is about to be asked for, so the first render
// must not look editable.
const ACQUIRING: LeaseState = { ...INITIAL_STATE, status: 'acquiring' }

function inputError(error: unknown, code: 'invalid-path' | 'invalid-option'): LeaseState {
  // A bad path or option is the caller's input: show it as an error, send nothing.
  return { ...INITIAL_STATE, status: 'error', error: toLockError(error, code) }
}

/**
 * One component's view of a lock: holds its options and callbacks, joins the shared lease of its path while
 * subscribed, and derives a stable result object for it. The result follows the path it is asked about at once
 * ({@link getOptimisticResult}), before the observer has moved to that path's lease.
 */
export class LockObserver implements LeaseObserver {
  options: LeaseOptions
  readonly #registry: LeaseRegistry
  #path: string
  #lease: LockLease | null = null
  #leave: (() => void) | null = null
  #unlisten: (() => void) | null = null
  readonly #listeners = new Set<() => void>()
  #state: LeaseState | null = null
  #result: LockResult
  #optionError: LeaseState | null = null
  #pathError: LeaseState | null = null
  #intended: string | null = null
  #rendered: { path: string; options: LeaseOptions } | null = null
  #optimistic: { path: string; state: LeaseState; result: LockResult } | null = null
  readonly #actions: LockActions

  constructor(registry: LeaseRegistry, path: string, options: LeaseOptions = {}) {
    this.#registry = registry
    this.#path = path
    this.options = options
    this.#optionError = this._validate(options)
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
    this.#result = lockResult(this._currentState(), this.#actions)
  }

  /** Takes new options (and possibly a new path) from the latest render. */
  setOptions(path: string, options: LeaseOptions): void {
    const previous = this.options
    this.options = options
    const optionError = this._validate(options)
    if (path !== this.#path || (optionError === null) !== (this.#optionError === null)) {
      this.#path = path
      this.#pathError = null
      this.#optionError = optionError
      if (this.#listeners.size > 0) {
        this._disconnect()
        this._connect()
      }
      this._update()
    } else if (this.#lease && (previous.enabled !== options.enabled || previous.stealable !== options.stealable)) {
      this.#lease.reconcile()
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    if (this.#listeners.size === 1) this._connect()
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this._disconnect()
    }
  }

  getCurrentResult = (): LockResult => {
    const state = this._currentState()
    if (state !== this.#state) {
      this.#state = state
      this.#result = lockResult(state, this.#actions)
    }
    return this.#result
  }

  /**
   * The result for `path` as it will be once the observer follows it (an effect moves it there): for the current
   * path the current result; for another, the state of that path's lease if there is one, else `acquiring` (or
   * `idle` when disabled). Never the old path's state.
   */
  getOptimisticResult(path: string, options: LeaseOptions): LockResult {
    this.#rendered = { path, options }
    this._intend(path)
    if (path === this.#path) return this.getCurrentResult()
    const cached = this.#optimistic
    let state: LeaseState
    try {
      state = this.#registry.peek(path)?.getSnapshot() ?? (options.enabled === false ? INITIAL_STATE : ACQUIRING)
    } catch (error) {
      state = cached?.path === path && cached.state.status === 'error' ? cached.state : inputError(error, 'invalid-path')
    }
    if (cached?.path !== path || cached.state !== state) this.#optimistic = { path, state, result: lockResult(state, this.#actions) }
    return this.#optimistic!.result
  }

  /** The result for the path and options last passed to {@link getOptimisticResult}. */
  getRenderedResult = (): LockResult => {
    const rendered = this.#rendered
    return rendered ? this.getOptimisticResult(rendered.path, rendered.options) : this.getCurrentResult()
  }

  private _validate(options: LeaseOptions): LeaseState | null {
    try {
      validateLeaseOptions(options)
      return null
    } catch (error) {
      return inputError(error, 'invalid-option')
    }
  }

  private _currentState(): LeaseState {
    if (this.#optionError) return this.#optionError
    if (this.#pathError) return this.#pathError
    if (this.#lease) return this.#lease.getSnapshot()
    try {
      return this.#registry.peek(this.#path)?.getSnapshot() ?? (this.options.enabled === false ? INITIAL_STATE : ACQUIRING)
    } catch (error) {
      this.#pathError = inputError(error, 'invalid-path')
      return this.#pathError
    }
  }

  /** Tells the registry which path this mounted observer renders, so that a save of that path can wait for it. */
  private _intend(path: string | null): void {
    if (path !== null && this.#listeners.size === 0) return
    if (path === this.#intended) return
    this.#intended = path
    this.#registry.intend(this, path)
  }

  private _connect(): void {
    this._intend(this.#path)
    if (this.#optionError) return
    let lease: LockLease
    try {
      lease = this.#registry.get(this.#path)
    } catch (error) {
      this.#pathError = inputError(error, 'invalid-path')
      this._update()
      return
    }
    this.#lease = lease
    this.#unlisten = lease.subscribe(() => this._update())
    this.#leave = lease.observe(this)
    this._update()
  }

  private _disconnect(): void {
    this._intend(null)
    this.#unlisten?.()
    this.#leave?.()
    this.#unlisten = this.#leave = null
    this.#lease = null
  }

  private _update(): void {
    const before = this.#result
    if (this.getCurrentResult() !== before) for (const listener of this.#listeners) listener()
  }
}
