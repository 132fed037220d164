import { delay, HttpResponse } from 'msw'
import { normalizeContentPath } from './contentPath'
import type { Route } from './routeRequest'
import type { Fault, FaultInjection, FaultRoute } from './types'

interface Pending {
  route: FaultRoute
  fault: Fault
  remaining: number
}

const MALFORMED = new Set(['html', 'not-json', 'wrong-type'])

function check(fault: FaultInjection): void {
  const { times, delay, status, malformed } = fault
  if (times !== undefined && !(times === Infinity || (Number.isInteger(times) && times > 0))) {
    throw new RangeError('fail(): `times` must be a positive integer or Infinity.')
  }
  if (delay !== undefined && delay !== 'infinite' && !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)) {
    throw new RangeError('fail(): `delay` must be a number of milliseconds or "infinite".')
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError('fail(): `status` must be an HTTP status from 200 to 599.')
  }
  if (malformed !== undefined && !MALFORMED.has(malformed)) {
    throw new RangeError('fail(): `malformed` must be "html", "not-json" or "wrong-type".')
  }
}

/** Faults waiting for their requests, each used up by as many matching requests as it was given. */
export class FaultQueue {
  #pending: Pending[] = []

  add(route: FaultRoute, injection: FaultInjection): void {
    check(injection)
    const { times = 1, ...fault } = injection
    const normalized = route.path === undefined ? route : { ...route, path: normalizeContentPath(route.path) }
    this.#pending.push({ route: normalized, fault, remaining: times })
  }

  /** The first fault matching the request, counted as used. */
  take(method: string, route: Route): Fault | null {
    const index = this.#pending.findIndex(
      ({ route: wanted }) =>
        (wanted.method === undefined || wanted.method.toUpperCase() === method.toUpperCase()) &&
        (wanted.endpoint === undefined || wanted.endpoint === route.endpoint) &&
        (wanted.path === undefined || wanted.path === route.path),
    )
    const pending = this.#pending[index]
    if (!pending) return null
    pending.remaining -= 1
    if (pending.remaining <= 0) this.#pending.splice(index, 1)
    return pending.fault
  }

  clear(): void {
    this.#pending = []
  }
}

/** Whether the fault answers in place of the server, rather than only delaying its answer. */
export function replacesAnswer(fault: Fault): boolean {
  return (
    fault.networkError === true ||
    fault.status !== undefined ||
    fault.body !== undefined ||
    fault.headers !== undefined ||
    fault.malformed !== undefined
  )
}

const ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Site Error</title></head>' +
  '<body><h1>Site Error</h1><p>An error was encountered while publishing this resource.</p></body></html>\n'

/** The answer a replacing fault gives; `networkError` is handled by the caller. */
export function faultResponse(fault: Fault): Response {
  const status = fault.status ?? (fault.body !== undefined || fault.malformed !== undefined ? 200 : 500)
  const headers = new Headers(fault.headers)
  const withType = (type: string) => {
    if (!headers.has('Content-Type')) headers.set('Content-Type', type)
    return headers
  }
  if (status === 204 || status === 205 || status === 304) return new HttpResponse(null, { status, headers })
  switch (fault.malformed) {
    case 'html':
      return new HttpResponse(ERROR_PAGE, { status, headers: withType('text/html; charset=utf-8') })
    case 'not-json':
      // A lock object cut off mid-way, as a dropped connection or a full proxy buffer leaves it.
      return new HttpResponse('{"locked": true, "creator": "al', { status, headers: withType('application/json') })
    case 'wrong-type':
      return new HttpResponse(
        JSON.stringify({ locked: 'yes', stealable: 'no', creator: 42, timeout: '600', token: null }),
        { status, headers: withType('application/json') },
      )
  }
  if (typeof fault.body === 'string') {
    return new HttpResponse(fault.body, { status, headers: withType('text/plain; charset=utf-8') })
  }
  const body = fault.body ?? { error: { type: 'Simulated fault', message: `The server failed with HTTP ${status}.` } }
  return new HttpResponse(JSON.stringify(body), { status, headers: withType('application/json') })
}

/** Waits for the fault's delay; resolves `true` if the client gave up first. */
export function waitUnlessAborted(duration: number | 'infinite', signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onAbort = () => resolve(true)
    signal.addEventListener('abort', onAbort, { once: true })
    if (duration === 'infinite') return
    void delay(duration).then(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(false)
    })
  })
}
