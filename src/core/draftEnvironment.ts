// The keeper's ties to the outside world: the clock, the timers and the page going away (which has the pending
// draft written at once), plus the save signal of the lock client. Kept apart so tests and other hosts can supply
// their own environment without reading the keeper.
import type { LockClient } from './lockClient'
import { onSaved } from './savedSignal'

/** Clock, timers and page events, handed in so that tests, servers and other frameworks can supply their own. */
export interface DraftEnvironment {
  now: () => number
  setTimeout: (callback: () => void, ms: number) => unknown
  clearTimeout: (id: unknown) => void
  /** Calls `listener` when the page is hidden or goes away; returns the function that stops it. */
  onPageHide: (listener: () => void) => () => void
}

export const browserDraftEnvironment: DraftEnvironment = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  onPageHide(listener) {
    if (typeof window === 'undefined' || typeof document === 'undefined') return () => {}
    // Mobile browsers may kill a hidden tab without `pagehide`: being hidden is the last sure moment.
    const onVisibility = () => document.visibilityState === 'hidden' && listener()
    window.addEventListener('pagehide', listener)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', listener)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  },
}

/**
 * Listens while a keeper is connected: `flush` when the page is hidden or goes away, `saved` with the normalized
 * path of each save through `client` (`null` for a path outside its API). Returns the function that stops both.
 */
export function listenForDraft(
  env: DraftEnvironment,
  client: LockClient,
  flush: () => void,
  saved: (normalizedPath: string | null) => void,
): () => void {
  const stopPageHide = env.onPageHide(flush)
  const stopSaved = onSaved(client, (path) => {
    let normalized: string | null = null
    try {
      normalized = client.normalizePath(path)
    } catch {
      // Not a path below the API: not this draft's item.
    }
    saved(normalized)
  })
  return () => {
    stopPageHide()
    stopSaved()
  }
}

/** A draft write waiting for the end of the throttle, on the environment's timers. */
export class PendingWrite {
  /** A change is waiting to be written. */
  pending = false
  #timer: unknown = null
  readonly #env: DraftEnvironment
  readonly #write: () => void

  constructor(env: DraftEnvironment, write: () => void) {
    this.#env = env
    this.#write = write
  }

  /** Marks a change as pending and has it written after `ms`, unless a timer runs already. */
  schedule(ms: number): void {
    this.pending = true
    if (this.#timer !== null) return
    this.#timer = this.#env.setTimeout(() => {
      this.#timer = null
      this.#write()
    }, ms)
  }

  /** Stops the timer and forgets the change; returns whether one was pending. */
  take(): boolean {
    if (this.#timer !== null) {
      this.#env.clearTimeout(this.#timer)
      this.#timer = null
    }
    const pending = this.pending
    this.pending = false
    return pending
  }
}
