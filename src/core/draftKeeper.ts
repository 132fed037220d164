// The draft keeper itself: its state over time (waiting, offering, editing) and when it reads, writes and removes
// the draft. Types, value comparison, the offer, the key lookup, following the server's version and the lock, and
// the environment wiring live in the draft* files beside it.
import { DEFAULT_DRAFT_MAX_AGE, removeDraft, removeExpiredDrafts, writeDraft } from './draftStore'
import type { DraftKey, DraftStorage } from './draftStore'
import { browserDraftEnvironment, listenForDraft, PendingWrite } from './draftEnvironment'
import type { DraftEnvironment } from './draftEnvironment'
import { deriveResult, findOffer, initialKeeperState, sameKeeperState } from './draftOffer'
import type { KeeperState } from './draftOffer'
import { DraftPlace } from './draftKeyLookup'
import { ServerFollower } from './draftServer'
import type { ReloadAnswer } from './draftServer'
import type { DraftInput, DraftOffer, DraftResult } from './draftTypes'
import { asDraftError, canonical, canonicalOrNull } from './draftValues'

// The public types live in their own files; they are exported from here too, as before.
export type { DraftInput, DraftOffer, DraftOptions, DraftResult, DraftServerState } from './draftTypes'
export type { DraftEnvironment } from './draftEnvironment'
export { browserDraftEnvironment } from './draftEnvironment'

const DEFAULT_THROTTLE = 1_000

