import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLockServer } from '../src/testing'
import type { SimulatedDialect } from '../src/testing'

// Every cell of the "who answers what" table, for each dialect, as raw HTTP answers.

const API = 'http://localhost:8080/Plone'
const PATH = '/news/item'
const T0 = Date.parse('2026-11-26T10:42:00Z')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Zope's lock token (OFS/LockItem.py generateLockToken), `time` being 10:42:00.250.
const ZOPE_TOKEN = /^\d\.\d+(?:e-\d\d)?-\d\.\d+(?:e-\d\d)?-00105A989226:1795689720\.250$/
const U = { locked: false, stealable: true }

const server = createLockServer({ dialect: 'plone', apiPath: API })
const msw = setupServer(...server.handlers)

interface CallOptions {
  as?: string
  body?: unknown
  lockToken?: string
}

async function call(method: string, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.as) headers.Authorization = `Bearer ${server.tokenFor(options.as)}`
  if (options.lockToken) headers['Lock-Token'] = options.lockToken
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(API + url, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  })
  const text = await response.text()
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  }
}

const lock = (method: string, options: CallOptions = {}) => call(method, `${PATH}/@lock`, options)

function withDialect(dialect: SimulatedDialect) {
  beforeEach(() => server.setDialect(dialect))
}

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false })
  vi.setSystemTime(T0)
})
afterEach(() => {
  server.reset()
  vi.useRealTimers()
})
afterAll(() => msw.close())

