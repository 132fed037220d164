import type { DraftStorage } from '../../src'

/**
 * A browser's storage for one demo screen. Each screen of a demo stands for a browser of its own, and a story starts
 * from a clean one, so drafts live here rather than in this page's `localStorage` (a real app keeps the default).
 */
export function createMemoryStorage(): DraftStorage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  }
}
