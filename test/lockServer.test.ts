import { getResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLockServer } from '../src/testing'
import type { LogEntry } from '../src/testing'

const API = 'http://localhost:8080/Plone'
const PREFIXED = 'https://site.example/++api++'
const PATH = '/news/item'
const U = { locked: false, stealable: true }
const UNAUTHORIZED_MESSAGE = 'You are not authorized to access this resource.'
// plone.rest renders the exception flat, with the URL of the item it concerns.
const UNAUTHORIZED = {
  plone: { type: 'Unauthorized', message: UNAUTHORIZED_MESSAGE, context: `${API}${PATH}` },
  // Nick's permission check answers a bare message (src/helpers/handler/handler.ts:110-114).
  nick: { message: UNAUTHORIZED_MESSAGE },
}

const server = createLockServer({ dialect: 'plone', apiPath: API })
const prefixed = createLockServer({ dialect: 'nick', apiPath: `${PREFIXED}/` })
const noLockOnEdit = createLockServer({ dialect: 'plone', apiPath: 'http://no-lock-on-edit.test', lockOnEdit: false })
const msw = setupServer(...server.handlers, ...prefixed.handlers, ...noLockOnEdit.handlers)

interface CallOptions {
  as?: string
  body?: unknown
  headers?: Record<string, string>
  keepalive?: boolean
}

async function call(method: string, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  if (options.as) headers.Authorization = `Bearer ${server.tokenFor(options.as)}`
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(url.startsWith('http') ? url : API + url, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    keepalive: options.keepalive ?? false,
  })
  const text = await response.text()
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  }
}

function decodeJwtPart(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
}

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  msw.resetHandlers()
  server.reset()
  prefixed.reset()
  noLockOnEdit.reset()
  vi.useRealTimers()
})
afterAll(() => msw.close())

describe('createLockServer', () => {
  it('normalizes apiPath and starts with the given dialect', () => {
    expect(server.apiPath).toBe(API)
    expect(prefixed.apiPath).toBe(PREFIXED)
    expect(server.dialect).toBe('plone')
    expect(prefixed.dialect).toBe('nick')
    expect(server.handlers).toHaveLength(1)
  })

  it('refuses options it cannot serve', () => {
    expect(() => createLockServer({ dialect: 'plone', apiPath: '/++api++' })).toThrow(TypeError)
    expect(() => createLockServer({ dialect: 'plone', apiPath: 'ftp://host/Plone' })).toThrow(TypeError)
    expect(() => createLockServer({ dialect: 'volto' as 'plone', apiPath: API })).toThrow(/dialect/)
    expect(() => createLockServer({ dialect: 'plone', apiPath: API, defaultTimeout: 0 })).toThrow(RangeError)
    expect(() => createLockServer({ dialect: 'plone', apiPath: API, users: [] })).toThrow(TypeError)
    expect(() => createLockServer({ dialect: 'plone', apiPath: API, users: [{ id: 'a' }, { id: 'a' }] })).toThrow(/twice/)
  })

  it('switches dialect, and refuses unknown ones', async () => {
    server.setLock(PATH, { user: 'alice' })
    server.setDialect('nick')
    expect(server.dialect).toBe('nick')
    expect((await call('GET', `${PATH}/@lock`, { as: 'bob' })).body?.time).toEqual(expect.any(String))
    expect(() => server.setDialect('zope' as 'plone')).toThrow(TypeError)
    expect(server.dialect).toBe('nick')
  })

  it('uses defaultTimeout for locks taken without a timeout', async () => {
    const short = createLockServer({ dialect: 'nick', apiPath: 'http://short.test', defaultTimeout: 30 })
    msw.use(...short.handlers)
    const response = await fetch('http://short.test/doc/@lock', {
      method: 'POST',
      headers: { Authorization: `Bearer ${short.tokenFor('alice')}` },
    })
    expect(await response.json()).toMatchObject({ timeout: 30 })
    expect(short.getLock('/doc')?.timeout).toBe(30)
  })
})

