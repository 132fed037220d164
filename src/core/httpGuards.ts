import { LockError } from './LockError'

/** The most of an `@lock` answer (or an error page) the client reads: lock answers are a few hundred bytes. */
export const MAX_ANSWER_BYTES = 1_048_576
/** The most of a save's answer the client reads: a content item's representation may carry inline images. */
export const MAX_SAVE_ANSWER_BYTES = 16 * 1_048_576

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/

/** Whether `fetch` sends the text as a header value as it is: Latin-1, no line breaks, no NUL. */
export function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code > 0xff || code === 0 || code === 0x0a || code === 0x0d) return false
  }
  return true
}

/**
 * Refuses headers that `fetch` would refuse with a `TypeError` quoting the value (a lock token or a JWT is a
 * credential) and that a failing request would report as a transient network error. The value is never quoted.
 */
export function checkHeaders(headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? 'A request header name is not a valid HTTP header name.' : '')
    if (!isHeaderValue(String(value))) {
      const what = /^lock-token$/i.test(name) ? 'The lock token' : `The ${name} header`
      throw new LockError('invalid-option', process.env.NODE_ENV !== 'production' ? `${what} cannot be sent: it has a line break, a NUL or a character above U+00FF.` : '')
    }
  }
}

/**
 * Refuses an answer that is not the requested resource's: a redirect (never followed, since following would send
 * the credentials, Lock-Token included, wherever it points), or an answer from another URL (a `fetch` option that
 * followed one anyway).
 */
export function checkAnswerUrl(response: Response, method: string, url: string): void {
  const { status } = response
  if (response.type === 'opaqueredirect' || (status > 299 && status < 400 && status !== 304)) {
    throw new LockError('protocol', process.env.NODE_ENV !== 'production' ? `${method} ${url} answered with a redirect${status ? ` (HTTP ${status})` : ''}, which is not followed.` : '', {
      status,
    })
  }
  // `response.url` is empty for a Response made by hand (a mocked fetch), and otherwise serialized like `href`.
  const answered = response.url
  if (response.redirected || (answered !== '' && answered !== url && answered !== new URL(url).href)) {
    throw new LockError('protocol', process.env.NODE_ENV !== 'production' ? `${method} ${url} was answered from another address.` : '', { status })
  }
}

function tooLarge(method: string, url: string, status: number, limit: number): LockError {
  const size = `${Math.round(limit / 1_048_576)} MB`
  return new LockError('protocol', process.env.NODE_ENV !== 'production' ? `${method} ${url} answered more than ${size}; the client reads no further.` : '', { status })
}

/**
 * The answer's body as text, refused once it passes `limit` bytes (by its `Content-Length`, or while it streams in)
 * without reading the rest. Only a successful save's answer may reach {@link MAX_SAVE_ANSWER_BYTES}.
 */
export async function readText(response: Response, method: string, url: string, limit: number): Promise<string> {
  const length = response.headers.get('Content-Length')
  if (Number(length) > limit) throw tooLarge(method, url, response.status, limit)
  const stream = response.body
  // With a length the HTTP layer holds the body to, it can be read at once.
  if (!stream || length !== null) {
    const text = await response.text()
    if (text.length > limit) throw tooLarge(method, url, response.status, limit)
    return text
  }
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      reader.cancel().catch(() => undefined)
      throw tooLarge(method, url, response.status, limit)
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}
