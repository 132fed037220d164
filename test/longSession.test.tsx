import { timeoutManager } from '@tanstack/react-query'
import { act, cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useLock } from '../src'
import { clientFor, dialects, newQueryClient, Providers, requests, startSimulation, uniquePath, setupMsw } from './utils'

// Browsers may delay a hidden tab's timers by up to a minute. Every timer the library sets here fires late by a
// varying amount in [0, 60 s), before any timer exists in this file.
let lateBy = 0
timeoutManager.setTimeoutProvider({
  setTimeout: (callback, delay) => {
    lateBy = (lateBy + 37_000) % 60_000
    return setTimeout(callback, delay + lateBy)
  },
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  setInterval: (callback, delay) => setInterval(callback, delay),
  clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
})

const msw = setupMsw()

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false })
})

afterEach(async () => {
  cleanup()
  await act(() => vi.advanceTimersByTimeAsync(120_000))
  vi.useRealTimers()
})

const HOUR = 3_600_000

describe.each(dialects)('a long editing session with throttled timers (%s)', (dialect) => {
  it('8 hours with default options: the server never sees the lock lapse', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const client = clientFor(server, 'alice')
    const queryClient = newQueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <Providers client={client} queryClient={queryClient}>
        {children}
      </Providers>
    )
    const { result } = renderHook(() => useLock(path), { wrapper })
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    expect(result.current.status).toBe('held')
    for (let elapsed = 0; elapsed < 8 * HOUR; elapsed += 10_000) {
      await act(() => vi.advanceTimersByTimeAsync(10_000))
      expect(server.getLock(path)?.user).toBe('alice')
    }
    expect(result.current).toMatchObject({ status: 'held', interruptions: 0, error: null })
    const refreshes = requests(server, { path }).filter((r) => r === 'PATCH lock').length
    // One refresh per third of the 600 s timeout, each up to a minute late: between 8 h / 260 s and 8 h / 200 s.
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor((8 * HOUR) / 260_000))
    expect(refreshes).toBeLessThanOrEqual(Math.ceil((8 * HOUR) / 200_000))
  })
})

describe.each(dialects)('a laptop that sleeps for 2 hours in the middle of 8 hours of editing (%s)', (dialect) => {
  function mount(server: ReturnType<typeof startSimulation>, path: string) {
    const client = clientFor(server, 'alice')
    const queryClient = newQueryClient()
    return renderHook(() => useLock(path), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <Providers client={client} queryClient={queryClient}>
          {children}
        </Providers>
      ),
    })
  }

  async function edit(server: ReturnType<typeof startSimulation>, path: string, hours: number) {
    for (let elapsed = 0; elapsed < hours * HOUR; elapsed += 10_000) {
      await act(() => vi.advanceTimersByTimeAsync(10_000))
      expect(server.getLock(path)?.user).toBe('alice')
    }
  }

  async function sleep(ms: number) {
    // Asleep, nothing runs: the clock jumps, and the timers fire late once the machine wakes.
    vi.setSystemTime(Date.now() + ms)
  }

  it('nobody took the lock meanwhile: it is taken again within minutes of waking, counted once, and kept', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = mount(server, path)
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    await edit(server, path, 3)
    await sleep(2 * HOUR)
    expect(server.getLock(path)).toBeNull()
    await act(() => vi.advanceTimersByTimeAsync(5 * 60_000))
    expect(result.current).toMatchObject({ status: 'held', interruptions: 1 })
    await edit(server, path, 3)
    expect(result.current).toMatchObject({ status: 'held', interruptions: 1 })
  })

  it('someone took it while the laptop slept: lost (expired), with the new holder', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = mount(server, path)
    await act(() => vi.advanceTimersByTimeAsync(60_000))
    await edit(server, path, 1)
    await sleep(2 * HOUR)
    server.setLock(path, { user: 'bob' })
    await act(() => vi.advanceTimersByTimeAsync(5 * 60_000))
    expect(result.current).toMatchObject({ status: 'lost', lostReason: 'expired' })
    expect(result.current.holder?.id).toBe('bob')
    expect(server.getLock(path)?.user).toBe('bob')
  })
})
