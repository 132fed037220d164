// How the keeper compares form values with the server's and with a stored draft: canonical JSON (keys sorted), the
// base a draft was edited from, and the error a failed serialization or storage call becomes. Pure helpers, kept
// apart from the keeper's state.
import { DraftError } from './DraftError'
import { serializeValues } from './draftStore'

/** Which server state the values on screen were edited from. */
export interface Base {
  version: string | null
  /** The server's values it stands for, as compared; `null` when only the version is known (a stored draft). */
  json: string | null
}

/**
 * JSON with object keys sorted, so that the same values compare equal whatever order the form and the server's
 * mapping built them in.
 */
export function canonical(values: unknown): string {
  return serializeValues(
    JSON.parse(serializeValues(values), (_key, value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
    ),
  )
}

/** `canonical`, or `null` for values that cannot be written as JSON. */
export function canonicalOrNull(values: unknown): string | null {
  try {
    return canonical(values)
  } catch {
    return null
  }
}

export function sameBase(base: Base, version: string | null, json: string | null): boolean {
  if (base.version !== null && version !== null) return base.version === version
  return base.json !== null && base.json === json
}

export function asDraftError(error: unknown): DraftError {
  return error instanceof DraftError ? error : new DraftError('write-failed', String(error), { cause: error })
}
