import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLockServer } from '../src/testing'

const API = 'https://site.example/++api++'
const PATH = '/news/item'
const T0 = Date.parse('2026-11-26T10:42:00Z')

const server = createLockServer({ dialect: 'plone', apiPath: API })
const other = createLockServer({ dialect: 'plone', apiPath: 'http://other.test' })
const msw = setupServer(...server.handlers, ...other.handlers)

function send(method: string, url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url.startsWith('http') ? url : API + url, {
    method,
    ...init,
    headers: { Authorization: `Bearer ${server.tokenFor('alice')}`, ...init.headers },
  })
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false }
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  )
  return state
}

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false })
  vi.setSystemTime(T0)
})
afterEach(() => {
  server.reset()
  other.reset()
  vi.useRealTimers()
})
afterAll(() => msw.close())

describe('fault matching', () => {
  it('applies to the next matching request only, by default', async () => {
    server.fail({}, { status: 503 })
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(503)
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(200)
  })

  it('applies to as many requests as `times` says', async () => {
    server.fail({ endpoint: 'lock' }, { status: 502, times: 2 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await send('GET', `${PATH}/@lock`)).status)
    expect(statuses).toEqual([502, 502, 200])
  })

  it('matches method (any case), endpoint and path, and skips the rest', async () => {
    server.fail({ method: 'patch', endpoint: 'lock', path: 'news/item/' }, { status: 500 })
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(200)
    expect((await send('PATCH', '/other/@lock')).status).toBe(200)
    expect((await send('PATCH', PATH, { body: '{}' })).status).toBe(204)
    expect((await send('PATCH', `${PATH}/@lock`)).status).toBe(500)
    expect(server.log.map((entry) => entry.fault)).toEqual([undefined, undefined, undefined, true])
  })

  it('matches the login endpoint', async () => {
    server.fail({ endpoint: 'login' }, { status: 500 })
    const response = await send('POST', '/@login', { body: JSON.stringify({ login: 'alice', password: 'secret' }) })
    expect(response.status).toBe(500)
  })

  it('uses faults in the order they were added', async () => {
    server.fail({ endpoint: 'lock' }, { status: 502 })
    server.fail({ endpoint: 'lock' }, { status: 504 })
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(502)
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(504)
  })

  it('belongs to one server', async () => {
    server.fail({}, { status: 500 })
    const response = await fetch('http://other.test/doc/@lock', {
      headers: { Authorization: `Bearer ${other.tokenFor('bob')}` },
    })
    expect(response.status).toBe(200)
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(500)
  })

  it('refuses faults it cannot produce', () => {
    expect(() => server.fail({}, { status: 500, times: 0 })).toThrow(RangeError)
    expect(() => server.fail({}, { status: 500, times: 1.5 })).toThrow(RangeError)
    expect(() => server.fail({}, { delay: -1 })).toThrow(RangeError)
    expect(() => server.fail({}, { status: 99 })).toThrow(RangeError)
    expect(() => server.fail({}, { malformed: 'xml' as 'html' })).toThrow(RangeError)
  })

  it('is forgotten by reset', async () => {
    server.fail({}, { status: 500, times: Infinity })
    server.reset()
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(200)
  })
})

describe('replacing answers', () => {
  it('networkError fails the fetch and is logged as such', async () => {
    server.fail({ method: 'POST' }, { networkError: true })
    await expect(send('POST', `${PATH}/@lock`)).rejects.toThrow(TypeError)
    expect(server.getLock(PATH)).toBeNull()
    expect(server.log).toEqual([
      expect.objectContaining({ method: 'POST', endpoint: 'lock', user: 'alice', status: 'network-error', fault: true }),
    ])
  })

  it('a status alone answers a JSON error body and leaves the state alone', async () => {
    server.fail({}, { status: 503 })
    const response = await send('POST', `${PATH}/@lock`)
    expect(response.status).toBe(503)
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(await response.json()).toEqual({ error: { type: expect.any(String), message: expect.stringContaining('503') } })
    expect(server.getLock(PATH)).toBeNull()
    expect(server.log[0]).toMatchObject({ status: 503, fault: true })
  })

  it('sends the given status, body and headers', async () => {
    server.fail({}, { status: 429, body: { error: { type: 'Too many', message: 'Slow down' } }, headers: { 'Retry-After': '7' } })
    const response = await send('PATCH', `${PATH}/@lock`)
    expect(response.status).toBe(429)
    expect(response.headers.get('Retry-After')).toBe('7')
    expect(await response.json()).toEqual({ error: { type: 'Too many', message: 'Slow down' } })
  })

  it('defaults to 200 when only a body is given, and sends a string body as text', async () => {
    server.fail({}, { body: 'plain words' })
    const response = await send('GET', `${PATH}/@lock`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/)
    expect(await response.text()).toBe('plain words')
  })

  it('headers alone replace the answer with a 500', async () => {
    server.fail({}, { headers: { 'X-Fault': 'yes' } })
    const response = await send('GET', `${PATH}/@lock`)
    expect(response.status).toBe(500)
    expect(response.headers.get('X-Fault')).toBe('yes')
  })

  it('a 204 carries no body', async () => {
    server.fail({}, { status: 204 })
    const response = await send('POST', `${PATH}/@lock`)
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
  })
})

