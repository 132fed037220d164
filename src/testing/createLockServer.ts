import { delay, http, HttpResponse } from 'msw'
import type { HttpHandler } from 'msw'
import { errorAnswer, ok, unauthorized, UNLOCKED } from './answers'
import type { Answer } from './answers'
import { encodeContentPath, normalizeContentPath, pathAndAncestors, pathSegments } from './contentPath'
import type { DialectRules, LockRequest } from './DialectRules'
import { FaultQueue, faultResponse, replacesAnswer } from './FaultQueue'
import { createJwt, readJwtClaims } from './jwt'
import { lockBody } from './lockBody'
import { LockStore } from './LockStore'
import { nickRules } from './nickRules'
import { ploneRules } from './ploneRules'
import { randomUuid } from './randomUuid'
import { RequestLog } from './RequestLog'
import { routeRequest } from './routeRequest'
import type { Route } from './routeRequest'
import type {
  FaultInjection,
  FaultRoute,
  LockServer,
  LockServerOptions,
  LockServerUser,
  LogEntry,
  SimulatedContent,
  SimulatedDialect,
  SimulatedLock,
  SimulatedLockInput,
} from './types'

interface User {
  id: string
  fullname: string
  password: string
}

const DEFAULT_USERS: LockServerUser[] = [
  { id: 'alice', fullname: 'Alice Archer' },
  { id: 'bob', fullname: 'Bob Baker' },
  { id: 'carol', fullname: 'Carol Chen' },
]

const DEFAULT_PASSWORD = 'secret'
const RULES: Record<SimulatedDialect, DialectRules> = { plone: ploneRules, nick: nickRules }
const LOCK_METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE'])
// Fields a content PATCH cannot change: identity, the modification date, and the lock, which only `@lock` manages.
const READ_ONLY_FIELDS = new Set(['@id', '@type', 'id', 'lock', 'lockable', 'modified'])

type Json = { ok: true; value: unknown } | { ok: false }

function parseJson(text: string): Json {
  if (text.trim() === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

function asObject(value: unknown): Record<string, unknown> {
  return asRecord(value) ?? {}
}

function checkDialect(dialect: unknown): asserts dialect is SimulatedDialect {
  if (dialect !== 'plone' && dialect !== 'nick') {
    throw new TypeError(`Unknown dialect ${JSON.stringify(dialect)}: expected "plone" or "nick".`)
  }
}

function parseApiPath(apiPath: unknown): { href: string; pathname: string } {
  let url: URL | null = null
  try {
    if (typeof apiPath === 'string') url = new URL(apiPath)
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new TypeError(`\`apiPath\` must be an absolute http(s) URL without query or fragment, got ${JSON.stringify(apiPath)}.`)
  }
  const pathname = url.pathname.replace(/\/+$/, '')
  return { href: url.origin + pathname, pathname }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function titleOf(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function toResponse(answer: Answer): Response {
  if (answer.body === undefined) return new HttpResponse(null, { status: answer.status })
  return new HttpResponse(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'Content-Type': 'application/json' },
  })
}

/** Waits for the fault's delay; resolves `true` if the client gave up first. */
function waitUnlessAborted(duration: number | 'infinite', signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onAbort = () => resolve(true)
    signal.addEventListener('abort', onAbort, { once: true })
    if (duration === 'infinite') return
    void delay(duration).then(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(false)
    })
  })
}

/** What a request carries besides its route, worked out once. */
interface Incoming {
  method: string
  route: Route
  url: string
  body: Json
  user: string | null
  lockToken: string | null
}

