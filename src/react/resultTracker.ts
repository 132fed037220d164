import type { LockResult } from '../core/lockObserver'
import { shallowEqual } from './shallowEqual'

/**
 * Decides when a `useLock` component needs to re-render. With `select`, when the selection changes (shallowly).
 * Without, when a field the component read during render changes, like TanStack Query's tracked results; reads
 * after the render (event handlers, tests) are not tracked, and a component that read nothing hears every change.
 */
export class ResultTracker<TSelected> {
  readonly #keys = new Set<PropertyKey>()
  #rendering = true
  #last: { result: LockResult; value: unknown } | null = null

  beginRender(): void {
    this.#rendering = true
  }

  endRender(): void {
    this.#rendering = false
  }

  shouldNotify(next: LockResult): boolean {
    const last = this.#last?.result
    if (!last || this.#keys.size === 0) return true
    for (const key of this.#keys) {
      if (!Object.is(last[key as keyof LockResult], next[key as keyof LockResult])) return true
    }
    return false
  }

  snapshot(result: LockResult, select: ((result: LockResult) => TSelected) | undefined): TSelected | LockResult {
    const last = this.#last
    if (last && last.result === result) return last.value as TSelected | LockResult
    if (select) {
      const value = select(result)
      const keep = last !== null && shallowEqual(last.value, value)
      this.#last = { result, value: keep ? last.value : value }
    } else {
      this.#last = { result, value: this.#track(result) }
    }
    return this.#last.value as TSelected | LockResult
  }

  #track(result: LockResult): LockResult {
    return new Proxy(result, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver)
        if (this.#rendering && typeof value !== 'function') this.#keys.add(key)
        return value
      },
    })
  }
}