describe('routing', () => {
  it('answers below a prefixed apiPath, and nothing outside it', async () => {
    const { status, body } = await call('GET', `${PREFIXED}/news/item`)
    expect(status).toBe(200)
    expect(body?.['@id']).toBe(`${PREFIXED}/news/item`)
    expect(await getResponse(prefixed.handlers, new Request('https://site.example/news/item'))).toBeUndefined()
    expect(await getResponse(server.handlers, new Request('http://localhost:8080/Plone2/item'))).toBeUndefined()
    expect(await getResponse(server.handlers, new Request('http://localhost:8080/Plone/item?x=1'))).toBeInstanceOf(Response)
  })

  it('serves the root at the bare apiPath, with or without a trailing slash', async () => {
    for (const url of [API, `${API}/`]) {
      const { status, body } = await call('GET', url)
      expect(status).toBe(200)
      expect(body).toMatchObject({ '@id': API, '@type': 'Plone Site', lock: U })
    }
    const locked = await call('POST', `${API}/@lock`, { as: 'alice' })
    expect(locked.body).toMatchObject({ locked: true, creator: 'alice' })
    expect(server.getLock('/')?.user).toBe('alice')
  })

  it('answers 404 with a JSON error for unknown endpoints', async () => {
    for (const url of [`${PATH}/@workflow`, `${PATH}/@lock/extra`, '/@users/alice']) {
      const { status, contentType, body } = await call('GET', url, { as: 'alice' })
      expect(status).toBe(404)
      expect(contentType).toBe('application/json')
      // plone.rest's flat exception body, as the plone dialect renders it.
      expect(body).toEqual({ type: 'NotFound', message: expect.stringContaining(url), context: API })
    }
    server.setDialect('nick')
    const nick = await call('GET', `${PATH}/@workflow`, { as: 'alice' })
    expect(nick.body).toEqual({ error: { type: 'NotFound', message: expect.stringContaining(`${PATH}/@workflow`) } })
    expect(server.log.map((entry) => entry.endpoint)).toEqual(['other', 'other', 'other', 'other'])
  })

  it('answers 405 for methods an endpoint does not have', async () => {
    expect((await call('PUT', `${PATH}/@lock`, { as: 'alice' })).status).toBe(405)
    expect((await call('POST', PATH, { as: 'alice', body: {} })).status).toBe(405)
    expect((await call('GET', '/@login')).status).toBe(405)
  })

  it('treats encoded and plain paths as the same item', async () => {
    server.setContent('/a b', { title: 'Spaced' })
    const { body } = await call('GET', '/a%20b')
    expect(body).toMatchObject({ '@id': `${API}/a%20b`, id: 'a b', title: 'Spaced' })
    await call('POST', '/a%20b/@lock', { as: 'alice' })
    expect(server.getLock('/a b')?.user).toBe('alice')
    expect(server.getLock('a b/')?.user).toBe('alice')
  })
})

