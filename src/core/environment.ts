import { browserTabChannel } from './tabHub'
import type { TabChannelFactory } from './tabHub'

/** Sets and clears one-shot timers; `timeoutManager` of TanStack Query fits, and so do the global functions. */
export interface TimerFunctions {
  setTimeout(callback: () => void, delay: number): unknown
  clearTimeout(id: unknown): void
}

/**
 * Everything a lease takes from the world around it. The React layer passes TanStack Query's `focusManager`,
 * `onlineManager` and `timeoutManager` through here, so that an app's configuration of those applies; other callers
 * get the browser's own events from {@link browserEnvironment}, or pass their own (tests, servers, other frameworks).
 */
export interface LeaseEnvironment {
  /** Milliseconds since the epoch. */
  now(): number
  timers: TimerFunctions
  /** A number in [0, 1), for the jitter of retries. */
  random(): number
  /** Whether the user can see the page (ownership checks pause while they cannot). */
  isVisible(): boolean
  /** Calls `listener` when the page becomes visible again; returns the unsubscribe function. */
  onVisible(listener: () => void): () => void
  /** Calls `listener` when the connection comes back; returns the unsubscribe function. */
  onOnline(listener: () => void): () => void
  /**
   * Calls `hide` when the page goes away (`pagehide`) and `show` when it comes back from the back/forward cache;
   * returns the unsubscribe function.
   */
  onPageLifecycle(hide: () => void, show: () => void): () => void
  /** Opens the channel to this browser's other tabs, or `null` where there is none. */
  tabChannel: TabChannelFactory | null
}

/** Global `setTimeout` and `clearTimeout`, looked up at each call so that fake timers in tests apply. */
export const systemTimers: TimerFunctions = {
  setTimeout: (callback, delay) => globalThis.setTimeout(callback, delay),
  clearTimeout: (id) => globalThis.clearTimeout(id as Parameters<typeof clearTimeout>[0]),
}

function listen(target: EventTarget | undefined, type: string, listener: (event: Event) => void): () => void {
  if (!target || typeof target.addEventListener !== 'function') return () => undefined
  target.addEventListener(type, listener)
  return () => target.removeEventListener(type, listener)
}

const win = (): (EventTarget & { document?: Document }) | undefined =>
  typeof window === 'undefined' ? undefined : (window as unknown as EventTarget & { document?: Document })

/**
 * The browser as it is: `visibilitychange`, `online`, `pagehide`/`pageshow` and `BroadcastChannel`, each only where
 * it exists, so that the same code runs on a server (where nothing ever fires).
 */
export function browserEnvironment(overrides: Partial<LeaseEnvironment> = {}): LeaseEnvironment {
  return {
    now: () => Date.now(),
    timers: systemTimers,
    random: Math.random,
    isVisible: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
    onVisible: (listener) =>
      listen(typeof document === 'undefined' ? undefined : document, 'visibilitychange', () => {
        if (document.visibilityState !== 'hidden') listener()
      }),
    onOnline: (listener) => listen(win(), 'online', listener),
    onPageLifecycle: (hide, show) => {
      const offHide = listen(win(), 'pagehide', hide)
      const offShow = listen(win(), 'pageshow', (event) => (event as PageTransitionEvent).persisted && show())
      return () => {
        offHide()
        offShow()
      }
    },
    tabChannel: browserTabChannel,
    ...overrides,
  }
}