type Phase = 'waiting' | 'offering' | 'editing'

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

  readonly #place = new DraftPlace()
  #phase: Phase = 'waiting'
  readonly #server: ServerFollower<TValues>
  // What this form last wrote (or restored): the same values are not written twice.
  #lastJson: string | null = null
  readonly #write: PendingWrite

  #state: KeeperState<TValues> = { ...initialKeeperState }
  #result: DraftResult<TValues>
  readonly #actions: Pick<DraftResult<TValues>, 'discard' | 'rebase' | 'flush'>
  readonly #offerActions: Pick<DraftOffer<TValues>, 'restore' | 'discard'>

  constructor(input: DraftInput<TValues>, env: DraftEnvironment = browserDraftEnvironment) {
    this.#env = env
    this.#write = new PendingWrite(env, () => this.flush())
    this.#server = new ServerFollower<TValues>({
      server: () => this.#input.server,
      reload: () => this.#input.options.reload,
      checking: () => this.#set({ checking: true }),
      reloaded: (fresh) => this.#reloaded(fresh),
    })
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
    // The lock just went: what was typed while it was held is written now, not at the end of the throttle.
    if (this.#server.followLock(input.options.lock ? input.options.lock.status : null)) this.flush()
    if (this.#listeners.size === 0) return
    // Not only when `values` is a new object: react-hook-form's `watch()` may hand back the same one, changed.
    if (this.#phase === 'editing' && this.#writable()) this.#write.schedule(this.#input.options.throttle ?? DEFAULT_THROTTLE)
    this.#sync()
  }

  /** Writes a pending change now. */
  flush(): void {
    if (!this.#write.take()) return
    const { key, storage } = this.#place
    const base = this.#server.base
    if (!key || !storage || this.#phase !== 'editing' || !base) return
    let json: string
    try {
      json = canonical(this.#input.values)
    } catch (error) {
      return this.#set({ error: asDraftError(error) })
    }
    if (json === this.#lastJson) return
    this.#lastJson = json
    if (this.#server.has(json)) {
      // Back to what the server has: nothing to keep.
      removeDraft(storage, key)
      return this.#set({ storedAt: null, error: null })
    }
    const now = this.#env.now()
    const maxAge = this.#input.options.maxAge ?? DEFAULT_DRAFT_MAX_AGE
    try {
      writeDraft(storage, key, json, { savedAt: now, base: base.version, expiresAt: now + maxAge })
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
    this.#server.restored(record.base)
    this.#lastJson = canonicalOrNull(record.values)
    this.#set({ record: null, storedAt: record.savedAt, changedOnServer: this.#server.changedOnServer(this.#phase === 'editing') })
    return record.values
  }

  /** Throws the draft away: the offered one, or the one this form keeps. */
  discard(): void {
    this.#write.take()
    const { key, storage } = this.#place
    if (key && storage) removeDraft(storage, key)
    if (this.#phase === 'offering') this.#phase = 'editing'
    this.#lastJson = canonicalOrNull(this.#input.values)
    this.#set({ record: null, storedAt: null })
  }

  /** Takes the server's current version as the base of the values on screen. */
  rebase(): void {
    const server = this.#input.server
    if (!server || this.#phase === 'offering') return
    this.#server.rebase(server)
    this.#set({ changedOnServer: false, checking: false })
    // The stored draft now says it was edited from this version too.
    if (this.#state.storedAt !== null) {
      this.#lastJson = null
      this.#write.pending = true
      this.flush()
    }
  }

  #connect(): void {
    this.#disconnect = listenForDraft(
      this.#env,
      this.#input.client,
      () => this.flush(),
      (saved) => {
        if (this.#place.key && saved === this.#place.key.path) this.#afterSave()
      },
    )
    this.#findKey()
  }

  #disconnectAll(): void {
    this.flush()
    this.#disconnect?.()
    this.#disconnect = null
    this.#place.stop()
  }

  #reset(): void {
    this.#write.take()
    this.#place.forgetKey()
    this.#phase = 'waiting'
    this.#server.reset()
    this.#lastJson = null
    this.#set({ ...initialKeeperState })
  }

  #findKey(): void {
    const found = (storage: DraftStorage) => {
      removeExpiredDrafts(storage, this.#env.now())
      this.#sync()
    }
    const { client, path, options } = this.#input
    this.#place.find(client, path, options.storage, found, (error) => this.#set({ error }))
  }

  #writable(): boolean {
    const lock = this.#input.options.lock
    return !lock || lock.status === 'held' || lock.status === 'unavailable'
  }

  /** Follows the server's state, offers a stored draft once the form may edit, and says whether the item moved on. */
  #sync(): void {
    const server = this.#input.server
    const { key, storage } = this.#place
    if (!key || !storage || !server) return
    const checked = this.#server.follow(server, this.#phase === 'editing', this.#input.values)
    if (this.#phase === 'waiting' && this.#writable()) this.#offer(key, storage)
    const record = this.#state.record
    this.#set({
      changedOnServer: this.#server.changedOnServer(this.#phase === 'editing'),
      recordOutdated: record !== null && this.#server.outdated(record.base, server),
      ...(checked ? { checking: false } : {}),
    })
  }

  #offer(key: DraftKey, storage: DraftStorage): void {
    this.#phase = 'editing'
    const found = findOffer(storage, key, this.#env.now(), this.#input.values)
    if (!found) return
    if ('error' in found) return this.#set({ error: found.error })
    const { record } = found
    this.#phase = 'offering'
    const server = this.#input.server
    this.#set({ record, recordOutdated: !server || this.#server.outdated(record.base, server) })
  }

  #afterSave(): void {
    this.#write.take()
    const { key, storage } = this.#place
    if (key && storage) removeDraft(storage, key)
    this.#lastJson = this.#server.saved(this.#input.values)
    if (this.#phase === 'offering') this.#phase = 'editing'
    this.#set({ record: null, storedAt: null, changedOnServer: false })
  }

  /** The `reload` after the lock was taken back answered: the item's state it returned becomes the server's. */
  #reloaded(fresh: ReloadAnswer<TValues>): void {
    if (fresh) this.#input = { ...this.#input, server: fresh }
    this.#state = { ...this.#state, checking: false }
    this.#sync()
    this.#publish()
  }

  #set(patch: Partial<KeeperState<TValues>>): void {
    const next = { ...this.#state, ...patch }
    if (sameKeeperState(next, this.#state)) return
    this.#state = next
    this.#publish()
  }

  #publish(): void {
    this.#result = this.#derive()
    for (const listener of [...this.#listeners]) listener()
  }

  #derive(): DraftResult<TValues> {
    return deriveResult(this.#state, this.#actions, this.#offerActions)
  }
}
