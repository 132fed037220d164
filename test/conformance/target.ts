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
