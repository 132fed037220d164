import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest'
import { createLockServer } from '../../src/testing'
import type { LockServer, SimulatedDialect } from '../../src/testing'

/** A user the conformance cases act as: the lock's owner or the other editor. */
export interface ConformanceUser {
  id: string
  fullname: string
  /** The JWT sent as `Authorization: Bearer …`. */
  jwt: string
}

/** A raw HTTP answer: status, parsed JSON body (`undefined` when empty, the text when not JSON) and headers. */
export interface Reply {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cases read arbitrary answer fields
  body: any
  headers: Headers
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown
  lockToken?: string
}

/**
 * A server that the conformance cases run against: the simulator (in `npm test`) or a live plone.restapi or Nick
 * (in `npm run test:live`). The cases speak raw HTTP through `call`, so the same case checks both.
 */
export interface ConformanceTarget {
  readonly dialect: SimulatedDialect
  readonly live: boolean
  /** The API's base URL, without a trailing slash. */
  readonly apiPath: string
  /** The first user: the one who locks in most cases (Nick's tests use `admin`). */
  readonly owner: ConformanceUser
  /** A second user with edit rights (Nick's tests use `jane`). */
  readonly other: ConformanceUser
  /** A fresh, unlocked document that both users may edit; its content path (`/conformance-…`). */
  newItem(): Promise<string>
  /** Lets time pass: real time against a live server, the fake clock against the simulator. */
  wait(ms: number): Promise<void>
  /** One request; `user: null` sends no credentials. `path` is the content path, with `/@lock` when meant. */
  call(user: ConformanceUser | null, method: string, path: string, options?: CallOptions): Promise<Reply>
  /** The simulator, for cases that need a server setting no request can make; `undefined` against a live server. */
  readonly simulator?: LockServer
}

export async function sendRequest(
  apiPath: string,
  jwt: string | null,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (jwt !== null) headers.Authorization = `Bearer ${jwt}`
  if (options.lockToken !== undefined) headers['Lock-Token'] = options.lockToken
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(apiPath + path, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: unknown = undefined
  if (text !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  return { status: response.status, body, headers: response.headers }
}

let simulations = 0

/**
 * A conformance target backed by the simulator, on an origin of its own, with fake timers for every test of the
 * file (`wait` advances them). Call at the top level of a test file.
 */
export function simulatedTarget(dialect: SimulatedDialect): ConformanceTarget {
  simulations += 1
  const apiPath = `http://conformance${simulations}.test${dialect === 'plone' ? '/Plone' : ''}`
  const owner = { id: 'admin', fullname: 'Admin' }
  const other = { id: 'jane', fullname: 'Jane Doe' }
  const server = createLockServer({ dialect, apiPath, users: [owner, other] })
  const msw = setupServer(...server.handlers)
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    vi.setSystemTime(Date.parse('2026-12-04T01:29:54.000Z'))
  })
  afterEach(() => {
    server.reset()
    vi.useRealTimers()
  })
  afterAll(() => msw.close())

  let items = 0
  return {
    dialect,
    live: false,
    apiPath: server.apiPath,
    owner: { ...owner, jwt: server.tokenFor(owner.id) },
    other: { ...other, jwt: server.tokenFor(other.id) },
    simulator: server,
    newItem() {
      items += 1
      const path = `/conformance-${items}`
      server.setContent(path, { title: `Conformance ${items}` })
      return Promise.resolve(path)
    },
    wait: async (ms) => {
      await vi.advanceTimersByTimeAsync(ms)
    },
    call: (user, method, path, options) => sendRequest(server.apiPath, user?.jwt ?? null, method, path, options),
  }
}

/** A live server's settings, from the environment of `npm run test:live`. */
export interface LiveSettings {
  apiPath: string
  owner: { login: string; password: string }
  other: { login: string; password: string }
  /** Where the cases create their documents: a folder's content path, `''` for the site root. */
  folder: string
  /** The content type to create: plone.restapi's `Document`, Nick's `Page`; tried in that order when not given. */
  type: string | null
  dialect: SimulatedDialect | null
}

