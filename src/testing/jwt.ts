import { asRecord } from './incoming'

function encodeBase64Url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))
}

/**
 * A JWT shaped like plone.restapi's (HS256 header, the claims) with a placeholder signature: the simulated server
 * trusts the claims, so that tests can log in as any known user without a `POST @login`.
 */
export function createJwt(claims: Record<string, unknown>): string {
  const header = encodeBase64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const payload = encodeBase64Url(JSON.stringify(claims))
  return `${header}.${payload}.${encodeBase64Url('simulated-signature')}`
}

/** The claims of a JWT, or `null` when it is not one. */
export function readJwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return null
  try {
    return asRecord(JSON.parse(decodeBase64Url(parts[1])))
  } catch {
    return null
  }
}
