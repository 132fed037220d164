import type { LockClient } from './lockClient'

type SavedListener = (path: string) => void

// Per client, so that a save under one provider (one user, one API) never clears another's drafts. A WeakMap, so a
// client dropped after a logout takes its listeners with it.
const listeners = new WeakMap<LockClient, Set<SavedListener>>()

function normalized(client: LockClient, path: string): string | null {
  try {
    return client.normalizePath(path)
  } catch {
    return null
  }
}

/** Tells whoever listens on `client` that the content at `path` was saved. */
export function notifySaved(client: LockClient, path: string): void {
  const set = listeners.get(client)
  if (!set || set.size === 0) return
  const key = normalized(client, path)
  if (key === null) return
  for (const listener of [...set]) listener(key)
}

/**
 * Calls `listener` with the normalized path of every successful save made through `client` (by `useLockedSave`).
 * Returns the function that stops listening.
 */
export function onSaved(client: LockClient, listener: SavedListener): () => void {
  let set = listeners.get(client)
  if (!set) listeners.set(client, (set = new Set()))
  const entry: SavedListener = (path) => listener(path)
  set.add(entry)
  return () => {
    set.delete(entry)
  }
}
