import { browserEnvironment } from './environment'
import type { LeaseEnvironment } from './environment'
import type { LockClient } from './lockClient'
import { LockLease } from './lockLease'
import type { LeaseHost } from './lockLease'
import { TabHub } from './tabHub'
import type { TabChannelFactory } from './tabHub'
import type { LockInfo } from './types'

export interface LeaseRegistryOptions {
  /** Called whenever a lease learns the lock of its path (without the token), e.g. to update a query cache. */
  onLockChange?: (path: string, lock: LockInfo) => void
  /**
   * Coordinate the tabs of this browser, so that one person editing the same item in two tabs edits it in one:
   * `true` uses the environment's channel (`BroadcastChannel` in a browser), a function supplies another channel,
   * `false` turns it off. Defaults to `true`.
   */
  tabs?: boolean | TabChannelFactory
  /** Clock, timers, visibility, connection, page lifecycle and tab channel. Defaults to the browser's own. */
  environment?: LeaseEnvironment
}

/**
 * The leases of one client, one per path, so that every observer of the same item shares one lock. Also owns the
 * page lifecycle listeners: `pagehide` gives held locks back, `pageshow` from the back/forward cache takes them again.
 */
export class LeaseRegistry implements LeaseHost {
  #client: LockClient
  readonly env: LeaseEnvironment
  readonly #leases = new Map<string, LockLease>()
  readonly #onLockChange: LeaseRegistryOptions['onLockChange']
  readonly #tabs: boolean | TabChannelFactory
  readonly #hubs = new Map<string, TabHub | null>()
  #detachPage: (() => void) | null = null
  /** The path each mounted observer renders, and who waits for a lease of a path to appear. */
  readonly #intents = new Map<object, string>()
  readonly #waiters = new Map<string, Set<() => void>>()

  constructor(client: LockClient, options: LeaseRegistryOptions = {}) {
    this.#client = client
    this.#onLockChange = options.onLockChange
    this.#tabs = options.tabs ?? true
    this.env = options.environment ?? browserEnvironment()
  }

  get client(): LockClient {
    return this.#client
  }

  /**
   * Sends every lease's next request with another client. A lease whose lock was taken by another user than the
   * new client's drops that user's token before its next request (see the lease's user check).
   */
  setClient(client: LockClient): void {
    this.#client = client
  }

  /**
   * This tab's end of the channel to the other tabs of the same API and `user`; `null` when there is none. A tab
   * whose login changes joins the new user's channel for the new user's locks.
   */
  hub(user: string): TabHub | null {
    if (!this.#hubs.has(user)) {
      const open = typeof this.#tabs === 'function' ? this.#tabs : this.#tabs ? this.env.tabChannel : null
      // Tabs of different users or APIs must never coordinate: both are in the channel's name.
      const channel = open?.(`react-edit-lock:${this.client.apiPath}:${user}`)
      this.#hubs.set(user, channel ? new TabHub(channel, user) : null)
    }
    return this.#hubs.get(user) ?? null
  }

  /** The lease of a path, created when there is none. Throws `invalid-path` for a path outside the API. */
  get(path: string): LockLease {
    const key = this.client.normalizePath(path)
    let lease = this.#leases.get(key)
    if (!lease) {
      lease = new LockLease(key, this)
      this.#leases.set(key, lease)
      this._attachPage()
      this._wake(key)
    }
    return lease
  }

  /** The lease of a path if one exists; never creates one. */
  peek(path: string): LockLease | undefined {
    return this.#leases.get(this.client.normalizePath(path))
  }

  get size(): number {
    return this.#leases.size
  }

  /** Notes the path a mounted observer renders (`null`: it left), so that a save can wait for that path's lease. */
  intend(observer: object, path: string | null): void {
    let key: string | null = null
    try {
      key = path === null ? null : this.client.normalizePath(path)
    } catch {
      // An invalid path has no lease to wait for.
    }
    const before = this.#intents.get(observer)
    if (key === null) this.#intents.delete(observer)
    else this.#intents.set(observer, key)
    if (before !== undefined && before !== key) this._wake(before)
  }

  /**
   * The lease a save of `path` goes through: the existing one, or, while a mounted observer is moving to that path,
   * the one it is about to create; `null` when no observer uses the path.
   */
  async leaseFor(path: string): Promise<LockLease | null> {
    const key = this.client.normalizePath(path)
    for (;;) {
      const lease = this.#leases.get(key)
      if (lease) return lease
      if (![...this.#intents.values()].includes(key)) return null
      await new Promise<void>((resolve) => {
        const set = this.#waiters.get(key) ?? new Set()
        set.add(resolve)
        this.#waiters.set(key, set)
      })
    }
  }

  private _wake(key: string): void {
    const set = this.#waiters.get(key)
    this.#waiters.delete(key)
    for (const resolve of set ?? []) resolve()
  }

  publish(path: string, lock: LockInfo): void {
    this.#onLockChange?.(path, lock)
  }

  dispose(lease: LockLease): void {
    if (this.#leases.get(lease.path) === lease) this.#leases.delete(lease.path)
    if (this.#leases.size === 0) {
      this.#detachPage?.()
      this.#detachPage = null
      for (const hub of this.#hubs.values()) hub?.close()
      this.#hubs.clear()
    }
  }

  private _attachPage(): void {
    if (this.#detachPage) return
    this.#detachPage = this.env.onPageLifecycle(
      () => {
        for (const lease of this.#leases.values()) lease.pageHide()
      },
      () => {
        for (const lease of this.#leases.values()) lease.pageShow()
      },
    )
  }
}
