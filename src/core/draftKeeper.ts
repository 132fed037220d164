import { DraftError } from './DraftError'
import {
  DEFAULT_DRAFT_MAX_AGE,
  defaultDraftStorage,
  readDraft,
  removeDraft,
  removeExpiredDrafts,
  serializeValues,
  writeDraft,
} from './draftStore'
import type { DraftKey, DraftRecord, DraftStorage } from './draftStore'
import type { LockClient } from './lockClient'
import type { LeaseStatus } from './leaseMachine'
import { onSaved } from './savedSignal'

/** The item as the server has it now, in the form's shape. */
export interface DraftServerState<TValues> {
  /** The server's values, shaped like the form's (what the form shows before anyone types). */
  values: TValues
  /**
   * The item's version: its `modified` date (plone.restapi and Nick both send it with the content), or its `ETag`.
   * `null` when the server gives none; changes are then told apart by the values alone.
   */
  version: string | null
}

export interface DraftOptions<TValues> {
  /**
   * The form's lock (`useLock`'s result, or anything with its `status`). Drafts are written, and offered, only while
   * it is `held` (or `unavailable`: the server does not lock the item), so a read-only tab never overwrites the
   * editing tab's draft and a lost lock leaves the draft as it was. Defaults to none: written whenever the values
   * change.
   */
  lock?: { status: LeaseStatus } | null | undefined
  /**
   * Fetches the item again and returns its state (or nothing, to go by the next `server`). Called when the lock is
   * taken back after it was lost or let go (`takeOver()`, `acquire()`), with `checking` true until it answers, so
   * that a save never goes out over a version this form has not seen. When it fails, `checking` stays true until
   * the item arrives again as a new `server`, or `rebase()`. Defaults to none.
   */
  reload?: (() => Promise<DraftServerState<TValues> | null | undefined | void>) | undefined
  /** Milliseconds between writes while the values keep changing. Defaults to 1000. */
  throttle?: number | undefined
  /** Milliseconds a draft is kept after it was last written. Defaults to three days (259200000). */
  maxAge?: number | undefined
  /** Where drafts are kept. Defaults to `localStorage`. */
  storage?: DraftStorage | undefined
}

/** A draft found in storage when the form opened, that differs from what the form shows. */
export interface DraftOffer<TValues> {
  values: TValues
  /** When it was last written. */
  savedAt: Date
  /** The item's version it was edited from. */
  basedOn: string | null
  /**
   * The item changed on the server since the draft began: restoring it and saving would overwrite those changes.
   * Always `true` for a draft kept without a version.
   */
  changedSince: boolean
  /** Takes the draft: returns its values for the form to show; they count as edited from the draft's version. */
  restore: () => TValues
  /** Throws the draft away. */
  discard: () => void
}

export interface DraftResult<TValues> {
  /** A draft to offer back, until `restore()` or `discard()`. Nothing is written while it is offered. */
  offer: DraftOffer<TValues> | null
  /**
   * The server has a version of the item other than the one the values on screen were edited from: someone saved
   * in between. Saving now would overwrite their changes. `rebase()` once the editor has seen them.
   */
  changedOnServer: boolean
  /** The lock was taken back and `reload` has not answered yet: do not save until it has. */
  checking: boolean
  /** When this form last wrote its draft; `null` when it keeps none. */
  storedAt: Date | null
  /** Why the draft could not be read or written; the form works as before, without a backup. */
  error: DraftError | null
  /** Removes the draft (after a cancel, say). Later changes are kept again. */
  discard: () => void
  /** Takes the server's current version as the base of the values on screen: the editor has seen its changes. */
  rebase: () => void
  /** Writes a pending change now rather than at the end of the throttle. */
  flush: () => void
}

/** What the form tells the keeper on each render. */
export interface DraftInput<TValues> {
  client: LockClient
  path: string
  values: TValues
  /** The item as last fetched; `null` or `undefined` while it loads (nothing is offered or written then). */
  server: DraftServerState<TValues> | null | undefined
  options: DraftOptions<TValues>
}

