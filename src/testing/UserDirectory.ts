import { errorAnswer, methodNotAllowed, ok } from './answers'
import type { Answer } from './answers'
import { asObject } from './incoming'
import type { Incoming } from './incoming'
import { createJwt, readJwtClaims } from './jwt'
import type { LockServerUser, SimulatedDialect } from './types'

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

/** The users one server knows: who can log in, whose JWTs it accepts and who can hold locks. */
export class UserDirectory {
  readonly #users = new Map<string, User>()
  readonly #initialUsers: User[] = []

  /** Checks the `users` option and fills in the defaults: the three default users, the id as full name, `'secret'`. */
  constructor(option: LockServerUser[] | undefined) {
    const users = option ?? DEFAULT_USERS
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
  }

  /** The user's full name, or the id of a user the server does not know (any more). */
  fullname(userId: string): string {
    return this.#users.get(userId)?.fullname ?? userId
  }

  /** The user with this id; throws, naming the known users, when there is none. */
  require(userId: string): User {
    const user = this.#users.get(userId)
    if (user) return user
    const known = [...this.#users.keys()].join(', ')
    throw new Error(`Unknown user ${JSON.stringify(userId)}: the simulated server knows ${known}.`)
  }

  remove(userId: string): void {
    this.require(userId)
    this.#users.delete(userId)
  }

  /** Brings back the users the server started with. */
  reset(): void {
    this.#users.clear()
    for (const user of this.#initialUsers) this.#users.set(user.id, user)
  }

  /** A JWT for the user, issued now, as `POST @login` gives it. */
  tokenFor(userId: string): string {
    const user = this.require(userId)
    return createJwt({ sub: user.id, fullname: user.fullname, iat: Math.floor(Date.now() / 1000) })
  }

  /** The id of the user the request's credentials name, or `null` when it has none the dialect accepts. */
  authenticate(request: Request, cookies: Record<string, string>, dialect: SimulatedDialect): string | null {
    const header = request.headers.get('Authorization')
    if (dialect === 'nick') {
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

  /** Answers `@login`: a JWT for a known login and its password, and the user it logged in (`null` when none). */
  login({ method, body }: Pick<Incoming, 'method' | 'body'>): { answer: Answer; user: string | null } {
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

  #userFromJwt(token: string): string | null {
    const sub = readJwtClaims(token)?.sub
    return typeof sub === 'string' && this.#users.has(sub) ? sub : null
  }
}