describe('content', () => {
  it('exists at any path, with a title from its id, and may be read anonymously', async () => {
    const { status, contentType, body } = await call('GET', '/news/my-news_item')
    expect(status).toBe(200)
    expect(contentType).toBe('application/json')
    expect(body).toEqual({
      '@id': `${API}/news/my-news_item`,
      '@type': 'Document',
      id: 'my-news_item',
      title: 'My news item',
      modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lock: U,
    })
  })

  it('carries the lock as GET @lock answers it for the same user', async () => {
    server.setLock(PATH, { user: 'alice', stealable: false })
    for (const as of ['alice', 'bob']) {
      const content = await call('GET', PATH, { as })
      const lock = await call('GET', `${PATH}/@lock`, { as })
      expect(content.body?.lock).toEqual(lock.body)
    }
    expect((await call('GET', PATH, { as: 'alice' })).body?.lock).toMatchObject({ stealable: true })
    expect((await call('GET', PATH)).body?.lock).toMatchObject({ locked: true, stealable: false })
  })

  it('setContent replaces the fields; getContent shows them without the lock', async () => {
    server.setContent(PATH, { title: 'First', description: 'One' })
    server.setContent(PATH, { title: 'Second' })
    server.setLock(PATH, { user: 'alice' })
    expect(server.getContent(PATH)).toEqual({
      '@id': `${API}${PATH}`,
      '@type': 'Document',
      id: 'item',
      title: 'Second',
      modified: expect.any(String),
    })
    expect((await call('GET', PATH)).body).toMatchObject({ title: 'Second', lock: { locked: true } })
  })

  it('a PATCH merges editable fields and leaves identity and lock alone', async () => {
    server.setContent(PATH, { title: 'Old', description: 'Kept' })
    const body = { title: 'New', '@id': 'http://evil.test/x', id: 'renamed', lock: { locked: false }, lockable: false }
    expect((await call('PATCH', PATH, { as: 'alice', body })).status).toBe(204)
    expect(server.getContent(PATH)).toEqual({
      '@id': `${API}${PATH}`,
      '@type': 'Document',
      id: 'item',
      title: 'New',
      description: 'Kept',
      modified: expect.any(String),
    })
    expect((await call('POST', `${PATH}/@lock`, { as: 'alice' })).body).toMatchObject({ locked: true })
  })

  it('moves `modified` on with setContent and with each accepted save, never with a refused one', async () => {
    server.setContent(PATH, { title: 'Old' })
    const first = (await call('GET', PATH)).body?.modified
    await call('PATCH', PATH, { as: 'alice', body: { title: 'New', modified: '2000-01-01T00:00:00.000Z' } })
    const second = (await call('GET', PATH)).body?.modified
    expect(typeof first).toBe('string')
    expect(second).not.toBe(first)
    expect(Date.parse(String(second))).toBeGreaterThan(Date.parse(String(first)))
    server.setLock(PATH, { user: 'bob' })
    expect((await call('PATCH', PATH, { as: 'alice', body: { title: 'Refused' } })).status).not.toBe(204)
    expect((await call('GET', PATH)).body?.modified).toBe(second)
  })

  it('a deleted item and everything below it answers 404 until setContent brings it back', async () => {
    await call('DELETE', '/news', { as: 'alice' })
    expect((await call('GET', PATH)).status).toBe(404)
    expect((await call('POST', `${PATH}/@lock`, { as: 'alice' })).status).toBe(404)
    expect(server.getContent(PATH)).toBeUndefined()
    server.setContent(PATH, { title: 'Back' })
    expect((await call('GET', PATH)).body).toMatchObject({ title: 'Back' })
    expect((await call('GET', '/news')).status).toBe(200)
  })
})

describe('login', () => {
  it('answers a JWT for the right password, which then authenticates', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    vi.setSystemTime(Date.parse('2026-11-26T10:42:00Z'))
    const { status, body } = await call('POST', '/@login', { body: { login: 'bob', password: 'secret' } })
    expect(status).toBe(200)
    expect(body).toEqual({ token: expect.any(String) })
    const token = String(body?.token)
    const [header, payload] = token.split('.')
    expect(decodeJwtPart(header)).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(decodeJwtPart(payload)).toEqual({ sub: 'bob', fullname: 'Bob Baker', iat: 1795689720 })
    const locked = await call('POST', `${PATH}/@lock`, { headers: { Authorization: `Bearer ${token}` } })
    expect(locked.body).toMatchObject({ creator: 'bob' })
    expect(server.log[0]).toMatchObject({ endpoint: 'login', path: '/', user: 'bob', status: 200 })
  })

  it('answers 401 Invalid credentials for a wrong password or an unknown user', async () => {
    for (const credentials of [
      { login: 'bob', password: 'wrong' },
      { login: 'mallory', password: 'secret' },
    ]) {
      const { status, body } = await call('POST', '/@login', { body: credentials })
      expect(status).toBe(401)
      expect(body).toEqual({ error: { type: 'Invalid credentials', message: 'Wrong login and/or password.' } })
    }
  })

  it('answers 400 when login or password is missing', async () => {
    expect((await call('POST', '/@login', { body: { login: 'bob' } })).status).toBe(400)
  })

  it('knows the configured users, with their passwords and names', async () => {
    const custom = createLockServer({
      dialect: 'plone',
      apiPath: 'http://custom.test',
      users: [{ id: 'dora', fullname: 'Dora Diaz', password: 'pw' }, { id: 'ed' }],
    })
    msw.use(...custom.handlers)
    const login = async (login: string, password: string) =>
      (await fetch('http://custom.test/@login', { method: 'POST', body: JSON.stringify({ login, password }) })).status
    expect(await login('dora', 'pw')).toBe(200)
    expect(await login('ed', 'secret')).toBe(200)
    expect(await login('alice', 'secret')).toBe(401)
    expect(decodeJwtPart(custom.tokenFor('ed').split('.')[1])).toMatchObject({ sub: 'ed', fullname: 'ed' })
    expect(() => custom.tokenFor('alice')).toThrow(/alice/)
  })
})

