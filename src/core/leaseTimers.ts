import type { TimerFunctions } from './environment'

/** The longest wait any timer of the library is set for: a day. Beyond 2^31 - 1 ms `setTimeout` fires at once. */
export const MAX_DELAY = 86_400_000

/**
 * Named one-shot timers: setting one replaces the previous of that name. Every delay is clamped to
 * [`floor`, {@link MAX_DELAY}], and one that is not a number waits the longest, so that no value from a server or
 * an app can make a timer fire in a loop.
 */
export class NamedTimers<Name extends string> {
  readonly #timers: TimerFunctions
  readonly #ids = new Map<Name, unknown>()

  constructor(timers: TimerFunctions) {
    this.#timers = timers
  }

  set(name: Name, delay: number, callback: () => void, floor = 0): void {
    this.clear(name)
    const wait = Number.isFinite(delay) ? Math.min(Math.max(delay, floor, 0), MAX_DELAY) : MAX_DELAY
    const id = this.#timers.setTimeout(() => {
      this.#ids.delete(name)
      callback()
    }, wait)
    this.#ids.set(name, id)
  }

  has(name: Name): boolean {
    return this.#ids.has(name)
  }

  clear(...names: Name[]): void {
    for (const name of names) {
      if (!this.#ids.has(name)) continue
      this.#timers.clearTimeout(this.#ids.get(name))
      this.#ids.delete(name)
    }
  }

  clearAll(): void {
    this.clear(...this.#ids.keys())
  }
}

/** Runs tasks one at a time, in order; a failing task does not stop the ones after it. */
export class TaskQueue {
  #tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task)
    this.#tail = result.catch(() => undefined)
    return result
  }

  /** Resolves when every task queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined)
  }
}
