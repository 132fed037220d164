function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Segments of a path below the API, decoded, so that `/a%20b` and `/a b` name the same item. */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment)
}

/** The canonical form of a content path: `/news/item`, `/` for the root. */
export function normalizeContentPath(path: string): string {
  return '/' + pathSegments(path).join('/')
}

/** A canonical content path as it appears in URLs, `''` for the root so that it can follow `apiPath`. */
export function encodeContentPath(path: string): string {
  // Plone leaves these readable in its URLs.
  return pathSegments(path)
    .map((segment) => '/' + encodeURIComponent(segment).replace(/%(40|3A|2B|2C|3D|7E)/g, (m) => decodeURIComponent(m)))
    .join('')
}

/** The path itself and each folder above it, nearest first, ending with the root. */
export function pathAndAncestors(path: string): string[] {
  const segments = pathSegments(path)
  const result: string[] = []
  for (let length = segments.length; length >= 0; length--) result.push('/' + segments.slice(0, length).join('/'))
  return result
}
