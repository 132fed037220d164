import { LockError } from './LockError'

function errorBody(data: unknown, secrets: string[]): { type?: string; message?: string } {
  if (typeof data !== 'object' || data === null || !('error' in data)) return {}
  const error = (data as { error: unknown }).error
  if (typeof error !== 'object' || error === null) return {}
  const { type, message } = error as { type?: unknown; message?: unknown }
  return {
    ...(typeof type === 'string' ? { type: redact(type, secrets) } : {}),
    ...(typeof message === 'string' ? { message: redact(message, secrets) } : {}),
  }
}

const REDACTED = '[redacted]'

/** The text with the request's credentials taken out, should the server have echoed them. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret.length < 4 ? out : out.split(secret).join(REDACTED)), text)
}

/**
 * The server's words, fit to go into our message: short plain text only. Markup, line breaks or an echoed credential
 * keep them out of the message (they stay in `serverMessage`, credentials taken out).
 */
function plainDetail(text: string | undefined): string | undefined {
  const trimmed = text?.replace(/[.\s]+$/, '')
  if (!trimmed || trimmed.length > 200 || trimmed.includes(REDACTED)) return undefined
  // eslint-disable-next-line no-control-regex
  return /[<>&\u0000-\u001f\u007f]/.test(trimmed) ? undefined : trimmed
}

export function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000)
}

export function statusError(status: number, data: unknown, retryAfter: number | undefined, secrets: string[]): LockError {
  const { type, message } = errorBody(data, secrets)
  // Our sentences end with their own full stop.
  const detail = plainDetail(message ?? type)
  const options = { status, type, serverMessage: message, retryAfter }
  if (status === 401) return new LockError('unauthorized', process.env.NODE_ENV !== 'production' ? `Not logged in, or the login expired${detail ? ` (${detail})` : ''}.` : '', options)
  if (status === 403) return new LockError('forbidden', process.env.NODE_ENV !== 'production' ? `The server refused the request${detail ? `: ${detail}` : ''}.` : '', options)
  if (status === 423) return new LockError('locked', process.env.NODE_ENV !== 'production' ? 'The item is locked.' : '', options)
  return new LockError('http', process.env.NODE_ENV !== 'production' ? `The server answered HTTP ${status}${detail ? `: ${detail}` : ''}.` : '', options)
}
