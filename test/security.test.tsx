import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useLock, useLockedSave, useLockStatus } from '../src'
import type { LockClient, LockResult } from '../src'
import type { LockServer } from '../src/testing'
import { clientFor, dialects, setupFakeTimers, setupMsw, startSimulation, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

interface Sent {
  user: string
  method: string
  url: string
  authorization: string | null
  lockToken: string | null
  body: string
}

const jwts = new Map<string, string>()

function recordingClient(server: LockServer, user: string, sent: Sent[]): LockClient {
  const jwt = server.tokenFor(user)
  jwts.set(user, jwt)
  return clientFor(server, user, {
    token: jwt,
    fetch: async (input, init) => {
      const request = new Request(input, init)
      sent.push({
        user,
        method: request.method,
        url: request.url,
        authorization: request.headers.get('Authorization'),
        lockToken: request.headers.get('Lock-Token'),
        body: await request.clone().text(),
      })
      return globalThis.fetch(request)
    },
  })
}

function editor(client: LockClient, path: string) {
  return renderHook(
    () => ({
      lock: useLock(path) as LockResult,
      status: useLockStatus(path, { refetchInterval: 5000 }),
      save: useLockedSave<unknown, { title: string }>(path),
    }),
    { wrapper: wrapperFor(client) },
  )
}

describe.each(dialects)('the lock token is a credential (%s)', (dialect) => {
  it('a whole two-user session: tokens never in a URL or a body, Lock-Token only on saves, never another user’s', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const sent: Sent[] = []
    const tokensSeen = new Map<string, string>()
    const remember = () => {
      const lock = server.getLock(path)
      if (lock) tokensSeen.set(lock.token, lock.user)
    }
    const alice = editor(recordingClient(server, 'alice', sent), path)
    await act(() => vi.advanceTimersByTimeAsync(10))
    remember()
    const bob = editor(recordingClient(server, 'bob', sent), path)
    await act(() => vi.advanceTimersByTimeAsync(10))
    for (let i = 0; i < 4; i++) {
      await act(() => vi.advanceTimersByTimeAsync(200_000))
      remember()
    }
    // Bob sees Alice's lock (and the server shows him her token); he tries everything he can.
    expect(bob.result.current.lock.status).toBe('locked')
    await act(async () => {
      await bob.result.current.save.mutateAsync({ title: 'Bob' }).catch(() => undefined)
    })
    await act(() => bob.result.current.lock.takeOver())
    await act(() => vi.advanceTimersByTimeAsync(10))
    remember()
    const saver = dialect === 'plone' ? bob : alice
    await act(async () => {
      await saver.result.current.save.mutateAsync({ title: 'Saved' })
    })
    await act(() => vi.advanceTimersByTimeAsync(10))

    expect(tokensSeen.size).toBeGreaterThanOrEqual(dialect === 'nick' ? 5 : 2)
    expect(sent.length).toBeGreaterThan(10)
    for (const request of sent) {
      expect(request.url.startsWith(server.apiPath + '/')).toBe(true)
      expect(request.authorization).toBe(`Bearer ${jwts.get(request.user)}`)
      for (const [token, owner] of tokensSeen) {
        expect(request.url).not.toContain(token)
        expect(request.body).not.toContain(token)
        if (request.lockToken === token) expect(owner).toBe(request.user)
      }
      if (request.lockToken !== null) expect(`${request.method} ${request.url}`).toBe(`PATCH ${server.apiPath}${path}`)
    }
    expect(sent.filter((r) => r.user === 'bob' && r.lockToken !== null).length).toBe(dialect === 'plone' ? 1 : 0)
  })

  it('a content object from another origin is refused before any request', async () => {
    const server = startSimulation(msw, dialect)
    const sent: Sent[] = []
    const hook = editor(recordingClient(server, 'alice', sent), 'https://evil.example/Plone/news/item')
    await act(() => vi.advanceTimersByTimeAsync(10))
    expect(hook.result.current.lock.error?.code).toBe('invalid-path')
    expect(hook.result.current.status.error?.code).toBe('invalid-path')
    await act(async () => {
      await expect(hook.result.current.save.mutateAsync({ title: 'x' })).rejects.toMatchObject({ code: 'invalid-path' })
    })
    expect(sent).toEqual([])
  })
})
