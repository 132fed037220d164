import { http, HttpResponse } from 'msw'
import type { HttpHandler } from 'msw'
import { methodNotAllowed, ok, toResponse } from './answers'
import type { Answer } from './answers'
import { contentEndpoint } from './contentEndpoint'
import type { ContentSite } from './contentEndpoint'
import { normalizeContentPath } from './contentPath'
import { ContentStore } from './ContentStore'
import { errorOf, newTokenOf, unauthorizedOf } from './DialectRules'
import type { DialectRules, LockRequest } from './DialectRules'
import { FaultQueue, faultResponse, replacesAnswer, waitUnlessAborted } from './FaultQueue'
import { asObject, asRecord, parseJson } from './incoming'
import type { Incoming } from './incoming'
import { lockBody } from './lockBody'
import { LockStore } from './LockStore'
import { nickRules } from './nickRules'
import { ploneRules } from './ploneRules'
import { RequestLog } from './RequestLog'
import { routeRequest } from './routeRequest'
import type { Route } from './routeRequest'
import { checkDialect, parseApiPath, parseDefaultTimeout, urlsBelow } from './serverOptions'
import type {
  FaultInjection,
  FaultRoute,
  LockServer,
  LockServerOptions,
  LogEntry,
  SimulatedContent,
  SimulatedDialect,
  SimulatedLock,
  SimulatedLockInput,
} from './types'
import { UserDirectory } from './UserDirectory'

const RULES: Record<SimulatedDialect, DialectRules> = { plone: ploneRules, nick: nickRules }
const LOCK_METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE'])

class SimulatedLockServer implements LockServer {
  readonly apiPath: string
  readonly handlers: HttpHandler[]
  readonly #apiPathname: string
  readonly #initialDialect: SimulatedDialect
  #dialect: SimulatedDialect
  readonly #users: UserDirectory
  readonly #defaultTimeout: number
  readonly #initialLockOnEdit: boolean
  #lockOnEdit: boolean
  readonly #locks = new LockStore(() => this.#dialect)
  readonly #content: ContentStore
  readonly #site: ContentSite
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
    this.#defaultTimeout = parseDefaultTimeout(options.defaultTimeout)
    this.#initialLockOnEdit = options.lockOnEdit ?? true
    this.#lockOnEdit = this.#initialLockOnEdit
    this.#users = new UserDirectory(options.users)
    this.#content = new ContentStore(href)
    this.#site = {
      content: this.#content,
      locks: this.#locks,
      rules: () => RULES[this.#dialect],
      liveLock: (path) => this.#liveLock(path),
      describe: (lock, viewer) => this.#describe(lock, viewer),
      unauthorized: (path) => unauthorizedOf(RULES[this.#dialect], this.#content.url(path)),
    }
    this.handlers = [http.all(urlsBelow(href), ({ request, cookies }) => this.#respond(request, cookies))]
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
    this.#users.remove(userId)
  }

  tokenFor(userId: string): string {
    return this.#users.tokenFor(userId)
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
    this.#users.require(lock.user)
    this.#locks.set(key, {
      user: lock.user,
      token: lock.token ?? newTokenOf(RULES[this.#dialect], Date.now()),
      stealable: lock.stealable ?? true,
      timeout: lock.timeout ?? this.#defaultTimeout,
      created: lock.created ? lock.created.getTime() : Date.now(),
    })
  }

  setContent(path: string, item: SimulatedContent): void {
    this.#content.set(normalizeContentPath(path), item)
  }

  getContent(path: string): Record<string, unknown> | undefined {
    return this.#content.get(normalizeContentPath(path))
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
    this.#log.reset()
    this.#faults.clear()
    this.#dialect = this.#initialDialect
    this.#lockOnEdit = this.#initialLockOnEdit
    this.#users.reset()
  }

  #liveLock(path: string): SimulatedLock | null {
    if (this.#content.isUnlockable(path)) return null
    return this.#locks.slot(path, Date.now()).live
  }

  #describe(lock: SimulatedLock, viewer: string | null): Record<string, unknown> {
    return lockBody(lock, {
      dialect: this.#dialect,
      apiPath: this.apiPath,
      viewer,
      fullname: (id) => this.#users.fullname(id),
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
      user: this.#users.authenticate(request, cookies, this.#dialect),
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
      // A client that gives up during the delay sees the same as a dropped connection.
      const aborted = fault.delay !== undefined && (await waitUnlessAborted(fault.delay, request.signal))
      if (aborted || fault.networkError) {
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
    if (route.endpoint === 'login') return this.#users.login(incoming)
    const rules = RULES[this.#dialect]
    const notFound = () => errorOf(rules, 404, 'NotFound', `Resource not found: ${incoming.url}`, this.apiPath)
    if (route.endpoint === 'other') return { answer: notFound(), user }
    if (!this.#content.exists(route.path)) return { answer: rules.notFound?.(route.path) ?? notFound(), user }
    const answer = route.endpoint === 'lock' ? this.#lockEndpoint(incoming) : contentEndpoint(this.#site, incoming)
    return { answer, user }
  }

  #lockEndpoint({ method, route, body, user }: Incoming): Answer {
    if (!LOCK_METHODS.has(method)) return methodNotAllowed(method)
    if (user === null) return this.#site.unauthorized(route.path)
    // plone.restapi answers `{}` for a content type without the locking behaviour, whatever was asked.
    if (this.#content.isUnlockable(route.path)) return ok({})
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
      url: this.#content.url(route.path),
      save: (lock) => this.#locks.set(route.path, lock),
      markNonStealable: () => this.#locks.markNonStealable(route.path),
      describe: (lock) => this.#describe(lock, user),
    }
    return RULES[this.#dialect].lock(request)
  }
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