describe('authentication', () => {
  const protectedRequests = [
    ['GET', `${PATH}/@lock`],
    ['POST', `${PATH}/@lock`],
    ['PATCH', `${PATH}/@lock`],
    ['DELETE', `${PATH}/@lock`],
    ['PATCH', PATH],
    ['DELETE', PATH],
  ] as const

  describe.each(['plone', 'nick'] as const)('%s', (dialect) => {
    beforeEach(() => server.setDialect(dialect))

    it.each(protectedRequests)('%s %s answers 401 Unauthorized without credentials', async (method, url) => {
      const { status, contentType, body } = await call(method, url, { body: {} })
      expect(status).toBe(401)
      expect(contentType).toBe('application/json')
      expect(body).toEqual(UNAUTHORIZED[dialect])
    })

    it('refuses a JWT for an unknown user and one that is not a JWT', async () => {
      const stranger = `x.${Buffer.from(JSON.stringify({ sub: 'mallory' })).toString('base64url')}.y`
      for (const token of [stranger, 'not-a-jwt']) {
        const { status } = await call('POST', `${PATH}/@lock`, { headers: { Authorization: `Bearer ${token}` } })
        expect(status).toBe(401)
      }
      expect(server.getLock(PATH)).toBeNull()
    })

    it('lets anyone read content', async () => {
      expect((await call('GET', PATH)).status).toBe(200)
    })
  })

  describe('plone', () => {
    it('accepts the auth_token cookie and a lower-case bearer scheme', async () => {
      const cookie = await call('POST', `${PATH}/@lock`, { headers: { Cookie: `other=1; auth_token=${server.tokenFor('bob')}` } })
      expect(cookie.body).toMatchObject({ creator: 'bob' })
      const lower = await call('GET', `${PATH}/@lock`, { headers: { Authorization: `bearer ${server.tokenFor('carol')}` } })
      expect(lower.status).toBe(200)
      expect(server.log.map((entry) => entry.user)).toEqual(['bob', 'carol'])
    })

    it('ignores the cookie when an Authorization header is sent', async () => {
      const { status } = await call('GET', `${PATH}/@lock`, {
        headers: { Authorization: 'Bearer nonsense', Cookie: `auth_token=${server.tokenFor('bob')}` },
      })
      expect(status).toBe(401)
    })
  })

  describe('nick', () => {
    beforeEach(() => server.setDialect('nick'))

    it('accepts only "Bearer " exactly', async () => {
      const token = server.tokenFor('bob')
      const refused: Record<string, string>[] = [
        { Authorization: `bearer ${token}` },
        { Authorization: `BEARER ${token}` },
        { Cookie: `auth_token=${token}` },
      ]
      for (const headers of refused) {
        expect(await call('GET', `${PATH}/@lock`, { headers })).toMatchObject({ status: 401, body: UNAUTHORIZED.nick })
      }
      expect((await call('GET', `${PATH}/@lock`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200)
    })
  })
})

describe('locking unavailable', () => {
  describe.each(['plone', 'nick'] as const)('%s, content type without locking', (dialect) => {
    beforeEach(() => {
      server.setDialect(dialect)
      server.setContent(PATH, { title: 'Plain', lockable: false })
    })

    it.each(['GET', 'POST', 'PATCH', 'DELETE'])('%s @lock answers 200 {}', async (method) => {
      const { status, contentType, body } = await call(method, `${PATH}/@lock`, { as: 'alice', body: { force: true } })
      expect(status).toBe(200)
      expect(contentType).toBe('application/json')
      expect(body).toEqual({})
      expect(server.getLock(PATH)).toBeNull()
    })

    it('shows lock {} on the content and saves without a token, whatever is stored', async () => {
      server.setLock(PATH, { user: 'bob' })
      expect((await call('GET', PATH)).body?.lock).toEqual({})
      expect((await call('PATCH', PATH, { as: 'alice', body: { title: 'Saved' } })).status).toBe(204)
      expect(server.getContent(PATH)).toMatchObject({ title: 'Saved' })
      expect(server.getContent(PATH)).not.toHaveProperty('lockable')
    })

    it('still asks for credentials', async () => {
      expect((await call('POST', `${PATH}/@lock`)).status).toBe(401)
    })
  })

  it('plone with lock on edit switched off answers POST with U and never locks', async () => {
    const url = 'http://no-lock-on-edit.test/doc'
    const auth = { Authorization: `Bearer ${noLockOnEdit.tokenFor('alice')}` }
    const post = await call('POST', `${url}/@lock`, { headers: auth, body: { stealable: false } })
    expect(post).toMatchObject({ status: 200, body: U })
    expect(noLockOnEdit.getLock('/doc')).toBeNull()
    expect((await call('GET', `${url}/@lock`, { headers: auth })).body).toEqual(U)
    expect((await call('PATCH', url, { headers: auth, body: { title: 'Saved' } })).status).toBe(204)
  })

  it('nick has no such setting and locks anyway', async () => {
    noLockOnEdit.setDialect('nick')
    const auth = { Authorization: `Bearer ${noLockOnEdit.tokenFor('alice')}` }
    const post = await call('POST', 'http://no-lock-on-edit.test/doc/@lock', { headers: auth })
    expect(post.body).toMatchObject({ locked: true, creator: 'alice' })
  })
})

describe('request log', () => {
  it('records each answered request without the token itself', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    vi.setSystemTime(Date.parse('2026-11-26T10:42:00Z'))
    const { body } = await call('POST', `${PATH}/@lock`, { as: 'alice' })
    const token = String(body?.token)
    await call('PATCH', PATH, { as: 'alice', body: { title: 'A' }, headers: { 'Lock-Token': token } })
    await call('PATCH', PATH, { as: 'bob', body: { title: 'B' }, headers: { 'Lock-Token': 'guess' } })
    await call('GET', PATH)
    const time = Date.parse('2026-11-26T10:42:00Z')
    const common = { time, path: PATH, keepalive: false }
    expect(server.log).toEqual<LogEntry[]>([
      { ...common, id: 1, method: 'POST', endpoint: 'lock', user: 'alice', status: 200, lockToken: 'none' },
      { ...common, id: 2, method: 'PATCH', endpoint: 'content', user: 'alice', status: 204, lockToken: 'valid' },
      { ...common, id: 3, method: 'PATCH', endpoint: 'content', user: 'bob', status: 403, lockToken: 'invalid' },
      { ...common, id: 4, method: 'GET', endpoint: 'content', user: null, status: 200, lockToken: 'none' },
    ])
    expect(JSON.stringify(server.log)).not.toContain(token)
  })

  it('judges a Lock-Token against the lock as it was before the answer', async () => {
    server.setDialect('nick')
    server.setLock(PATH, { user: 'alice', token: 'alices-token' })
    await call('PATCH', PATH, { as: 'alice', body: {}, headers: { 'Lock-Token': 'alices-token' } })
    expect(server.getLock(PATH)).toBeNull()
    expect(server.log[0]).toMatchObject({ status: 204, lockToken: 'valid' })
  })

  it('tells force on DELETE @lock, and keepalive', async () => {
    server.setLock(PATH, { user: 'alice' })
    await call('DELETE', `${PATH}/@lock`, { as: 'alice', body: { force: true }, keepalive: true })
    await call('DELETE', `${PATH}/@lock`, { as: 'alice' })
    await call('GET', `${PATH}/@lock`, { as: 'alice' })
    expect(server.log.map(({ force, keepalive }) => ({ force, keepalive }))).toEqual([
      { force: true, keepalive: true },
      { force: false, keepalive: false },
      { force: undefined, keepalive: false },
    ])
    expect(server.log[2]).not.toHaveProperty('force')
  })

  it('notifies subscribers, gives a new array each time, and keeps numbering after clearLog', async () => {
    const seen: LogEntry[] = []
    const unsubscribe = server.subscribe((entry) => seen.push(entry))
    const before = server.log
    await call('GET', PATH)
    expect(server.log).not.toBe(before)
    expect(seen).toEqual([server.log[0]])
    expect(Object.isFrozen(server.log[0])).toBe(true)

    server.clearLog()
    expect(server.log).toEqual([])
    await call('GET', PATH)
    expect(server.log[0]?.id).toBe(2)

    unsubscribe()
    await call('GET', PATH)
    expect(seen.map((entry) => entry.id)).toEqual([1, 2])
  })

  it('keeps each server to its own log', async () => {
    await call('GET', `${PREFIXED}/x`)
    expect(prefixed.log).toHaveLength(1)
    expect(server.log).toHaveLength(0)
  })
})

describe('server state', () => {
  it('setLock fills in defaults; getLock returns a copy', () => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    vi.setSystemTime(Date.parse('2026-11-26T10:42:00Z'))
    server.setLock(PATH, { user: 'bob' })
    const stored = server.getLock(PATH)
    expect(stored).toEqual({
      user: 'bob',
      // A Zope lock token on plone.
      token: expect.stringMatching(/^\d\.\d+(?:e-\d\d)?-\d\.\d+(?:e-\d\d)?-00105A989226:1795689720\.000$/),
      stealable: true,
      timeout: 600,
      created: Date.parse('2026-11-26T10:42:00Z'),
    })
    if (stored) stored.user = 'carol'
    expect(server.getLock(PATH)?.user).toBe('bob')
    server.setLock(PATH, { user: 'carol', stealable: false, timeout: 5, token: 't', created: new Date(0) })
    expect(server.getLock(PATH)).toBeNull()
    server.setLock(PATH, null)
    expect(server.getLock(PATH)).toBeNull()
    expect(() => server.setLock(PATH, { user: 'mallory' })).toThrow(/mallory/)
  })

  it('hands out v4 UUID tokens on nick, also where crypto.randomUUID is missing (plain http)', () => {
    server.setDialect('nick')
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    server.setLock(PATH, { user: 'bob' })
    expect(server.getLock(PATH)?.token).toMatch(v4)
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })
    try {
      server.setLock('/other', { user: 'bob' })
    } finally {
      Reflect.deleteProperty(crypto, 'randomUUID')
    }
    expect(typeof crypto.randomUUID).toBe('function')
    expect(server.getLock('/other')?.token).toMatch(v4)
    expect(server.getLock('/other')?.token).not.toBe(server.getLock(PATH)?.token)
  })

  it('restart forgets the locks and keeps content', async () => {
    server.setContent(PATH, { title: 'Kept' })
    await call('POST', `${PATH}/@lock`, { as: 'alice' })
    server.restart()
    expect(server.getLock(PATH)).toBeNull()
    expect((await call('GET', `${PATH}/@lock`, { as: 'alice' })).body).toEqual(U)
    expect(server.getContent(PATH)?.title).toBe('Kept')
    expect(server.log).toHaveLength(2)
  })

  it('reset forgets locks, content, log and faults, and returns to the first dialect', async () => {
    server.setContent(PATH, { title: 'Gone' })
    server.setLock(PATH, { user: 'alice' })
    server.setDialect('nick')
    await call('DELETE', '/old', { as: 'alice' })
    server.fail({ path: PATH }, { status: 500 })
    server.reset()
    expect(server.dialect).toBe('plone')
    expect(server.getLock(PATH)).toBeNull()
    expect(server.getContent(PATH)?.title).toBe('Item')
    expect(server.getContent('/old')).toBeDefined()
    expect(server.log).toEqual([])
    expect((await call('GET', PATH)).status).toBe(200)
    expect(server.log[0]?.id).toBe(1)
  })

  it('keeps two servers apart', async () => {
    server.setLock(PATH, { user: 'alice' })
    expect(prefixed.getLock(PATH)).toBeNull()
    expect((await call('GET', `${PREFIXED}${PATH}`)).body?.lock).toEqual(U)
  })
})