describe('malformed answers', () => {
  it('html: an HTML error page, 200 by default', async () => {
    server.fail({}, { malformed: 'html' })
    const response = await send('POST', `${PATH}/@lock`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/)
    expect(server.getLock(PATH)).toBeNull()
  })

  it('html: with the given status', async () => {
    server.fail({}, { malformed: 'html', status: 502 })
    expect((await send('GET', `${PATH}/@lock`)).status).toBe(502)
  })

  it('not-json: a JSON content type over a truncated body', async () => {
    server.fail({}, { malformed: 'not-json' })
    const response = await send('GET', `${PATH}/@lock`)
    expect(response.headers.get('Content-Type')).toBe('application/json')
    const text = await response.text()
    expect(text.startsWith('{')).toBe(true)
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError)
  })

  it('wrong-type: a lock object whose fields have the wrong types', async () => {
    server.fail({}, { malformed: 'wrong-type' })
    const body = (await (await send('GET', `${PATH}/@lock`)).json()) as Record<string, unknown>
    expect(body.locked).toBe('yes')
    expect(typeof body.stealable).not.toBe('boolean')
    expect(typeof body.creator).not.toBe('string')
  })
})

describe('delays', () => {
  it('delays the normal answer, which reflects the state when it is given', async () => {
    server.fail({ method: 'POST' }, { delay: 1000 })
    const pending = send('POST', `${PATH}/@lock`)
    const state = track(pending)
    await vi.advanceTimersByTimeAsync(999)
    expect(state.settled).toBe(false)
    expect(server.getLock(PATH)).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    const response = await pending
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ locked: true, creator: 'alice' })
    expect(server.getLock(PATH)?.created).toBe(T0 + 1000)
    expect(server.log).toEqual([expect.objectContaining({ status: 200, time: T0 + 1000, fault: true })])
  })

  it('delays a replaced answer', async () => {
    server.fail({}, { delay: 500, status: 504 })
    const pending = send('GET', `${PATH}/@lock`)
    await vi.advanceTimersByTimeAsync(500)
    expect((await pending).status).toBe(504)
  })

  it("'infinite' never answers, until the client aborts", async () => {
    server.fail({}, { delay: 'infinite' })
    const controller = new AbortController()
    const pending = send('POST', `${PATH}/@lock`, { signal: controller.signal })
    const state = track(pending)
    await vi.advanceTimersByTimeAsync(24 * 3600 * 1000)
    expect(state.settled).toBe(false)
    expect(server.log).toEqual([])
    controller.abort()
    await expect(pending).rejects.toThrow()
    await vi.advanceTimersByTimeAsync(0)
    expect(server.getLock(PATH)).toBeNull()
    expect(server.log).toEqual([expect.objectContaining({ method: 'POST', status: 'network-error', fault: true })])
  })

  it('an abort during a finite delay leaves the state alone', async () => {
    server.fail({}, { delay: 5000 })
    const controller = new AbortController()
    const pending = send('POST', `${PATH}/@lock`, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(1000)
    controller.abort()
    await expect(pending).rejects.toThrow()
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.getLock(PATH)).toBeNull()
    expect(server.log).toEqual([expect.objectContaining({ status: 'network-error', fault: true })])
  })
})
