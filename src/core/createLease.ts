import type { LeaseEnvironment } from './environment'
import type { LeaseState } from './leaseMachine'
import { validateLeaseOptions } from './leaseOptions'
import type { LeaseOptions } from './leaseOptions'
import { LeaseRegistry } from './leaseRegistry'
import type { LockClient } from './lockClient'
import type { TabChannelFactory } from './tabHub'

export interface CreateLeaseOptions extends LeaseOptions {
  /**
   * Coordinate this browser's tabs (same API, same user) so that one of them edits the item. Defaults to `true`
   * (`BroadcastChannel` where there is one).
   */
  tabs?: boolean | TabChannelFactory
  /** Clock, timers, visibility, connection, page lifecycle and tab channel. Defaults to the browser's own. */
  environment?: LeaseEnvironment
}

/** The lock of one item, for code that is not React: take it, watch it, save with it, give it back. */
export interface Lease {
  readonly path: string
  /** The current state; a new object after each change. */
  getState(): LeaseState
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: (state: LeaseState) => void): () => void
  /** Takes the lock again (after an error, a release or a loss). Never rejects: failures are in the state. */
  acquire(): Promise<LeaseState>
  refresh(): Promise<LeaseState>
  release(): Promise<LeaseState>
  takeOver(): Promise<LeaseState>
  /** Call on input: checks, at most once per `touchInterval`, that the lock is still ours. */
  touch(): void
  /**
   * Runs `send` with the lock's token, or rejects with `LockError('not-held')` without running it. Gives the lock
   * back after a successful save unless `release` is `false`.
   */
  save<T>(send: (token: string | null) => Promise<T>, options?: { release?: boolean }): Promise<T>
  /** Gives the lock back (unless `releaseOnUnmount: false`) and stops every timer and listener. */
  dispose(): Promise<void>
}

/**
 * Takes the lock of `path` with `client` at once, and keeps it until {@link Lease.dispose}: refreshes it, checks
 * who holds it, gives it back when the page goes away. Throws `invalid-option` or `invalid-path` for bad input.
 *
 * @example
 * ```ts
 * const lease = createLease(client, '/news/item', { onLost: (reason) => showBanner(reason) })
 * const stop = lease.subscribe((state) => (form.readOnly = state.status !== 'held'))
 * await lease.save((token) => saveWithLock(client, '/news/item', { title }, { token }))
 * stop()
 * await lease.dispose()
 * ```
 */
export function createLease(client: LockClient, path: string, options: CreateLeaseOptions = {}): Lease {
  const { tabs, environment, ...leaseOptions } = options
  validateLeaseOptions(leaseOptions)
  const registry = new LeaseRegistry(client, { ...(tabs === undefined ? {} : { tabs }), ...(environment ? { environment } : {}) })
  const lease = registry.get(path)
  const leave = lease.observe({ options: leaseOptions })
  return {
    path: lease.path,
    getState: lease.getSnapshot,
    subscribe: (listener) => lease.subscribe(() => listener(lease.getSnapshot())),
    acquire: () => lease.acquire(),
    refresh: () => lease.refresh(),
    release: () => lease.release(),
    takeOver: () => lease.takeOver(),
    touch: () => lease.touch(),
    save: (send, saveOptions) => lease.save(send, saveOptions),
    dispose: async () => {
      if (leaseOptions.releaseOnUnmount !== false) await lease.release()
      leave()
      lease.dispose()
    },
  }
}
