import type { SimulatedDialect } from './types'

/** Throws unless `dialect` names one of the simulated servers. */
export function checkDialect(dialect: unknown): asserts dialect is SimulatedDialect {
  if (dialect !== 'plone' && dialect !== 'nick') {
    throw new TypeError(`Unknown dialect ${JSON.stringify(dialect)}: expected "plone" or "nick".`)
  }
}

/** The API's base URL without trailing slashes (`href`) and its pathname; only absolute http(s) URLs pass. */
export function parseApiPath(apiPath: unknown): { href: string; pathname: string } {
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

/** The lifetime in seconds of a lock taken without a `timeout`: the option, or 600 when it is not given. */
export function parseDefaultTimeout(defaultTimeout: unknown): number {
  const timeout = defaultTimeout ?? 600
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new RangeError('`defaultTimeout` must be a positive number of seconds.')
  }
  return timeout
}

/** A RegExp matching the API's base URL and every URL below it. */
export function urlsBelow(href: string): RegExp {
  // A RegExp rather than a path pattern: prefixes such as `++api++` are pattern syntax.
  return new RegExp(`^${escapeRegExp(href)}(?:/.*)?$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
