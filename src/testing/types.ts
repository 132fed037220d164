import type { HttpHandler } from 'msw'

/** Which real server the simulation behaves like: plone.restapi, or Nick. */
export type SimulatedDialect = 'plone' | 'nick'

/** A user the simulated server knows. */
export interface LockServerUser {
  /** User id: the JWT's `sub` and the lock's `creator`. */
  id: string
  /** Full name, shown as the lock's `creator_name`. Defaults to the id. */
  fullname?: string
  /** Password accepted by `POST @login`. Defaults to `'secret'`. */
  password?: string
}

export interface LockServerOptions {
  /** Which server to behave like. Can be switched later with `setDialect`. */
  dialect: SimulatedDialect
  /**
   * Absolute base URL of the simulated API, prefix included: `'http://localhost:8080/Plone'`,
   * `'https://site.example/++api++'`. Every request below it is answered.
   */
  apiPath: string
  /**
   * The users that can log in and hold locks. Defaults to alice ("Alice Archer"), bob ("Bob Baker") and carol
   * ("Carol Chen"), all with the password `'secret'`.
   */
  users?: LockServerUser[]
  /** Lifetime in seconds of a lock taken without a `timeout`. Defaults to 600. */
  defaultTimeout?: number
  /**
   * plone.restapi's site setting "lock on through-the-web edit". When `false`, the plone dialect's `POST @lock` takes
   * no lock: it answers the item's current lock if it has one (after applying the body's options to it) and
   * `{"locked": false, "stealable": true}` otherwise, or a 500 when a `timeout` is sent for an item without a lock.
   * Nick has no such setting and ignores it. Defaults to `true`; `setLockOnEdit` switches it later.
   */
  lockOnEdit?: boolean
}

/** A lock as the simulated server stores it. */
export interface SimulatedLock {
  /** Id of the user holding it. */
  user: string
  token: string
  /**
   * A boolean, except on Nick, which stores whatever the client sent (`"false"` stays a string). On plone it mirrors
   * the item's non-stealable mark, which the item keeps after its lock lapses.
   */
  stealable: unknown
  /**
   * Seconds; Nick stores whatever the client sent, and a lock whose timeout is not a number never expires. A plone
   * lock lasts exactly `timeout` seconds from `created`; a Nick lock lapses once the whole seconds have gone by.
   */
  timeout: unknown
  /** When the lock was taken or last refreshed, in ms since the epoch. */
  created: number
}

/** A lock to put in place with `setLock`, as if the user had taken it. */
export interface SimulatedLockInput {
  /** Id of a known user. */
  user: string
  /** Defaults to `true`. On plone, `false` marks the item non-stealable, as `POST @lock {"stealable": false}` does. */
  stealable?: boolean
  /** Seconds. Defaults to the server's `defaultTimeout`. */
  timeout?: number
  /** Defaults to a fresh token: a Zope lock token on plone, a UUID on Nick. */
  token?: string
  /** Defaults to now. */
  created?: Date
}

/** Fields of a content item, for `setContent`. */
export interface SimulatedContent {
  title?: string
  /**
   * `false` simulates a plone.restapi content type without the locking behaviour: every `@lock` request on it
   * answers `{}` and its saves never meet a lock. Defaults to `true`.
   */
  lockable?: boolean
  [field: string]: unknown
}

/** What a request asked for, as the simulated server routed it. */
export type LogEndpoint = 'lock' | 'content' | 'login' | 'other'

/** One answered request, for assertions or a demo's request-log panel. */
export interface LogEntry {
  /** Increasing number, unique per server until `reset`. */
  id: number
  /** When the answer was sent, in ms since the epoch. */
  time: number
  method: string
  /** Content path below `apiPath` (`/news/item`, `/` for the root), without the `@endpoint`. */
  path: string
  endpoint: LogEndpoint
  /** The authenticated user's id; `null` when the request carried no valid credentials. */
  user: string | null
  /** HTTP status, or `'network-error'` when the request got no answer. */
  status: number | 'network-error'
  /** Whether a `Lock-Token` header was sent and matched the item's current lock. Never the token itself. */
  lockToken: 'none' | 'valid' | 'invalid'
  /** On `DELETE @lock` only: whether the body asked for `force`. */
  force?: boolean
  /** Whether the request was sent with `keepalive`, when the runtime tells. */
  keepalive?: boolean
  /** Present and `true` when an injected fault shaped the answer. */
  fault?: boolean
}

