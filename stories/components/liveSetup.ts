/** One step of checking a real server before the demo starts: what was checked, and how to fix it if it failed. */
export interface SetupCheck {
  label: string
  state: 'passed' | 'failed' | 'skipped'
  /** What went wrong and what to change, when it failed. */
  fix?: string
}

export interface LiveAccount {
  label: string
  token?: string
  login?: string
  password?: string
}

/** A user who could log in: their JWT and the name the server knows them by. */
export interface ReadyUser {
  id: string
  name: string
  token: string
}

export interface SetupResult {
  checks: SetupCheck[]
  /** Both users, when every check passed. */
  users: { alice: ReadyUser; bob: ReadyUser } | null
}

const NETWORK_FAILED = Symbol('network failed')

async function tryFetch(url: string, init: RequestInit): Promise<Response | typeof NETWORK_FAILED> {
  try {
    return await fetch(url, { ...init, redirect: 'manual' })
  } catch {
    return NETWORK_FAILED
  }
}

function claims(token: string): { sub?: string; fullname?: string } {
  try {
    const part = token.split('.')[1] ?? ''
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; fullname?: string }
  } catch {
    return {}
  }
}

async function logIn(apiPath: string, account: LiveAccount): Promise<{ token: string } | { fix: string }> {
  if (account.token) return { token: account.token }
  const response = await tryFetch(`${apiPath}/@login`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.login, password: account.password }),
  })
  if (response === NETWORK_FAILED) {
    return { fix: 'The login request was blocked: the server must allow the Content-Type header and the POST method (CORS).' }
  }
  const body = (await response.json().catch(() => null)) as { token?: unknown } | null
  if (response.ok && typeof body?.token === 'string') return { token: body.token }
  if (response.status === 401) {
    return { fix: `The server refused ${account.login}'s login and password (401): check the two variables for this user.` }
  }
  if (response.status === 429) return { fix: 'The server limits logins (429): wait, or raise its limit (Nick: AUTH_RATE_LIMIT).' }
  return { fix: `POST ${apiPath}/@login answered HTTP ${response.status}: is STORYBOOK_LOCK_API_PATH the API's root?` }
}

async function nameOf(apiPath: string, token: string, fallback: string): Promise<{ id: string; name: string }> {
  const { sub, fullname } = claims(token)
  const id = sub ?? fallback
  const response = await tryFetch(`${apiPath}/@users/${encodeURIComponent(id)}`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
  })
  if (response !== NETWORK_FAILED && response.ok) {
    const body = (await response.json().catch(() => null)) as { fullname?: unknown } | null
    if (typeof body?.fullname === 'string' && body.fullname.trim()) return { id, name: body.fullname.trim() }
  }
  return { id, name: fullname?.trim() || id }
}

/**
 * Checks, one after the other, what the demo needs from a real server, so that a wrong setting is named with its
 * fix instead of ending on an error page: the server answers this page's origin, both users can log in, the
 * document exists, and the `Lock-Token` header may be sent. A browser hides why a cross-origin request failed, so
 * each check after the first is shaped to fail only for its own reason.
 */
