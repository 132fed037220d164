import type { LockClient } from './lockClient'
import { LockLease } from './lockLease'
import type { LeaseHost } from './lockLease'
import { browserTabChannel, TabHub } from './tabHub'
import type { TabChannelFactory } from './tabHub'
import type { LockInfo } from './types'

export interface LeaseRegistryOptions {
  /** Called whenever a lease learns the lock of its path (without the token), e.g. to update a query cache. */
  onLockChange?: (path: string, lock: LockInfo) => void
  /**
   * Coordinate the tabs of this browser, so that one person editing the same item in two tabs edits it in one:
   * `true` uses `BroadcastChannel` where the browser has it, a function supplies another channel, `false` turns it
   * off. Defaults to `true`.
   */
  tabs?: boolean | TabChannelFactory
}

/**
 * The leases of one client, one per path, so that every component editing the same item shares one lock. Also
 * owns the page lifecycle listeners: `pagehide` gives held locks back, `pageshow` from the back/forward cache
 * takes them again.
 */
export class LeaseRegistry implements LeaseHost {
  #client: LockClient
  readonly #leases = new Map<string, LockLease>()
  readonly #onLockChange: LeaseRegistryOptions['onLockChange']
  readonly #tabs: boolean | TabChannelFactory
  #hub: Promise<TabHub | null> | null = null
  #detachPage: (() => void) | null = null

  constructor(client: LockClient, options: LeaseRegistryOptions = {}) {
    this.#client = client
    this.#onLockChange = options.onLockChange
    this.#tabs = options.tabs ?? true
  }

  get client(): LockClient {
    return this.#client
  }

  /**
   * Sends every lease's next request with another client of the same API and user (a renewed login). For another
   * user or API, give the provider a new `key` instead: those leases must not carry over.
   */
  setClient(client: LockClient): void {
    this.#client = client
  }

  /** This tab's end of the channel to the other tabs of the same API and user; `null` when there is none. */
  hub(): Promise<TabHub | null> {
    this.#hub ??= this.#openHub()
    return this.#hub
  }

  async #openHub(): Promise<TabHub | null> {
    if (this.#tabs === false) return null
    const open = typeof this.#tabs === 'function' ? this.#tabs : browserTabChannel
    // Tabs of different users or APIs must never coordinate: both are in the channel's name.
    const user = await this.client.getUserId().catch(() => null)
    if (user === null) return null
    const channel = open(`react-edit-lock:${this.client.apiPath}:${user}`)
    return channel ? new TabHub(channel) : null
  }

  /** The lease of a path, created when there is none. Throws `invalid-path` for a path outside the API. */
  get(path: string): LockLease {
    const key = this.client.normalizePath(path)
    let lease = this.#leases.get(key)
    if (!lease) {
      lease = new LockLease(key, this)
      this.#leases.set(key, lease)
      this.#attachPage()
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

  publish(path: string, lock: LockInfo): void {
    this.#onLockChange?.(path, lock)
  }

  dispose(lease: LockLease): void {
    if (this.#leases.get(lease.path) === lease) this.#leases.delete(lease.path)
    if (this.#leases.size === 0) {
      this.#detachPage?.()
      this.#detachPage = null
      const hub = this.#hub
      this.#hub = null
      void hub?.then((h) => h?.close())
    }
  }

  #attachPage(): void {
    if (this.#detachPage || typeof window === 'undefined' || typeof window.addEventListener !== 'function') return
    const onHide = () => {
      for (const lease of this.#leases.values()) lease.pageHide()
    }
    const onShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return
      for (const lease of this.#leases.values()) lease.pageShow()
    }
    window.addEventListener('pagehide', onHide)
    window.addEventListener('pageshow', onShow)
    this.#detachPage = () => {
      window.removeEventListener('pagehide', onHide)
      window.removeEventListener('pageshow', onShow)
    }
  }
}
