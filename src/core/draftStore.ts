import { DraftError } from './DraftError'

/**
 * The part of the Web Storage interface drafts need: `localStorage` and `sessionStorage` fit, and so does any object
 * a test or a native shell supplies.
 */
export interface DraftStorage {
  readonly length: number
  key(index: number): string | null
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Which draft: one item, for one user, on one API. */
export interface DraftKey {
  /** The API's base URL, as the lock client normalizes it. */
  apiPath: string
  userId: string
  /** The content path, as the lock client normalizes it. */
  path: string
}

/** A draft as it is stored: the form's values and what they were based on, nothing else. */
export interface DraftRecord<TValues> {
  values: TValues
  /** When the values were written, ms since the epoch by the local clock. */
  savedAt: number
  /** The version of the item the values were edited from (`modified`, an ETag), or `null` when none was given. */
  base: string | null
  /** When the draft is dropped unread, ms since the epoch. */
  expiresAt: number
}

// Bump the `v1` when the record's shape changes: older records are then ignored, and expire.
const PREFIX = 'react-edit-lock:draft:v1:'

/** Three days, in ms: a long weekend away from the form. */
export const DEFAULT_DRAFT_MAX_AGE = 3 * 24 * 60 * 60 * 1000

/**
 * The storage key of a draft: `react-edit-lock:draft:v1:["<apiPath>","<userId>","<path>"]`. The JSON array keeps
 * the parts apart whatever characters they hold.
 */
export function draftStorageKey(key: DraftKey): string {
  return PREFIX + JSON.stringify([key.apiPath, key.userId, key.path])
}

function parseStorageKey(storageKey: string): DraftKey | null {
  if (!storageKey.startsWith(PREFIX)) return null
  try {
    const parts: unknown = JSON.parse(storageKey.slice(PREFIX.length))
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string')) return null
    const [apiPath, userId, path] = parts as [string, string, string]
    return { apiPath, userId, path }
  } catch {
    return null
  }
}

function isRecord(value: unknown): value is DraftRecord<unknown> {
  if (typeof value !== 'object' || value === null || !('values' in value)) return false
  const { savedAt, base, expiresAt } = value as Partial<DraftRecord<unknown>>
  return (
    typeof savedAt === 'number' && typeof expiresAt === 'number' && (base === null || typeof base === 'string')
  )
}

function storageError(error: unknown, doing: string): DraftError {
  const name = error instanceof Error || (typeof error === 'object' && error !== null) ? (error as { name?: unknown }).name : ''
  const code = (error as { code?: unknown } | null)?.code
  // Browsers name it differently: QuotaExceededError, NS_ERROR_DOM_QUOTA_REACHED (old Firefox), code 22 or 1014.
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014) {
    return new DraftError('quota-exceeded', `The browser's storage is full: ${doing} failed.`, { cause: error })
  }
  if (name === 'SecurityError' || name === 'InvalidAccessError') {
    return new DraftError('unavailable', `The browser does not allow storage here: ${doing} failed.`, { cause: error })
  }
  return new DraftError('write-failed', `${doing} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
}

/**
 * The page's `localStorage`, or a `DraftError` when there is none: on a server, or where reading the property
 * throws (storage disabled, some private modes, a sandboxed frame).
 */
export function defaultDraftStorage(): DraftStorage | DraftError {
  try {
    const storage = (globalThis as { localStorage?: DraftStorage }).localStorage
    if (storage) return storage
  } catch (error) {
    return storageError(error, 'Opening localStorage')
  }
  return new DraftError('unavailable', 'There is no localStorage here: drafts are not kept.')
}

/**
 * Reads a draft. A record that has expired, or that is not a draft this version wrote, is removed and reads as
 * none; a storage that cannot be read throws a `DraftError`.
 */
export function readDraft<TValues>(storage: DraftStorage, key: DraftKey, now: number): DraftRecord<TValues> | null {
  const storageKey = draftStorageKey(key)
  let text: string | null
  try {
    text = storage.getItem(storageKey)
  } catch (error) {
    throw storageError(error, 'Reading the draft')
  }
  if (text === null) return null
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch {
    record = null
  }
  if (!isRecord(record) || record.expiresAt <= now) {
    removeDraft(storage, key)
    return null
  }
  return record as DraftRecord<TValues>
}

/** Serializes values as a draft would store them; throws `DraftError('unserializable')` when JSON cannot hold them. */
export function serializeValues(values: unknown): string {
  try {
    const text = JSON.stringify(values)
    // `undefined`, a function or a symbol at the top: nothing would be stored.
    if (text === undefined) throw new TypeError(`${typeof values} is not JSON`)
    return text
  } catch (error) {
    throw new DraftError('unserializable', `The form's values cannot be stored as JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    })
  }
}

