import { renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { lockKeys, useLock, useLockStatus } from '../src'
import type { LockInfo } from '../src'
import { clientFor, dialects, newQueryClient, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

describe.each(dialects)('useLockStatus (%s)', (dialect) => {
  it('fetches who holds the lock, without their token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', token: 'tok-bob' })
    const { result } = renderHook(() => useLockStatus(path), { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    expect(result.current).toMatchObject({ isLocked: true, isLockedByOther: true, isLockedByMe: false, stealable: true })
    expect(result.current.holder).toMatchObject({ id: 'bob', name: 'Bob Baker' })
    expect(result.current.since).toBeInstanceOf(Date)
    expect(JSON.stringify(result.current.data)).not.toContain('tok-bob')
  })

  it("takes a content GET's lock as initialData: no request at mount", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const content = (await (await fetch(`${server.apiPath}${path}`)).json()) as { lock: unknown }
    server.clearLog()
    const { result } = renderHook(() => useLockStatus(path, { initialData: content.lock }), {
      wrapper: wrapperFor(clientFor(server, 'alice')),
    })
    await tick(1000)
    expect(result.current.isLockedByOther).toBe(true)
    expect(result.current.holder?.id).toBe('bob')
    expect(server.log).toEqual([])
  })

  it('shares the lease: after useLock takes the lock, the status shows it as mine with no GET', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const queryClient = newQueryClient()
    const client = clientFor(server, 'alice')
    const { result } = renderHook(() => ({ lock: useLock(path), status: useLockStatus(path, { enabled: false }) }), {
      wrapper: wrapperFor(client, queryClient),
    })
    await tick(0)
    await tick(0)
    expect(result.current.lock.status).toBe('held')
    expect(result.current.status).toMatchObject({ isLockedByMe: true, isLockedByOther: false })
    const cached = queryClient.getQueryData<LockInfo>(lockKeys.status(client.apiPath, path))
    expect(cached?.isMine).toBe(true)
    expect(cached?.token).toBeNull()
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('with refetchInterval, a listing follows another user locking and releasing', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = renderHook(() => useLockStatus(path, { refetchInterval: 5000, staleTime: 0 }), {
      wrapper: wrapperFor(clientFor(server, 'alice')),
    })
    await tick(0)
    await tick(0)
    expect(result.current).toMatchObject({ isSuccess: true, isLocked: false })
    server.setLock(path, { user: 'carol' })
    await tick(5100)
    expect(result.current.holder?.name).toBe('Carol Chen')
    server.setLock(path, null)
    await tick(5100)
    expect(result.current.isLocked).toBe(false)
  })

  it('an invalid path is an invalid-path error, and nothing is sent', async () => {
    const server = startSimulation(msw, dialect)
    const { result } = renderHook(() => useLockStatus('//evil.example/x'), { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    expect(result.current.error?.code).toBe('invalid-path')
    expect(server.log).toEqual([])
  })
})

describe('useLock with a bad path', () => {
  it('reports invalid-path and sends nothing', async () => {
    const server = startSimulation(msw, 'plone')
    const { result } = renderHook(() => useLock('/news/../../etc'), { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await tick(0)
    expect(result.current.status).toBe('error')
    expect(result.current.error?.code).toBe('invalid-path')
    expect(server.log).toEqual([])
  })
})
