import { createContext, useContext } from 'react'

/** Who is logged in, where. Kept in sessionStorage: it lasts while the tab does, and no other tab or site reads it. */
export interface Session {
  /** The API's base URL. */
  api: string
  /** The JWT from `@login`, sent as `Authorization: Bearer`. Never put in a URL or a log. */
  token: string
  userId: string
  fullname: string
}

const KEY = 'admin.session'

export function loadSession(): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Session> | null
    if (stored && typeof stored.api === 'string' && typeof stored.token === 'string' && typeof stored.userId === 'string') {
      return { api: stored.api, token: stored.token, userId: stored.userId, fullname: stored.fullname ?? stored.userId }
    }
  } catch {
    // Unreadable: log in again.
  }
  return null
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session))
  else sessionStorage.removeItem(KEY)
}

/** Why a login failed, in this app's words. */
export class LoginError extends Error {
  constructor(
    readonly reason: 'credentials' | 'unreachable' | 'site',
    message: string,
  ) {
    super(message)
    this.name = 'LoginError'
  }
}

function claims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? ''
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
  } catch {
    return {}
  }
}

/** Exchanges a login and password for a token with `POST {api}/@login`, as plone.restapi and Nick both do. */
export async function logIn(api: string, login: string, password: string): Promise<Session> {
  const base = api.trim().replace(/\/+$/, '')
  let response: Response
  try {
    response = await fetch(`${base}/@login`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ login, password }),
    })
  } catch {
    throw new LoginError('unreachable', `The site at ${base} could not be reached. Is it running, and does it allow this page's address?`)
  }
  if (response.status === 401 || response.status === 400) throw new LoginError('credentials', 'Wrong user name or password.')
  if (!response.ok) throw new LoginError('site', `The site could not log you in (it answered ${response.status}).`)
  const { token } = (await response.json()) as { token?: unknown }
  if (typeof token !== 'string') throw new LoginError('site', 'The site answered the login without a token.')
  const { sub, fullname } = claims(token)
  const userId = typeof sub === 'string' ? sub : login
  return { api: base, token, userId, fullname: typeof fullname === 'string' && fullname ? fullname : userId }
}

export interface SessionContextValue {
  session: Session | null
  setSession: (session: Session | null) => void
}

export const SessionContext = createContext<SessionContextValue | null>(null)

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession needs the SessionContext provider of main.tsx.')
  return value
}
