// @vitest-environment node
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireLock, createLockClient, releaseLock, saveWithLock } from '../src'
import type { SimulatedDialect } from '../src/testing'
import { listenLockServer, runServerCommand } from '../src/testing/node'
import type { ListeningLockServer } from '../src/testing/node'

// The simulated servers over real HTTP, on loopback ports, with Node's own fetch: what a browser test or an app in
// development talks to.
const APP = 'http://localhost:5173'
const PATH = '/news/item'
const open: ListeningLockServer[] = []

async function listen(dialect: SimulatedDialect, extra: { basePath?: string } = {}) {
  const api = await listenLockServer({ dialect, origin: APP, ...extra })
  open.push(api)
  api.server.setContent(PATH, { title: 'An item' })
  return api
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()))
})

function portOf(url: string): number {
  return Number(new URL(url).port)
}

function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe.each(['plone', 'nick'] as const)('the %s simulator over HTTP', (dialect) => {
  it('locks for one user, shows the lock to another, and saves with the token', async () => {
    const api = await listen(dialect, { basePath: dialect === 'plone' ? '/Plone/++api++' : '' })
    expect(api.url).toMatch(dialect === 'plone' ? /^http:\/\/127\.0\.0\.1:\d+\/Plone\/\+\+api\+\+$/ : /^http:\/\/127\.0\.0\.1:\d+$/)
    const alice = createLockClient({ apiPath: api.url, token: api.server.tokenFor('alice') })
    const bob = createLockClient({ apiPath: api.url, token: api.server.tokenFor('bob') })

    const taken = await acquireLock(alice, PATH)
    expect(taken.outcome).toBe('held')
    const seen = await acquireLock(bob, PATH)
    expect(seen.outcome).toBe('locked')
    expect(seen.lock.holder?.name).toBe('Alice Archer')

    await saveWithLock(alice, PATH, { title: 'Saved over HTTP' }, { token: taken.lock.token ?? '' })
    expect(api.server.getContent(PATH)?.title).toBe('Saved over HTTP')
    const save = api.server.log.find((entry) => entry.endpoint === 'content' && entry.method === 'PATCH')
    expect(save).toMatchObject({ user: 'alice', status: 204, lockToken: 'valid' })
  })

  it('answers a keepalive release, as a closing page sends it', async () => {
    const api = await listen(dialect)
    const alice = createLockClient({ apiPath: api.url, token: api.server.tokenFor('alice') })
    const { lock } = await acquireLock(alice, PATH)
    await releaseLock(alice, PATH, { keepalive: true, lock })

    const release = api.server.log.at(-1)
    // plone.restapi releases with DELETE; Nick, whose DELETE keeps the lock, with a one-second PATCH.
    expect(release).toMatchObject({ method: dialect === 'plone' ? 'DELETE' : 'PATCH', endpoint: 'lock', user: 'alice', status: 200 })
    // Whether a request was sent with keepalive is not on the wire: the log does not pretend to know.
    expect(release).not.toHaveProperty('keepalive')
    if (dialect === 'plone') expect(api.server.getLock(PATH)).toBeNull()
    else expect(api.server.getLock(PATH)?.timeout).toBe(1)
  })
})

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the methods and headers the hooks send', async () => {
    const api = await listen('plone')
    const response = await fetch(`${api.url}${PATH}/@lock`, {
      method: 'OPTIONS',
      headers: {
        Origin: APP,
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization,content-type,lock-token',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP)
    expect(response.headers.get('Vary')).toBe('Origin')
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PATCH, DELETE, OPTIONS')
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Accept, Authorization, Content-Type, Lock-Token')
    // A preflight is the browser's question, not the page's request: the simulated server never sees it.
    expect(api.server.log).toEqual([])
  })

  it('lets an allowed origin read answers, and gives any other origin no CORS headers', async () => {
    const api = await listen('nick')
    const allowed = await fetch(`${api.url}${PATH}/@lock`, { headers: { Origin: APP } })
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(APP)
    expect(allowed.headers.get('Vary')).toBe('Origin')

    const other = 'http://elsewhere.test'
    const preflight = await fetch(`${api.url}${PATH}/@lock`, {
      method: 'OPTIONS',
      headers: { Origin: other, 'Access-Control-Request-Method': 'DELETE' },
    })
    const request = await fetch(`${api.url}${PATH}/@lock`, { headers: { Origin: other } })
    for (const response of [preflight, request]) {
      const cors = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'))
      expect(cors).toEqual([])
    }
  })

  it('allows any origin with "*", echoing it rather than a wildcard so that credentials work', async () => {
    const api = await listenLockServer({ dialect: 'plone', origin: '*' })
    open.push(api)
    const response = await fetch(`${api.url}${PATH}/@lock`, { headers: { Origin: 'http://anywhere.test:3000' } })
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('http://anywhere.test:3000')
  })
})

