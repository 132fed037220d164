import { QueryClient } from '@tanstack/react-query'
import { renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useLockStatus } from '../src'
import type { LockClient } from '../src'
import { clientFor, dialects, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

// TanStack Query's own defaults (three retries), as an app has them.
function withAppDefaults(client: LockClient) {
  return wrapperFor(client, new QueryClient())
}

describe.each(dialects)('useLockStatus with an app’s default retries (%s)', (dialect) => {
  it('a 403 is shown at once, after one request', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ method: 'GET', endpoint: 'lock' }, { status: 403, times: 10 })
    const { result } = renderHook(() => useLockStatus(path), { wrapper: withAppDefaults(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    expect(result.current.error).toMatchObject({ code: 'forbidden' })
    await tick(10_000)
    expect(requests(server, { path })).toEqual(['GET lock'])
  })

  it('an invalid path is shown at once, and nothing is sent', async () => {
    const server = startSimulation(msw, dialect)
    const { result } = renderHook(() => useLockStatus('/news/@@edit'), { wrapper: withAppDefaults(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    expect(result.current.error).toMatchObject({ code: 'invalid-path' })
    expect(server.log).toEqual([])
  })

  it('a 503 is still retried, as the app’s defaults say', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ method: 'GET', endpoint: 'lock' }, { status: 503, times: 1 })
    const { result } = renderHook(() => useLockStatus(path), { wrapper: withAppDefaults(clientFor(server, 'alice')) })
    await tick(0)
    await tick(2_000)
    expect(result.current).toMatchObject({ isSuccess: true, isLocked: false })
    expect(requests(server, { path })).toEqual(['GET lock', 'GET lock'])
  })

  it('a row that reads only isLockedByOther re-renders once per refetch, not for every fetch status', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    let renders = 0
    const { result } = renderHook(
      () => {
        renders += 1
        return useLockStatus(path, { refetchInterval: 5_000, staleTime: 0 }).isLockedByOther
      },
      { wrapper: withAppDefaults(clientFor(server, 'alice')) },
    )
    await tick(0)
    await tick(0)
    expect(result.current).toBe(true)
    // Each answer takes a second, so that a fetch starting and its answer are two moments a component could render in.
    server.fail({ method: 'GET', endpoint: 'lock', path }, { delay: 1_000, times: Infinity })
    server.clearLog()
    const before = renders
    for (let step = 0; step < 100; step += 1) await tick(500)
    const refetches = requests(server, { path }).length
    expect(refetches).toBeGreaterThanOrEqual(8)
    // `data` changes once per refetch (each answer has a new `receivedAt`); `isFetching` going on and off renders nothing.
    expect(renders - before).toBeLessThanOrEqual(refetches)
  })
})
