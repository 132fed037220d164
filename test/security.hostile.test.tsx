import { act, renderHook } from '@testing-library/react'
import { useState } from 'react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { createLockClient, useLock, useLockedSave } from '../src'
import type { LockClient, LockResult, UseLockOptions } from '../src'
import { backoffDelay } from '../src/core/backoff'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, dialects, newQueryClient, Providers, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

const MINUTE = 60_000

function editor(client: LockClient, path: string, options: UseLockOptions = {}) {
  return renderHook(() => ({ lock: useLock(path, options) as LockResult, save: useLockedSave<unknown, { title: string }>(path) }), {
    wrapper: wrapperFor(client),
  })
}

async function settle() {
  await tick(0)
  await tick(0)
}

/** Alice's own lock as each dialect writes it, with whatever `timeout` a broken or hostile server stores. */
function ownLockBody(dialect: SimulatedDialect, timeout: unknown) {
  return dialect === 'plone'
    ? { locked: true, stealable: true, creator: 'alice', creator_name: 'Alice', time: Date.now() / 1000, timeout, token: 'alice-token', name: 'plone.locking.stealable' }
    : { locked: true, stealable: true, creator: 'alice', creator_name: 'Alice', time: new Date().toISOString(), timeout, token: 'alice-token' }
}

describe.each(dialects)('hostile server: timers have a floor and a ceiling (%s)', (dialect) => {
  it.each([0, -1, 0.5, 'soon', 1e7, 1e308])('a server that answers timeout %s gets a sane schedule, and the lease says so', async (timeout) => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ endpoint: 'lock', path }, { status: 200, body: ownLockBody(dialect, timeout), times: Infinity })
    const { result } = editor(clientFor(server, 'alice'), path)
    await settle()
    expect(result.current.lock.status).toBe('held')
    expect(result.current.lock.error).toMatchObject({ code: 'protocol' })
    await tick(10 * MINUTE)
    const sent = requests(server, { path })
    // One POST, a refresh every 200 s (as for the default ten-minute lock), a check every 30 s: no storm.
    expect(sent.filter((request) => request === 'PATCH lock').length).toBeLessThanOrEqual(4)
    expect(sent.length).toBeLessThanOrEqual(30)
    expect(result.current.lock.status).toBe('held')
  })

  it('an unusable timeout is never sent back in a refresh', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const bodies: unknown[] = []
    const client = clientFor(server, 'alice', {
      fetch: async (input, init) => {
        const request = new Request(input, init)
        if (request.method === 'PATCH') bodies.push(await request.clone().json())
        return globalThis.fetch(request)
      },
    })
    server.fail({ endpoint: 'lock', path }, { status: 200, body: ownLockBody(dialect, -1), times: Infinity })
    editor(client, path, { checkInterval: false })
    await settle()
    await tick(10 * MINUTE)
    expect(bodies.length).toBeGreaterThan(0)
    for (const body of bodies) expect(body).toEqual({ stealable: true })
  })
})

