import type { LeaseEnvironment } from './environment'
import { hasLapsed, isPastExpiry, MIN_LOCK_TIMEOUT } from './expiry'
import type { SavesInFlight } from './leaseSaves'
import type { LeaseStore } from './leaseStore'
import type { LockClient } from './lockClient'
import { toLockError } from './LockError'
import type { ObserverSet } from './observerSet'
import type { TabCoordinator } from './tabCoordinator'
import { watchedStatus } from './leaseMachine'
import { afterRefresh, checkLock, patchLock, removeOthersLock, takeLock } from './leaseRequests'
import type { LeaseRequestContext } from './leaseRequests'
import { releaseLock } from './lockWrites'
import type { LockInfo } from './types'

// On Nick a refresh rotates the token a save in flight carries: it waits for the save, but no later than this long
// before the lock would lapse.
const SAVE_REFRESH_MARGIN = 15_000

/**
 * The steps a lease takes on the server, each one awaited inside the lease's one-at-a-time queue. Every change of
 * status they cause is an event dispatched to the lease's store; none of them throws. `LeaseParts` is what of one
 * lease they work with.
 */
export interface LeaseParts {
  readonly path: string
  readonly env: LeaseEnvironment
  readonly store: LeaseStore
  readonly observers: ObserverSet
  readonly tabs: TabCoordinator | null
  readonly saves: SavesInFlight
  /** Read at each request, so that a renewed login applies at once. */
  client(): LockClient
  signal(): AbortSignal
  publish(lock: LockInfo): void
  /** Queues taking the lock again (after a transient failure). */
  acquire(): void
  /** Queues a refresh (after a transient failure). */
  refresh(): void
  /** A check of the lock's holder was sent now. */
  checked(): void
}

/** What a request of the lease is sent with, read now. */
export function requestContext(parts: LeaseParts): LeaseRequestContext {
  const { store, env } = parts
  return { client: parts.client(), path: parts.path, signal: parts.signal(), requested: parts.observers.lockOptions(), expiresAt: store.expiresAt, now: env.now() }
}

/** Asks the server for the lock (POST). */
export async function acquireFromServer(parts: LeaseParts): Promise<void> {
  const { store } = parts
  try {
    store.dispatch(await takeLock(requestContext(parts)))
  } catch (error) {
    return acquireFailed(parts, error)
  }
  // Nick answers a POST on one's own lock with that lock as it is: right after a release it is the one-second lock
  // the release left, which would lapse under the new form. A refresh gives it the lifetime asked for.
  const timeout = store.state.status === 'held' ? store.state.lock?.timeout : undefined
  if (typeof timeout === 'number' && timeout > 0 && timeout * 1000 < MIN_LOCK_TIMEOUT) await refreshHeld(parts)
}

export function acquireFailed(parts: LeaseParts, error: unknown): void {
  const lockError = toLockError(error)
  if (lockError.code === 'aborted') return
  parts.store.dispatch({ type: 'failed', error: lockError })
  if (lockError.transient && parts.observers.wanted()) parts.store.retry(lockError, parts.acquire)
}

/** Refreshes a held lock (PATCH), looking first when it may have lapsed or the login changed. */
export async function refreshHeld(parts: LeaseParts): Promise<void> {
  const { store, env } = parts
  if (store.state.status !== 'held') return
  store.timers.clear('refresh', 'retry')
  // After a sleep the lock may be gone or someone else's: look before trusting it.
  if (isPastExpiry(store.expiresAt, env.now())) return checkHolder(parts)
  if (!(await sameUser(parts))) return userChanged(parts)
  await afterSaves(parts)
  if (store.state.status !== 'held') return
  try {
    const result = await patchLock(requestContext(parts), store.state.lock)
    if (store.state.status !== 'held') return
    const current = requestContext(parts)
    store.dispatch(await afterRefresh(current, result, hasLapsed(current.expiresAt, current.now)))
  } catch (error) {
    refreshFailed(parts, error)
  }
}