class SimulatedLockServer implements LockServer {
  readonly apiPath: string
  readonly handlers: HttpHandler[]
  readonly #apiPathname: string
  readonly #initialDialect: SimulatedDialect
  #dialect: SimulatedDialect
  readonly #users = new Map<string, User>()
  readonly #initialUsers: User[] = []
  readonly #defaultTimeout: number
  readonly #initialLockOnEdit: boolean
  #lockOnEdit: boolean
  readonly #locks = new LockStore(() => this.#dialect)
  readonly #content = new Map<string, Record<string, unknown>>()
  // When each item was last written (ms); items never written carry the server's start.
  readonly #modified = new Map<string, number>()
  readonly #startedAt = Date.now()
  readonly #unlockable = new Set<string>()
  readonly #deleted = new Set<string>()
  readonly #log = new RequestLog()
  readonly #faults = new FaultQueue()

  constructor(options: LockServerOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('createLockServer expects an options object with `dialect` and `apiPath`.')
    }
    checkDialect(options.dialect)
    const { href, pathname } = parseApiPath(options.apiPath)
    this.apiPath = href
    this.#apiPathname = pathname
    this.#initialDialect = options.dialect
    this.#dialect = options.dialect

    const timeout = options.defaultTimeout ?? 600
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw new RangeError('`defaultTimeout` must be a positive number of seconds.')
    }
    this.#defaultTimeout = timeout
    this.#initialLockOnEdit = options.lockOnEdit ?? true
    this.#lockOnEdit = this.#initialLockOnEdit

    const users = options.users ?? DEFAULT_USERS
    if (!Array.isArray(users) || users.length === 0) throw new TypeError('`users` must be a non-empty array.')
    for (const user of users) {
      if (typeof user?.id !== 'string' || user.id === '') throw new TypeError('Every user needs a non-empty string `id`.')
      if (this.#users.has(user.id)) throw new TypeError(`User id ${JSON.stringify(user.id)} is listed twice.`)
      this.#users.set(user.id, {
        id: user.id,
        fullname: user.fullname ?? user.id,
        password: user.password ?? DEFAULT_PASSWORD,
      })
    }
    this.#initialUsers.push(...this.#users.values())

    // A RegExp rather than a path pattern: prefixes such as `++api++` are pattern syntax.
    const below = new RegExp(`^${escapeRegExp(href)}(?:/.*)?$`)
    this.handlers = [http.all(below, ({ request, cookies }) => this.#respond(request, cookies))]
  }

  get dialect(): SimulatedDialect {
    return this.#dialect
  }

  setDialect(dialect: SimulatedDialect): void {
    checkDialect(dialect)
    this.#dialect = dialect
  }

  setLockOnEdit(on: boolean): void {
    this.#lockOnEdit = on
  }

  removeUser(userId: string): void {
    this.#requireUser(userId)
    this.#users.delete(userId)
  }

  tokenFor(userId: string): string {
    const user = this.#requireUser(userId)
    return createJwt({ sub: user.id, fullname: user.fullname, iat: Math.floor(Date.now() / 1000) })
  }

  getLock(path: string): SimulatedLock | null {
    const live = this.#locks.slot(normalizeContentPath(path), Date.now()).live
    return live ? { ...live } : null
  }

  setLock(path: string, lock: SimulatedLockInput | null): void {
    const key = normalizeContentPath(path)
    if (lock === null) {
      this.#locks.set(key, null)
      return
    }
    this.#requireUser(lock.user)
    this.#locks.set(key, {
      user: lock.user,
      token: lock.token ?? this.#newToken(Date.now()),
      stealable: lock.stealable ?? true,
      timeout: lock.timeout ?? this.#defaultTimeout,
      created: lock.created ? lock.created.getTime() : Date.now(),
    })
  }

  setContent(path: string, item: SimulatedContent): void {
    const key = normalizeContentPath(path)
    const { lockable, ...fields } = item
    this.#content.set(key, fields)
    this.#touch(key)
    if (lockable === false) this.#unlockable.add(key)
    else this.#unlockable.delete(key)
    for (const ancestor of pathAndAncestors(key)) this.#deleted.delete(ancestor)
  }

  getContent(path: string): Record<string, unknown> | undefined {
    const key = normalizeContentPath(path)
    return this.#exists(key) ? this.#fields(key) : undefined
  }

  get log(): readonly LogEntry[] {
    return this.#log.entries
  }

  clearLog(): void {
    this.#log.clear()
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    return this.#log.subscribe(listener)
  }

  fail(route: FaultRoute, fault: FaultInjection): void {
    this.#faults.add(route, fault)
  }

  clearFaults(): void {
    this.#faults.clear()
  }

  restart(): void {
    this.#locks.clear()
  }

  reset(): void {
    this.#locks.clear()
    this.#content.clear()
    this.#modified.clear()
    this.#unlockable.clear()
    this.#deleted.clear()
    this.#log.reset()
    this.#faults.clear()
    this.#dialect = this.#initialDialect
    this.#lockOnEdit = this.#initialLockOnEdit
    this.#users.clear()
    for (const user of this.#initialUsers) this.#users.set(user.id, user)
  }

  #newToken(now: number): string {
    return RULES[this.#dialect].newToken?.(now) ?? randomUuid()
  }

  #error(status: number, type: string, message: string, context: string): Answer {
    const rules = RULES[this.#dialect]
    return rules.error ? rules.error(status, type, message, context) : errorAnswer(status, type, message)
  }

  #requireUser(userId: string): User {
    const user = this.#users.get(userId)
    if (user) return user
    const known = [...this.#users.keys()].join(', ')
    throw new Error(`Unknown user ${JSON.stringify(userId)}: the simulated server knows ${known}.`)
  }

  #userFromJwt(token: string): string | null {
    const sub = readJwtClaims(token)?.sub
    return typeof sub === 'string' && this.#users.has(sub) ? sub : null
  }

  #authenticate(request: Request, cookies: Record<string, string>): string | null {
    const header = request.headers.get('Authorization')
    if (this.#dialect === 'nick') {
      return header?.startsWith('Bearer ') ? this.#userFromJwt(header.slice(7).trim()) : null
    }
    // plone.restapi reads the cookie only when no Authorization header was sent.
    if (header !== null) {
      const match = /^bearer\s+(\S+)\s*$/i.exec(header)
      return match?.[1] ? this.#userFromJwt(match[1]) : null
    }
    const cookie = cookies.auth_token
    return cookie ? this.#userFromJwt(cookie) : null
  }

  #exists(path: string): boolean {
    return pathAndAncestors(path).every((ancestor) => !this.#deleted.has(ancestor))
  }

  #liveLock(path: string): SimulatedLock | null {
    if (this.#unlockable.has(path)) return null
    return this.#locks.slot(path, Date.now()).live
  }

  #fields(path: string): Record<string, unknown> {
    const isRoot = path === '/'
    const id = isRoot ? 'Plone' : (pathSegments(path).at(-1) ?? '')
    return {
      '@id': this.apiPath + encodeContentPath(path),
      '@type': isRoot ? 'Plone Site' : 'Document',
      id,
      title: isRoot ? 'Site' : titleOf(id),
      ...this.#content.get(path),
      // Both servers send the item's modification date with every content GET (Dublin Core `modified`).
      modified: new Date(this.#modified.get(path) ?? this.#startedAt).toISOString(),
    }
  }

  /** The items set with `setContent` directly below `path`, in the order they were first set. */
  #children(path: string): string[] {
    const depth = pathSegments(path).length + 1
    return [...this.#content.keys()].filter(
      (key) => key !== path && pathSegments(key).length === depth && pathAndAncestors(key).includes(path) && this.#exists(key),
    )
  }

  #lockOf(path: string, viewer: string | null): Record<string, unknown> {
    if (this.#unlockable.has(path)) return {}
    const live = this.#liveLock(path)
    return live ? this.#describe(live, viewer) : UNLOCKED
  }

  /** Moves the item's modification date on: to now, and always forward, so that two writes never share one. */
  #touch(path: string): void {
    this.#modified.set(path, Math.max(Date.now(), (this.#modified.get(path) ?? 0) + 1))
  }

  #describe(lock: SimulatedLock, viewer: string | null): Record<string, unknown> {
    return lockBody(lock, {
      dialect: this.#dialect,
      apiPath: this.apiPath,
      viewer,
      fullname: (id) => this.#users.get(id)?.fullname ?? id,
    })
  }

  async #respond(request: Request, cookies: Record<string, string>): Promise<Response> {
    const method = request.method.toUpperCase()
    const route = routeRequest(this.#apiPathname, request.url)
    const incoming: Incoming = {
      method,
      route,
      url: request.url,
      body: parseJson(method === 'GET' || method === 'HEAD' ? '' : await request.text()),
      user: this.#authenticate(request, cookies),
      lockToken: request.headers.get('Lock-Token'),
    }
    const base = {
      method,
      path: route.path,
      endpoint: route.endpoint,
      ...(route.endpoint === 'lock' && method === 'DELETE'
        ? { force: incoming.body.ok && Boolean(asObject(incoming.body.value).force) }
        : {}),
      ...(typeof request.keepalive === 'boolean' ? { keepalive: request.keepalive } : {}),
    }

    const fault = this.#faults.take(method, route)
    if (fault) {
      const faulted = (status: number | 'network-error') =>
        this.#log.add({ ...base, user: incoming.user, status, lockToken: this.#tokenState(route, incoming), fault: true })
      if (fault.delay !== undefined && (await waitUnlessAborted(fault.delay, request.signal))) {
        faulted('network-error')
        return HttpResponse.error()
      }
      if (fault.networkError) {
        faulted('network-error')
        return HttpResponse.error()
      }
      if (replacesAnswer(fault)) {
        const response = faultResponse(fault)
        faulted(response.status)
        return response
      }
    }

    // Judged before answering: a save with the right token may remove the lock it matched.
    const lockToken = this.#tokenState(route, incoming)
    const { answer, user } = this.#answer(incoming)
    this.#log.add({ ...base, user, status: answer.status, lockToken, ...(fault ? { fault: true } : {}) })
    return toResponse(answer)
  }

  #tokenState(route: Route, incoming: Incoming): LogEntry['lockToken'] {
    if (incoming.lockToken === null) return 'none'
    const live = route.endpoint === 'other' ? null : this.#liveLock(route.path)
    return live && live.token === incoming.lockToken ? 'valid' : 'invalid'
  }

  #answer(incoming: Incoming): { answer: Answer; user: string | null } {
    const { route, user } = incoming
    if (route.endpoint === 'login') return this.#login(incoming)
    if (route.endpoint === 'other') return { answer: this.#error(404, 'NotFound', `Resource not found: ${incoming.url}`, this.apiPath), user }
    if (!this.#exists(route.path)) {
      const answer = RULES[this.#dialect].notFound?.(route.path) ?? this.#error(404, 'NotFound', `Resource not found: ${incoming.url}`, this.apiPath)
      return { answer, user }
    }
    const answer = route.endpoint === 'lock' ? this.#lockEndpoint(incoming) : this.#contentEndpoint(incoming)
    return { answer, user }
  }

  #login({ method, body }: Incoming): { answer: Answer; user: string | null } {
    if (method !== 'POST') return { answer: methodNotAllowed(method), user: null }
    const { login, password } = body.ok ? asObject(body.value) : {}
    if (typeof login !== 'string' || typeof password !== 'string') {
      return {
        answer: errorAnswer(400, 'Missing credentials', 'Login and password must be provided in body.'),
        user: null,
      }
    }
    const user = this.#users.get(login)
    if (!user || user.password !== password) {
      return { answer: errorAnswer(401, 'Invalid credentials', 'Wrong login and/or password.'), user: null }
    }
    return { answer: ok({ token: this.tokenFor(user.id) }), user: user.id }
  }

  #unauthorized(path: string): Answer {
    const rules = RULES[this.#dialect]
    if (rules.unauthorized) return rules.unauthorized()
    return rules.error
      ? rules.error(401, 'Unauthorized', 'You are not authorized to access this resource.', this.#url(path))
      : unauthorized()
  }

  #url(path: string): string {
    return this.apiPath + encodeContentPath(path)
  }

  #lockEndpoint({ method, route, body, user }: Incoming): Answer {
    if (!LOCK_METHODS.has(method)) return methodNotAllowed(method)
    if (user === null) return this.#unauthorized(route.path)
    // plone.restapi answers `{}` for a content type without the locking behaviour, whatever was asked.
    if (this.#unlockable.has(route.path)) return ok({})
    const now = Date.now()
    const request: LockRequest = {
      method: method as LockRequest['method'],
      user,
      body: body.ok ? asObject(body.value) : {},
      malformedBody: !body.ok ? 'not-json' : body.value === undefined || asRecord(body.value) ? null : 'not-object',
      slot: this.#locks.slot(route.path, now),
      now,
      defaultTimeout: this.#defaultTimeout,
      lockOnEdit: this.#lockOnEdit,
      url: this.#url(route.path),
      save: (lock) => this.#locks.set(route.path, lock),
      markNonStealable: () => this.#locks.markNonStealable(route.path),
      describe: (lock) => this.#describe(lock, user),
    }
    return RULES[this.#dialect].lock(request)
  }

  #contentEndpoint({ method, route, body, user, lockToken }: Incoming): Answer {
    const { path } = route
    if (method === 'GET') {
      const lock = this.#lockOf(path, user)
      const items = this.#children(path).map((child) => {
        const { '@id': id, '@type': type, title, description } = this.#fields(child)
        return { '@id': id, '@type': type, title, ...(description === undefined ? {} : { description }), lock: this.#lockOf(child, user) }
      })
      return ok({ ...this.#fields(path), ...(items.length > 0 ? { items } : {}), lock })
    }
    if (method !== 'PATCH' && method !== 'DELETE') return methodNotAllowed(method)
    if (user === null) return this.#unauthorized(path)
    const rules = RULES[this.#dialect]
    const save = (lock: SimulatedLock | null) => this.#locks.set(path, lock)
    const item = { id: String(this.#fields(path).id), url: this.#url(path) }
    if (method === 'DELETE') {
      const apply = () => {
        this.#deleted.add(path)
        this.#content.delete(path)
        this.#modified.delete(path)
        this.#unlockable.delete(path)
        this.#locks.set(path, null)
      }
      return rules.deleteContent({ live: this.#liveLock(path), lockToken, ...item, apply, save })
    }
    const changes = !body.ok ? null : body.value === undefined ? {} : asRecord(body.value)
    if (changes === null) return errorAnswer(400, 'DeserializationError', 'No JSON object could be decoded')
    const apply = () => {
      const editable = Object.entries(changes).filter(([key]) => !READ_ONLY_FIELDS.has(key))
      this.#content.set(path, { ...this.#content.get(path), ...Object.fromEntries(editable) })
      this.#touch(path)
    }
    return rules.patchContent({ live: this.#liveLock(path), lockToken, ...item, apply, save })
  }
}

function methodNotAllowed(method: string): Answer {
  return errorAnswer(405, 'MethodNotAllowed', `Method ${method} is not allowed here.`)
}

/**
 * Creates a simulated plone.restapi or Nick server for the `@lock` protocol, following each server's answers to the
 * letter, quirks included. Pass its `handlers` to msw's `setupServer` (tests) or `setupWorker` (demos). Each server
 * keeps its own state, so several can run side by side on different `apiPath`s.
 *
 * @example
 * ```ts
 * const server = createLockServer({ dialect: 'plone', apiPath: 'http://localhost:8080/Plone' })
 * const msw = setupServer(...server.handlers)
 * msw.listen({ onUnhandledRequest: 'error' })
 * server.setLock('/news/item', { user: 'bob' })
 * const client = createLockClient({ apiPath: server.apiPath, token: server.tokenFor('alice') })
 * ```
 */
export function createLockServer(options: LockServerOptions): LockServer {
  return new SimulatedLockServer(options)
}