/** Clock, timers and page events, handed in so that tests, servers and other frameworks can supply their own. */
export interface DraftEnvironment {
  now: () => number
  setTimeout: (callback: () => void, ms: number) => unknown
  clearTimeout: (id: unknown) => void
  /** Calls `listener` when the page is hidden or goes away; returns the function that stops it. */
  onPageHide: (listener: () => void) => () => void
}

export const browserDraftEnvironment: DraftEnvironment = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  onPageHide(listener) {
    if (typeof window === 'undefined' || typeof document === 'undefined') return () => {}
    // Mobile browsers may kill a hidden tab without `pagehide`: being hidden is the last sure moment.
    const onVisibility = () => document.visibilityState === 'hidden' && listener()
    window.addEventListener('pagehide', listener)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', listener)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  },
}

const DEFAULT_THROTTLE = 1_000

interface Base {
  version: string | null
  /** The server's values it stands for, as compared; `null` when only the version is known (a stored draft). */
  json: string | null
}

interface KeeperState<TValues> {
  record: DraftRecord<TValues> | null
  /** For the offered record: the server's version is not the one it was edited from. */
  recordOutdated: boolean
  changedOnServer: boolean
  checking: boolean
  storedAt: number | null
  error: DraftError | null
}

type Phase = 'waiting' | 'offering' | 'editing'

/**
 * JSON with object keys sorted, so that the same values compare equal whatever order the form and the server's
 * mapping built them in.
 */
