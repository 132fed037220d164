import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLockServer } from '../src/testing'

const API = 'http://localhost:8080/Plone'
const PATH = '/news/item'
const T0 = Date.parse('2026-11-26T10:42:00Z')
const U = { locked: false, stealable: true }

const server = createLockServer({ dialect: 'plone', apiPath: API })
const msw = setupServer(...server.handlers)

async function lock(method: string, as: string, body?: unknown) {
  const response = await fetch(`${API}${PATH}/@lock`, {
    method,
    headers: { Authorization: `Bearer ${server.tokenFor(as)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  })
  return (await response.json()) as Record<string, unknown>
}

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: false }))
afterEach(() => {
  server.reset()
  vi.useRealTimers()
})
afterAll(() => msw.close())

describe('lock expiry, plone', () => {
  // Zope's LockItem.isValid: `modified + timeout > now`, exact to the fraction of a second.
  beforeEach(() => server.setDialect('plone'))

  it('keeps a 2 s lock for just under 2 s, and drops it at 2 s', async () => {
    vi.setSystemTime(T0)
    await lock('POST', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(1999)
    expect(await lock('GET', 'bob')).toMatchObject({ locked: true, creator: 'alice' })
    expect(server.getLock(PATH)).not.toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(await lock('GET', 'bob')).toEqual(U)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('does not round to whole seconds: a 2 s lock taken late in a second lasts exactly 2 s', async () => {
    vi.setSystemTime(T0 + 999)
    await lock('POST', 'alice', { timeout: 2 })
    vi.setSystemTime(T0 + 2998)
    expect(server.getLock(PATH)).not.toBeNull()
    vi.setSystemTime(T0 + 2999)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('lets another user take an expired lock', async () => {
    vi.setSystemTime(T0)
    server.setLock(PATH, { user: 'alice', timeout: 2 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(await lock('POST', 'bob')).toMatchObject({ locked: true, creator: 'bob' })
  })

  it('starts the lifetime again on refresh', async () => {
    vi.setSystemTime(T0)
    await lock('POST', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(1500)
    await lock('PATCH', 'alice')
    await vi.advanceTimersByTimeAsync(1999)
    expect(server.getLock(PATH)).toMatchObject({ user: 'alice', created: T0 + 1500 })
    await vi.advanceTimersByTimeAsync(1)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('starts the lifetime again when a POST sets a timeout on the current lock', async () => {
    vi.setSystemTime(T0)
    await lock('POST', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(1500)
    await lock('POST', 'bob', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(1999)
    expect(server.getLock(PATH)).toMatchObject({ user: 'alice', created: T0 + 1500, timeout: 2 })
    await vi.advanceTimersByTimeAsync(1)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('takes a timeout of 0 as a lock that has lapsed already', async () => {
    vi.setSystemTime(T0)
    expect(await lock('POST', 'alice', { timeout: 0 })).toEqual(U)
    expect(server.getLock(PATH)).toBeNull()
  })
})

describe('lock expiry, nick', () => {
  // Nick counts in whole seconds.
  beforeEach(() => server.setDialect('nick'))

  it('keeps a 2 s lock taken on a whole second for 2.5 s, and drops it at 3 s', async () => {
    vi.setSystemTime(T0)
    await lock('POST', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(2500)
    expect(await lock('GET', 'bob')).toMatchObject({ locked: true, creator: 'alice' })
    expect(server.getLock(PATH)).not.toBeNull()
    await vi.advanceTimersByTimeAsync(499)
    expect(server.getLock(PATH)).not.toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(await lock('GET', 'bob')).toEqual(U)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('counts whole seconds: a 2 s lock taken late in a second lasts just over 2 s', async () => {
    vi.setSystemTime(T0 + 999)
    await lock('POST', 'alice', { timeout: 2 })
    vi.setSystemTime(T0 + 2999)
    expect(server.getLock(PATH)).not.toBeNull()
    vi.setSystemTime(T0 + 3000)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('lets another user take an expired lock', async () => {
    vi.setSystemTime(T0)
    server.setLock(PATH, { user: 'alice', timeout: 2 })
    await vi.advanceTimersByTimeAsync(3000)
    expect(await lock('POST', 'bob')).toMatchObject({ locked: true, creator: 'bob' })
  })

  it('starts the lifetime again on refresh', async () => {
    vi.setSystemTime(T0)
    await lock('POST', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(2000)
    await lock('PATCH', 'alice', { timeout: 2 })
    await vi.advanceTimersByTimeAsync(2500)
    expect(server.getLock(PATH)).toMatchObject({ user: 'alice', created: T0 + 2000 })
    await vi.advanceTimersByTimeAsync(500)
    expect(server.getLock(PATH)).toBeNull()
  })
})

describe('lock expiry, set directly', () => {
  it('honours the created date given to setLock', () => {
    vi.setSystemTime(T0)
    server.setLock(PATH, { user: 'alice', timeout: 60, created: new Date(T0 - 59_999) })
    expect(server.getLock(PATH)).not.toBeNull()
    vi.setSystemTime(T0 + 1)
    expect(server.getLock(PATH)).toBeNull()
  })
})
