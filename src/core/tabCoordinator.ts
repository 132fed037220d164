import type { TimerFunctions } from './environment'
import type { LeaseEvent, LeaseState } from './leaseMachine'
import { NamedTimers } from './leaseTimers'
import { unlockedInfo } from './parseLock'
import type { TabHub, TabMessage } from './tabHub'
import type { LockInfo } from './types'

// How long a tab waits for another tab to say it edits the item before asking the server.
const TAB_ANSWER = 50
// The editing tab says so this often; a tab silent for TAB_GONE has vanished (crashed, killed) without `pagehide`.
// Hidden tabs' timers may run a minute late, hence the margin.
const TAB_HEARTBEAT = 10_000
const TAB_GONE = 90_000
// How long a take-over waits for the editing tab to hand the lock over before asking the server.
const TAB_HANDOVER = 1_000

type Editing = Extract<TabMessage, { type: 'editing' | 'moved' }>

/** The other tab that edits the item, as this tab knows it. */
export interface TabPeer {
  tab: string
  since: number
  /** The lock as the editing tab has it, token included (same user, same browser); never exposed. */
  lock: LockInfo
  seenAt: number
}

/** What the coordinator needs from its lease. */
export interface TabLease {
  readonly path: string
  state(): LeaseState
  /** When this tab began to hold the lock (local clock). */
  heldSince(): number
  now(): number
  /** The user logged in now, or `null` when unknown. */
  userId(): Promise<string | null>
  /** Applies an event to the lease's state (the lease's one way to change it). */
  dispatch(event: LeaseEvent): void
  /** Runs a task in the lease's queue, after the requests in flight (so that a token handed over is the latest). */
  run(task: () => Promise<void>): void
  /** Gives back the lock of a tab that vanished, with the same user's login. */
  releaseFor(lock: LockInfo): Promise<void>
}

/**
 * Keeps one lease in step with the same path's leases in the other tabs of this browser (same API, same user), so
 * that one of them edits: asks before the lease asks the server, announces while it holds the lock, hands the lock
 * over on request, and notices a tab that vanished.
 */
export class TabCoordinator {
  readonly #lease: TabLease
  readonly #open: (user: string) => TabHub | null
  readonly #timers: NamedTimers<'heartbeat' | 'watch' | 'wait'>
  #hub: TabHub | null = null
  #unlisten: (() => void) | null = null
  #peer: TabPeer | null = null
  #waiting: { type: Editing['type']; resolve: (message: Editing | null) => void } | null = null

  constructor(lease: TabLease, open: (user: string) => TabHub | null, timers: TimerFunctions) {
    this.#lease = lease
    this.#open = open
    this.#timers = new NamedTimers(timers)
  }

  /** Whether another tab of ours edits the item (this one then watches that tab, not the server). */
  get hasPeer(): boolean {
    return this.#peer !== null
  }

  forgetPeer(): void {
    this.#peer = null
    this.#timers.clear('watch')
  }

