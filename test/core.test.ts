// @vitest-environment node
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { browserEnvironment, createLease, createLockClient, saveWithLock } from '../src/core'
import type { LeaseState } from '../src/core'
import { createLockServer } from '../src/testing'

// The `react-edit-lock/core` example of the README, as a test: no React, no TanStack Query, no DOM.
const msw = setupServer()
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
afterAll(() => msw.close())
beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }))
afterEach(() => vi.useRealTimers())

let counter = 0

describe.each(['plone', 'nick'] as const)('react-edit-lock/core without React (%s)', (dialect) => {
  function setup() {
    counter += 1
    const server = createLockServer({ dialect, apiPath: `http://core${counter}.test/Plone` })
    msw.use(...server.handlers)
    const client = createLockClient({ apiPath: server.apiPath, token: server.tokenFor('alice') })
    return { server, client }
  }

  it('takes the lock, shows each change, saves with its token and gives it back', async () => {
    const { server, client } = setup()
    server.setContent('/news/item', { title: 'Old' })
    const seen: LeaseState['status'][] = []
    const lease = createLease(client, '/news/item', { checkInterval: false })
    expect(lease.getState().status).toBe('acquiring')
    const stop = lease.subscribe((state) => seen.push(state.status))
    await vi.advanceTimersByTimeAsync(100)
    expect(lease.getState().status).toBe('held')
    expect(server.getLock('/news/item')?.user).toBe('alice')

    await lease.save((token) => saveWithLock(client, '/news/item', { title: 'New' }, { token }))
    expect(server.getContent('/news/item')?.title).toBe('New')
    expect(lease.getState().status).toBe('released')
    stop()
    await lease.dispose()
    await vi.advanceTimersByTimeAsync(3_000)
    expect(server.getLock('/news/item')).toBeNull()
    expect(seen).toEqual(['held', 'released'])
  })

  it('refreshes on its own timers and stops them on dispose', async () => {
    const { server, client } = setup()
    const lease = createLease(client, '/news/item', { checkInterval: false, lockTimeout: 60_000 })
    await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(server.log.filter((entry) => entry.method === 'PATCH').length).toBeGreaterThanOrEqual(2)
    expect(lease.getState().status).toBe('held')
    await lease.dispose()
    server.clearLog()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(server.log).toEqual([])
  })

  it('takes its clock, timers and events from the environment it is given', async () => {
    const { server, client } = setup()
    let show = () => {}
    const environment = browserEnvironment({ isVisible: () => true, onVisible: (listener) => ((show = listener), () => undefined), tabChannel: null })
    const lease = createLease(client, '/news/item', { environment, checkInterval: false })
    await vi.advanceTimersByTimeAsync(100)
    server.setLock('/news/item', { user: 'bob' })
    show()
    await vi.advanceTimersByTimeAsync(100)
    expect(lease.getState()).toMatchObject({ status: 'lost', lostReason: 'taken-over' })
    await lease.dispose()
  })

  it('refuses a week-long lock before sending anything', () => {
    const { server, client } = setup()
    expect(() => createLease(client, '/news/item', { lockTimeout: 7 * 24 * 3600_000 })).toThrow(expect.objectContaining({ code: 'invalid-option' }))
    expect(server.log).toEqual([])
  })
})

describe('a client created where there is no page (server rendering, a module-level client)', () => {
  it('accepts a relative apiPath and keeps its URLs relative', () => {
    expect(typeof (globalThis as { location?: unknown }).location).toBe('undefined')
    const client = createLockClient({ apiPath: '/++api++' })
    expect(client.url('/news/item', '@lock')).toBe('/++api++/news/item/@lock')
    expect(() => client.normalizePath('https://elsewhere.example/++api++/news')).toThrow(expect.objectContaining({ code: 'invalid-path' }))
  })
})
