// Following the server for the draft keeper: which version of the item the values on screen were edited from (their
// base), whether the server has moved on from it, and fetching the item again when the lock is taken back, so that
// the form knows when the server's version is not known to be current. The keeper decides when these run.
import type { DraftOptions, DraftServerState } from './draftTypes'
import { canonicalOrNull, sameBase } from './draftValues'
import type { Base } from './draftValues'
import type { LeaseStatus } from './leaseMachine'

/** What `reload` may answer. */
export type ReloadAnswer<TValues> = DraftServerState<TValues> | null | undefined | void

/** What following the server needs from its keeper. */
export interface ServerHost<TValues> {
  /** The item as the latest input has it. */
  server(): DraftServerState<TValues> | null | undefined
  /** The latest input's `reload` option. */
  reload(): DraftOptions<TValues>['reload']
  /** `reload` was called: the form is checking the server's version until it answers. */
  checking(): void
  /** The latest `reload` answered, with the item's state if it returned one. */
  reloaded(fresh: ReloadAnswer<TValues>): void
}

/** The server's side of one form's draft: its base, the server's current version, and the lock that guards them. */
export class ServerFollower<TValues> {
  readonly #host: ServerHost<TValues>
  #base: Base | null = null
  #serverRef: DraftServerState<TValues> | null = null
  #serverJson: string | null = null
  // The values of the last save: they are on the server, so not a draft even before the form reloads the item.
  #savedJson: string | null = null
  // After our own save the next version the server shows is ours, not someone else's.
  #adoptNextVersion = false
  #lastStatus: LeaseStatus | null = null
  #hasHeld = false
  #reloadRun = 0
  // After a failed `reload`: the server state it left behind, which does not count as checked.
  #uncheckedServer: DraftServerState<TValues> | null = null

  constructor(host: ServerHost<TValues>) {
    this.#host = host
  }

  /** Which server state the values on screen were edited from; `null` until the server's state first arrives. */
  get base(): Base | null {
    return this.#base
  }

  /** Whether values written as `json` are what the server has: its state as last compared, or this form's save. */
  has(json: string): boolean {
    return json === this.#serverJson || json === this.#savedJson
  }

  /** The server's values as compared (canonical JSON), worked out once for each server state. */
  jsonOf(server: DraftServerState<TValues>): string | null {
    if (server !== this.#serverRef) {
      this.#serverRef = server
      this.#serverJson = canonicalOrNull(server.values)
    }
    return this.#serverJson
  }

  /** Whether the server has a version other than the one the values on screen (while `editing`) were edited from. */
  changedOnServer(editing: boolean): boolean {
    const server = this.#host.server()
    if (!server || !this.#base || !editing) return false
    return !sameBase(this.#base, server.version, this.jsonOf(server))
  }

  /** Whether a stored draft edited from `version` was edited from another version than the server has now. */
  outdated(version: string | null, server: DraftServerState<TValues>): boolean {
    return !sameBase({ version, json: null }, server.version, this.jsonOf(server))
  }

  /**
   * Takes in the server's state: the first one becomes the base, and a later version moves the base on when it is
   * our own save's or the form (while `editing`) shows its values. Returns whether it checks a failed `reload`.
   */
  follow(server: DraftServerState<TValues>, editing: boolean, values: TValues): boolean {
    const serverJson = this.jsonOf(server)
    const checked = this.#uncheckedServer !== null && server !== this.#uncheckedServer
    if (checked) this.#uncheckedServer = null
    if (this.#base === null) this.#base = { version: server.version, json: serverJson }
    else if (editing && !sameBase(this.#base, server.version, serverJson)) {
      if (this.#adoptNextVersion) {
        this.#adoptNextVersion = false
        this.#base = { version: server.version, json: serverJson }
      } else {
        // The server moved on: a form that shows the server's values (nothing typed) moves on with it.
        // Values that cannot be serialized compare as different: they stay on their old base.
        const json = canonicalOrNull(values)
        if (json !== null && json === serverJson) this.#base = { version: server.version, json: serverJson }
      }
    }
    return checked
  }

  /** A stored draft edited from `version` was restored: the values on screen are now edited from it. */
  restored(version: string | null): void {
    this.#base = { version, json: null }
  }

  /** Takes the server's state as the base; a `reload` still running or failed no longer counts. */
  rebase(server: DraftServerState<TValues>): void {
    this.#base = { version: server.version, json: this.jsonOf(server) }
    this.#uncheckedServer = null
    this.#reloadRun += 1
  }

  /** This form saved `values`: the next version the server shows is its own. Returns the values as compared. */
  saved(values: TValues): string | null {
    this.#savedJson = canonicalOrNull(values)
    this.#adoptNextVersion = true
    return this.#savedJson
  }

  /**
   * Notices the lock being taken back (after a loss or a release) and has the item fetched again. Returns whether
   * the lock just went.
   */
  followLock(status: LeaseStatus | null): boolean {
    const previous = this.#lastStatus
    this.#lastStatus = status
    // Our own save's version is adopted only while the lock that saved it is still held: once let go, anyone's
    // save may come next.
    if (status !== 'held' && status !== null) this.#adoptNextVersion = false
    if (previous === 'held' && status !== 'held') return true
    if (status !== 'held' || previous === 'held') return false
    if (!this.#hasHeld) {
      this.#hasHeld = true
      return false
    }
    const reload = this.#host.reload()
    if (!reload) return false
    const run = ++this.#reloadRun
    this.#uncheckedServer = null
    this.#host.checking()
    const settle = (fresh: ReloadAnswer<TValues>) => {
      if (run === this.#reloadRun) this.#host.reloaded(fresh)
    }
    // Failed: not known to be current, so the form is checking until the item arrives again (or `rebase()`).
    const failed = () => {
      if (run === this.#reloadRun) this.#uncheckedServer = this.#host.server() ?? null
    }
    reload().then(settle, failed)
    return false
  }

  /** Forgets all of it: the form shows another item. */
  reset(): void {
    this.#base = null
    this.#serverRef = null
    this.#serverJson = null
    this.#savedJson = null
    this.#adoptNextVersion = false
    this.#hasHeld = false
    this.#reloadRun += 1
    this.#uncheckedServer = null
  }
}
