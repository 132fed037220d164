import { LockError } from './LockError'

// Characters that are fine in a Plone path segment and that some servers expect unencoded.
const KEEP_UNENCODED = /%(40|3A|2B|2C|3D|7E)/g
const SCHEME = /^[a-z][a-z\d+.-]*:/i

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

export interface ApiBase {
  /** `https://site/++api++`, without a trailing slash. */
  href: string
  origin: string
  /** `/++api++`, without a trailing slash (empty for the root). */
  pathname: string
}

/** Parses and checks the `apiPath` option; a relative one is resolved against the page's origin. */
export function parseApiPath(apiPath: unknown): ApiBase {
  if (typeof apiPath !== 'string' || apiPath.trim() === '') {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`apiPath` must be a non-empty string such as "https://site/++api++".' : '')
  }
  let url: URL
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin
  // Without a page (server rendering, a module-level client in Next.js) a relative API stays relative: its requests
  // go to the path as written, and absolute `@id`s, whose origin cannot be compared, are refused.
  const pageless = !SCHEME.test(apiPath) && !origin && apiPath.startsWith('/') && !apiPath.startsWith('//')
  try {
    url = SCHEME.test(apiPath) ? new URL(apiPath) : new URL(apiPath, pageless ? 'http://pageless.invalid' : origin)
  } catch {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `\`apiPath\` "${apiPath}" is not an absolute http(s) URL.` : '')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `\`apiPath\` must use http or https, not ${url.protocol}` : '')
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? '`apiPath` must not carry a query, a fragment or credentials.' : '')
  }
  const pathname = url.pathname.replace(/\/+$/, '')
  if (pageless) return { href: pathname, origin: '', pathname }
  return { href: url.origin + pathname, origin: url.origin, pathname }
}

/** The longest path (or absolute `@id`) accepted, in characters: real ones are a few hundred at most. */
export const MAX_PATH_LENGTH = 4096
const QUOTED_LENGTH = 80

/** The path as a message shows it: cut short, as a JSON string, with no markup characters left as they are. */
function quote(path: string): string {
  const short = path.length > QUOTED_LENGTH ? `${path.slice(0, QUOTED_LENGTH)}…` : path
  return JSON.stringify(short).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function invalid(path: string, why: string): LockError {
  return new LockError('invalid-path', process.env.NODE_ENV !== 'production' ? `Refused path ${quote(path)}: ${why}.` : '')
}

function encodeSegment(path: string, segment: string): string {
  try {
    return encodeURIComponent(segment).replace(KEEP_UNENCODED, (m) => decodeURIComponent(m))
  } catch {
    // A lone surrogate (half of an emoji) has no UTF-8 form.
    throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it is not well-formed Unicode' : '')
  }
}

/**
 * Turns a content path (`/news/item`) or a content object's absolute `@id` under the API into the canonical,
 * percent-encoded path below the API (`/news/item`, `/` for the root). Anything that could make a request leave
 * the API, or land somewhere other than where it reads, is refused before a request is made.
 */
export function normalizePath(base: ApiBase, path: unknown): string {
  if (typeof path !== 'string') throw new LockError('invalid-path', process.env.NODE_ENV !== 'production' ? `Refused path: a path must be a string, not ${typeof path}.` : '')
  if (path.length > MAX_PATH_LENGTH) throw invalid(path, process.env.NODE_ENV !== 'production' ? `it is longer than ${MAX_PATH_LENGTH} characters` : '')
  if (hasControl(path)) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it contains control characters' : '')
  if (path.includes('\\')) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it contains a backslash' : '')
  if (path.startsWith('//')) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it names another host' : '')

  let rest = path
  if (SCHEME.test(path)) {
    let url: URL
    try {
      url = new URL(path)
    } catch {
      throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it is not a valid URL' : '')
    }
    if (url.origin !== base.origin) throw invalid(path, process.env.NODE_ENV !== 'production' ? `it is not on the API's origin ${base.origin}` : '')
    if (url.username || url.password) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it carries credentials' : '')
    // Compare the text as written: URL parsing would already have resolved any `..` in it.
    const afterHost = path.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '')
    if (afterHost !== base.pathname && !afterHost.startsWith(base.pathname + '/')) {
      throw invalid(path, process.env.NODE_ENV !== 'production' ? `it is outside the API at ${base.href}` : '')
    }
    rest = afterHost.slice(base.pathname.length)
  }
  if (/[?#]/.test(rest)) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'a content path carries no query or fragment' : '')

  const segments: string[] = []
  for (const raw of rest.split('/')) {
    if (raw === '') continue
    let decoded: string
    try {
      decoded = decodeURIComponent(raw)
    } catch {
      throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it has a malformed percent-encoding' : '')
    }
    if (decoded === '.' || decoded === '..') throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it has a "." or ".." segment' : '')
    if (hasControl(decoded) || decoded.includes('\\') || decoded.includes('/')) {
      throw invalid(path, process.env.NODE_ENV !== 'production' ? 'an encoded segment hides a separator or control character' : '')
    }
    if (decoded.startsWith('@')) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it names an API endpoint, not content' : '')
    // Zope traversal namespaces (`++view++`, `++vh++`, `++resource++` ...) reach views and rewrite URLs, like `@@`.
    if (decoded.startsWith('++')) throw invalid(path, process.env.NODE_ENV !== 'production' ? 'it names a traversal namespace, not content' : '')
    segments.push(encodeSegment(path, decoded))
  }
  return '/' + segments.join('/')
}

/** The absolute URL of a normalized path, with an optional endpoint (`@lock`). */
export function toUrl(base: ApiBase, normalizedPath: string, endpoint?: string): string {
  const content = normalizedPath === '/' ? '' : normalizedPath
  return base.href + content + (endpoint ? `/${endpoint}` : '')
}
