import { focusManager, onlineManager, QueryClient, timeoutManager } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import { useEffect } from 'react'
import { afterAll, describe, it, vi } from 'vitest'
import { useLock } from '../src'
import { useLockContext } from '../src/react/LockProvider'
import type { LockContextValue } from '../src/react/LockProvider'
import type { TabChannel } from '../src'
import { clientFor, Providers, setupMsw, startSimulation } from '../test/utils'
import { MINUTE, tick } from './harness'
import { ratio, record } from './record'

const msw = setupMsw()

// Taken before the fake timers replace it.
const realNow = performance.now.bind(performance)

const CYCLES = Number(process.env.BENCH_CYCLES ?? 10_000)
const PATHS = 100

// Every timer the library and TanStack Query set goes through timeoutManager: count the ones still pending.
const pending = new Set<ReturnType<typeof setTimeout>>()
timeoutManager.setTimeoutProvider({
  setTimeout: (callback, delay) => {
    const id = setTimeout(() => {
      pending.delete(id)
      callback()
    }, delay)
    pending.add(id)
    return id
  },
  clearTimeout: (id) => {
    pending.delete(id as ReturnType<typeof setTimeout>)
    clearTimeout(id as ReturnType<typeof setTimeout>)
  },
  setInterval: (callback, delay) => setInterval(callback, delay),
  clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
})

afterAll(() => {
  timeoutManager.setTimeoutProvider({ setTimeout, clearTimeout, setInterval, clearInterval } as never)
})

function listenerCount(manager: object): number {
  return (manager as { listeners: Set<unknown> }).listeners.size
}

/** A stand-in for BroadcastChannel that counts what is left open. */
function countingChannels() {
  const counts = { open: 0, opened: 0, listeners: 0 }
  const factory = (): TabChannel => {
    counts.open += 1
    counts.opened += 1
    let closed = false
    return {
      postMessage: () => undefined,
      addEventListener: () => void (counts.listeners += 1),
      removeEventListener: () => void (counts.listeners -= 1),
      close: () => {
        if (!closed) counts.open -= 1
        closed = true
      },
    }
  }
  return { counts, factory }
}

function Editor({ path }: { path: string }) {
  const lock = useLock(path)
  return <input aria-label="Title" readOnly={lock.readOnly} />
}

function Probe({ onContext }: { onContext: (value: LockContextValue) => void }) {
  const value = useLockContext()
  useEffect(() => {
    onContext(value)
  })
  return null
}

describe('7. mount/unmount cycles of useLock', () => {
  it(`${CYCLES} cycles leave nothing behind`, async (testContext) => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    const server = startSimulation(msw, 'plone')
    const client = clientFor(server, 'alice')
    // TanStack Query's default cache time, so that cached lock statuses are collected as in an application.
    const queryClient = new QueryClient()
    const channels = countingChannels()
    let provided: LockContextValue | null = null
    const pageListeners = { pagehide: 0, pageshow: 0 }
    const add = vi.spyOn(window, 'addEventListener')
    const remove = vi.spyOn(window, 'removeEventListener')
    const tree = (path: string | null) => (
      <Providers client={client} queryClient={queryClient} tabs={channels.factory}>
        <Probe onContext={(value) => (provided = value)} />
        {path && <Editor path={path} />}
      </Providers>
    )
    const view = render(tree(null))
    await tick(0)
    const baseline = { focus: listenerCount(focusManager), online: listenerCount(onlineManager), timers: pending.size }
    const started = realNow()
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const path = `/news/cycled-${cycle % PATHS}`
      act(() => view.rerender(tree(path)))
      // Half the editors leave while the lock is being taken, half once it is held.
      if (cycle % 2 === 0) await tick(100)
      act(() => view.rerender(tree(null)))
      await tick(100)
    }
    const elapsed = realNow() - started
    await tick(MINUTE)
    const pagehideAdded = add.mock.calls.filter((call) => call[0] === 'pagehide').length
    for (const call of add.mock.calls) if (call[0] in pageListeners) pageListeners[call[0] as keyof typeof pageListeners] += 1
    for (const call of remove.mock.calls) if (call[0] in pageListeners) pageListeners[call[0] as keyof typeof pageListeners] -= 1
    const left = {
      timers: pending.size - baseline.timers,
      cached: queryClient.getQueryCache().getAll().length,
      fakeTimers: vi.getTimerCount(),
    }
    await tick(6 * MINUTE)
    const afterGc = { timers: pending.size - baseline.timers, cached: queryClient.getQueryCache().getAll().length, fakeTimers: vi.getTimerCount() }
    const leases = (provided as LockContextValue | null)?.leases.registry?.size ?? -1
    const sent = (method: string) => server.log.filter((entry) => entry.endpoint === 'lock' && entry.method === method).length
    const stillLocked = Array.from({ length: PATHS }, (_, index) => server.getLock(`/news/cycled-${index}`)).filter(Boolean).length
    const listeners = {
      focus: listenerCount(focusManager) - baseline.focus,
      online: listenerCount(onlineManager) - baseline.online,
    }
    add.mockRestore()
    remove.mockRestore()
    view.unmount()
    cleanup()
    await tick(MINUTE)
    vi.useRealTimers()
    record(
      testContext,
      {
        key: '7.1',
        measurement: `${CYCLES} mount/unmount cycles of \`useLock\` over ${PATHS} paths (half left while acquiring): what is left a minute later`,
        result:
          `leases ${leases}; focus/online listeners +${listeners.focus}/+${listeners.online}; ` +
          `pagehide/pageshow listeners ${pageListeners.pagehide}/${pageListeners.pageshow} (of ${pagehideAdded} added); ` +
          `tab channels ${channels.counts.open} (of ${channels.counts.opened} opened), their listeners ${channels.counts.listeners}; ` +
          `locks held on the server ${stillLocked}; ` +
          `pending timers ${left.timers} (fake timers ${left.fakeTimers}); cached statuses ${left.cached}`,
        reference: `target 0 of each, except cached statuses: at most one per path (${PATHS}), each with its timer, until TanStack’s gcTime (5 min)`,
        ratio: [leases, listeners.focus, listeners.online, pageListeners.pagehide, channels.counts.open, stillLocked].every((n) => n === 0)
          ? 'met'
          : 'missed',
      },
      {
        key: '7.2',
        measurement: 'the same, once gcTime has passed',
        result: `pending timers ${afterGc.timers} (fake timers ${afterGc.fakeTimers}); cached statuses ${afterGc.cached}`,
        reference: 'target 0',
        ratio: afterGc.timers + afterGc.cached === 0 ? 'met' : 'missed',
      },
      {
        key: '7.3',
        measurement: 'time and requests per cycle (mount, take the lock, unmount, give it back), jsdom',
        result: `${((elapsed / CYCLES) * 1000).toFixed(0)} µs; ${sent('POST')} POST and ${sent('DELETE')} DELETE for ${CYCLES} mounts`,
        reference: `${CYCLES / 2} POST and DELETE needed: the other ${CYCLES / 2} editors unmounted before their POST was sent (while the lease waited 50 ms for other tabs to answer)`,
        ratio: `${ratio(sent('POST'), CYCLES / 2)} needed`,
      },
    )
  })
})