  /** Asks whether another tab edits this item; resolves with its lock, or `null` when none answers in time. */
  async ask(): Promise<LockInfo | null> {
    const hub = this._join(await this.#lease.userId())
    if (!hub) return null
    hub.send({ type: 'ask', path: this.#lease.path })
    const answer = await this._await('editing', TAB_ANSWER)
    if (answer) this._follow(answer)
    return answer?.lock ?? null
  }

  /** Asks the editing tab for the edit; resolves with the lock it handed over, or `null` when it did not answer. */
  async take(): Promise<LockInfo | null> {
    const hub = this.#hub
    this.forgetPeer()
    if (!hub) return null
    hub.send({ type: 'take', path: this.#lease.path })
    return (await this._await('moved', TAB_HANDOVER))?.lock ?? null
  }

  /** This tab holds the lock: says so now and every heartbeat, on the channel of the user who holds it. */
  announce(): void {
    const { status, lock } = this.#lease.state()
    if (!lock || status !== 'held') return
    // On the channel of the user who holds the lock, joined now if the login changed since (or this tab never asked).
    const hub = this._join(lock.holder?.id ?? null)
    if (!hub) return
    this.#peer = null
    hub.send({ type: 'editing', path: this.#lease.path, since: this.#lease.heldSince(), lock })
    this.#timers.set('heartbeat', TAB_HEARTBEAT, () => this.announce())
  }

  /** This tab stopped holding the lock (released, lost): tabs waiting on it stop waiting. */
  released(): void {
    this.#timers.clear('heartbeat')
    this.#hub?.send({ type: 'released', path: this.#lease.path })
  }

  /** Hands the lock to tab `to`, and remembers where the edit went so that it can come back. */
  moved(to: string, lock: LockInfo): void {
    this.#timers.clear('heartbeat')
    this.#hub?.send({ type: 'moved', path: this.#lease.path, to, since: this.#lease.now(), lock })
    this.#peer = { tab: to, since: this.#lease.now(), lock, seenAt: this.#lease.now() }
  }

  close(): void {
    this.#unlisten?.()
    this.#unlisten = null
    this.#hub = null
    this.#peer = null
    this.#waiting?.resolve(null)
    this.#timers.clearAll()
  }

  /** Joins `user`'s channel, leaving another user's; `null` when there is none. */
  private _join(user: string | null): TabHub | null {
    if (user === null) return null
    if (this.#hub?.user === user) return this.#hub
    const hub = this.#open(user)
    if (hub) {
      this.#unlisten?.()
      this.forgetPeer()
      this.#hub = hub
      this.#unlisten = hub.listen(this.#lease.path, (message) => this._onMessage(message))
    }
    return hub
  }

  private _await(type: Editing['type'], timeout: number): Promise<Editing | null> {
    return new Promise((resolve) => {
      const done = (message: Editing | null) => {
        if (this.#waiting?.resolve === done) {
          this.#waiting = null
          this.#timers.clear('wait')
        }
        resolve(message)
      }
      this.#waiting = { type, resolve: done }
      this.#timers.set('wait', timeout, () => done(null))
    })
  }

  private _follow(message: Editing): void {
    const now = this.#lease.now()
    this.#peer = { tab: message.type === 'moved' ? message.to : message.from, since: message.since, lock: message.lock, seenAt: now }
    this.#timers.clear('heartbeat')
    this._watch()
  }

  private _watch(): void {
    this.#timers.set('watch', TAB_HEARTBEAT, () => {
      const peer = this.#peer
      if (!peer || this.#lease.state().status !== 'locked') return
      if (this.#lease.now() - peer.seenAt < TAB_GONE) return this._watch()
      // The editing tab vanished without saying so: give the lock back for it, so nobody waits for it to lapse.
      this.#peer = null
      this.#hub?.send({ type: 'released', path: this.#lease.path })
      this._peerLeft(peer.lock)
    })
  }

  private _onMessage(message: TabMessage): void {
    const lease = this.#lease
    const { status } = lease.state()
    // A lock on this channel is its user's; one of another user (a tab that did not follow a login) is ignored.
    if ((message.type === 'editing' || message.type === 'moved') && message.lock?.holder?.id !== this.#hub?.user) return
    if (this.#waiting?.type === message.type && (message.type !== 'moved' || message.to === this.#hub?.id)) {
      this.#waiting.resolve(message as Editing)
      return
    }
    switch (message.type) {
      case 'ask':
        if (status === 'held') this.announce()
        break
      case 'editing':
        if (status === 'held') {
          // Two tabs took the lock at the same moment: the earlier one edits, the other waits, and the server
          // lock (the same one for both) stays.
          const since = lease.heldSince()
          const theirsFirst = message.since < since || (message.since === since && message.from < (this.#hub?.id ?? ''))
          if (!theirsFirst) return this.announce()
          this._follow(message)
          lease.dispatch({ type: 'locked-by-tab', lock: message.lock })
        } else if (status === 'locked' && this.#peer) {
          this._follow(message)
          lease.dispatch({ type: 'locked-by-tab', lock: message.lock })
        }
        break
      case 'take':
        lease.run(async () => this._handOver(message.from))
        break
      case 'moved':
        if (status === 'locked' && this.#peer) {
          this._follow(message)
          lease.dispatch({ type: 'locked-by-tab', lock: message.lock })
        }
        break
      case 'released':
        if (status === 'locked' && this.#peer?.tab === message.from) {
          this.forgetPeer()
          this._peerLeft(null)
        }
        break
    }
  }

  /** Another tab asked for the edit: this one hands its lock over (token included) and is `lost` to it. */
  private _handOver(to: string): void {
    const { status, lock } = this.#lease.state()
    // Never another user's token: the lock is handed over on its holder's channel only.
    if (status !== 'held' || !lock || lock.holder?.id !== this.#hub?.user) return
    this.moved(to, lock)
    const holder = lock.holder ? { ...lock.holder, where: 'other-tab' as const } : null
    this.#lease.dispatch({ type: 'lost', reason: 'moved-to-another-tab', lock: { ...lock, token: null, holder } })
  }

  /** The editing tab gave the item back; or vanished, and `orphan` is its lock, given back for it. */
  private _peerLeft(orphan: LockInfo | null): void {
    this.#lease.run(async () => {
      this.#lease.dispatch({ type: 'freed', lock: unlockedInfo(this.#lease.now()) })
      if (orphan) await this.#lease.releaseFor(orphan)
    })
  }
}
