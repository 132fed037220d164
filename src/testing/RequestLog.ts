import type { LogEntry } from './types'

/** The answered requests of one server, for assertions and request-log panels. */
export class RequestLog {
  #entries: readonly LogEntry[] = []
  #nextId = 1
  readonly #listeners = new Set<(entry: LogEntry) => void>()

  /** A new array after every change, so that UIs can compare by identity. */
  get entries(): readonly LogEntry[] {
    return this.#entries
  }

  add(fields: Omit<LogEntry, 'id' | 'time'>): LogEntry {
    const entry = Object.freeze({ id: this.#nextId++, time: Date.now(), ...fields })
    this.#entries = [...this.#entries, entry]
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry)
      } catch (error) {
        // A failing listener must not turn the simulated answer into msw's 500; report it on its own.
        queueMicrotask(() => {
          throw error
        })
      }
    }
    return entry
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  clear(): void {
    this.#entries = []
  }

  /** Empties the log and numbers from 1 again; listeners stay. */
  reset(): void {
    this.#entries = []
    this.#nextId = 1
  }
}