function canonical(values: unknown): string {
  return serializeValues(
    JSON.parse(serializeValues(values), (_key, value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
    ),
  )
}

function sameBase(base: Base, version: string | null, json: string | null): boolean {
  if (base.version !== null && version !== null) return base.version === version
  return base.json !== null && base.json === json
}

function asDraftError(error: unknown): DraftError {
  return error instanceof DraftError ? error : new DraftError('write-failed', String(error), { cause: error })
}

/**
 * Keeps one form's draft in browser storage: writes its values (throttled, and at once when the page goes away)
 * while the lock is held, offers a stored draft back when the form opens, follows which version of the item the
 * values were edited from, and clears the draft after a save through the same lock client. Framework-free: the
 * React hook `useDraft` pushes each render's input with `setInput` and reads `getResult`.
 */
export class DraftKeeper<TValues> {
  readonly #env: DraftEnvironment
  #input: DraftInput<TValues>
  readonly #listeners = new Set<() => void>()
  #disconnect: (() => void) | null = null

  #key: DraftKey | null = null
  // Bumped whenever the key is to be found again, so that a user id resolved late for an old key is ignored.
  #keyRun = 0
  #storage: DraftStorage | null = null
  #phase: Phase = 'waiting'
  #base: Base | null = null
  #serverRef: DraftServerState<TValues> | null = null
  #serverJson: string | null = null
  // What this form last wrote (or restored): the same values are not written twice.
  #lastJson: string | null = null
  // The values of the last save: they are on the server, so not a draft even before the form reloads the item.
  #savedJson: string | null = null
  // After our own save the next version the server shows is ours, not someone else's.
  #adoptNextVersion = false
  #pending = false
  #timer: unknown = null
  #lastStatus: LeaseStatus | null = null
  #hasHeld = false
  #reloadRun = 0
  // After a failed `reload`: the server state it left behind, which does not count as checked.
  #uncheckedServer: DraftServerState<TValues> | null = null

  #state: KeeperState<TValues> = { record: null, recordOutdated: false, changedOnServer: false, checking: false, storedAt: null, error: null }
  #result: DraftResult<TValues>
  readonly #actions: Pick<DraftResult<TValues>, 'discard' | 'rebase' | 'flush'>
  readonly #offerActions: Pick<DraftOffer<TValues>, 'restore' | 'discard'>

  constructor(input: DraftInput<TValues>, env: DraftEnvironment = browserDraftEnvironment) {
    this.#env = env
    this.#input = input
    this.#actions = { discard: () => this.discard(), rebase: () => this.rebase(), flush: () => this.flush() }
    this.#offerActions = { restore: () => this.restore(), discard: () => this.discard() }
    this.#result = this.#derive()
  }

  getResult = (): DraftResult<TValues> => this.#result

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    if (this.#listeners.size === 1) this.#connect()
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.#disconnectAll()
    }
  }

  /** Takes the latest render's client, path, values, server state and options. */
  setInput(input: DraftInput<TValues>): void {
    const previous = this.#input
    const otherItem = previous.path !== input.path || previous.client.apiPath !== input.client.apiPath
    if (otherItem || previous.client !== input.client) {
      const subscribed = this.#listeners.size > 0
      // Still with the previous input: a pending change belongs to the previous item.
      if (subscribed) this.#disconnectAll()
      this.#input = input
      if (otherItem) this.#reset()
      // A new client of the same API (a renewed login) finds its user and listens for its saves.
      if (subscribed) return this.#connect()
    }
    this.#input = input
    this.#followLock(input.options.lock ? input.options.lock.status : null)
    if (this.#listeners.size === 0) return
    // Not only when `values` is a new object: react-hook-form's `watch()` may hand back the same one, changed.
    if (this.#phase === 'editing' && this.#writable()) this.#schedule()
    this.#sync()
  }

  /** Writes a pending change now. */
  flush(): void {
    this.#clearTimer()
    if (!this.#pending) return
    this.#pending = false
    const { key, storage } = this.#target()
    if (!key || !storage || this.#phase !== 'editing' || !this.#base) return
    let json: string
    try {
      json = canonical(this.#input.values)
    } catch (error) {
      return this.#set({ error: asDraftError(error) })
    }
    if (json === this.#lastJson) return
    this.#lastJson = json
    if (json === this.#serverJson || json === this.#savedJson) {
      // Back to what the server has: nothing to keep.
      removeDraft(storage, key)
      return this.#set({ storedAt: null, error: null })
    }
    const now = this.#env.now()
    const maxAge = this.#input.options.maxAge ?? DEFAULT_DRAFT_MAX_AGE
    try {
      writeDraft(storage, key, json, { savedAt: now, base: this.#base.version, expiresAt: now + maxAge })
      this.#set({ storedAt: now, error: null })
    } catch (error) {
      // Written again with the next change, when the storage may have room.
      this.#lastJson = null
      this.#set({ error: asDraftError(error) })
    }
  }

  /** Takes the offered draft; returns its values. */
  restore(): TValues {
    const record = this.#state.record
    if (!record) return this.#input.values
    this.#phase = 'editing'
    this.#base = { version: record.base, json: null }
    try {
      this.#lastJson = canonical(record.values)
    } catch {
      this.#lastJson = null
    }
    this.#set({ record: null, storedAt: record.savedAt, changedOnServer: this.#changedOnServer() })
    return record.values
  }

  /** Throws the draft away: the offered one, or the one this form keeps. */
  discard(): void {
    this.#clearTimer()
    this.#pending = false
    const { key, storage } = this.#target()
    if (key && storage) removeDraft(storage, key)
    if (this.#phase === 'offering') this.#phase = 'editing'
    try {
      this.#lastJson = canonical(this.#input.values)
    } catch {
      this.#lastJson = null
    }
    this.#set({ record: null, storedAt: null })
  }

  /** Takes the server's current version as the base of the values on screen. */
  rebase(): void {
    const server = this.#input.server
    if (!server || this.#phase === 'offering') return
    this.#base = { version: server.version, json: this.#serverJsonOf(server) }
    this.#uncheckedServer = null
    this.#reloadRun += 1
    this.#set({ changedOnServer: false, checking: false })
    // The stored draft now says it was edited from this version too.
    if (this.#state.storedAt !== null) {
      this.#lastJson = null
      this.#pending = true
      this.flush()
    }
  }

  #connect(): void {
    const stopPageHide = this.#env.onPageHide(() => this.flush())
    const client = this.#input.client
    const stopSaved = onSaved(client, (path) => {
      let saved: string | null = null
      try {
        saved = client.normalizePath(path)
      } catch {
        // Not a path below the API: not this draft's item.
      }
      if (this.#key && saved === this.#key.path) this.#afterSave()
    })
    this.#disconnect = () => {
      stopPageHide()
      stopSaved()
    }
    this.#findKey()
  }

  #disconnectAll(): void {
    this.flush()
    this.#disconnect?.()
    this.#disconnect = null
    this.#keyRun += 1
  }

  #reset(): void {
    this.#clearTimer()
    this.#pending = false
    this.#key = null
    this.#phase = 'waiting'
    this.#base = null
    this.#serverRef = null
    this.#serverJson = null
    this.#lastJson = null
    this.#savedJson = null
    this.#adoptNextVersion = false
    this.#hasHeld = false
    this.#reloadRun += 1
    this.#uncheckedServer = null
    this.#set({ record: null, recordOutdated: false, changedOnServer: false, checking: false, storedAt: null, error: null })
  }

  #findKey(): void {
    const run = ++this.#keyRun
    const { client, path } = this.#input
    const storage = this.#input.options.storage ?? defaultDraftStorage()
    if (storage instanceof DraftError) {
      this.#storage = null
      return this.#set({ error: storage })
    }
    this.#storage = storage
    let normalized: string
    try {
      normalized = client.normalizePath(path)
    } catch {
      // The lock reports the bad path; there is no item to keep a draft of.
      return
    }
    const found = (userId: string | null) => {
      if (run !== this.#keyRun) return
      if (userId === null) {
        return this.#set({
          error: new DraftError('unknown-user', typeof process !== 'undefined' && process.env.NODE_ENV !== 'production' ? 'The current user is unknown (pass `userId` to createLockClient): no draft is kept.' : ''),
        })
      }
      this.#key = { apiPath: client.apiPath, userId, path: normalized }
      removeExpiredDrafts(storage, this.#env.now())
      this.#sync()
    }
    const known = client.knownUserId
    if (known !== null) return found(known)
    client.getUserId().then(found, () => found(null))
  }

  #target(): { key: DraftKey | null; storage: DraftStorage | null } {
    return { key: this.#key, storage: this.#storage }
  }

  #writable(): boolean {
    const lock = this.#input.options.lock
    return !lock || lock.status === 'held' || lock.status === 'unavailable'
  }

  #serverJsonOf(server: DraftServerState<TValues>): string | null {
    if (server !== this.#serverRef) {
      this.#serverRef = server
      try {
        this.#serverJson = canonical(server.values)
      } catch {
        this.#serverJson = null
      }
    }
    return this.#serverJson
  }

  #changedOnServer(): boolean {
    const server = this.#input.server
    if (!server || !this.#base || this.#phase !== 'editing') return false
    return !sameBase(this.#base, server.version, this.#serverJsonOf(server))
  }

  /** Follows the server's state, offers a stored draft once the form may edit, and says whether the item moved on. */
  #sync(): void {
    const server = this.#input.server
    const { key, storage } = this.#target()
    if (!key || !storage || !server) return
    const serverJson = this.#serverJsonOf(server)
    const checked = this.#uncheckedServer !== null && server !== this.#uncheckedServer
    if (checked) this.#uncheckedServer = null
    if (this.#base === null) this.#base = { version: server.version, json: serverJson }
    else if (this.#phase === 'editing' && !sameBase(this.#base, server.version, serverJson)) {
      if (this.#adoptNextVersion) {
        this.#adoptNextVersion = false
        this.#base = { version: server.version, json: serverJson }
      } else {
        // The server moved on: a form that shows the server's values (nothing typed) moves on with it.
        let json: string | null = null
        try {
          json = canonical(this.#input.values)
        } catch {
          // Compared as different: the values stay on their old base.
        }
        if (json !== null && json === serverJson) this.#base = { version: server.version, json: serverJson }
      }
    }
    if (this.#phase === 'waiting' && this.#writable()) this.#offer(key, storage)
    const record = this.#state.record
    this.#set({
      changedOnServer: this.#changedOnServer(),
      recordOutdated: record !== null && !sameBase({ version: record.base, json: null }, server.version, serverJson),
      ...(checked ? { checking: false } : {}),
    })
  }

  #offer(key: DraftKey, storage: DraftStorage): void {
    this.#phase = 'editing'
    let record: DraftRecord<TValues> | null
    try {
      record = readDraft<TValues>(storage, key, this.#env.now())
    } catch (error) {
      return this.#set({ error: asDraftError(error) })
    }
    if (!record) return
    let same = false
    try {
      same = canonical(record.values) === canonical(this.#input.values)
    } catch {
      // Shown: the editor decides.
    }
    if (same) return removeDraft(storage, key)
    this.#phase = 'offering'
    const server = this.#input.server
    this.#set({
      record,
      recordOutdated: !server || !sameBase({ version: record.base, json: null }, server.version, this.#serverJsonOf(server)),
    })
  }

  #afterSave(): void {
    this.#clearTimer()
    this.#pending = false
    const { key, storage } = this.#target()
    if (key && storage) removeDraft(storage, key)
    try {
      this.#savedJson = canonical(this.#input.values)
    } catch {
      this.#savedJson = null
    }
    this.#lastJson = this.#savedJson
    this.#adoptNextVersion = true
    if (this.#phase === 'offering') this.#phase = 'editing'
    this.#set({ record: null, storedAt: null, changedOnServer: false })
  }

  /** Notices the lock being taken back (after a loss or a release) and has the item fetched again. */
  #followLock(status: LeaseStatus | null): void {
    const previous = this.#lastStatus
    this.#lastStatus = status
    // Our own save's version is adopted only while the lock that saved it is still held: once let go, anyone's
    // save may come next.
    if (status !== 'held' && status !== null) this.#adoptNextVersion = false
    // The lock just went: what was typed while it was held is written now, not at the end of the throttle.
    if (previous === 'held' && status !== 'held') this.flush()
    if (status !== 'held' || previous === 'held') return
    if (!this.#hasHeld) {
      this.#hasHeld = true
      return
    }
    const reload = this.#input.options.reload
    if (!reload) return
    const run = ++this.#reloadRun
    this.#uncheckedServer = null
    this.#set({ checking: true })
    const settle = (fresh: DraftServerState<TValues> | null | undefined | void) => {
      if (run !== this.#reloadRun) return
      if (fresh) this.#input = { ...this.#input, server: fresh }
      this.#state = { ...this.#state, checking: false }
      this.#sync()
      this.#publish()
    }
    // Failed: not known to be current, so `checking` stays until the item arrives again (or `rebase()`).
    const failed = () => {
      if (run === this.#reloadRun) this.#uncheckedServer = this.#input.server ?? null
    }
    reload().then(settle, failed)
  }

  #schedule(): void {
    this.#pending = true
    if (this.#timer !== null) return
    this.#timer = this.#env.setTimeout(() => {
      this.#timer = null
      this.flush()
    }, this.#input.options.throttle ?? DEFAULT_THROTTLE)
  }

  #clearTimer(): void {
    if (this.#timer === null) return
    this.#env.clearTimeout(this.#timer)
    this.#timer = null
  }

  #set(patch: Partial<KeeperState<TValues>>): void {
    const next = { ...this.#state, ...patch }
    const current = this.#state
    if (
      next.record === current.record &&
      next.recordOutdated === current.recordOutdated &&
      next.changedOnServer === current.changedOnServer &&
      next.checking === current.checking &&
      next.storedAt === current.storedAt &&
      next.error === current.error
    ) {
      return
    }
    this.#state = next
    this.#publish()
  }

  #publish(): void {
    this.#result = this.#derive()
    for (const listener of [...this.#listeners]) listener()
  }

  #derive(): DraftResult<TValues> {
    const { record, recordOutdated, changedOnServer, checking, storedAt, error } = this.#state
    const offer: DraftOffer<TValues> | null = record && {
      values: record.values,
      savedAt: new Date(record.savedAt),
      basedOn: record.base,
      changedSince: recordOutdated,
      ...this.#offerActions,
    }
    return {
      offer,
      changedOnServer,
      checking,
      storedAt: storedAt === null ? null : new Date(storedAt),
      error,
      ...this.#actions,
    }
  }
}
