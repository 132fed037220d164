/** The admin's settings, fixed at build time from `VITE_ADMIN_*` variables. */
export interface AdminConfig {
  /** The API the login screen offers: `VITE_ADMIN_API`. */
  api: string
  /** The folder the listing shows: `VITE_ADMIN_FOLDER`. */
  folder: string
  /** How often the listing and the view page ask who holds each lock, in ms: `VITE_ADMIN_LISTING_REFRESH_MS`. */
  listingRefreshMs: number
  /** How often an open edit form checks that its lock is still its own, in ms: `VITE_ADMIN_CHECK_MS`. */
  checkMs: number
  /** At most one such check per this many ms while typing: `VITE_ADMIN_TOUCH_MS`. */
  touchMs: number
}

function milliseconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new TypeError(`${name} must be a positive number of milliseconds, got "${value}".`)
  return parsed
}

const env = import.meta.env

export const config: AdminConfig = {
  api: env.VITE_ADMIN_API?.trim() || 'http://127.0.0.1:8080/Plone/++api++',
  folder: env.VITE_ADMIN_FOLDER?.trim() || '/news',
  listingRefreshMs: milliseconds('VITE_ADMIN_LISTING_REFRESH_MS', env.VITE_ADMIN_LISTING_REFRESH_MS, 10_000),
  checkMs: milliseconds('VITE_ADMIN_CHECK_MS', env.VITE_ADMIN_CHECK_MS, 30_000),
  touchMs: milliseconds('VITE_ADMIN_TOUCH_MS', env.VITE_ADMIN_TOUCH_MS, 10_000),
}
