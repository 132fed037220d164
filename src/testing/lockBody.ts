import type { SimulatedDialect, SimulatedLock } from './types'

export interface LockBodyContext {
  dialect: SimulatedDialect
  apiPath: string
  /** The user asking, whom plone.restapi computes `stealable` for. */
  viewer: string | null
  fullname(userId: string): string
}

function ploneDate(ms: number): string {
  // Python's `isoformat(timespec="seconds")` of a UTC datetime: fractions cut off, `+00:00` rather than `Z`.
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/** The full lock object of a held lock, as the dialect's `@lock` answers show it (token included, to anyone). */
export function lockBody(lock: SimulatedLock, context: LockBodyContext): Record<string, unknown> {
  const { dialect, apiPath, viewer } = context
  const common = {
    creator: lock.user,
    creator_name: context.fullname(lock.user),
  }
  if (dialect === 'plone') {
    return {
      created: ploneDate(lock.created),
      ...common,
      // plone.restapi puts the user id into the URL as it is, unencoded.
      creator_url: `${apiPath}/author/${lock.user}`,
      locked: true,
      name: 'plone.locking.stealable',
      // plone.locking's `stealable()` for the asking user: true unless the item is marked non-stealable, and always
      // for the lock's owner, who may safely unlock it.
      stealable: Boolean(lock.stealable) || viewer === lock.user,
      time: lock.created / 1000,
      timeout: lock.timeout,
      token: lock.token,
    }
  }
  // dayjs.utc().format(): whole seconds, no milliseconds (lock.ts:72, 81); the user id as is (lock.ts:75).
  const iso = new Date(lock.created).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    created: iso,
    ...common,
    creator_url: `${apiPath}/@users/${lock.user}`,
    locked: true,
    stealable: lock.stealable,
    time: iso,
    timeout: lock.timeout,
    token: lock.token,
  }
}