/**
 * Writes a draft from values already serialized with {@link serializeValues}. Throws a `DraftError` when the storage
 * refuses (full, disabled).
 */
export function writeDraft(storage: DraftStorage, key: DraftKey, serializedValues: string, meta: Omit<DraftRecord<unknown>, 'values'>): void {
  // Built as text so that the values are serialized once, by the caller that compares them.
  const text = `{"values":${serializedValues},"savedAt":${meta.savedAt},"base":${JSON.stringify(meta.base)},"expiresAt":${meta.expiresAt}}`
  try {
    storage.setItem(draftStorageKey(key), text)
  } catch (error) {
    throw storageError(error, 'Writing the draft')
  }
}

/** Removes a draft; a storage that refuses is left as it is (there is nothing else to do about it). */
export function removeDraft(storage: DraftStorage, key: DraftKey): void {
  try {
    storage.removeItem(draftStorageKey(key))
  } catch {
    // A storage that cannot be written to holds no newer draft of ours either.
  }
}

function draftKeys(storage: DraftStorage): string[] {
  const keys: string[] = []
  try {
    for (let index = 0; index < storage.length; index++) {
      const key = storage.key(index)
      if (key?.startsWith(PREFIX)) keys.push(key)
    }
  } catch {
    // Unreadable storage: nothing of ours to find.
  }
  return keys
}

/** Removes every draft that has expired (or that this version cannot read), whoever wrote it. */
export function removeExpiredDrafts(storage: DraftStorage, now: number): void {
  for (const storageKey of draftKeys(storage)) {
    const key = parseStorageKey(storageKey)
    if (key) readDraft(storage, key, now)
    else removeStoredKey(storage, storageKey)
  }
}

function removeStoredKey(storage: DraftStorage, storageKey: string): void {
  try {
    storage.removeItem(storageKey)
  } catch {
    // As in removeDraft.
  }
}

export interface ClearDraftsOptions {
  /** Only the drafts kept for this API (a lock client's `apiPath`). Defaults to every API. */
  apiPath?: string
  /** Only this user's drafts. Defaults to every user's. */
  userId?: string
  /** Where the drafts are kept. Defaults to `localStorage`. */
  storage?: DraftStorage
}

/**
 * Removes the drafts this library keeps in the browser: all of them by default, as a logout on a shared computer
 * should; `apiPath` and `userId` narrow it down. Returns how many were removed; never throws.
 *
 * @example
 * ```ts
 * async function logOut() {
 *   clearDrafts()
 *   await session.end()
 * }
 * ```
 */
export function clearDrafts(options: ClearDraftsOptions = {}): number {
  const storage = options.storage ?? defaultDraftStorage()
  if (storage instanceof DraftError) return 0
  let removed = 0
  for (const storageKey of draftKeys(storage)) {
    const key = parseStorageKey(storageKey)
    if (key && options.apiPath !== undefined && key.apiPath !== options.apiPath) continue
    if (key && options.userId !== undefined && key.userId !== options.userId) continue
    if (!key && (options.apiPath !== undefined || options.userId !== undefined)) continue
    removeStoredKey(storage, storageKey)
    removed += 1
  }
  return removed
}
