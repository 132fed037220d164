/** Who holds a lock. */
export interface LockHolder {
  /** User id (the lock's `creator`). */
  id: string
  /** Full name, falling back to the id when the server sent none. */
  name: string
  /** Link to the user's page: only an absolute http(s) URL on the API's origin, else `null`. */
  url: string | null
  /** The holder is the current user. */
  isMe: boolean
  /**
   * For the current user's lock: whether this tab edits with it, or another tab of the same browser does. `null`
   * for other users' locks, and when it is not known.
   */
  where: 'this-tab' | 'other-tab' | null
}

/** Which server dialect answered, as far as the answer shows it. */
export type LockDialect = 'plone' | 'nick' | 'unknown'

/** A lock as the library sees it, the same whichever server answered. */
export interface LockInfo {
  /**
   * `false` when the server does not lock this item at all (a content type without locking, or locking switched
   * off for the site). The item stays editable and saves without a token.
   */
  lockable: boolean
  locked: boolean
  /** Whether another user may take the lock over. */
  stealable: boolean
  holder: LockHolder | null
  /**
   * When the lock was taken or last refreshed, by the server's clock. Never an Invalid Date: an answer with a date
   * out of range is malformed.
   */
  created: Date | null
  /**
   * When the holder began editing, as far as this client has seen: both servers move `created` forward on every
   * refresh, so this is the earliest `created` seen while the same holder kept the lock without a gap. A screen that
   * first sees a lock after its holder refreshed it can only know the refresh.
   */
  since: Date | null
  /** Lifetime in seconds from `created`; `null` when the server stored something that is not a number. */
  timeout: number | null
  /** The lock token, only ever when the current user holds the lock. */
  token: string | null
  /** Whether the current user holds the lock. */
  isMine: boolean
  /** Local clock (ms since epoch) when this answer arrived. */
  receivedAt: number
  /**
   * When the lock lapses, by the local clock. For answers to acquire and refresh it is computed from when the
   * answer arrived, so that a server clock that differs from the browser's does not matter. `null` when the timeout
   * is unknown or too large for a date.
   */
  expiresAt: Date | null
  /** Which dialect the answer looked like. */
  dialect: LockDialect
}

/** Options a lock is taken with. */
export interface LockOptions {
  /** Whether other users may take the lock over. Defaults to `true`. */
  stealable?: boolean
  /** Lock lifetime in seconds. Defaults to the server's (600). */
  timeout?: number
}

export type AcquireResult =
  | { outcome: 'held'; lock: LockInfo }
  | { outcome: 'locked'; lock: LockInfo }
  | { outcome: 'unavailable'; lock: LockInfo }

export type RefreshResult =
  | { outcome: 'held'; lock: LockInfo }
  | { outcome: 'taken-over'; lock: LockInfo }
  | { outcome: 'gone'; lock: LockInfo }
  | { outcome: 'unavailable'; lock: LockInfo }
