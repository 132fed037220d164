import type { Route } from './routeRequest'

/** A request body read as JSON: `ok` with its value (`undefined` for an empty body), or not JSON at all. */
export type Json = { ok: true; value: unknown } | { ok: false }

/** What a request carries besides its route, worked out once. */
export interface Incoming {
  method: string
  route: Route
  url: string
  body: Json
  user: string | null
  lockToken: string | null
}

export function parseJson(text: string): Json {
  if (text.trim() === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** The value as a plain object, or `null` when it is anything else (arrays included). */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** The value as a plain object, or `{}` when it is anything else. */
export function asObject(value: unknown): Record<string, unknown> {
  return asRecord(value) ?? {}
}
