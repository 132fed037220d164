import type { LockInfo } from './types'

/** The shortest and longest lock a lease keeps, in milliseconds: ten seconds and a day. */
export const MIN_LOCK_TIMEOUT = 10_000
export const MAX_LOCK_TIMEOUT = 86_400_000
/** What both servers give a lock when asked for none. */
export const DEFAULT_LOCK_TIMEOUT = 600_000
// A lock the server reports gone within this much of its expiry counts as lapsed, not removed: the server
// rounds to whole seconds and its clock is not ours.
const EXPIRY_MARGIN = 5_000
// After another user's lock should have lapsed, how long to wait before looking: Nick counts whole seconds.
const HOLDER_LAPSE_MARGIN = 2_000

/**
 * The timeout a held lock is kept by, in milliseconds. The server's, when it is a whole number of seconds within
 * [{@link MIN_LOCK_TIMEOUT}, {@link MAX_LOCK_TIMEOUT}]; otherwise (0, negative, fractional, not a number, 1e308) it
 * is unusable, and the lease falls back to what it asked for, or the servers' default.
 */
export function keptTimeout(lock: LockInfo | null, requested: number | undefined): { ms: number; usable: boolean } {
  const seconds = lock?.timeout
  const ms = typeof seconds === 'number' ? seconds * 1000 : NaN
  if (Number.isInteger(seconds) && ms >= MIN_LOCK_TIMEOUT && ms <= MAX_LOCK_TIMEOUT) return { ms, usable: true }
  return { ms: requested ?? DEFAULT_LOCK_TIMEOUT, usable: false }
}

/**
 * How often to refresh a lock of `timeout` ms: a third of it, and at least 90 s before it lapses, because browsers
 * may delay a hidden tab's timers by up to a minute. Short locks (demos, tests) still get three refreshes in their
 * lifetime.
 */
export function refreshDelay(timeout: number): number {
  const third = timeout / 3
  return Math.round(Math.max(Math.min(third, timeout - 90_000), Math.min(third, 10_000)))
}

/** The lock ran out or is about to, allowing for the server's whole seconds and its clock. */
export function hasLapsed(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && now >= expiresAt - EXPIRY_MARGIN
}

/** By our clock the lock has run out (a sleep, an outage): the server's answer must be checked before trusting it. */
export function isPastExpiry(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && now > expiresAt
}

/**
 * While another user holds the lock: how long until their lock lapses, plus the server's rounding. `null` when it
 * is not known or already past by our clock (the clocks differ): the regular check interval applies then.
 */
export function untilHolderLapses(lock: LockInfo | null, now: number): number | null {
  const expiresAt = lock?.expiresAt?.getTime()
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return null
  const left = expiresAt - now
  return left > 0 ? left + HOLDER_LAPSE_MARGIN : null
}

/**
 * How a held lock is kept: its expiry by the local clock (the server's own when its timeout is usable, else as if it
 * lasted what was asked for) and the time between refreshes (`refreshInterval`, else derived from the timeout).
 */
export function keepSchedule(
  lock: LockInfo | null,
  options: { lockTimeout?: number | undefined; refreshInterval?: number | undefined },
  now: number,
): { expiresAt: number | null; refreshEvery: number } {
  const kept = keptTimeout(lock, options.lockTimeout)
  const expiresAt = kept.usable ? (lock?.expiresAt?.getTime() ?? null) : (lock?.receivedAt ?? now) + kept.ms
  return { expiresAt, refreshEvery: options.refreshInterval ?? refreshDelay(kept.ms) }
}
