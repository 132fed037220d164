import type { LockResult } from '../core/lockResult'
import { shallowEqual } from './shallowEqual'

/**
 * Decides when a `useLock` component needs to re-render. With `select`, when the selection changes (shallowly).
 * Without, when a field the component read during render changes, like TanStack Query's tracked results; reads
 * after the render (event handlers, tests) are not tracked, and a component that read nothing hears every change.
 */
export class ResultTracker<TSelected> {
  readonly #keys = new Set<PropertyKey>()
  readonly #current: () => LockResult
  #rendering = true
  #shown: { result: LockResult; select: unknown; value: unknown } | null = null

  /** `current` returns the observer's result as it is now. */
  constructor(current: () => LockResult) {
    this.#current = current
  }

  beginRender(): void {
    this.#rendering = true
  }

  endRender(): void {
    this.#rendering = false
  }

  shouldNotify(next: LockResult): boolean {
    const shown = this.#shown?.result
    return !shown || this.#keys.size === 0 || this.#changed(shown, next)
  }

  snapshot(result: LockResult, select: ((result: LockResult) => TSelected) | undefined): TSelected | LockResult {
    const shown = this.#shown
    // Keyed by the selector too: one that closes over props must run again when they change.
    if (shown && shown.result === result && shown.select === select) return shown.value as TSelected | LockResult
    if (select) {
      const value = select(result)
      const keep = shown !== null && shown.select !== undefined && shallowEqual(shown.value, value)
      this.#shown = { result, select, value: keep ? shown.value : value }
    } else if (shown && shown.select === undefined && this.#keys.size > 0 && !this.#changed(shown.result, result)) {
      // Nothing the component read has changed: the same view keeps React from rendering again. The view reads
      // the current result, so a field read for the first time (or in an event handler) is never stale.
      this.#shown = { result, select, value: shown.value }
    } else {
      this.#shown = { result, select, value: this.#view() }
    }
    return this.#shown.value as TSelected | LockResult
  }

  #changed(a: LockResult, b: LockResult): boolean {
    for (const key of this.#keys) {
      if (!Object.is(a[key as keyof LockResult], b[key as keyof LockResult])) return true
    }
    return false
  }

  #view(): LockResult {
    const read = (key: PropertyKey): unknown => {
      const value: unknown = Reflect.get(this.#current(), key)
      if (this.#rendering && typeof value !== 'function') this.#keys.add(key)
      return value
    }
    return new Proxy({} as LockResult, {
      get: (_target, key) => read(key),
      has: (_target, key) => key in this.#current(),
      ownKeys: () => Reflect.ownKeys(this.#current()),
      getOwnPropertyDescriptor: (_target, key) =>
        key in this.#current() ? { value: read(key), enumerable: true, configurable: true, writable: false } : undefined,
    })
  }
}
