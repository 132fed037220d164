import { afterEach, describe, expect, it, vi } from 'vitest'
import { acquireLock, createLockClient, LockError, refreshLock, releaseLock, saveWithLock } from '../src'
import { clientFor, dialects, rejection, setupMsw, startSimulation, uniquePath } from './utils'

const msw = setupMsw()

afterEach(() => {
  vi.useRealTimers()
})

describe('paths that would leave the API', () => {
  const escapes = [
    '//evil.example/x',
    'https://evil.example/Plone/news',
    'http://cms.test.evil.example/Plone/x',
    'http://cms.test/PloneX/item',
    'http://cms.test/other/item',
    '/news/../../etc',
    '../secret',
    '/news/%2e%2e/%2E%2E/x',
    '/news/%2e%2e',
    '\\\\evil.example\\x',
    '/news\\..\\x',
    '/news/item\u0000',
    '/news/\nitem',
    '/news/%0aitem',
    '/news/a%2F..%2F..%2Fx',
    '/news/item?x=1',
    '/news/item#top',
    '/news/%zz',
    'javascript:alert(1)',
    'http://user:pass@cms.test/Plone/x',
    '/news/@@edit',
  ]

  it.each(escapes)('%j is refused with invalid-path before any request', async (path) => {
    const fetch = vi.fn<typeof globalThis.fetch>()
    const client = createLockClient({ apiPath: 'http://cms.test/Plone', token: 'x.eyJzdWIiOiJhbGljZSJ9.y', fetch })
    for (const call of [
      () => client.getLock(path),
      () => acquireLock(client, path),
      () => refreshLock(client, path, {}),
      () => releaseLock(client, path, { force: true }),
      () => saveWithLock(client, path, { title: 'x' }, { token: 'secret-token' }),
    ]) {
      const error = await rejection(call())
      expect(error.code).toBe('invalid-path')
    }
    expect(fetch).not.toHaveBeenCalled()
  })

  it("accepts a content object's absolute @id under the API, and percent-encodes segments", async () => {
    const server = startSimulation(msw, 'plone')
    const client = clientFor(server, 'alice')
    expect(client.url(`${server.apiPath}/news/item`, '@lock')).toBe(`${server.apiPath}/news/item/@lock`)
    expect(client.url('/news/my item/ü', '@lock')).toBe(`${server.apiPath}/news/my%20item/%C3%BC/@lock`)
    expect(client.url('/news/my%20item')).toBe(`${server.apiPath}/news/my%20item`)
    expect(client.url('/')).toBe(server.apiPath)
    const result = await acquireLock(client, `${server.apiPath}/news/item`)
    expect(result.outcome).toBe('held')
    expect(server.getLock('/news/item')?.user).toBe('alice')
  })

  it('refuses an apiPath that is not http(s) and options of the wrong type', () => {
    expect(() => createLockClient({ apiPath: 'ftp://cms.test' })).toThrow(LockError)
    expect(() => createLockClient({ apiPath: '' })).toThrow(/apiPath/)
    expect(() => createLockClient({ apiPath: 'http://cms.test', token: 42 as unknown as string })).toThrow(/token/)
    expect(() => createLockClient({ apiPath: 'http://cms.test', requestTimeout: -1 })).toThrow(/requestTimeout/)
    expect(() => createLockClient({ apiPath: 'http://cms.test', credentials: 'always' as RequestCredentials })).toThrow(/credentials/)
  })
})

describe.each(dialects)('malformed answers (%s)', (dialect) => {
  it.each([
    ['html', /HTML/],
    ['not-json', /not JSON/],
    ['wrong-type', /"locked"/],
  ] as const)('%s: a protocol error that says what was wrong', async (malformed, message) => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ endpoint: 'lock' }, { malformed })
    const error = await rejection(acquireLock(clientFor(server, 'alice'), path))
    expect(error.code).toBe('protocol')
    expect(error.message).toMatch(message)
  })

  it('an answer that is not an object: protocol', async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { status: 200, body: [1, 2] })
    expect((await rejection(clientFor(server, 'alice').getLock(uniquePath()))).code).toBe('protocol')
  })
})

describe.each(dialects)('transport failures (%s)', (dialect) => {
  it('network error: network, transient', async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { networkError: true })
    const error = await rejection(acquireLock(clientFor(server, 'alice'), uniquePath()))
    expect(error).toMatchObject({ code: 'network', transient: true })
  })

  it('500: http, transient, with the server message', async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { status: 500, body: { error: { type: 'InternalError', message: 'Boom.' } } })
    const error = await rejection(acquireLock(clientFor(server, 'alice'), uniquePath()))
    expect(error.message).toBe('The server answered HTTP 500: Boom.')
    expect(error).toMatchObject({ code: 'http', status: 500, type: 'InternalError', serverMessage: 'Boom.', transient: true })
  })

  it('503 with Retry-After: retryAfter in seconds', async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { status: 503, headers: { 'Retry-After': '7' } })
    const error = await rejection(clientFor(server, 'alice').getLock(uniquePath()))
    expect(error).toMatchObject({ code: 'http', status: 503, retryAfter: 7 })
  })

  it('an HTML 502 from a proxy: http 502, transient', async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { status: 502, malformed: 'html' })
    const error = await rejection(clientFor(server, 'alice').getLock(uniquePath()))
    expect(error).toMatchObject({ code: 'http', status: 502, transient: true })
  })

  it('no answer: timeout after requestTimeout', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { delay: 'infinite' })
    const pending = rejection(clientFor(server, 'alice', { requestTimeout: 5000 }).getLock(uniquePath()))
    await vi.advanceTimersByTimeAsync(5001)
    expect((await pending).code).toBe('timeout')
  })

  it("the caller's AbortSignal: aborted", async () => {
    const server = startSimulation(msw, dialect)
    server.fail({ endpoint: 'lock' }, { delay: 'infinite' })
    const controller = new AbortController()
    const pending = rejection(clientFor(server, 'alice').getLock(uniquePath(), { signal: controller.signal }))
    controller.abort()
    expect((await pending).code).toBe('aborted')
  })
})

describe('credentials stay where they belong', () => {
  it('sends Authorization to the API, Lock-Token only on saves, never a token in a URL', async () => {
    const server = startSimulation(msw, 'nick')
    const seen: { url: string; method: string; auth: string | null; lockToken: string | null }[] = []
    const fetch: typeof globalThis.fetch = (input, init) => {
      const request = new Request(input, init)
      seen.push({ url: request.url, method: request.method, auth: request.headers.get('Authorization'), lockToken: request.headers.get('Lock-Token') })
      return globalThis.fetch(request)
    }
    const jwt = server.tokenFor('alice')
    const client = clientFor(server, 'alice', { fetch, token: jwt })
    const path = uniquePath()
    const { lock } = await acquireLock(client, path)
    const refreshed = await refreshLock(client, path, { stealable: true, timeout: 600 })
    await client.getLock(path)
    await saveWithLock(client, path, { title: 'x' }, { token: refreshed.lock.token })
    await releaseLock(client, path, { lock: refreshed.lock })
    expect(seen.every((r) => r.url.startsWith(server.apiPath + '/'))).toBe(true)
    expect(seen.every((r) => r.auth === `Bearer ${jwt}`)).toBe(true)
    expect(seen.filter((r) => r.lockToken !== null).map((r) => r.method)).toEqual(['PATCH'])
    expect(seen.find((r) => r.lockToken)?.url).toBe(`${server.apiPath}${path}`)
    for (const token of [lock.token!, refreshed.lock.token!]) expect(seen.some((r) => r.url.includes(token))).toBe(false)
  })
})
