import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { LockError, useLock, useLockedSave, useLockStatus } from '../src'
import type { LockErrorCode, LockResult } from '../src'
import type { FaultInjection, FaultRoute, LockServer } from '../src/testing'
import { clientFor, dialects, releaseRequest, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

const REQUEST_TIMEOUT = 5000

interface FaultCase {
  name: string
  fault: FaultInjection
  /** The route to fail regardless of the one under test (an expired login fails everything). */
  everywhere?: boolean
  codes: LockErrorCode[]
  transient: boolean
}

const faults: FaultCase[] = [
  { name: 'network error', fault: { networkError: true }, codes: ['network'], transient: true },
  { name: '500', fault: { status: 500 }, codes: ['http'], transient: true },
  { name: '503 with Retry-After', fault: { status: 503, headers: { 'Retry-After': '2' } }, codes: ['http'], transient: true },
  { name: '429', fault: { status: 429, body: { error: { type: 'TooManyRequests', message: 'Slow down' } } }, codes: ['http'], transient: true },
  { name: 'no answer', fault: { delay: 'infinite' }, codes: ['timeout'], transient: true },
  { name: 'malformed JSON', fault: { malformed: 'not-json' }, codes: ['protocol'], transient: false },
  { name: 'an HTML error page', fault: { malformed: 'html' }, codes: ['protocol'], transient: false },
  {
    name: '401 from an expired login',
    fault: { status: 401, body: { error: { type: 'Unauthorized', message: 'Token expired' } }, times: Infinity },
    everywhere: true,
    codes: ['unauthorized'],
    transient: false,
  },
]

function mount(server: LockServer, user: string, path: string) {
  const client = clientFor(server, user, { requestTimeout: REQUEST_TIMEOUT })
  return renderHook(
    () => ({
      lock: useLock(path) as LockResult,
      status: useLockStatus(path, { enabled: false }),
      save: useLockedSave<unknown, { title: string }>(path),
    }),
    { wrapper: wrapperFor(client) },
  )
}

function inject(server: LockServer, route: FaultRoute, c: FaultCase) {
  server.fail(c.everywhere ? {} : route, c.fault)
}

/** Lets the faulty answer arrive: at once, or when the request timeout gives up on it. */
async function settle(c: FaultCase) {
  await tick(0)
  await tick(0)
  if (c.fault.delay === 'infinite') await tick(REQUEST_TIMEOUT + 10)
  await tick(0)
}

function expectTyped(error: unknown, c: FaultCase) {
  expect(error).toBeInstanceOf(LockError)
  expect(c.codes).toContain((error as LockError).code)
}

describe.each(dialects)('every request against every fault (%s)', (dialect) => {
  describe.each(faults)('$name', (c) => {
    it('acquire: status error with a typed error; a transient one is retried until held', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      inject(server, { method: 'POST', endpoint: 'lock' }, c)
      const { result } = mount(server, 'alice', path)
      await settle(c)
      expect(result.current.lock.status).toBe('error')
      expectTyped(result.current.lock.error, c)
      expect(server.getLock(path)).toBeNull()
      if (c.transient) {
        await tick(60_000)
        expect(result.current.lock).toMatchObject({ status: 'held', error: null })
      }
    })

    it('refresh: the lock stays held, the error is shown, and the lock survives on the server', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { result } = mount(server, 'alice', path)
      await tick(0)
      await tick(0)
      expect(result.current.lock.status).toBe('held')
      inject(server, { method: 'PATCH', endpoint: 'lock' }, c)
      const refreshing = result.current.lock.refresh()
      await settle(c)
      await act(() => refreshing)
      expect(result.current.lock.status).toBe('held')
      expectTyped(result.current.lock.error, c)
      if (!c.everywhere) {
        await tick(60_000)
        expect(result.current.lock).toMatchObject({ status: 'held', error: null })
        expect(server.getLock(path)?.user).toBe('alice')
      }
    })

    it('release: released locally with the error shown; the server lock lapses on its own', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { result } = mount(server, 'alice', path)
      await tick(0)
      await tick(0)
      inject(server, { method: releaseRequest(dialect).split(' ')[0], endpoint: 'lock' }, c)
      const releasing = result.current.lock.release()
      await settle(c)
      await act(() => releasing)
      expect(result.current.lock.status).toBe('released')
      expectTyped(result.current.lock.error, c)
    })

    it('take over: stays locked with a typed error, and the other lock is untouched', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.setLock(path, { user: 'bob', token: 'tok-bob' })
      const { result } = mount(server, 'alice', path)
      await tick(0)
      await tick(0)
      expect(result.current.lock.status).toBe('locked')
      inject(server, { method: 'DELETE', endpoint: 'lock' }, c)
      const taking = result.current.lock.takeOver()
      await settle(c)
      await act(() => taking)
      expect(result.current.lock.status).toBe('locked')
      expectTyped(result.current.lock.error, c)
      expect(server.getLock(path)).toMatchObject({ user: 'bob', token: 'tok-bob' })
    })

    it('status: the query is in error with a typed error', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      inject(server, { method: 'GET', endpoint: 'lock' }, c)
      const { result } = renderHook(() => useLockStatus(path), {
        wrapper: wrapperFor(clientFor(server, 'alice', { requestTimeout: REQUEST_TIMEOUT })),
      })
      await settle(c)
      expect(result.current.isError).toBe(true)
      expectTyped(result.current.error, c)
    })

    it('save: rejected with a typed error, the variables kept, the lock still held', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { result } = mount(server, 'alice', path)
      await tick(0)
      await tick(0)
      inject(server, { method: 'PATCH', endpoint: 'content' }, c)
      const saving = result.current.save.mutateAsync({ title: 'Unsaved work' }).catch((error: unknown) => error)
      await settle(c)
      expectTyped(await saving, c)
      await tick(0)
      expect(result.current.save.variables).toEqual({ title: 'Unsaved work' })
      expect(result.current.lock.status).toBe('held')
      expect(server.getContent(path)?.title).not.toBe('Unsaved work')
    })
  })
})

