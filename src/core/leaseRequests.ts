import { hasLapsed, keptTimeout } from './expiry'
import type { LeaseEvent } from './leaseMachine'
import type { LockClient } from './lockClient'
import { LockError, toLockError } from './LockError'
import { acquireLock, refreshLock, releaseLock } from './lockWrites'
import type { AcquireResult, LockInfo, RefreshResult } from './types'

/**
 * The request sequences of a lease, each turning what the server answers into the event the lease applies. They
 * change nothing themselves; failures are thrown for the lease to show and retry.
 */
export interface LeaseRequestContext {
  readonly client: LockClient
  readonly path: string
  readonly signal: AbortSignal
  /** What the lease's users ask for: `lockTimeout` in milliseconds. */
  readonly requested: { stealable?: false; lockTimeout?: number }
  /** The held lock's expiry by the local clock, or `null`. */
  readonly expiresAt: number | null
  readonly now: number
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.ceil(ms / 1000)
}

/** The event for a lock we hold, saying so when the server's timeout for it cannot be relied on. */
export function heldEvent(type: 'acquired' | 'refreshed', lock: LockInfo, lockTimeout: number | undefined, retaken = false): LeaseEvent {
  const kept = keptTimeout(lock, lockTimeout)
  const warning = kept.usable
    ? null
    : new LockError('protocol', process.env.NODE_ENV !== 'production' ? `The server gave the lock an unusable timeout; it is refreshed as if it lasted ${kept.ms / 1000} s.` : '')
  return type === 'acquired' ? { type, lock, warning } : { type, lock, warning, retaken }
}

function post(context: LeaseRequestContext): Promise<AcquireResult> {
  const { stealable, lockTimeout } = context.requested
  return acquireLock(context.client, context.path, { stealable, timeout: seconds(lockTimeout), signal: context.signal })
}

/** POST `@lock`. */
export async function takeLock(context: LeaseRequestContext): Promise<LeaseEvent> {
  const result = await post(context)
  if (result.outcome === 'held') return heldEvent('acquired', result.lock, context.requested.lockTimeout)
  return { type: result.outcome, lock: result.lock }
}

/** PATCH `@lock`, sending back what Nick would otherwise reset; an unusable timeout is not sent back. */
export function patchLock(context: LeaseRequestContext, lock: LockInfo | null): Promise<RefreshResult> {
  const { stealable, lockTimeout } = context.requested
  const kept = keptTimeout(lock, lockTimeout)
  const timeout = kept.usable || lockTimeout !== undefined ? seconds(kept.ms) : undefined
  return refreshLock(context.client, context.path, { stealable: stealable ?? true, ...(timeout ? { timeout } : {}) }, { signal: context.signal })
}

/** What a refresh's answer means for a held lock. */
export async function afterRefresh(context: LeaseRequestContext, result: RefreshResult, lapsed: boolean): Promise<LeaseEvent> {
  if (result.outcome === 'held') return heldEvent('refreshed', result.lock, context.requested.lockTimeout)
  if (result.outcome === 'taken-over') return { type: 'lost', reason: lapsed ? 'expired' : 'taken-over', lock: result.lock }
  if (result.outcome === 'gone') return afterGone(context, result.lock)
  return { type: 'unavailable', lock: result.lock }
}

/** The server says there is no lock: lapsed (taken again quietly, with a POST) or removed before its time (lost). */
export async function afterGone(context: LeaseRequestContext, answer: LockInfo): Promise<LeaseEvent> {
  if (!hasLapsed(context.expiresAt, context.now)) return { type: 'lost', reason: 'released-by-server', lock: answer }
  const result = await post(context)
  if (result.outcome === 'held') return heldEvent('refreshed', result.lock, context.requested.lockTimeout, true)
  if (result.outcome === 'locked') return { type: 'lost', reason: 'expired', lock: result.lock }
  return { type: 'unavailable', lock: result.lock }
}

/**
 * GET `@lock`, and what it means for a lease that is `held` or `locked`, or `lost` because the lock was removed
 * (someone else may have taken it since).
 */
export async function checkLock(context: LeaseRequestContext, status: 'held' | 'locked' | 'lost', held: LockInfo | null): Promise<LeaseEvent | null> {
  const lock = await context.client.getLock(context.path, { signal: context.signal })
  if (status === 'lost') return lock.locked && !lock.isMine ? { type: 'lost', reason: 'taken-over', lock } : null
  if (status === 'locked') return lock.locked && !lock.isMine ? { type: 'locked', lock } : { type: 'freed', lock }
  if (!lock.locked) return afterGone(context, lock)
  if (!lock.isMine) return { type: 'lost', reason: hasLapsed(context.expiresAt, context.now) ? 'expired' : 'taken-over', lock }
  // The server still has our lock although our clock says it lapsed (a longer timeout, clocks that differ): refresh.
  if (context.expiresAt !== null && context.now > context.expiresAt) return afterRefresh(context, await patchLock(context, held), true)
  return { type: 'recovered' }
}

/** After the server refused a save because the item is locked: who holds it now, and why ours is lost. */
export async function afterRefusedSave(context: LeaseRequestContext): Promise<LeaseEvent> {
  // Who holds it now is only shown to the user; the save was refused either way.
  const lock = await context.client.getLock(context.path, { signal: context.signal }).catch(() => null)
  const lapsed = hasLapsed(context.expiresAt, context.now)
  return { type: 'lost', reason: lock?.locked ? (lapsed ? 'expired' : 'taken-over') : 'released-by-server', lock }
}

/**
 * Removes another user's stealable lock (forced DELETE) after checking it is still the one the user saw. Resolves
 * with `null` when the lock may now be taken, or with the events that say why not.
 */
export async function removeOthersLock(context: LeaseRequestContext, seen: LockInfo | null): Promise<LeaseEvent[] | null> {
  if (!seen?.locked || seen.isMine || !seen.stealable) {
    const message = process.env.NODE_ENV !== 'production' ? (seen?.locked ? 'This lock cannot be taken over.' : 'There is no lock to take over.') : ''
    return [{ type: 'failed', error: new LockError('not-allowed', message) }]
  }
  try {
    // The view may be up to a check old: force only the lock the user saw, not one someone else took since.
    const current = await context.client.getLock(context.path, { signal: context.signal })
    if (current.locked && !current.isMine && current.holder?.id !== seen.holder?.id) {
      const error = new LockError('not-allowed', process.env.NODE_ENV !== 'production' ? `The lock is now ${current.holder?.name ?? 'another user'}'s; take over again if you mean to.` : '')
      return [{ type: 'locked', lock: current }, { type: 'failed', error }]
    }
    if (current.locked) await releaseLock(context.client, context.path, { force: true, signal: context.signal })
    return null
  } catch (error) {
    const lockError = toLockError(error)
    return [lockError.code === 'not-allowed' ? { type: 'take-over-refused', error: lockError } : { type: 'failed', error: lockError }]
  }
}
