import type { TabChannel, TabChannelFactory } from '../core/tabHub'

/** One simulated browser tab: pass `open` to `<LockProvider tabs={...}>`. */
export interface SimulatedTab {
  /** Opens this tab's channels, like `new BroadcastChannel(name)`. */
  open: TabChannelFactory
  /** The tab vanishes without a word (a crash, a killed process): its channels go silent both ways. */
  crash(): void
}

export interface TabNetwork {
  /** A new tab of the simulated browser. */
  tab(): SimulatedTab
}

type Listener = (event: MessageEvent) => void

/**
 * The tabs of one simulated browser, for testing tab coordination in one process: channels with the same name
 * reach each other (never themselves), asynchronously and with structured cloning, as `BroadcastChannel` does.
 *
 * @example
 * ```tsx
 * const browser = createTabNetwork()
 * const first = browser.tab()
 * render(<LockProvider client={client} tabs={first.open}>...</LockProvider>)
 * ```
 */
export function createTabNetwork(): TabNetwork {
  const channels = new Map<string, Set<SimulatedChannel>>()

  class SimulatedChannel implements TabChannel {
    readonly #name: string
    readonly #listeners = new Set<Listener>()
    #open = true

    constructor(name: string) {
      this.#name = name
      let set = channels.get(name)
      if (!set) channels.set(name, (set = new Set()))
      set.add(this)
    }

    postMessage(message: unknown): void {
      if (!this.#open) return
      const data = structuredClone(message)
      for (const other of channels.get(this.#name) ?? []) {
        if (other !== this) queueMicrotask(() => other.#deliver(data))
      }
    }

    addEventListener(_type: 'message', listener: Listener): void {
      this.#listeners.add(listener)
    }

    removeEventListener(_type: 'message', listener: Listener): void {
      this.#listeners.delete(listener)
    }

    close(): void {
      this.#open = false
      channels.get(this.#name)?.delete(this)
    }

    #deliver(data: unknown): void {
      if (!this.#open) return
      const event = { data } as MessageEvent
      for (const listener of this.#listeners) listener(event)
    }
  }

  return {
    tab() {
      const opened = new Set<SimulatedChannel>()
      return {
        open: (name) => {
          const channel = new SimulatedChannel(name)
          opened.add(channel)
          return channel
        },
        crash: () => {
          for (const channel of opened) channel.close()
        },
      }
    },
  }
}
