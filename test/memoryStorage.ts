import type { DraftStorage } from '../src'

/** A storage of one test's own, as `localStorage` behaves, that counts its writes and can be made to fail. */
export class MemoryStorage implements DraftStorage {
  readonly #items = new Map<string, string>()
  writes = 0
  /** Set to an error to make `setItem` throw it, as a full or disabled storage does. */
  failWrites: Error | null = null
  /** Set to an error to make `getItem` throw it. */
  failReads: Error | null = null

  get length(): number {
    return this.#items.size
  }

  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null
  }

  getItem(key: string): string | null {
    if (this.failReads) throw this.failReads
    return this.#items.get(key) ?? null
  }

  setItem(key: string, value: string): void {
    if (this.failWrites) throw this.failWrites
    this.writes += 1
    this.#items.set(key, String(value))
  }

  removeItem(key: string): void {
    this.#items.delete(key)
  }

  keys(): string[] {
    return [...this.#items.keys()]
  }
}

export function quotaExceeded(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError')
}