describe('lock object', () => {
  it('plone: ISO created with +00:00, float epoch time, portal author url and the lock name', async () => {
    server.setDialect('plone')
    vi.setSystemTime(T0 + 250)
    const { status, contentType, body } = await lock('POST', { as: 'alice' })
    expect(status).toBe(200)
    expect(contentType).toBe('application/json')
    expect(body).toEqual({
      created: '2026-11-26T10:42:00+00:00',
      creator: 'alice',
      creator_name: 'Alice Archer',
      creator_url: `${API}/author/alice`,
      locked: true,
      name: 'plone.locking.stealable',
      stealable: true,
      time: 1795689720.25,
      timeout: 600,
      token: expect.stringMatching(ZOPE_TOKEN),
    })
    expect(Object.keys(body ?? {})).toEqual([
      'created',
      'creator',
      'creator_name',
      'creator_url',
      'locked',
      'name',
      'stealable',
      'time',
      'timeout',
      'token',
    ])
  })

  it('nick: ISO strings in whole seconds with Z for created and time, @users url, no name', async () => {
    server.setDialect('nick')
    vi.setSystemTime(T0 + 250)
    const { status, body } = await lock('POST', { as: 'bob' })
    expect(status).toBe(200)
    expect(body).toEqual({
      created: '2026-11-26T10:42:00Z',
      creator: 'bob',
      creator_name: 'Bob Baker',
      creator_url: `${API}/@users/bob`,
      locked: true,
      stealable: true,
      time: '2026-11-26T10:42:00Z',
      timeout: 600,
      token: expect.stringMatching(UUID),
    })
    expect(body).not.toHaveProperty('name')
  })

  it('nick: puts the user id into creator_url unencoded', async () => {
    const emails = createLockServer({
      dialect: 'nick',
      apiPath: 'http://emails.test',
      users: [{ id: 'jane@example.com', fullname: 'Jane Doe' }],
    })
    msw.use(...emails.handlers)
    const response = await fetch(`http://emails.test${PATH}/@lock`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emails.tokenFor('jane@example.com')}` },
    })
    expect(await response.json()).toMatchObject({
      creator: 'jane@example.com',
      creator_url: 'http://emails.test/@users/jane@example.com',
    })
  })

  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('shows the token to every reader', async () => {
      server.setLock(PATH, { user: 'alice', token: 'a95388f2-e4b3-4292-98aa-62656cbd5b9c' })
      const { body } = await lock('GET', { as: 'bob' })
      expect(body?.token).toBe('a95388f2-e4b3-4292-98aa-62656cbd5b9c')
      expect(body?.creator).toBe('alice')
    })
  })

  it('plone: tells the owner of a non-stealable lock that it is stealable, and others that it is not', async () => {
    server.setDialect('plone')
    server.setLock(PATH, { user: 'alice', stealable: false })
    expect((await lock('GET', { as: 'alice' })).body?.stealable).toBe(true)
    expect((await lock('GET', { as: 'bob' })).body?.stealable).toBe(false)
  })

  it('nick: tells everyone what is stored', async () => {
    server.setDialect('nick')
    server.setLock(PATH, { user: 'alice', stealable: false })
    expect((await lock('GET', { as: 'alice' })).body?.stealable).toBe(false)
    expect((await lock('GET', { as: 'bob' })).body?.stealable).toBe(false)
  })
})

describe('GET @lock', () => {
  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('answers U when unlocked', async () => {
      expect(await lock('GET', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })

    it('answers the full lock when mine or another user\'s', async () => {
      const token = 'a95388f2-e4b3-4292-98aa-62656cbd5b9c'
      server.setLock(PATH, { user: 'alice', token })
      for (const reader of ['alice', 'bob']) {
        const { status, body } = await lock('GET', { as: reader })
        expect(status).toBe(200)
        expect(body).toMatchObject({ locked: true, creator: 'alice', creator_name: 'Alice Archer', timeout: 600, token })
      }
    })

    it('answers U once the lock has expired', async () => {
      server.setLock(PATH, { user: 'alice', timeout: 10 })
      await vi.advanceTimersByTimeAsync(11_000)
      expect(await lock('GET', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })
  })
})

describe('POST @lock', () => {
  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('takes the lock with the defaults when unlocked', async () => {
      const { status, body } = await lock('POST', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'alice', stealable: true, timeout: 600 })
      expect(server.getLock(PATH)).toEqual({ user: 'alice', token: body?.token, stealable: true, timeout: 600, created: T0 })
    })

    it('takes a non-stealable lock with a timeout when asked', async () => {
      const { body } = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 3600 } })
      expect(body).toMatchObject({ locked: true, timeout: 3600, stealable: dialect === 'plone' ? true : false })
      expect(server.getLock(PATH)).toMatchObject({ stealable: false, timeout: 3600 })
      expect((await lock('GET', { as: 'bob' })).body?.stealable).toBe(false)
    })

    it('answers my own lock with the same token', async () => {
      const first = await lock('POST', { as: 'alice' })
      await vi.advanceTimersByTimeAsync(5_000)
      const second = await lock('POST', { as: 'alice' })
      expect(second.status).toBe(200)
      expect(second.body?.token).toBe(first.body?.token)
      expect(second.body?.created).toBe(first.body?.created)
    })

    it('takes a new lock over an expired one', async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5, token: 'old-token' })
      await vi.advanceTimersByTimeAsync(6_000)
      const { status, body } = await lock('POST', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'alice', timeout: 600 })
      expect(body?.token).not.toBe('old-token')
    })
  })

  describe('plone', () => {
    withDialect('plone')

    it('applies new options to my own lock', async () => {
      const first = await lock('POST', { as: 'alice' })
      const second = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 60 } })
      expect(second.body).toMatchObject({ token: first.body?.token, timeout: 60 })
      expect(server.getLock(PATH)).toMatchObject({ stealable: false, timeout: 60 })
    })

    it("answers 200 with the other user's lock, after applying stealable: false and timeout to it", async () => {
      server.setLock(PATH, { user: 'bob', token: 'bobs-token' })
      const { status, body } = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 30 } })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'bob', token: 'bobs-token', stealable: false, timeout: 30 })
      expect(server.getLock(PATH)).toMatchObject({ user: 'bob', token: 'bobs-token', stealable: false, timeout: 30 })
    })

    it('never makes a lock stealable again through POST', async () => {
      server.setLock(PATH, { user: 'bob', stealable: false })
      await lock('POST', { as: 'bob', body: { stealable: true } })
      expect(server.getLock(PATH)?.stealable).toBe(false)
    })
  })

  describe('nick', () => {
    withDialect('nick')

    it('does not apply new options to my own lock', async () => {
      const first = await lock('POST', { as: 'alice' })
      const second = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 60 } })
      expect(second.body).toMatchObject({ token: first.body?.token, stealable: true, timeout: 600 })
    })

    it("answers 401 Already locked for another user's lock and leaves it alone", async () => {
      server.setLock(PATH, { user: 'bob', token: 'bobs-token' })
      const { status, contentType, body } = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 30 } })
      expect(status).toBe(401)
      expect(contentType).toBe('application/json')
      expect(body).toEqual({
        error: { type: 'Already locked', message: 'This document is already locked by another user.' },
      })
      expect(server.getLock(PATH)).toMatchObject({ user: 'bob', stealable: true, timeout: 600 })
    })

    it('stores a string timeout as is, and such a lock never expires', async () => {
      const { body } = await lock('POST', { as: 'alice', body: { timeout: '60' } })
      expect(body?.timeout).toBe('60')
      await vi.advanceTimersByTimeAsync(30 * 24 * 3600 * 1000)
      expect(server.getLock(PATH)).toMatchObject({ user: 'alice', timeout: '60' })
    })

    it('turns a timeout of 0 into 600', async () => {
      const { body } = await lock('POST', { as: 'alice', body: { timeout: 0 } })
      expect(body?.timeout).toBe(600)
    })

    it('stores stealable: "false" as a string', async () => {
      const { body } = await lock('POST', { as: 'alice', body: { stealable: 'false' } })
      expect(body?.stealable).toBe('false')
      expect(server.getLock(PATH)?.stealable).toBe('false')
    })
  })
})

describe('PATCH @lock (refresh)', () => {
  describe('plone', () => {
    withDialect('plone')

    it('answers U and makes no lock when unlocked', async () => {
      expect(await lock('PATCH', { as: 'alice' })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it('keeps the token of my lock and moves its time', async () => {
      const first = await lock('POST', { as: 'alice', body: { timeout: 60 } })
      await vi.advanceTimersByTimeAsync(30_000)
      const { status, body } = await lock('PATCH', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({
        token: first.body?.token,
        timeout: 60,
        created: '2026-11-26T10:42:30+00:00',
        time: 1795689750,
      })
      expect(server.getLock(PATH)?.created).toBe(T0 + 30_000)
    })

    it("refreshes another user's lock and answers with it", async () => {
      server.setLock(PATH, { user: 'bob', token: 'bobs-token' })
      await vi.advanceTimersByTimeAsync(10_000)
      const { status, body } = await lock('PATCH', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'bob', token: 'bobs-token', time: 1795689730 })
      expect(server.getLock(PATH)).toMatchObject({ user: 'bob', created: T0 + 10_000 })
    })

    it('answers U for an expired lock', async () => {
      server.setLock(PATH, { user: 'alice', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect(await lock('PATCH', { as: 'alice' })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })
  })

  describe('nick', () => {
    withDialect('nick')

    it('makes a new lock when unlocked', async () => {
      const { status, body } = await lock('PATCH', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'alice', stealable: true, timeout: 600 })
      expect(server.getLock(PATH)?.user).toBe('alice')
    })

    it('gives my lock a new token and resets its options to the body or the defaults', async () => {
      const first = await lock('POST', { as: 'alice', body: { stealable: false, timeout: 60 } })
      await vi.advanceTimersByTimeAsync(30_000)
      const refreshed = await lock('PATCH', { as: 'alice' })
      expect(refreshed.status).toBe(200)
      expect(refreshed.body).toMatchObject({ stealable: true, timeout: 600, time: '2026-11-26T10:42:30Z' })
      expect(refreshed.body?.token).toEqual(expect.stringMatching(UUID))
      expect(refreshed.body?.token).not.toBe(first.body?.token)

      const withOptions = await lock('PATCH', { as: 'alice', body: { stealable: false, timeout: 90 } })
      expect(withOptions.body).toMatchObject({ stealable: false, timeout: 90 })
      expect(withOptions.body?.token).not.toBe(refreshed.body?.token)
    })

    it("answers 401 Already locked for another user's lock", async () => {
      server.setLock(PATH, { user: 'bob' })
      const { status, body } = await lock('PATCH', { as: 'alice' })
      expect(status).toBe(401)
      expect(body).toEqual({ error: { type: 'Already locked', message: 'This document is already locked by another user.' } })
      expect(server.getLock(PATH)?.created).toBe(T0)
    })

    it("makes a new lock for the requester over another user's expired lock", async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      const { status, body } = await lock('PATCH', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'alice' })
    })
  })
})

describe('DELETE @lock', () => {
  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('answers U when unlocked', async () => {
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })
  })

  describe('plone', () => {
    withDialect('plone')

    it('removes my lock', async () => {
      server.setLock(PATH, { user: 'alice' })
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it("answers 200 with another user's lock, unchanged", async () => {
      server.setLock(PATH, { user: 'bob', token: 'bobs-token' })
      const { status, body } = await lock('DELETE', { as: 'alice' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'bob', token: 'bobs-token' })
      expect(server.getLock(PATH)?.user).toBe('bob')
    })

    it('answers U for an expired lock', async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })
  })

  describe('nick', () => {
    withDialect('nick')

    it('answers U for my lock but keeps it', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)?.token).toBe('alices-token')
      expect((await lock('GET', { as: 'alice' })).body).toMatchObject({ locked: true, token: 'alices-token' })
    })

    it("answers 401 Not allowed for another user's lock", async () => {
      server.setLock(PATH, { user: 'bob' })
      const { status, body } = await lock('DELETE', { as: 'alice' })
      expect(status).toBe(401)
      expect(body).toEqual({ error: { type: 'Not allowed', message: 'You don’t have permission to unlock this document.' } })
      expect(server.getLock(PATH)?.user).toBe('bob')
    })

    it("answers 401 Not allowed for another user's expired lock: no expiry check", async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 401, body: { error: { type: 'Not allowed' } } })
    })

    it('answers U for my own expired lock', async () => {
      server.setLock(PATH, { user: 'alice', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })

    it('answers U to another user once a save without a token has cleared the expired lock', async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect((await call('PATCH', PATH, { as: 'alice', body: { title: 'Saved' } })).status).toBe(204)
      expect(await lock('DELETE', { as: 'alice' })).toMatchObject({ status: 200, body: U })
    })
  })
})

describe('DELETE @lock with force', () => {
  const force = { force: true }

  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('answers U when unlocked', async () => {
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
    })
  })

  describe('plone', () => {
    withDialect('plone')

    it('removes my stealable lock', async () => {
      server.setLock(PATH, { user: 'alice' })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it('removes my non-stealable lock', async () => {
      server.setLock(PATH, { user: 'alice', stealable: false })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it("removes another user's stealable lock", async () => {
      server.setLock(PATH, { user: 'bob' })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it("leaves another user's non-stealable lock but drops its mark, so a second force removes it", async () => {
      server.setLock(PATH, { user: 'bob', stealable: false })
      const { status, body } = await lock('DELETE', { as: 'alice', body: force })
      expect(status).toBe(200)
      expect(body).toMatchObject({ locked: true, creator: 'bob', stealable: true })
      expect(server.getLock(PATH)).toMatchObject({ user: 'bob', stealable: true })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)).toBeNull()
    })

    it('answers U for an expired lock', async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
    })
  })

  describe('nick', () => {
    withDialect('nick')

    it('answers 401 Not allowed for my own non-stealable lock', async () => {
      server.setLock(PATH, { user: 'alice', stealable: false })
      const { status, body } = await lock('DELETE', { as: 'alice', body: force })
      expect(status).toBe(401)
      expect(body).toMatchObject({ error: { type: 'Not allowed' } })
      expect(server.getLock(PATH)?.user).toBe('alice')
    })

    it('answers U for my stealable lock but keeps it: the handler never writes', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
      expect(server.getLock(PATH)?.token).toBe('alices-token')
    })

    it('treats a stored stealable: "false" or null as stealable, as Nick does, and keeps the lock', async () => {
      for (const stealable of ['false', null]) {
        server.setLock(PATH, null)
        await lock('POST', { as: 'alice', body: { stealable } })
        expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({ status: 200, body: U })
        expect(server.getLock(PATH)).toMatchObject({ user: 'alice', stealable })
      }
    })

    it("answers 401 for another user's lock, stealable or not", async () => {
      server.setLock(PATH, { user: 'bob' })
      expect(await lock('DELETE', { as: 'alice', body: force })).toMatchObject({
        status: 401,
        body: { error: { type: 'Not allowed' } },
      })
      expect(server.getLock(PATH)?.user).toBe('bob')
    })

    it("answers 401 for another user's expired lock, and U for my own", async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect((await lock('DELETE', { as: 'alice', body: force })).status).toBe(401)
      expect(await lock('DELETE', { as: 'bob', body: force })).toMatchObject({ status: 200, body: U })
    })
  })
})

describe('content PATCH', () => {
  const save = (as: string, lockToken?: string) =>
    call('PATCH', PATH, { as, body: { title: 'Saved' }, ...(lockToken ? { lockToken } : {}) })

  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('answers 204 with no body and merges the fields when unlocked', async () => {
      const { status, body, contentType } = await save('alice')
      expect(status).toBe(204)
      expect(body).toBeUndefined()
      expect(contentType).toBeNull()
      expect(server.getContent(PATH)?.title).toBe('Saved')
    })

    it('answers 204 over an expired lock, whatever the token', async () => {
      server.setLock(PATH, { user: 'bob', timeout: 5 })
      await vi.advanceTimersByTimeAsync(6_000)
      expect((await save('alice', 'wrong')).status).toBe(204)
    })

    it('answers 204 to whoever sends the right token', async () => {
      server.setLock(PATH, { user: 'bob', token: 'bobs-token' })
      expect((await save('alice', 'bobs-token')).status).toBe(204)
      expect(server.getContent(PATH)?.title).toBe('Saved')
    })

    it('answers 400 for a body that is not a JSON object, and changes nothing', async () => {
      const response = await fetch(`${API}${PATH}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${server.tokenFor('alice')}`, 'Content-Type': 'application/json' },
        body: '{"title": ',
      })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: { type: 'DeserializationError' } })
    })
  })

  describe('plone', () => {
    withDialect('plone')

    it('answers 403 Resource is locked without a token or with a wrong one, to the owner too', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      for (const [as, token] of [['alice', undefined], ['alice', 'wrong'], ['bob', undefined]] as const) {
        const { status, body } = await save(as, token)
        expect(status).toBe(403)
        expect(body).toEqual({ error: { type: 'Forbidden', message: 'Resource is locked.' } })
      }
      expect(server.getContent(PATH)?.title).toBe('Item')
    })

    it('keeps the lock after a save with the right token', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      expect((await save('alice', 'alices-token')).status).toBe(204)
      expect(server.getLock(PATH)?.token).toBe('alices-token')
    })
  })

  describe('nick', () => {
    withDialect('nick')

    it('answers 401 Document locked without a token or with a wrong one', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      for (const [as, token] of [['alice', undefined], ['bob', 'wrong']] as const) {
        const { status, body } = await save(as, token)
        expect(status).toBe(401)
        expect(body).toEqual({
          error: {
            type: 'Document locked',
            message: 'You don’t have permission to save this document because it is locked by another user.',
          },
        })
      }
      expect(server.getContent(PATH)?.title).toBe('Item')
    })

    it('clears the lock after a save with the right token', async () => {
      server.setLock(PATH, { user: 'alice', token: 'alices-token' })
      expect((await save('alice', 'alices-token')).status).toBe(204)
      expect(server.getLock(PATH)).toBeNull()
    })
  })
})

describe('content DELETE', () => {
  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    withDialect(dialect)

    it('answers 204 when unlocked, and the item is gone', async () => {
      expect((await call('DELETE', PATH, { as: 'alice' })).status).toBe(204)
      expect(server.getContent(PATH)).toBeUndefined()
      expect((await call('GET', PATH)).status).toBe(404)
    })
  })

  it('plone: answers 423 while locked, by me or another user', async () => {
    server.setDialect('plone')
    server.setLock(PATH, { user: 'alice' })
    for (const as of ['alice', 'bob']) {
      const { status, body } = await call('DELETE', PATH, { as })
      expect(status).toBe(423)
      expect(body).toEqual({ type: 'ResourceLockedError', message: 'Object "item" is locked.', context: `${API}${PATH}` })
    }
    expect(server.getContent(PATH)).toBeDefined()
  })

  it('nick: deletes a locked item', async () => {
    server.setDialect('nick')
    server.setLock(PATH, { user: 'bob' })
    expect((await call('DELETE', PATH, { as: 'alice' })).status).toBe(204)
    expect(server.getContent(PATH)).toBeUndefined()
    expect(await lock('GET', { as: 'alice' })).toMatchObject({ status: 404, body: { error: `Not found: ${PATH}` } })
  })
})