export async function checkLiveSetup(config: {
  apiPath: string
  document: string
  users: { alice: LiveAccount; bob: LiveAccount }
}): Promise<SetupResult> {
  const checks: SetupCheck[] = []
  const { apiPath, document } = config
  const origin = location.origin
  const skipRest = (labels: string[]) => {
    for (const label of labels) checks.push({ label, state: 'skipped' })
    return { checks, users: null }
  }
  const labels = {
    reachable: `The server at ${apiPath} answers and allows this page's origin, ${origin}`,
    login: 'Both users can log in',
    document: `The document ${document} exists`,
    lockToken: 'The server allows the Lock-Token header',
  }

  // A plain GET needs no preflight, but its answer is hidden from the page unless the server allows this origin.
  // The browser does not say which of the two went wrong, so the fix names both.
  const cors = await tryFetch(apiPath, { headers: { Accept: 'application/json' } })
  if (cors === NETWORK_FAILED) {
    const otherHost = location.hostname === '127.0.0.1' ? 'localhost' : location.hostname === 'localhost' ? '127.0.0.1' : null
    checks.push({
      label: labels.reachable,
      state: 'failed',
      fix:
        `No answer this page may read from ${apiPath}. Either nothing runs there (start the server, or fix STORYBOOK_LOCK_API_PATH; ` +
        `a local Nick listens on http://localhost:8080), or it does not allow requests from ${origin}: open ${apiPath} in a new tab, ` +
        `and if it answers, set Nick's cors.allowOrigin in config.ts (or ALLOWED_ORIGINS) to exactly ${origin} (Nick allows one origin), ` +
        `or add it to plone.restapi's plone:CORSPolicy allow_origin.` +
        (otherHost ? ` If the server allows ${location.protocol}//${otherHost}:${location.port}, open Storybook at that address instead.` : ''),
    })
    return skipRest([labels.login, labels.document, labels.lockToken])
  }
  checks.push({ label: labels.reachable, state: 'passed' })

  const alice = await logIn(apiPath, config.users.alice)
  const bob = await logIn(apiPath, config.users.bob)
  if (!('token' in alice) || !('token' in bob)) {
    checks.push({ label: labels.login, state: 'failed', fix: [alice, bob].flatMap((user) => ('fix' in user ? [user.fix] : [])).join(' ') })
    return skipRest([labels.document, labels.lockToken])
  }
  const [aliceName, bobName] = await Promise.all([
    nameOf(apiPath, alice.token, config.users.alice.login ?? 'alice'),
    nameOf(apiPath, bob.token, config.users.bob.login ?? 'bob'),
  ])
  if (aliceName.id === bobName.id) {
    checks.push({ label: labels.login, state: 'failed', fix: `Both screens log in as ${aliceName.id}: use two different users.` })
    return skipRest([labels.document, labels.lockToken])
  }
  checks.push({ label: labels.login, state: 'passed' })

  const content = await tryFetch(`${apiPath}${document}`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${alice.token}` },
  })
  if (content === NETWORK_FAILED) {
    checks.push({
      label: labels.document,
      state: 'failed',
      fix: 'A request with an Authorization header was blocked: the server must allow the Authorization, Content-Type and Accept headers (CORS).',
    })
    return skipRest([labels.lockToken])
  }
  if (!content.ok) {
    const status = `HTTP ${content.status}`
    checks.push({
      label: labels.document,
      state: 'failed',
      fix:
        `GET ${apiPath}${document} gave ${status}. Create it (a fresh Nick has no /front-page: POST {"@type": "Page", "id": "front-page", "title": "Front page"} to ${apiPath}/ as an administrator; ` +
        'see docs/live-server.md), or name another item in STORYBOOK_LOCK_DOCUMENT.',
    })
    return skipRest([labels.lockToken])
  }
  checks.push({ label: labels.document, state: 'passed' })

  // The same request with a Lock-Token header: a preflight that lists it, which fails only if the header is not allowed.
  const withToken = await tryFetch(`${apiPath}${document}/@lock`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${alice.token}`, 'Lock-Token': 'setup-check' },
  })
  if (withToken === NETWORK_FAILED) {
    checks.push({
      label: labels.lockToken,
      state: 'failed',
      fix: 'Saves carry a Lock-Token header, which the server does not allow. On Nick, add Lock-Token to cors.allowHeaders in config.ts; on plone.restapi, to the CORS policy allow_headers.',
    })
    return { checks, users: null }
  }
  checks.push({ label: labels.lockToken, state: 'passed' })

  return {
    checks,
    users: {
      alice: { ...aliceName, token: alice.token },
      bob: { ...bobName, token: bob.token },
    },
  }
}
