// Node.js only: the build checks src/ without Node's types, which this module needs.
/// <reference types="node" />
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getResponse } from 'msw'
import { createLockServer } from '../createLockServer'
import type { LockServer, LockServerOptions } from '../types'

export interface ListenLockServerOptions extends Omit<LockServerOptions, 'apiPath'> {
  /** TCP port to listen on; `0` takes a free one (read it from `url`). Defaults to `0`. */
  port?: number
  /** Interface to listen on, and the host of `url`. Defaults to `'127.0.0.1'`. */
  host?: string
  /**
   * Where the API sits below the server's root, as on the real servers: `'/Plone/++api++'` (plone.restapi behind
   * Volto's proxy), `'/Plone'`, or `''` for the root (Nick). Defaults to `''`.
   */
  basePath?: string
  /**
   * The browser origins allowed to call the API across origins (CORS): `'http://localhost:5173'`, a list of them, or
   * `'*'` for any origin. A request from any other origin gets no CORS headers, so the browser keeps the answer from
   * the page. Defaults to none.
   */
  origin?: string | readonly string[]
}

/** A simulated server answering over HTTP. */
export interface ListeningLockServer {
  /** The API's base URL, `basePath` included: `'http://127.0.0.1:40123/Plone/++api++'`. Pass it as `apiPath`. */
  readonly url: string
  /** The simulated server behind it: users, content, locks, the request log and faults, as with msw. */
  readonly server: LockServer
  /** Stops listening, ends open connections (pending requests are dropped) and frees the port. */
  close(): Promise<void>
}

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS'
const ALLOW_HEADERS = 'Accept, Authorization, Content-Type, Lock-Token'
// Retry-After tells the client when a 503 or 429 is worth retrying; a page can only read exposed headers.
const EXPOSE_HEADERS = 'Retry-After'
const MAX_BODY = 1024 * 1024

