import { renderHook } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { acquireLock, createLockClient, refreshLock, releaseLock, saveWithLock, useLock, useLockStatus } from '../src'
import type { LockClient, LockError, LockInfo, UseLockStatusResult } from '../src'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, dialects, newQueryClient, Providers, rejection, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

let origins = 0

interface Hit {
  method: string
  url: string
  authorization: string | null
  lockToken: string | null
}

/** Another origin that answers everything with a lock of `user`'s (token included) and records what reached it. */
function otherOrigin(dialect: SimulatedDialect, user = 'alice') {
  origins += 1
  const origin = `http://elsewhere${origins}.test`
  const hits: Hit[] = []
  msw.use(
    http.all(`${origin}/*`, ({ request }) => {
      hits.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.get('Authorization'),
        lockToken: request.headers.get('Lock-Token'),
      })
      return HttpResponse.json(hostileLock(dialect, { creator: user, token: 'token-from-elsewhere' }))
    }),
  )
  return { origin, hits }
}

/** A lock answer in the dialect's shape, with fields a test overrides. */
function hostileLock(dialect: SimulatedDialect, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now()
  const iso = new Date(now).toISOString()
  const common = { locked: true, creator: 'bob', creator_name: 'Bob Baker', stealable: true, timeout: 600, token: 'tok-1' }
  const shaped =
    dialect === 'plone'
      ? { ...common, name: 'plone.locking.stealable', created: iso, time: now / 1000, creator_url: 'http://x.test/author/bob' }
      : { ...common, created: iso, time: iso, creator_url: 'http://x.test/@users/bob' }
  return { ...shaped, ...fields }
}

/** Makes every request to `url` answer with a redirect to `location`. */
function redirect(url: string, status: number, location: string) {
  msw.use(http.all(url, () => new HttpResponse(null, { status, headers: { Location: location } })))
}

const REDIRECTS = [301, 302, 303, 307, 308]

type Call = (client: LockClient, path: string, token: string) => Promise<unknown>

const CALLS: [string, string, Call][] = [
  ['getLock', '@lock', (client, path) => client.getLock(path)],
  ['acquire', '@lock', (client, path) => acquireLock(client, path)],
  ['refresh', '@lock', (client, path) => refreshLock(client, path, { stealable: true })],
  ['release', '@lock', (client, path) => releaseLock(client, path)],
  ['release with keepalive', '@lock', (client, path) => releaseLock(client, path, { keepalive: true })],
  ['save', '', (client, path, token) => saveWithLock(client, path, { title: 'x' }, { token })],
]

