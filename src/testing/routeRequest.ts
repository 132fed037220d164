import { normalizeContentPath, pathSegments } from './contentPath'
import type { LogEndpoint } from './types'

export interface Route {
  endpoint: LogEndpoint
  /** Canonical content path; for `other`, the whole path below the API. */
  path: string
}

/** Tells which endpoint a URL below the API names, from the pathname that follows the API's own. */
export function routeRequest(apiPathname: string, url: string): Route {
  const below = new URL(url).pathname.slice(apiPathname.length)
  const segments = pathSegments(below)
  const at = segments.findIndex((segment) => segment.startsWith('@'))
  if (at === -1) return { endpoint: 'content', path: normalizeContentPath(below) }
  const path = '/' + segments.slice(0, at).join('/')
  if (at === segments.length - 1) {
    if (segments[at] === '@lock') return { endpoint: 'lock', path }
    if (segments[at] === '@login') return { endpoint: 'login', path }
  }
  return { endpoint: 'other', path: '/' + segments.join('/') }
}