describe('lifecycle and options', () => {
  it('close() ends open connections and frees the port', async () => {
    const api = await listenLockServer({ dialect: 'plone' })
    const port = portOf(api.url)
    // A kept-alive connection would hold the port if close() waited for it.
    await fetch(`${api.url}${PATH}/@lock`)
    expect(await canListenOn(port)).toBe(false)
    await api.close()
    expect(await canListenOn(port)).toBe(true)
    await expect(fetch(`${api.url}${PATH}/@lock`)).rejects.toThrow()
  })

  it('listens on the port it is given', async () => {
    const free = await listenLockServer({ dialect: 'nick' })
    const port = portOf(free.url)
    await free.close()
    const api = await listenLockServer({ dialect: 'nick', port })
    open.push(api)
    expect(api.url).toBe(`http://127.0.0.1:${port}`)
  })

  it('answers a path outside the API with a 404 that names where the API is', async () => {
    const api = await listen('plone', { basePath: '/Plone' })
    const response = await fetch(`${api.url.replace('/Plone', '')}/elsewhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ message: `Nothing here: the API is at ${api.url}.` })
  })

  it.each([
    [{ dialect: 'plone', port: '8080' }, /`port` must be an integer from 0 to 65535, got "8080"/],
    [{ dialect: 'plone', port: 70000 }, /`port` must be an integer/],
    [{ dialect: 'plone', origin: 'http://localhost:5173/' }, /`origin` must be an origin such as/],
    [{ dialect: 'plone', origin: ['http://a.test', 5173] }, /got 5173/],
    [{ dialect: 'plone', basePath: 'Plone' }, /`basePath` must be a path/],
    [{ dialect: 'zope' }, /Unknown dialect "zope"/],
    [null, /expects an options object/],
  ])('refuses bad options with a TypeError: %j', async (options, message) => {
    const attempt = listenLockServer(options as never)
    await expect(attempt).rejects.toThrow(TypeError)
    await expect(attempt).rejects.toThrow(message)
  })
})

describe('the react-edit-lock-server command', () => {
  it('starts a server with users and items and prints its URL and the logins, never a token', async () => {
    const lines: string[] = []
    const api = await runServerCommand(['--dialect', 'nick', '--port', '0', '--origin', APP], { print: (line) => lines.push(line) })
    if (!api) throw new Error('the command started no server')
    open.push(api)
    expect(lines[0]).toBe(`Simulated Nick server: ${api.url}`)
    expect(lines).toContain(`Browser origins allowed (CORS): ${APP}`)
    expect(lines.join('\n')).toMatch(/alice \(Alice Archer\), bob \(Bob Baker\), carol \(Carol Chen\); password for each: secret/)

    const login = await fetch(`${api.url}/@login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: APP },
      body: JSON.stringify({ login: 'bob', password: 'secret' }),
    })
    const { token } = (await login.json()) as { token: string }
    const bob = createLockClient({ apiPath: api.url, token })
    const taken = await acquireLock(bob, '/news/summer-party')
    expect(taken.outcome).toBe('held')
    expect(lines.at(-1)).toMatch(/POST {3}\/news\/summer-party @lock {2}bob {2}200$/)
    const printed = lines.join('\n')
    expect(printed).not.toContain(token)
    expect(printed).not.toContain(taken.lock.token ?? 'no token')
  })

  it('serves plone.restapi below /Plone/++api++ by default, with the items in place', async () => {
    const api = await runServerCommand(['--port', '0', '--quiet'], { print: () => {} })
    if (!api) throw new Error('the command started no server')
    open.push(api)
    expect(api.url).toMatch(/\/Plone\/\+\+api\+\+$/)
    const item = (await (await fetch(`${api.url}/news/new-office`)).json()) as { title: string }
    expect(item.title).toBe('We moved to a new office')
  })

  it.each([
    [['--port', 'eighty'], /--port must be a number from 0 to 65535, got "eighty"/],
    [['--dialect', 'zope'], /--dialect must be "plone" or "nick"/],
    [['--origin', 'localhost:5173', '--port', '0'], /`origin` must be an origin/],
    [['--colour'], /Unknown option '--colour'/],
  ])('refuses %j with a TypeError that shows the usage', async (args, message) => {
    const attempt = runServerCommand(args, { print: () => {} })
    await expect(attempt).rejects.toThrow(TypeError)
    await expect(attempt).rejects.toThrow(message)
    await expect(attempt).rejects.toThrow(/Usage: react-edit-lock-server/)
  })
})

describe('a listing', () => {
  it("lists the items below a folder with each item's lock, as the viewer sees it", async () => {
    const api = await listenLockServer({ dialect: 'plone' })
    open.push(api)
    api.server.setContent('/news/first', { title: 'First', description: 'One' })
    api.server.setContent('/news/second', { title: 'Second' })
    api.server.setContent('/news/second/attachment', { title: 'Not a direct child' })
    api.server.setContent('/about', { title: 'Elsewhere' })
    api.server.setLock('/news/second', { user: 'alice' })

    const response = await fetch(`${api.url}/news`, { headers: { Authorization: `Bearer ${api.server.tokenFor('bob')}` } })
    const { items } = (await response.json()) as { items: Array<Record<string, unknown>> }
    expect(items).toEqual([
      { '@id': `${api.url}/news/first`, '@type': 'Document', title: 'First', description: 'One', lock: { locked: false, stealable: true } },
      {
        '@id': `${api.url}/news/second`,
        '@type': 'Document',
        title: 'Second',
        lock: expect.objectContaining({ locked: true, creator: 'alice', creator_name: 'Alice Archer' }),
      },
    ])
  })
})
