import { LockError } from './LockError'
import { MAX_LOCK_TIMEOUT, MIN_LOCK_TIMEOUT } from './expiry'
import type { LockInfo } from './types'
import type { LostReason } from './leaseMachine'

/** Options of one user of a lease. Every duration is in milliseconds; `false` turns an interval off. */
export interface LeaseOptions {
  /** Set to `false` to not take the lock (yet). Defaults to `true`. */
  enabled?: boolean
  /** Whether other users may take the lock over. Any user of the lease asking `false` wins. Defaults to `true`. */
  stealable?: boolean
  /**
   * How long the lock lasts unless refreshed, in milliseconds, between 10 s and a day (sent to the server in whole
   * seconds). The longest asked for by any user of the lease wins. Defaults to the server's (600000).
   */
  lockTimeout?: number
  /**
   * Milliseconds between refreshes, between 1 s and a day. Defaults to a third of the lock's timeout, and at least
   * 90 s before it lapses.
   */
  refreshInterval?: number
  /**
   * Milliseconds between ownership checks (a GET) while the page is visible, between 1 s and a day, so that an
   * editor whose lock was taken over is told within seconds; `false` turns them off. Defaults to 30000.
   */
  checkInterval?: number | false
  /**
   * At most one ownership check per this many milliseconds from `touch()`, between 1 s and a day; `false` makes
   * `touch()` do nothing. Defaults to 10000.
   */
  touchInterval?: number | false
  /** Give the lock back when the last user of the lease leaves. Defaults to `true`. */
  releaseOnUnmount?: boolean
  /** Give the lock back (one keepalive request) when the page is closed or hidden for navigation. Defaults to `true`. */
  releaseOnPageHide?: boolean
  /** Called each time the lock is taken. */
  onAcquired?: (lock: LockInfo) => void
  /** Called the moment a held lock is lost, with the reason and the lock as the server now has it. */
  onLost?: (reason: LostReason, lock: LockInfo | null) => void
}

const MIN_INTERVAL = 1_000
const MAX_INTERVAL = 86_400_000
const BOOLEANS = ['enabled', 'stealable', 'releaseOnUnmount', 'releaseOnPageHide'] as const
const CALLBACKS = ['onAcquired', 'onLost'] as const

function checkDuration(name: string, value: unknown, min: number, max: number, canBeOff: boolean): void {
  if (value === undefined || (canBeOff && value === false)) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const off = canBeOff ? ', or `false` to turn it off' : ''
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `\`${name}\` must be a number of milliseconds between ${min} and ${max}${off}; got ${String(value)}.` : '')
  }
}

/** Throws `invalid-option` for an option of the wrong type, or a duration that is surely a mistake. */
export function validateLeaseOptions(options: LeaseOptions): void {
  if ('timeout' in options) {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`timeout` is now `lockTimeout`, in milliseconds (600000 for ten minutes).' : '')
  }
  for (const key of BOOLEANS) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `\`${key}\` must be a boolean.` : '')
  }
  for (const key of CALLBACKS) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `\`${key}\` must be a function.` : '')
  }
  checkDuration('lockTimeout', options.lockTimeout, MIN_LOCK_TIMEOUT, MAX_LOCK_TIMEOUT, false)
  checkDuration('refreshInterval', options.refreshInterval, MIN_INTERVAL, MAX_INTERVAL, false)
  checkDuration('checkInterval', options.checkInterval, MIN_INTERVAL, MAX_INTERVAL, true)
  checkDuration('touchInterval', options.touchInterval, MIN_INTERVAL, MAX_INTERVAL, true)
}