describe.each(dialects)('hostile server: retries back off, with jitter, and Retry-After only lengthens the wait (%s)', (dialect) => {
  it.each([
    [429, undefined],
    [429, '0'],
    [503, undefined],
    [503, '1'],
  ])('taking the lock under HTTP %s storms (Retry-After %s) sends few requests in 10 minutes', async (status, retryAfter) => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ endpoint: 'lock', path }, { status, times: Infinity, ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }) })
    const { result } = editor(clientFor(server, 'alice'), path)
    await tick(10 * MINUTE)
    expect(result.current.lock.status).toBe('error')
    expect(requests(server, { path }).length).toBeLessThanOrEqual(30)
  })

  it('a held lock whose refreshes and checks fail sends few requests in 10 minutes, and keeps it once they pass', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = editor(clientFor(server, 'alice'), path)
    await settle()
    server.fail({ endpoint: 'lock', path }, { status: 503, headers: { 'Retry-After': '0' }, times: Infinity })
    await tick(10 * MINUTE)
    expect(requests(server, { path }).length).toBeLessThanOrEqual(60)
    server.clearFaults()
    await tick(MINUTE)
    expect(result.current.lock).toMatchObject({ status: 'held', error: null })
  })

  it('a Retry-After longer than the backoff is waited out', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ endpoint: 'lock', path }, { status: 503, headers: { 'Retry-After': '120' }, times: 1 })
    const { result } = editor(clientFor(server, 'alice'), path)
    await settle()
    expect(result.current.lock.status).toBe('error')
    await tick(119_000)
    expect(requests(server, { path })).toEqual(['POST lock'])
    await tick(1_100)
    expect(result.current.lock.status).toBe('held')
  })

  it('the backoff grows, has jitter, is never shortened by Retry-After and never exceeds its ceilings', () => {
    const low = () => 0
    const high = () => 0.999
    expect([0, 1, 2, 3, 4, 5, 10, 1000].map((attempt) => backoffDelay(attempt, undefined, high))).toEqual([1000, 2000, 3999, 7998, 15996, 29993, 29993, 29993])
    expect(backoffDelay(3, undefined, low)).toBe(6000)
    expect(backoffDelay(3, 0, low)).toBe(6000)
    expect(backoffDelay(0, 120, low)).toBe(120_000)
    expect(backoffDelay(0, 1e308, low)).toBe(300_000)
    expect(backoffDelay(0, Number.NaN, low)).toBe(750)
  })
})

describe.each(dialects)('hostile server: a lock token is only sent by the user who took it (%s)', (dialect) => {
  function saves(server: LockServer, path: string) {
    return server.log.filter((entry) => entry.path === path && entry.endpoint === 'content' && entry.method === 'PATCH')
  }

  it('a token function that starts answering for another user: the old lock token is never sent, the lock is asked for again as the new user', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Old' })
    let jwt = server.tokenFor('alice')
    const client = createLockClient({ apiPath: server.apiPath, token: () => jwt })
    const { result } = editor(client, path, { checkInterval: false })
    await settle()
    expect(result.current.lock.status).toBe('held')
    jwt = server.tokenFor('bob')
    await act(async () => {
      await expect(result.current.save.mutateAsync({ title: 'Bob over Alice' })).rejects.toMatchObject({ code: 'not-held' })
    })
    await settle()
    expect(saves(server, path)).toEqual([])
    expect(server.getContent(path)?.title).toBe('Old')
    expect(result.current.lock).toMatchObject({ status: 'locked', holder: { id: 'alice', isMe: false } })
    expect(server.log.filter((entry) => entry.user === 'bob' && entry.method === 'PATCH')).toEqual([])
  })

  it('a refresh due after the switch is not sent for the old user’s lock', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    let jwt = server.tokenFor('alice')
    const client = createLockClient({ apiPath: server.apiPath, token: () => jwt })
    editor(client, path, { checkInterval: false, lockTimeout: 60_000 })
    await settle()
    jwt = server.tokenFor('bob')
    await tick(30_000)
    expect(server.log.filter((entry) => entry.user === 'bob').map((entry) => `${entry.method} ${entry.endpoint}`)).not.toContain('PATCH lock')
  })

  it('a new client for another user under the same provider drops the old user’s token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Old' })
    const queryClient = newQueryClient()
    let setClient: (client: LockClient) => void = () => {}
    function Switchable({ children }: { children: ReactNode }) {
      const [client, set] = useState(() => clientFor(server, 'alice'))
      setClient = set
      return (
        <Providers client={client} queryClient={queryClient}>
          {children}
        </Providers>
      )
    }
    const { result } = renderHook(() => ({ lock: useLock(path, { checkInterval: false }), save: useLockedSave<unknown, { title: string }>(path) }), {
      wrapper: Switchable,
    })
    await settle()
    expect(result.current.lock.status).toBe('held')
    act(() => setClient(clientFor(server, 'bob')))
    await act(async () => {
      await expect(result.current.save.mutateAsync({ title: 'Bob over Alice' })).rejects.toMatchObject({ code: 'not-held' })
    })
    await settle()
    expect(saves(server, path)).toEqual([])
    expect(server.getContent(path)?.title).toBe('Old')
  })
})