function checkOptions(options: unknown): asserts options is ListenLockServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('listenLockServer expects an options object with at least `dialect`.')
  }
  const { port, host, basePath, origin } = options as Record<string, unknown>
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new TypeError(`\`port\` must be an integer from 0 to 65535, got ${JSON.stringify(port)}.`)
  }
  if (host !== undefined && (typeof host !== 'string' || host === '' || /[\s/]/.test(host))) {
    throw new TypeError(`\`host\` must be a host name or address, got ${JSON.stringify(host)}.`)
  }
  if (basePath !== undefined && (typeof basePath !== 'string' || !/^(\/[^/?#\s]+)*\/?$/.test(basePath))) {
    throw new TypeError(`\`basePath\` must be a path such as "/Plone/++api++" or "", got ${JSON.stringify(basePath)}.`)
  }
  if (origin !== undefined) parseOrigins(origin)
  const { dialect } = options as Record<string, unknown>
  if (dialect !== 'plone' && dialect !== 'nick') {
    throw new TypeError(`Unknown dialect ${JSON.stringify(dialect)}: expected "plone" or "nick".`)
  }
}

/** The allowed origins as the browser sends them (`scheme://host:port`), or `'*'`. */
function parseOrigins(origin: unknown): ReadonlySet<string> | '*' {
  if (origin === '*') return '*'
  const list: unknown[] = typeof origin === 'string' ? [origin] : Array.isArray(origin) ? origin : [null]
  const origins = new Set<string>()
  for (const item of list) {
    let parsed: URL | null
    try {
      parsed = typeof item === 'string' ? new URL(item) : null
    } catch {
      parsed = null
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || item !== parsed.origin) {
      throw new TypeError(
        `\`origin\` must be an origin such as "http://localhost:5173" (scheme, host and port, nothing after), a list of them, or "*"; got ${JSON.stringify(item)}.`,
      )
    }
    origins.add(parsed.origin)
  }
  return origins
}

function corsHeaders(allowed: ReadonlySet<string> | '*', requestOrigin: string | undefined): Record<string, string> {
  if (requestOrigin === undefined || (allowed !== '*' && !allowed.has(requestOrigin))) return {}
  return {
    'Access-Control-Allow-Origin': requestOrigin,
    // Plone's cookie login: a page using `credentials: 'include'` may read the answer only with this.
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
  }
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        resolve(null)
        request.resume()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

function toFetchRequest(incoming: IncomingMessage, origin: string, body: Buffer, signal: AbortSignal): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = incoming.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0
  // `keepalive` is not on the wire: the request log leaves it out rather than say `false` for every request.
  return new WireRequest(origin + (incoming.url ?? '/'), { method, headers, signal, ...(hasBody ? { body: new Uint8Array(body) } : {}) })
}

class WireRequest extends Request {
  override get keepalive(): boolean {
    return undefined as unknown as boolean
  }
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body?: string | Uint8Array) {
  if (response.headersSent || response.destroyed) return
  response.writeHead(status, headers)
  response.end(body)
}

/**
 * Serves a simulated plone.restapi or Nick server (`createLockServer`) over HTTP on a local port, with CORS for the
 * given browser origins, so that a real browser (Playwright, Cypress, an app under development) can talk to it
 * across the network: preflights, `keepalive` requests sent while a page closes, several browsers at once.
 * Node.js only.
 *
 * @example
 * ```ts
 * import { listenLockServer } from 'react-edit-lock/testing/node'
 *
 * const api = await listenLockServer({ dialect: 'nick', port: 8080, origin: 'http://localhost:5173' })
 * api.server.setContent('/news/item', { title: 'An item' })
 * console.log(api.url, api.server.tokenFor('alice'))
 * await api.close()
 * ```
 */
export async function listenLockServer(options: ListenLockServerOptions): Promise<ListeningLockServer> {
  checkOptions(options)
  const { port = 0, host = '127.0.0.1', basePath = '', origin = [], ...serverOptions } = options
  const allowed = parseOrigins(origin)
  let lockServer: LockServer | null = null
  let serverOrigin = ''

  const http = createServer((incoming, response) => {
    const requestOrigin = incoming.headers.origin
    const cors: Record<string, string> = { Vary: 'Origin', ...corsHeaders(allowed, requestOrigin) }
    const isPreflight = incoming.method === 'OPTIONS' && incoming.headers['access-control-request-method'] !== undefined
    if (isPreflight) {
      incoming.resume()
      const allowedHere = 'Access-Control-Allow-Origin' in cors
      send(
        response,
        204,
        allowedHere
          ? {
              ...cors,
              'Access-Control-Allow-Methods': ALLOW_METHODS,
              'Access-Control-Allow-Headers': ALLOW_HEADERS,
              'Access-Control-Max-Age': '600',
            }
          : cors,
      )
      return
    }
    const controller = new AbortController()
    // The client went away (a closed tab, an aborted fetch): a delayed simulated answer stops waiting.
    response.on('close', () => {
      if (!response.writableFinished) controller.abort()
    })
    void answer(incoming, response, cors, controller.signal)
  })

  async function answer(
    incoming: IncomingMessage,
    response: ServerResponse,
    cors: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      const body = await readBody(incoming)
      if (body === null) {
        send(response, 413, { ...cors, 'Content-Type': 'application/json' }, JSON.stringify({ type: 'PayloadTooLarge', message: 'Request body over 1 MiB.' }))
        return
      }
      const request = toFetchRequest(incoming, serverOrigin, body, signal)
      const answered = lockServer ? await getResponse(lockServer.handlers, request) : undefined
      if (!answered) {
        const message = `Nothing here: the API is at ${lockServer?.apiPath ?? serverOrigin}.`
        send(response, 404, { ...cors, 'Content-Type': 'application/json' }, JSON.stringify({ type: 'NotFound', message }))
        return
      }
      if (answered.type === 'error') {
        // A simulated network failure: the connection drops without an answer.
        response.destroy()
        return
      }
      const headers: Record<string, string> = {}
      answered.headers.forEach((value, name) => {
        headers[name] = value
      })
      const payload = new Uint8Array(await answered.arrayBuffer())
      send(response, answered.status, { ...headers, ...cors }, payload)
    } catch (error) {
      if (signal.aborted) return
      const message = error instanceof Error ? error.message : String(error)
      send(response, 500, { ...cors, 'Content-Type': 'application/json' }, JSON.stringify({ type: 'InternalError', message }))
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    http.once('error', onError)
    http.listen(port, host, () => {
      http.off('error', onError)
      resolve()
    })
  })
  const address = http.address()
  if (!address || typeof address === 'string') throw new Error('The HTTP server has no port.')
  const hostInUrl = host.includes(':') ? `[${host}]` : host
  serverOrigin = `http://${hostInUrl}:${address.port}`
  try {
    lockServer = createLockServer({ ...serverOptions, apiPath: serverOrigin + basePath.replace(/\/$/, '') })
  } catch (error) {
    http.close()
    throw error
  }
  const server = lockServer

  let closing: Promise<void> | null = null
  return {
    url: server.apiPath,
    server,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()))
        http.closeAllConnections()
      })
      return closing
    },
  }
}
