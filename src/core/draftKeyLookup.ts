// Where a form's draft is kept: the key is the API, the current user and the item's normalized path, so a draft is
// never read by another user or for another item. Finding the user may take a request, hence the callback.
import { DraftError } from './DraftError'
import type { DraftKey } from './draftStore'
import type { LockClient } from './lockClient'

/**
 * Calls `found` with the draft key of `path`, or with an `unknown-user` error when the client cannot tell who the
 * user is: at once when the client knows its user, otherwise once `getUserId()` settles. Never calls it for a path
 * outside the API (the lock reports the bad path; there is no item to keep a draft of).
 */
export function lookUpDraftKey(client: LockClient, path: string, found: (key: DraftKey | DraftError) => void): void {
  let normalized: string
  try {
    normalized = client.normalizePath(path)
  } catch {
    return
  }
  const settle = (userId: string | null) => {
    if (userId !== null) return found({ apiPath: client.apiPath, userId, path: normalized })
    found(
      new DraftError('unknown-user', process.env.NODE_ENV !== 'production' ? 'The current user is unknown (pass `userId` to createLockClient): no draft is kept.' : ''),
    )
  }
  const known = client.knownUserId
  if (known !== null) return settle(known)
  client.getUserId().then(settle, () => settle(null))
}
