import { isHeaderValue } from './httpGuards'
import { LockError } from './LockError'
import type { LockDialect, LockInfo } from './types'

export interface ParseContext {
  /** The current user's id; `null` when it cannot be known. */
  userId: string | null
  /** Local time the answer arrived. */
  receivedAt: number
  /** The answer was to a request that just took or refreshed the lock: our own lock's expiry counts from `receivedAt`. */
  fresh: boolean
  /** The API's origin: the only one a holder's `url` may point to. */
  origin: string
}

// The range of a JavaScript Date, in ms either side of the epoch.
const MAX_TIME = 8.64e15

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function malformed(what: string): LockError {
  return new LockError('protocol', process.env.NODE_ENV !== 'production' ? `The server's lock answer is malformed: ${what}.` : '')
}

/** What a value is, without quoting it: the server's text never goes into a message. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function toDate(ms: number): Date | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME ? new Date(ms) : null
}

/** A date, or `null` for anything that is not one or lies outside what a `Date` can hold (never an Invalid Date). */
function parseDate(value: unknown): Date | null {
  // plone.restapi sends epoch seconds as a float, Nick an ISO string.
  if (typeof value === 'number') return toDate(value * 1000)
  if (typeof value === 'string') return toDate(Date.parse(value))
  return null
}

/**
 * The holder's page, only as an absolute http(s) URL on the API's origin (both servers send one): anything else
 * (`javascript:`, another site, a relative link) is `null`.
 */
function holderUrl(value: unknown, origin: string): string | null {
  if (typeof value !== 'string' || value === '') return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.origin !== origin || url.username || url.password) return null
  return url.href
}

function dialectOf(raw: Record<string, unknown>): LockDialect {
  if (typeof raw.time === 'number' || raw.name === 'plone.locking.stealable') return 'plone'
  if (typeof raw.time === 'string') return 'nick'
  return 'unknown'
}

export function unlockedInfo(receivedAt: number, lockable = true): LockInfo {
  return {
    lockable,
    locked: false,
    stealable: true,
    holder: null,
    created: null,
    since: null,
    timeout: null,
    token: null,
    isMine: false,
    receivedAt,
    expiresAt: null,
    dialect: 'unknown',
  }
}

/**
 * Normalizes a lock object from either server (`@lock` answers, or the `lock` a content GET carries). Another
 * user's token, which both servers show to anyone, is dropped here so that it can never be used.
 */
export function parseLock(raw: unknown, context: ParseContext): LockInfo {
  if (!isRecord(raw)) throw malformed(process.env.NODE_ENV !== 'production' ? `expected a JSON object, got ${kindOf(raw)}` : '')
  if (Object.keys(raw).length === 0) return unlockedInfo(context.receivedAt, false)
  if (typeof raw.locked !== 'boolean') throw malformed(process.env.NODE_ENV !== 'production' ? `"locked" is ${kindOf(raw.locked)}, not a boolean` : '')
  // Nick stores whatever it was sent, so a string "false" may come back; Nick itself treats it as truthy.
  const stealable = raw.stealable === undefined ? true : Boolean(raw.stealable)
  if (!raw.locked) return { ...unlockedInfo(context.receivedAt), stealable, dialect: dialectOf(raw) }

  if (typeof raw.creator !== 'string' || raw.creator === '') throw malformed(process.env.NODE_ENV !== 'production' ? '"creator" is missing' : '')
  const created = parseDate(raw.created) ?? parseDate(raw.time)
  // A date out of range makes the answer malformed, like a missing one: never an Invalid Date.
  if (!created) throw malformed(process.env.NODE_ENV !== 'production' ? 'neither "created" nor "time" is a date in range' : '')
  const timeout = typeof raw.timeout === 'number' && Number.isFinite(raw.timeout) ? raw.timeout : null
  const isMine = context.userId !== null && raw.creator === context.userId
  let token: string | null = null
  if (isMine) {
    if (typeof raw.token !== 'string' || raw.token === '') throw malformed(process.env.NODE_ENV !== 'production' ? '"token" is missing from our own lock' : '')
    // Sent back as the Lock-Token header: a token that cannot be one is refused here, and never quoted.
    if (!isHeaderValue(raw.token)) throw malformed(process.env.NODE_ENV !== 'production' ? '"token" of our own lock has characters a header cannot carry' : '')
    token = raw.token
  }
  // Only our own lock was just taken or refreshed: another user's lock in the same answer (plone.restapi answers a
  // POST with it) runs from its own `created`.
  const start = context.fresh && isMine ? context.receivedAt : created.getTime()
  return {
    lockable: true,
    locked: true,
    stealable,
    holder: {
      id: raw.creator,
      name: typeof raw.creator_name === 'string' && raw.creator_name !== '' ? raw.creator_name : raw.creator,
      url: holderUrl(raw.creator_url, context.origin),
      isMe: isMine,
      where: null,
    },
    created,
    since: created,
    timeout,
    token,
    isMine,
    receivedAt: context.receivedAt,
    expiresAt: timeout === null ? null : toDate(start + timeout * 1000),
    dialect: dialectOf(raw),
  }
}

/**
 * The lock as the given user sees it. A cached lock may have been read for another user (a provider re-keyed to a new
 * login over the same query client): whether it is "mine" follows its holder and the user reading it, never the
 * user it was read for.
 */
export function lockSeenBy(lock: LockInfo, userId: string | null): LockInfo {
  const holder = lock.holder
  const isMine = lock.locked && holder !== null && userId !== null && holder.id === userId
  if (isMine === lock.isMine && (holder === null || holder.isMe === isMine)) return lock
  return {
    ...lock,
    isMine,
    token: isMine ? lock.token : null,
    holder: holder && { ...holder, isMe: isMine, where: isMine ? holder.where : null },
  }
}