describe.each(dialects)('the server restarting with its locks forgotten (%s)', (dialect) => {
  /** Alice holds the lock, the server restarts, and her next check finds it gone. */
  async function lostInRestart() {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const onLost = vi.fn()
    const { result } = renderHook(() => useLock(path, { onLost }), { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    server.restart()
    await tick(30_000)
    expect(result.current).toMatchObject({ status: 'lost', lostReason: 'released-by-server' })
    return { server, path, onLost, result }
  }

  it('the next check notices: lost, released by the server', async () => {
    const { onLost } = await lostInRestart()
    expect(onLost).toHaveBeenCalledWith('released-by-server', expect.objectContaining({ locked: false }))
  })

  it('a removed lock that another user then takes is told as taken over by them, at the next check, and reported once', async () => {
    // The same as another user's take-over seen between its two requests (the forced DELETE, then the POST).
    const { server, path, onLost, result } = await lostInRestart()
    server.setLock(path, { user: 'bob' })
    await tick(30_000)
    expect(result.current).toMatchObject({ status: 'lost', lostReason: 'taken-over', holder: { id: 'bob' } })
    expect(onLost).toHaveBeenCalledTimes(1)
    const looked = requests(server, { path }).length
    await tick(120_000)
    expect(requests(server, { path })).toHaveLength(looked)
    expect(result.current).toMatchObject({ status: 'lost', lostReason: 'taken-over' })
  })

  it('with checks off, the next refresh notices: plone.restapi answers unlocked (lost), Nick makes a new lock (held)', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = renderHook(() => useLock(path, { checkInterval: false }), { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await tick(0)
    await tick(0)
    server.restart()
    await tick(200_000)
    if (dialect === 'plone') expect(result.current).toMatchObject({ status: 'lost', lostReason: 'released-by-server' })
    else {
      expect(result.current.status).toBe('held')
      expect(server.getLock(path)?.user).toBe('alice')
    }
    expect(requests(server, { path })).toEqual(['POST lock', 'PATCH lock'])
  })
})
