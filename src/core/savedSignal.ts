import type { LockClient } from './lockClient'

type SavedListener = (path: string) => void

// Per client, so that a save under one provider (one user, one API) never clears another's drafts. A WeakMap, so a
// client dropped after a logout takes its listeners with it. Kept this small because every edit form bundles
// `notifySaved`, drafts or not.
const listeners = new WeakMap<LockClient, Set<SavedListener>>()

/** Tells whoever listens on `client` that the content at `path` (as the save was given it) was saved. */
export function notifySaved(client: LockClient, path: string): void {
  listeners.get(client)?.forEach((listener) => listener(path))
}

/**
 * Calls `listener` with the path of every successful save made through `client` (by `useLockedSave`), as the save
 * was given it: compare normalized paths. Returns the function that stops listening.
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
