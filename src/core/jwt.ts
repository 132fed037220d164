/** Reads the `sub` claim of a JWT without verifying it: the server verifies; we only need to know who we are. */
export function readJwtSubject(token: string): string | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
    const binary = atob(padded)
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes))
    if (claims && typeof claims === 'object' && 'sub' in claims && typeof claims.sub === 'string') {
      return claims.sub
    }
    return null
  } catch {
    return null
  }
}
