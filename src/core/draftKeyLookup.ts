// Where a form's draft is kept: the key is the API, the current user and the item's normalized path, so a draft is
// never read by another user or for another item; the storage is the one the form names, or `localStorage`.
// Finding the user may take a request, hence the callbacks.
import { DraftError } from './DraftError'
import { defaultDraftStorage } from './draftStore'
import type { DraftKey, DraftStorage } from './draftStore'
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

/** Where one keeper's draft is kept, once found: its storage and its key (`null` until found, or when not). */
export class DraftPlace {
  #key: DraftKey | null = null
  #storage: DraftStorage | null = null
  // Bumped whenever the key is to be found again, so that a user id resolved late for an old key is ignored.
  #run = 0

  get key(): DraftKey | null {
    return this.#key
  }

  get storage(): DraftStorage | null {
    return this.#storage
  }

  /**
   * Opens `storage` (`localStorage` when none is given) and looks up the key of `path`: calls `found` once it is
   * known, or `failed` with the error. A lookup overtaken by `stop` or a later `find` calls neither.
   */
  find(
    client: LockClient,
    path: string,
    storage: DraftStorage | undefined,
    found: (storage: DraftStorage) => void,
    failed: (error: DraftError) => void,
  ): void {
    const run = ++this.#run
    const opened = storage ?? defaultDraftStorage()
    if (opened instanceof DraftError) {
      this.#storage = null
      return failed(opened)
    }
    this.#storage = opened
    lookUpDraftKey(client, path, (key) => {
      if (run !== this.#run) return
      if (key instanceof DraftError) return failed(key)
      this.#key = key
      found(opened)
    })
  }

  /** Has a lookup still running ignored when it answers. */
  stop(): void {
    this.#run += 1
  }

  /** Forgets the key: the form shows another item. */
  forgetKey(): void {
    this.#key = null
  }
}
