'use client'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { DraftKeeper } from '../core/draftKeeper'
import type { DraftOptions, DraftResult, DraftServerState } from '../core/draftKeeper'
import { useLockContext } from './LockProvider'

export interface UseDraftOptions<TValues> extends DraftOptions<TValues> {
  /**
   * The item as last fetched, in the form's shape, with its version: `{ values, version: content.modified }`.
   * `null` or `undefined` while it loads: nothing is offered or written until the form shows what it starts from.
   */
  server: DraftServerState<TValues> | null | undefined
}

/**
 * Keeps a backup of a form's values in this browser, for the current user on the provider's API, so that a lost
 * lock, a reload or a crash loses nothing. Writes while the lock is held (throttled, and at once when the page goes
 * away), offers a stored draft back when the form opens, says when the item changed on the server since the values
 * on screen were edited from it, and removes the draft after a successful `useLockedSave` of the same path.
 *
 * @example
 * ```tsx
 * const content = useContent(path) // your content query
 * const lock = useLock(path)
 * const [title, setTitle] = useState<string | null>(null)
 * const server = content.data && { values: { title: content.data.title }, version: content.data.modified }
 * const values = { title: title ?? server?.values.title ?? '' }
 * const draft = useDraft(path, values, { server, lock })
 *
 * {draft.offer && (
 *   <p>
 *     Unsaved changes from {draft.offer.savedAt.toLocaleString()}
 *     {draft.offer.changedSince && ', and the item has changed since'}.
 *     <button onClick={() => setTitle(draft.offer!.restore().title)}>Restore</button>
 *     <button onClick={draft.offer.discard}>Discard</button>
 *   </p>
 * )}
 * <button disabled={!lock.canSave || draft.checking || draft.changedOnServer}>Save</button>
 * ```
 */
export function useDraft<TValues>(path: string, values: TValues, options: UseDraftOptions<NoInfer<TValues>>): DraftResult<TValues> {
  const { client } = useLockContext()
  const { server, ...draftOptions } = options
  const input = { client, path, values, server, options: draftOptions }
  const [keeper] = useState(() => new DraftKeeper<TValues>(input))

  useEffect(() => {
    keeper.setInput(input)
  })

  return useSyncExternalStore(keeper.subscribe, keeper.getResult, keeper.getResult)
}