/** On Nick, a refresh waits for the saves in flight (it would rotate their token), but not until the lock lapses. */
function afterSaves({ store, env, saves }: LeaseParts): Promise<void> {
  if (store.state.lock?.dialect !== 'nick') return Promise.resolve()
  return saves.settled((store.expiresAt ?? env.now()) - SAVE_REFRESH_MARGIN - env.now())
}

function refreshFailed(parts: LeaseParts, error: unknown): void {
  const lockError = toLockError(error)
  if (lockError.code === 'aborted' || parts.store.state.status !== 'held') return
  // The lock stays held while it has time; the next try may come after it lapsed, and then finds out.
  parts.store.dispatch({ type: 'failed', error: lockError })
  parts.store.retry(lockError, parts.refresh)
}

/** Looks who holds the lock (GET), for a lock held, one held by someone else, or ours that the server removed. */
export async function checkHolder(parts: LeaseParts): Promise<void> {
  const { store } = parts
  const { lock } = store.state
  const status = watchedStatus(store.state)
  if (!status || parts.tabs?.hasPeer) return
  store.timers.clear('check')
  parts.checked()
  try {
    if (status === 'held' && !(await sameUser(parts))) return await userChanged(parts)
    const event = await checkLock(requestContext(parts), status, lock)
    if (event && store.state.status === status) store.dispatch(event)
  } catch (error) {
    if (store.state.status === 'held') refreshFailed(parts, error)
    // After a removed lock, looking again is only to name who took it: a failure there changes nothing shown.
    else if (status !== 'lost' && store.state.status === status) store.dispatch({ type: 'failed', error: toLockError(error) })
  } finally {
    store.scheduleCheck()
  }
}

/** Gives a held lock back, unless another user has logged in meanwhile. */
export async function releaseHeld(parts: LeaseParts): Promise<void> {
  const { store, env } = parts
  const { status, lock } = store.state
  store.dispatch({ type: 'stopped' })
  if (status !== 'held') return
  const mine = await sameUser(parts)
  store.dispatch({ type: 'released', at: env.now() })
  // Another user logged in meanwhile: the old user's lock cannot be given back with the new user's login.
  if (!mine) return
  try {
    const answer = await releaseLock(parts.client(), parts.path, { lock, signal: parts.signal() })
    if (answer.locked) parts.publish({ ...answer, token: null })
  } catch (error) {
    store.dispatch({ type: 'failed', error: toLockError(error) })
  }
}

/** Takes the edit over from another tab of ours, or another user's lock (force DELETE, then POST). */
export async function takeOver(parts: LeaseParts): Promise<void> {
  const { store, tabs } = parts
  const { status, lock } = store.state
  if (tabs?.hasPeer && (status === 'locked' || status === 'lost')) {
    const handed = await tabs.take()
    // Handed over: the same server lock, no request, no window for another user. No answer: that tab is gone.
    return handed ? store.dispatch({ type: 'acquired', lock: handed }) : acquireFromServer(parts)
  }
  // From `lost` too: an editor whose lock was taken may take it back, if the new holder's lock allows it.
  const refusal = await removeOthersLock(requestContext(parts), status === 'locked' || status === 'lost' ? lock : null)
  if (refusal) return refusal.forEach((event) => store.dispatch(event))
  store.dispatch({ type: 'acquire' })
  await acquireFromServer(parts)
}

/** Whether the current user (the client may have a new token or be a new client) is the one who holds the lock. */
export async function sameUser(parts: LeaseParts): Promise<boolean> {
  const holder = parts.store.state.lock?.holder?.id
  if (!holder) return true
  return (await parts.client().getUserId().catch(() => null)) === holder
}

/** Another user is logged in now: the old user's token is dropped, and the lock asked for as the new user. */
export async function userChanged(parts: LeaseParts): Promise<void> {
  if (parts.store.state.status !== 'held') return
  parts.store.dispatch({ type: 'acquire' })
  await acquireFromServer(parts)
}