describe('hostile server', () => {
  describe.each(dialects)('redirects are never followed (%s)', (dialect) => {
    describe.each(CALLS)('%s', (_name, endpoint, call) => {
      it.each(REDIRECTS)('HTTP %i to another origin: a protocol error; nothing reaches the other origin', async (status) => {
        const server = startSimulation(msw, dialect)
        const path = uniquePath()
        const client = clientFor(server, 'alice')
        const held = await acquireLock(client, path)
        const elsewhere = otherOrigin(dialect)
        redirect(`${server.apiPath}${path}${endpoint ? `/${endpoint}` : ''}`, status, `${elsewhere.origin}${path}/${endpoint}`)

        const error = await rejection(call(client, path, held.lock.token!))
        expect(error).toMatchObject({ code: 'protocol', status, transient: false })
        expect(error.message).toMatch(/redirect/)
        expect(elsewhere.hits).toEqual([])
        expect(server.getLock(path)?.user).toBe('alice')
      })
    })

    it.each(REDIRECTS)("HTTP %i to another item's @lock on the same origin: never taken for this item's lock", async (status) => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const other = uniquePath()
      server.setLock(other, { user: 'alice' })
      server.clearLog()
      redirect(`${server.apiPath}${path}/@lock`, status, `${server.apiPath}${other}/@lock`)
      const client = clientFor(server, 'alice')

      expect(await rejection(client.getLock(path))).toMatchObject({ code: 'protocol', status })
      expect(await rejection(acquireLock(client, path))).toMatchObject({ code: 'protocol', status })
      expect(server.log.filter((entry) => entry.path === other)).toEqual([])
    })

    it('a fetch option that follows redirects anyway: its answer is refused, and the lease does not hold', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const elsewhere = otherOrigin(dialect)
      redirect(`${server.apiPath}${path}/@lock`, 307, `${elsewhere.origin}${path}/@lock`)
      // A wrapper that follows redirects itself, as some HTTP layers do.
      const follows: typeof fetch = async (input, init) => {
        const answer = await globalThis.fetch(input, init)
        const location = answer.headers.get('Location')
        return location ? globalThis.fetch(location, init) : answer
      }
      const client = clientFor(server, 'alice', { fetch: follows })

      expect(await rejection(client.getLock(path))).toMatchObject({ code: 'protocol' })
      const hook = renderHook(() => useLock(path), { wrapper: wrapperFor(client) })
      await tick(10)
      expect(hook.result.current.status).toBe('error')
      expect(hook.result.current.error?.code).toBe('protocol')
      expect(hook.result.current.lock?.token ?? null).toBeNull()
      // One look; an answer that is not the protocol is not retried.
      await tick(60_000)
      expect(elsewhere.hits.filter((hit) => hit.method === 'POST')).toHaveLength(1)
    })

    it('useLock against an API that redirects its POST @lock elsewhere: an error shown, nothing sent there', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const elsewhere = otherOrigin(dialect)
      redirect(`${server.apiPath}${path}/@lock`, 307, `${elsewhere.origin}${path}/@lock`)
      const hook = renderHook(() => useLock(path), { wrapper: wrapperFor(clientFor(server, 'alice')) })
      await tick(10)
      expect(hook.result.current).toMatchObject({ status: 'error', isHeld: false, canSave: false })
      expect(hook.result.current.error).toMatchObject({ code: 'protocol', status: 307 })
      await tick(60_000)
      expect(elsewhere.hits).toEqual([])
    })
  })

  describe.each(dialects)('a lock token or JWT that cannot be a header value (%s)', (dialect) => {
    const BAD_TOKENS = [
      ['a line break', 's3cr3t\r\nX-Injected: 1'],
      ['a bare LF', 's3cr3t\nmore'],
      ['a NUL', 's3cr3t\u0000'],
      ['a character above U+00FF', 's3cr3t\u20ac'],
    ]

    it.each(BAD_TOKENS)('a save with %s in its token: invalid-option, not transient, token not quoted, nothing sent', async (_what, token) => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const sent: string[] = []
      const client = clientFor(server, 'alice', {
        fetch: (input, init) => {
          sent.push(String(input))
          return globalThis.fetch(input, init)
        },
      })
      const error = await rejection(saveWithLock(client, path, { title: 'x' }, { token }))
      expect(error).toMatchObject({ code: 'invalid-option', transient: false })
      expect(error.message).toMatch(/lock token/)
      expect(quoted(error)).not.toContain('s3cr3t')
      expect(sent).toEqual([])
      expect(server.getContent(path)?.title).not.toBe('x')
    })

    it.each(BAD_TOKENS)('a JWT with %s: invalid-option before any request, the JWT not quoted', async (_what, token) => {
      const server = startSimulation(msw, dialect)
      const client = clientFor(server, 'alice', { token: () => token })
      const error = await rejection(client.getLock(uniquePath()))
      expect(error).toMatchObject({ code: 'invalid-option', transient: false })
      expect(quoted(error)).not.toContain('s3cr3t')
      // The same for a custom save function that asks the client for its headers.
      expect(quoted(await rejection(client.headers()))).not.toContain('s3cr3t')
      expect(server.log).toEqual([])
    })
  })

  describe.each(dialects)('answers too large to read (%s)', (dialect) => {
    it('a lock answer over 1 MB with its Content-Length: protocol, with a clear message', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const body = JSON.stringify(hostileLock(dialect, { creator_name: 'B'.repeat(2_000_000) }))
      msw.use(
        http.get(`${server.apiPath}${path}/@lock`, () =>
          new HttpResponse(body, { headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } }),
        ),
      )
      const error = await rejection(clientFor(server, 'alice').getLock(path))
      expect(error).toMatchObject({ code: 'protocol', status: 200, transient: false })
      expect(error.message).toMatch(/more than 1 MB/)
    })

    it('a lock answer that streams without end: refused after 1 MB, the rest never read', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      let pulled = 0
      const chunk = new TextEncoder().encode(' '.repeat(65_536))
      msw.use(
        http.post(`${server.apiPath}${path}/@lock`, () => {
          const stream = new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += chunk.byteLength
              if (pulled > 10_000_000) controller.close()
              else controller.enqueue(chunk)
            },
          })
          return new HttpResponse(stream, { headers: { 'Content-Type': 'application/json' } })
        }),
      )
      const error = await rejection(acquireLock(clientFor(server, 'alice'), path))
      expect(error).toMatchObject({ code: 'protocol', transient: false })
      expect(error.message).toMatch(/more than 1 MB/)
      expect(pulled).toBeLessThan(2_000_000)
    })

    it("an error page over 1 MB: refused before its text becomes the error's", async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.fail({ endpoint: 'lock' }, { status: 500, body: { error: { type: 'Boom', message: 'x'.repeat(2_000_000) } } })
      const error = await rejection(clientFor(server, 'alice').getLock(path))
      expect(error).toMatchObject({ code: 'protocol', status: 500 })
      expect(error.message.length).toBeLessThan(300)
    })
  })

  describe.each(dialects)("holder.url is a link on the API's origin or null (%s)", (dialect) => {
    const REFUSED = [
      'javascript:alert(1)',
      ' JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'https://evil.example/author/bob',
      '//evil.example/author/bob',
      'ftp://{origin}/author/bob',
      'http://bob:pw@{host}/author/bob',
      'not a url at all \u0000',
    ]

    it.each(REFUSED)("%j: null, the lock otherwise shown; the server's own link kept", async (url) => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { origin, host } = new URL(server.apiPath)
      const creatorUrl = url.replace('{origin}', origin.replace(/^http:\/\//, '')).replace('{host}', host)
      server.fail({ endpoint: 'lock' }, { status: 200, body: hostileLock(dialect, { creator_url: creatorUrl }) })
      const client = clientFor(server, 'alice')
      expect((await client.getLock(path)).holder).toMatchObject({ id: 'bob', name: 'Bob Baker', url: null })

      server.setLock(path, { user: 'bob' })
      const own = dialect === 'plone' ? `${server.apiPath}/author/bob` : `${server.apiPath}/@users/bob`
      expect((await client.getLock(path)).holder?.url).toBe(own)
    })
  })

  describe.each(dialects)('malformed lock answers are protocol errors that quote nothing (%s)', (dialect) => {
    it('a "locked" nested 100,000 deep: protocol, not a RangeError', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const depth = 100_000
      msw.use(
        http.get(`${server.apiPath}${path}/@lock`, () =>
          new HttpResponse(`{"locked":${'['.repeat(depth)}${']'.repeat(depth)}}`, { headers: { 'Content-Type': 'application/json' } }),
        ),
      )
      const client = clientFor(server, 'alice')
      const error = await rejection(client.getLock(path))
      expect(error).toMatchObject({ code: 'protocol' })
      expect(error.message).toMatch(/"locked" is an array/)

      let deep: unknown = {}
      for (let i = 0; i < depth; i++) deep = { a: deep }
      expect(() => client.parseLock({ locked: deep })).toThrow(expect.objectContaining({ code: 'protocol' }))
    })

    it('markup in "locked" is not echoed', async () => {
      const server = startSimulation(msw, dialect)
      server.fail({ endpoint: 'lock' }, { status: 200, body: { locked: '<img src=x onerror=alert(1)>' } })
      const error = await rejection(clientFor(server, 'alice').getLock(uniquePath()))
      expect(error.code).toBe('protocol')
      expect(error.message).not.toMatch(/[<>]/)
    })

    it.each([
      ['created and time 1e20', { created: 1e20, time: 1e20 }],
      ['created -1e20, no time', { created: -1e20, time: undefined }],
    ])('%s: a malformed answer (protocol), never an Invalid Date', async (_what, fields) => {
      const server = startSimulation(msw, dialect)
      server.fail({ endpoint: 'lock' }, { status: 200, body: hostileLock(dialect, fields) })
      const error = await rejection(clientFor(server, 'alice').getLock(uniquePath()))
      expect(error).toMatchObject({ code: 'protocol', transient: false })
      expect(error.message).toMatch(/date/)
    })

    it('a timeout so large that the expiry is out of range: expiresAt is null, never an Invalid Date', async () => {
      const server = startSimulation(msw, dialect)
      server.fail({ endpoint: 'lock' }, { status: 200, body: hostileLock(dialect, { timeout: 1e308 }) })
      const lock = await clientFor(server, 'alice').getLock(uniquePath())
      expect(lock.locked).toBe(true)
      expect(lock.created?.getTime()).not.toBeNaN()
      expect(lock.expiresAt).toBeNull()
    })

    it.each([
      ['a line break', 's3cr3t\r\nX-Injected: 1'],
      ['a character above U+00FF', 's3cr3t\u20ac'],
    ])('our own lock whose token has %s: protocol on every request, the token never quoted nor kept', async (_what, token) => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.setLock(path, { user: 'alice', token })
      const client = clientFor(server, 'alice')
      // Nick's refresh writes a new lock with a new token, so it is left out there.
      const calls = [() => client.getLock(path), () => acquireLock(client, path), ...(dialect === 'plone' ? [() => refreshLock(client, path, {})] : [])]
      for (const call of calls) {
        const error = await rejection(call())
        expect(error).toMatchObject({ code: 'protocol', transient: false })
        expect(quoted(error)).not.toContain('s3cr3t')
      }
      const hook = renderHook(() => useLock(path), { wrapper: wrapperFor(client) })
      await tick(10)
      expect(hook.result.current.status).toBe('error')
      expect(hook.result.current.error?.code).toBe('protocol')
      expect(hook.result.current.canSave).toBe(false)
    })
  })

  describe.each(dialects)("the server's text in error messages (%s)", (dialect) => {
    const MARKUP = '<img src=x onerror=alert(1)>'

    it("a holder's name with markup stays out of a refused take-over's message", async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.fail({ method: 'DELETE', endpoint: 'lock' }, { status: 200, body: hostileLock(dialect, { creator_name: MARKUP }) })
      const error = await rejection(releaseLock(clientFor(server, 'alice'), path, { force: true }))
      expect(error.code).toBe('not-allowed')
      expect(error.message).not.toContain('<')
    })

    it("markup in the server's error message: kept out of the message, still in serverMessage", async () => {
      const server = startSimulation(msw, dialect)
      server.fail({ endpoint: 'lock' }, { status: 409, body: { error: { type: 'Conflict', message: MARKUP } } })
      const error = await rejection(clientFor(server, 'alice').getLock(uniquePath()))
      expect(error).toMatchObject({ code: 'http', status: 409, serverMessage: MARKUP })
      expect(error.message).toBe('The server answered HTTP 409.')
    })

    it('a server that echoes the Lock-Token or the JWT in its error: neither in the message nor in serverMessage', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const jwt = server.tokenFor('alice')
      const client = clientFor(server, 'alice', { token: jwt })
      const { lock } = await acquireLock(client, path)
      const token = lock.token!
      server.fail(
        { method: 'PATCH', endpoint: 'content' },
        { status: 500, body: { error: { type: 'Error', message: `Bad lock ${token} for ${jwt}` } } },
      )
      const error = await rejection(saveWithLock(client, path, { title: 'x' }, { token }))
      expect(error).toMatchObject({ code: 'http', status: 500 })
      for (const secret of [token, jwt]) {
        expect(quoted(error)).not.toContain(secret)
        expect(error.serverMessage).not.toContain(secret)
      }
    })
  })

  describe('paths refused before any request', () => {
    const API = 'http://cms.test/Plone'

    function offlineClient() {
      const fetch = vi.fn<typeof globalThis.fetch>()
      return { fetch, client: createLockClient({ apiPath: API, token: 'x.eyJzdWIiOiJhbGljZSJ9.y', fetch }) }
    }

    async function expectRefused(path: string): Promise<LockError[]> {
      const { fetch, client } = offlineClient()
      const errors: LockError[] = []
      for (const call of [
        () => client.getLock(path),
        () => acquireLock(client, path),
        () => releaseLock(client, path, { force: true }),
        () => saveWithLock(client, path, { title: 'x' }, { token: 'tok' }),
      ]) {
        const error = await rejection(call())
        expect(error).toMatchObject({ code: 'invalid-path', transient: false })
        errors.push(error)
      }
      expect(fetch).not.toHaveBeenCalled()
      return errors
    }

    it.each([
      '/news/++view++edit',
      '/news/++vh++https:evil.example:443/++',
      '/++resource++plone.js',
      '/news/++skin++Admin/item',
      '/news/%2B%2Bview%2B%2Bedit',
      `${API}/news/++api++/item`,
      '/news/++etc++site',
    ])('%j: a Zope traversal namespace, refused like an API endpoint', async (path) => {
      const errors = await expectRefused(path)
      expect(errors[0]!.message).toMatch(/traversal namespace/)
    })

    it.each(['/news/\uD800', '/news/a\uDC00b', `${API}/news/\uD83D`])(
      '%j: a lone surrogate is invalid-path, not a URIError',
      async (path) => {
        const errors = await expectRefused(path)
        expect(errors[0]!.message).toMatch(/well-formed Unicode/)
      },
    )

    it('a path of 1 MB: refused, and the message does not carry it', async () => {
      const errors = await expectRefused(`/news/${'a'.repeat(1_000_000)}`)
      expect(errors[0]!.message).toMatch(/longer than 4096 characters/)
      expect(errors[0]!.message.length).toBeLessThan(200)
    })

    it('markup in a refused path is not echoed as markup', async () => {
      const errors = await expectRefused('/news/<img src=x onerror=alert(1)>/../x')
      expect(errors[0]!.message).not.toMatch(/[<>]/)
    })

    it.each(dialects)('the hooks show a lone surrogate in a path as invalid-path (%s)', async (dialect) => {
      const server = startSimulation(msw, dialect)
      const path = '/news/\uD800'
      const hook = renderHook(() => ({ lock: useLock(path), status: useLockStatus(path) }), {
        wrapper: wrapperFor(clientFor(server, 'alice')),
      })
      await tick(10)
      expect(hook.result.current.lock.error?.code).toBe('invalid-path')
      expect(hook.result.current.status.error?.code).toBe('invalid-path')
      expect(server.log).toEqual([])
    })
  })

  describe.each(dialects)('cached statuses are per user (%s)', (dialect) => {
    /** One screen over one query client, whose provider is re-keyed to the user logged in. */
    function screen(server: LockServer, hook: () => UseLockStatusResult) {
      const queryClient = newQueryClient()
      const session = { user: 'alice', client: clientFor(server, 'alice') }
      const rendered = renderHook(hook, {
        wrapper: ({ children }: { children: ReactNode }) => (
          <Providers key={session.user} client={session.client} queryClient={queryClient}>
            {children}
          </Providers>
        ),
      })
      const logIn = (user: string) => {
        session.user = user
        session.client = clientFor(server, user)
        rendered.rerender()
      }
      return { ...rendered, logIn }
    }

    it("Alice's lock, fetched while she was logged in, is never Bob's after he logs in on the same screen", async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.setLock(path, { user: 'alice' })
      const view = screen(server, () => useLockStatus(path))
      await tick(10)
      expect(view.result.current).toMatchObject({ isLockedByMe: true, isLockedByOther: false })

      view.logIn('bob')
      await tick(10)
      expect(view.result.current).toMatchObject({ isLocked: true, isLockedByMe: false, isLockedByOther: true })
      expect(view.result.current.data).toMatchObject({ isMine: false, holder: { id: 'alice', isMe: false } })
      expect(view.result.current.holder?.id).toBe('alice')
    })

    it("Alice's lock as her lease published it: a provider for Bob over the same query client sees another user's", async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const queryClient = newQueryClient()
      const alice = renderHook(() => useLock(path), { wrapper: wrapperFor(clientFor(server, 'alice'), queryClient) })
      await tick(10)
      expect(alice.result.current.status).toBe('held')

      const bob = renderHook(() => useLockStatus(path, { enabled: false }), { wrapper: wrapperFor(clientFor(server, 'bob'), queryClient) })
      await tick(10)
      expect(bob.result.current).toMatchObject({ isLockedByMe: false, isLockedByOther: true })
      expect(bob.result.current.holder).toMatchObject({ id: 'alice', isMe: false, where: null })
    })

    it('initialData is parsed like an answer: a LockInfo claiming to be mine is not, unless its holder is me', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.setLock(path, { user: 'bob' })
      const forged: LockInfo = {
        lockable: true,
        locked: true,
        stealable: true,
        holder: { id: 'bob', name: 'Bob Baker', url: 'javascript:alert(1)', isMe: true, where: 'this-tab' },
        created: new Date(),
        since: new Date(),
        timeout: 600,
        token: 'forged',
        isMine: true,
        receivedAt: Date.now(),
        expiresAt: new Date(Date.now() + 600_000),
        dialect,
      }
      const { result } = renderHook(() => useLockStatus(path, { initialData: forged }), {
        wrapper: wrapperFor(clientFor(server, 'alice')),
      })
      await tick(10)
      expect(result.current).toMatchObject({ isLocked: true, isLockedByMe: false, isLockedByOther: true })
      expect(result.current.holder).toMatchObject({ id: 'bob', isMe: false, url: null, where: null })
      expect(result.current.data?.token).toBeNull()
      // Valid as it stands (bob's lock): no request at mount.
      expect(server.log).toEqual([])
    })

    it('initialData that is not a lock: the status is fetched instead', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      server.setLock(path, { user: 'bob' })
      const forged = { lockable: true, receivedAt: 1, locked: true, isMine: true, holder: 'me', created: 'yesterday' }
      const { result } = renderHook(() => useLockStatus(path, { initialData: forged }), {
        wrapper: wrapperFor(clientFor(server, 'alice')),
      })
      await tick(10)
      await tick(10)
      expect(result.current).toMatchObject({ isSuccess: true, isLockedByMe: false, isLockedByOther: true })
      expect(result.current.holder?.id).toBe('bob')
    })
  })
})

/** What an error shows of itself: its message, and its causes' messages and text. */
function quoted(error: unknown): string {
  const parts: string[] = []
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    parts.push(String(e), e instanceof Error ? `${e.message} ${e.stack ?? ''}` : JSON.stringify(e))
    if (parts.length > 20) break
  }
  return parts.join('\n')
}