async function logIn(apiPath: string, account: { login: string; password: string }): Promise<ConformanceUser> {
  const login = await sendRequest(apiPath, null, 'POST', '/@login', { body: account })
  if (login.status !== 200 || typeof login.body?.token !== 'string') {
    throw new Error(`Logging in as ${account.login} at ${apiPath} failed: HTTP ${login.status} ${JSON.stringify(login.body)}`)
  }
  const jwt = login.body.token as string
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: string; fullname?: string }
  const id = claims.sub ?? account.login
  const user = await sendRequest(apiPath, jwt, 'GET', `/@users/${encodeURIComponent(id)}`)
  const fullname = typeof user.body?.fullname === 'string' && user.body.fullname !== '' ? (user.body.fullname as string) : (claims.fullname ?? id)
  return { id, fullname, jwt }
}

/**
 * A conformance target on a live server: logs both users in, creates a fresh document for each case (and deletes
 * them when the file is done), and learns the dialect from a lock's answer unless the settings name it.
 */
export async function liveTarget(settings: LiveSettings): Promise<ConformanceTarget & { cleanUp(): Promise<void> }> {
  const apiPath = settings.apiPath.replace(/\/+$/, '')
  const owner = await logIn(apiPath, settings.owner)
  const other = await logIn(apiPath, settings.other)
  const run = Date.now().toString(36)
  const created: string[] = []
  let type = settings.type
  let items = 0

  async function newItem(): Promise<string> {
    items += 1
    const id = `conformance-${run}-${items}`
    for (const candidate of type ? [type] : ['Document', 'Page']) {
      const answer = await sendRequest(apiPath, owner.jwt, 'POST', settings.folder || '/', {
        body: { '@type': candidate, id, title: `Conformance ${items}` },
      })
      if (answer.status === 201) {
        type = candidate
        const path = `${settings.folder}/${id}`
        created.push(path)
        return path
      }
    }
    throw new Error(`Could not create a document in ${apiPath}${settings.folder || '/'}: set LIVE_TYPE to a content type ${owner.id} may add.`)
  }

  let dialect = settings.dialect
  if (!dialect) {
    const probe = await newItem()
    const answer = await sendRequest(apiPath, owner.jwt, 'POST', `${probe}/@lock`)
    dialect = typeof answer.body?.time === 'string' ? 'nick' : 'plone'
  }

  return {
    dialect,
    live: true,
    apiPath,
    owner,
    other,
    newItem,
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    call: (user, method, path, options) => sendRequest(apiPath, user?.jwt ?? null, method, path, options),
    async cleanUp() {
      for (const path of created.splice(0)) {
        // A locked item cannot be deleted on plone.restapi: unlock first, as its owner.
        await sendRequest(apiPath, owner.jwt, 'DELETE', `${path}/@lock`, { body: { force: true } }).catch(() => undefined)
        await sendRequest(apiPath, owner.jwt, 'DELETE', path).catch(() => undefined)
      }
    },
  }
}

/** The live server's settings from the environment; `null` with what is missing when it does not name one. */
export function liveSettingsFromEnv(env: Record<string, string | undefined>): LiveSettings | { missing: string[] } {
  const account = (value: string | undefined) => {
    const at = value?.indexOf(':') ?? -1
    return value && at > 0 ? { login: value.slice(0, at), password: value.slice(at + 1) } : null
  }
  const owner = account(env.LIVE_OWNER)
  const other = account(env.LIVE_OTHER)
  const missing = [
    ...(env.LIVE_API ? [] : ['LIVE_API']),
    ...(owner ? [] : ['LIVE_OWNER']),
    ...(other ? [] : ['LIVE_OTHER']),
  ]
  if (missing.length > 0 || !env.LIVE_API || !owner || !other) return { missing }
  const dialect = env.LIVE_DIALECT === 'nick' || env.LIVE_DIALECT === 'plone' ? env.LIVE_DIALECT : null
  return {
    apiPath: env.LIVE_API,
    owner,
    other,
    folder: (env.LIVE_FOLDER ?? '').replace(/\/+$/, ''),
    type: env.LIVE_TYPE || null,
    dialect,
  }
}
