import type { LockError } from './LockError'
import { unlockedInfo } from './parseLock'
import type { LockInfo } from './types'

/**
 * - `idle`: not trying to hold the lock (disabled, or another user's lock went away and the form may reload).
 * - `acquiring`: asking for the lock.
 * - `held`: the current user holds it; it is kept alive.
 * - `locked`: another user holds it (or the same user, in another tab of this browser).
 * - `lost`: it was held, and is no longer (see `lostReason`); saving is refused.
 * - `released`: given back (cancel, save, page hidden).
 * - `unavailable`: the server does not lock this item; the form stays editable and saves without a token.
 * - `error`: taking the lock failed (see `error`).
 */
export type LeaseStatus = 'idle' | 'acquiring' | 'held' | 'locked' | 'lost' | 'released' | 'unavailable' | 'error'

/**
 * Why a held lock was lost: another user took it over; it lapsed and someone else took it; the server removed it
 * before its time; or the same user moved the edit to another tab of this browser.
 */
export type LostReason = 'taken-over' | 'expired' | 'released-by-server' | 'moved-to-another-tab'

export interface LeaseState {
  status: LeaseStatus
  /** The last known lock: ours while held, the holder's while locked. */
  lock: LockInfo | null
  /** The last failure; while `held`, a refresh that failed and is being retried. */
  error: LockError | null
  lostReason: LostReason | null
  /** How many times the lock lapsed (a long sleep, a long outage) and was taken again quietly. */
  interruptions: number
  /**
   * The server refused to let this user take the current holder's lock over (Nick refuses every forced unlock).
   * Stays set, with its `error`, while the same holder keeps the lock.
   */
  takeOverRefused: boolean
}

/** What can happen to a lease. Each is applied by {@link transition}, and only there. */
export type LeaseEvent =
  /** Asking for the lock begins (mount, `acquire()`, a take-over, a user switch). */
  | { type: 'acquire' }
  /** The server (or the tab that edited it) gave us the lock. */
  | { type: 'acquired'; lock: LockInfo; warning?: LockError | null }
  /**
   * A refresh or an ownership check confirmed the lock; `retaken` when it had lapsed and was taken again. `warning`
   * says what is wrong with the lock as the server keeps it (an unusable timeout).
   */
  | { type: 'refreshed'; lock: LockInfo; retaken?: boolean; warning?: LockError | null }
  /** Another user holds the lock (or still does, after a check). */
  | { type: 'locked'; lock: LockInfo }
  /** The same user edits the item in another tab of this browser. */
  | { type: 'locked-by-tab'; lock: LockInfo }
  /** The server does not lock this item. */
  | { type: 'unavailable'; lock: LockInfo }
  /** A held lock is gone. */
  | { type: 'lost'; reason: LostReason; lock: LockInfo | null }
  /** We gave the lock back, at local time `at`. */
  | { type: 'released'; at: number }
  /** Another holder let go; `lock` is what the server now says. */
  | { type: 'freed'; lock: LockInfo }
  /** Nothing is wanted any more (everyone left while asking, a release before the lock was held). */
  | { type: 'stopped' }
  /** A request failed; while asking this is the outcome, otherwise the status stays and the error is shown. */
  | { type: 'failed'; error: LockError }
  /** The server refused a take-over of the current holder's lock. */
  | { type: 'take-over-refused'; error: LockError }
  /** The last error is over (a check found everything as it was). */
  | { type: 'recovered' }

export const INITIAL_STATE: LeaseState = {
  status: 'idle',
  lock: null,
  error: null,
  lostReason: null,
  interruptions: 0,
  takeOverRefused: false,
}

function withWhere(lock: LockInfo, where: 'this-tab' | 'other-tab'): LockInfo {
  return lock.holder ? { ...lock, holder: { ...lock.holder, isMe: where === 'other-tab' ? true : lock.holder.isMe, where } } : lock
}

function patch(state: LeaseState, changes: Partial<LeaseState>): LeaseState {
  for (const key of Object.keys(changes) as (keyof LeaseState)[]) {
    if (!Object.is(changes[key], state[key])) return { ...state, ...changes }
  }
  return state
}

/**
 * Whether the lease looks at the server on the check interval: while it holds the lock, while another user does, and
 * after the server removed ours (to tell the user who took it, if someone does).
 */
export function watchedStatus(state: LeaseState): 'held' | 'locked' | 'lost' | null {
  const { status } = state
  if (status === 'held' || status === 'locked') return status
  return status === 'lost' && state.lostReason === 'released-by-server' ? status : null
}

/**
 * The lease's state machine: the next state for an event, and nothing else (no timers, no requests, no
 * listeners). An event that does not apply to the current status leaves the state as it is (the same object).
 */
export function transition(state: LeaseState, event: LeaseEvent): LeaseState {
  switch (event.type) {
    case 'acquire':
      return patch(state, { status: 'acquiring', error: null, lostReason: null })
    case 'acquired':
      return patch(state, {
        status: 'held',
        lock: withWhere(event.lock, 'this-tab'),
        error: event.warning ?? null,
        lostReason: null,
        takeOverRefused: false,
      })
    case 'refreshed':
      if (state.status !== 'held') return state
      return patch(state, {
        lock: withWhere(event.lock, 'this-tab'),
        error: event.warning ?? null,
        interruptions: state.interruptions + (event.retaken ? 1 : 0),
      })
    case 'locked': {
      // A refused take-over stays explained while the same holder keeps the lock: asking again gets the same no.
      const refused = state.takeOverRefused && event.lock.holder?.id === state.lock?.holder?.id
      if (state.status === 'held') return state
      return patch(state, { status: 'locked', lock: event.lock, ...(refused ? {} : { error: null, takeOverRefused: false }) })
    }
    case 'locked-by-tab':
      return patch(state, { status: 'locked', lock: { ...withWhere(event.lock, 'other-tab'), token: null }, error: null })
    case 'unavailable':
      return patch(state, { status: 'unavailable', lock: event.lock, error: null })
    case 'lost':
      // A lock the server removed may turn out to have been taken over: the other user's forced DELETE and their
      // POST are two requests, and a check can fall between them.
      if (state.status === 'lost' && state.lostReason === 'released-by-server' && event.reason === 'taken-over' && event.lock) {
        return patch(state, { lostReason: 'taken-over', lock: event.lock })
      }
      if (state.status !== 'held') return state
      return patch(state, { status: 'lost', lostReason: event.reason, ...(event.lock ? { lock: event.lock } : {}) })
    case 'released':
      if (state.status !== 'held') return state
      return patch(state, { status: 'released', lock: unlockedInfo(event.at), error: null })
    case 'freed':
      if (state.status !== 'locked') return state
      return patch(state, { status: 'idle', lock: event.lock, error: null, takeOverRefused: false })
    case 'stopped':
      if (state.status !== 'acquiring' && state.status !== 'error') return state
      return patch(state, { status: 'idle', error: null })
    case 'failed':
      if (event.error.code === 'aborted') return state
      return patch(state, { error: event.error, ...(state.status === 'acquiring' ? { status: 'error' } : {}) })
    case 'take-over-refused':
      return patch(state, { error: event.error, takeOverRefused: true })
    case 'recovered':
      return patch(state, { error: null })
  }
}