/** Which requests a fault applies to; an omitted field matches anything. */
export interface FaultRoute {
  /** HTTP method, case-insensitive. */
  method?: string
  endpoint?: 'lock' | 'content' | 'login'
  /** Content path below `apiPath`, as in the log. */
  path?: string
}

/**
 * How to misbehave. A fault with only `delay` delays the normal answer; any other field replaces it, with `status`
 * defaulting to 200 when `body` or `malformed` is given and to 500 otherwise.
 */
export interface Fault {
  status?: number
  /** Sent as JSON, or as plain text when it is a string. Defaults to a JSON error body. */
  body?: unknown
  /** Extra response headers. */
  headers?: Record<string, string>
  /** Fail the request as if the network dropped it. */
  networkError?: boolean
  /** Milliseconds to wait before answering (following fake timers), or `'infinite'` to answer only an abort. */
  delay?: number | 'infinite'
  /**
   * Answer something that is not the protocol: an HTML error page, a JSON content type with a truncated body, or a
   * lock object whose fields have the wrong types.
   */
  malformed?: 'html' | 'not-json' | 'wrong-type'
}

/** A fault and how many matching requests it applies to. */
export interface FaultInjection extends Fault {
  /** Number of matching requests to apply it to. Defaults to 1; `Infinity` keeps it until `reset`. */
  times?: number
}

/**
 * A simulated plone.restapi or Nick server for the `@lock` protocol, running in msw. Create one with
 * `createLockServer`.
 */
export interface LockServer {
  /** The API's base URL, without a trailing slash. */
  readonly apiPath: string
  /** Which server it currently behaves like. */
  readonly dialect: SimulatedDialect
  setDialect(dialect: SimulatedDialect): void
  /** msw handlers answering every request below `apiPath`: pass them to `setupServer` or `setupWorker`. */
  readonly handlers: HttpHandler[]
  /**
   * Switches plone.restapi's "lock on through-the-web edit" site setting (see `LockServerOptions.lockOnEdit`), as a
   * site manager does in the control panel. `reset` restores the value given at creation.
   */
  setLockOnEdit(on: boolean): void
  /**
   * Deletes a user account: their JWTs stop working, and the locks they hold stay, shown with the user id as
   * `creator_name`. Throws for an unknown user; `reset` brings the user back.
   */
  removeUser(userId: string): void
  /** A JWT the server accepts for that user. Throws for an unknown user. */
  tokenFor(userId: string): string
  /** The lock as stored, or `null` when there is none or it has expired. */
  getLock(path: string): SimulatedLock | null
  /**
   * Puts a lock in place (or removes it, and on plone the item's non-stealable mark, with `null`) without a request.
   * Throws for an unknown user.
   */
  setLock(path: string, lock: SimulatedLockInput | null): void
  /**
   * Replaces the fields of a content item. Content exists at every path unless deleted. A content GET lists the items
   * set directly below it in `items` (`@id`, `@type`, `title`, `description` and each item's `lock`), as a listing
   * that carries locks would; the real servers' `items` have no `lock`.
   */
  setContent(path: string, item: SimulatedContent): void
  /** The item as a content GET shows it, without its `lock`; `undefined` once deleted. */
  getContent(path: string): Record<string, unknown> | undefined
  /** Every answered request, oldest first. A new array after each request. */
  readonly log: readonly LogEntry[]
  clearLog(): void
  /** Calls the listener with each new log entry; returns the function that unsubscribes. */
  subscribe(listener: (entry: LogEntry) => void): () => void
  /** Makes the next matching requests misbehave; faults are matched in the order they were added. */
  fail(route: FaultRoute, fault: FaultInjection): void
  /** Drops the faults not used up yet: the server answers normally again (a connection comes back). */
  clearFaults(): void
  /** Forgets every lock, as a server restart does; content and users stay. */
  restart(): void
  /**
   * Back to the state after creation: no locks, content edits, log entries or pending faults; initial dialect,
   * `lockOnEdit` and users.
   */
  reset(): void
}
