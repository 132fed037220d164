import type { LockInfo } from './types'

/** The part of `BroadcastChannel` the library uses, so that tests and other transports can stand in for it. */
export interface TabChannel {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  close(): void
}

/** Opens the channel of one API and user; `null` when the platform has none. */
export type TabChannelFactory = (name: string) => TabChannel | null

/** What the tabs of one browser tell each other about one path. */
export type TabMessage =
  | { type: 'ask'; path: string; from: string }
  | { type: 'editing'; path: string; from: string; since: number; lock: LockInfo }
  | { type: 'take'; path: string; from: string }
  | { type: 'moved'; path: string; from: string; to: string; since: number; lock: LockInfo }
  | { type: 'released'; path: string; from: string }

type Outgoing = TabMessage extends infer M ? (M extends TabMessage ? Omit<M, 'from'> : never) : never

export const browserTabChannel: TabChannelFactory = (name) =>
  typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null

function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === 'object' && value !== null && typeof (value as TabMessage).type === 'string' && typeof (value as TabMessage).path === 'string'
}

/**
 * This tab's end of the channel shared by the tabs of one browser that use the same API as the same user. Routes
 * messages to the lease of their path.
 */
export class TabHub {
  /** This tab's id, random per page load. */
  readonly id = Math.random().toString(36).slice(2) + Date.now().toString(36)
  /** The user whose tabs share the channel: only that user's locks are ever sent or accepted on it. */
  readonly user: string
  readonly #channel: TabChannel
  readonly #listeners = new Map<string, Set<(message: TabMessage) => void>>()
  readonly #onMessage = (event: MessageEvent) => {
    const message: unknown = event.data
    if (!isTabMessage(message) || message.from === this.id) return
    for (const listener of this.#listeners.get(message.path) ?? []) listener(message)
  }

  constructor(channel: TabChannel, user: string) {
    this.#channel = channel
    this.user = user
    channel.addEventListener('message', this.#onMessage)
  }

  send(message: Outgoing): void {
    this.#channel.postMessage({ ...message, from: this.id })
  }

  listen(path: string, listener: (message: TabMessage) => void): () => void {
    let set = this.#listeners.get(path)
    if (!set) this.#listeners.set(path, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.#listeners.delete(path)
    }
  }

  close(): void {
    this.#channel.removeEventListener('message', this.#onMessage)
    this.#channel.close()
  }
}
