// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { LockError } from '../src/core/LockError'
import { INITIAL_STATE, transition } from '../src/core/leaseMachine'
import type { LeaseEvent, LeaseState, LeaseStatus } from '../src/core/leaseMachine'
import type { LockInfo } from '../src/core/types'

function lock(user: string, changes: Partial<LockInfo> = {}): LockInfo {
  const isMine = user === 'alice'
  return {
    lockable: true,
    locked: true,
    stealable: true,
    holder: { id: user, name: user, url: null, isMe: isMine, where: null },
    created: new Date(0),
    since: new Date(0),
    timeout: 600,
    token: isMine ? 'token' : null,
    isMine,
    receivedAt: 0,
    expiresAt: new Date(600_000),
    dialect: 'plone',
    ...changes,
  }
}

const ours = lock('alice')
const bobs = lock('bob')
const problem = new LockError('http', 'HTTP 503', { status: 503 })
const refusal = new LockError('not-allowed', 'Not allowed')

const STATUSES: LeaseStatus[] = ['idle', 'acquiring', 'held', 'locked', 'lost', 'released', 'unavailable', 'error']

function stateIn(status: LeaseStatus): LeaseState {
  const lockFor: Record<LeaseStatus, LockInfo | null> = {
    idle: null,
    acquiring: null,
    held: ours,
    locked: bobs,
    lost: bobs,
    released: null,
    unavailable: { ...ours, lockable: false, locked: false, holder: null },
    error: null,
  }
  return {
    ...INITIAL_STATE,
    status,
    lock: lockFor[status],
    error: status === 'error' ? problem : null,
    lostReason: status === 'lost' ? 'taken-over' : null,
  }
}

const EVENTS: Record<string, LeaseEvent> = {
  acquire: { type: 'acquire' },
  acquired: { type: 'acquired', lock: ours },
  refreshed: { type: 'refreshed', lock: ours },
  locked: { type: 'locked', lock: bobs },
  'locked-by-tab': { type: 'locked-by-tab', lock: ours },
  unavailable: { type: 'unavailable', lock: { ...ours, lockable: false } },
  lost: { type: 'lost', reason: 'taken-over', lock: bobs },
  released: { type: 'released', at: 1 },
  freed: { type: 'freed', lock: { ...bobs, locked: false, holder: null } },
  stopped: { type: 'stopped' },
  failed: { type: 'failed', error: problem },
  'take-over-refused': { type: 'take-over-refused', error: refusal },
  recovered: { type: 'recovered' },
}

// The next status for each event (rows) from each status (columns, in the order of STATUSES); `=` means the event
// does not apply and the state stays the very same object.
const TABLE: Record<keyof typeof EVENTS, string> = {
  //                   idle         acquiring    held         locked       lost         released     unavailable  error
  acquire: '           acquiring    =            acquiring    acquiring    acquiring    acquiring    acquiring    acquiring',
  acquired: '          held         held         held         held         held         held         held         held',
  refreshed: '         =            =            held         =            =            =            =            =',
  locked: '            locked       locked       =            locked       locked       locked       locked       locked',
  'locked-by-tab': '   locked       locked       locked       locked       locked       locked       locked       locked',
  unavailable: '       unavailable  unavailable  unavailable  unavailable  unavailable  unavailable  unavailable  unavailable',
  lost: '              =            =            lost         =            =            =            =            =',
  released: '          =            =            released     =            =            =            =            =',
  freed: '             =            =            =            idle         =            =            =            =',
  stopped: '           =            idle         =            =            =            =            =            idle',
  failed: '            idle         error        held         locked       lost         released     unavailable  =',
  'take-over-refused': 'idle      acquiring    held         locked       lost         released     unavailable  error',
  recovered: '         =            =            =            =            =            =            =            error',
}

const rows = Object.entries(TABLE).flatMap(([event, line]) =>
  line
    .trim()
    .split(/\s+/)
    .map((expected, column) => ({ event, from: STATUSES[column]!, expected })),
)

describe('the lease state machine, as a table (state × event → state)', () => {
  it('covers every status and every event', () => {
    expect(rows).toHaveLength(STATUSES.length * Object.keys(EVENTS).length)
  })

  it.each(rows)('$from + $event → $expected', ({ event, from, expected }) => {
    const before = stateIn(from)
    const after = transition(before, EVENTS[event]!)
    if (expected === '=') expect(after).toBe(before)
    else expect(after.status).toBe(expected)
  })
})

describe('what the transitions carry', () => {
  it('a lock we hold says this tab; the same user in another tab is `isMe`, `other-tab`, without its token', () => {
    expect(transition(INITIAL_STATE, { type: 'acquired', lock: ours }).lock?.holder?.where).toBe('this-tab')
    const waiting = transition(INITIAL_STATE, { type: 'locked-by-tab', lock: ours })
    expect(waiting.lock).toMatchObject({ token: null, holder: { isMe: true, where: 'other-tab' } })
  })

  it('a lock taken again after it lapsed counts an interruption; a plain refresh does not', () => {
    const held = stateIn('held')
    expect(transition(held, { type: 'refreshed', lock: ours }).interruptions).toBe(0)
    expect(transition(held, { type: 'refreshed', lock: ours, retaken: true }).interruptions).toBe(1)
  })

  it('an unusable timeout from the server is held with a warning in `error`', () => {
    const warning = new LockError('protocol', 'unusable timeout')
    expect(transition(stateIn('acquiring'), { type: 'acquired', lock: ours, warning })).toMatchObject({ status: 'held', error: warning })
  })

  it('a refused take-over stays refused while the same holder keeps the lock, and ends with another holder', () => {
    const refused = transition(stateIn('locked'), { type: 'take-over-refused', error: refusal })
    expect(refused).toMatchObject({ takeOverRefused: true, error: refusal })
    expect(transition(refused, { type: 'locked', lock: { ...bobs, expiresAt: new Date(1) } })).toMatchObject({ takeOverRefused: true, error: refusal })
    expect(transition(refused, { type: 'locked', lock: lock('carol') })).toMatchObject({ takeOverRefused: false, error: null })
    expect(transition(refused, { type: 'acquired', lock: ours }).takeOverRefused).toBe(false)
  })

  it('losing the lock says why and keeps what the server now has; a release forgets the lock', () => {
    expect(transition(stateIn('held'), { type: 'lost', reason: 'expired', lock: bobs })).toMatchObject({ lostReason: 'expired', lock: bobs })
    expect(transition(stateIn('held'), { type: 'released', at: 5 }).lock).toMatchObject({ locked: false, receivedAt: 5 })
  })

  it('a lock the server removed, found taken by another user afterwards, is told as taken over; nothing else changes a loss', () => {
    const removed = transition(stateIn('held'), { type: 'lost', reason: 'released-by-server', lock: null })
    expect(removed).toMatchObject({ status: 'lost', lostReason: 'released-by-server', lock: ours })
    expect(transition(removed, { type: 'lost', reason: 'taken-over', lock: bobs })).toMatchObject({ status: 'lost', lostReason: 'taken-over', lock: bobs })
    expect(transition(removed, { type: 'lost', reason: 'expired', lock: bobs })).toBe(removed)
    const takenOver = stateIn('lost')
    expect(transition(takenOver, { type: 'lost', reason: 'taken-over', lock: lock('carol') })).toBe(takenOver)
  })

  it('an aborted request changes nothing', () => {
    const held = stateIn('held')
    expect(transition(held, { type: 'failed', error: new LockError('aborted', 'aborted') })).toBe(held)
  })
})
