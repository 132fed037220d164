import { errorAnswer, methodNotAllowed, ok, UNLOCKED } from './answers'
import type { Answer } from './answers'
import type { ContentStore } from './ContentStore'
import type { DialectRules } from './DialectRules'
import { asRecord } from './incoming'
import type { Incoming } from './incoming'
import type { LockStore } from './LockStore'
import type { SimulatedLock } from './types'

// Fields a content PATCH cannot change: identity, the modification date, and the lock, which only `@lock` manages.
const READ_ONLY_FIELDS = new Set(['@id', '@type', 'id', 'lock', 'lockable', 'modified'])

/** What the content endpoint reads and changes on its server. */
export interface ContentSite {
  content: ContentStore
  locks: LockStore
  /** The rules of the dialect the server speaks at the time of the request. */
  rules(): DialectRules
  /** The item's lock, unless it has lapsed or the item cannot be locked. */
  liveLock(path: string): SimulatedLock | null
  /** The full lock object, as seen by `viewer`. */
  describe(lock: SimulatedLock, viewer: string | null): Record<string, unknown>
  /** The answer to a request on `path` without valid credentials. */
  unauthorized(path: string): Answer
}

/** The `lock` field of a content GET: `{}` for an item that cannot be locked. */
function lockOf(site: ContentSite, path: string, viewer: string | null): Record<string, unknown> {
  if (site.content.isUnlockable(path)) return {}
  const live = site.liveLock(path)
  return live ? site.describe(live, viewer) : UNLOCKED
}

/** Answers a request on an existing item itself: GET reads it and lists its children; PATCH and DELETE write it. */
export function contentEndpoint(site: ContentSite, { method, route, body, user, lockToken }: Incoming): Answer {
  const { content, locks } = site
  const { path } = route
  if (method === 'GET') {
    const lock = lockOf(site, path, user)
    const items = content.children(path).map((child) => {
      const { '@id': id, '@type': type, title, description } = content.fields(child)
      return { '@id': id, '@type': type, title, ...(description === undefined ? {} : { description }), lock: lockOf(site, child, user) }
    })
    return ok({ ...content.fields(path), ...(items.length > 0 ? { items } : {}), lock })
  }
  if (method !== 'PATCH' && method !== 'DELETE') return methodNotAllowed(method)
  if (user === null) return site.unauthorized(path)
  const rules = site.rules()
  const save = (lock: SimulatedLock | null) => locks.set(path, lock)
  const item = { id: String(content.fields(path).id), url: content.url(path) }
  if (method === 'DELETE') {
    const apply = () => {
      content.remove(path)
      locks.set(path, null)
    }
    return rules.deleteContent({ live: site.liveLock(path), lockToken, ...item, apply, save })
  }
  const changes = !body.ok ? null : body.value === undefined ? {} : asRecord(body.value)
  if (changes === null) return errorAnswer(400, 'DeserializationError', 'No JSON object could be decoded')
  const apply = () => {
    const editable = Object.entries(changes).filter(([key]) => !READ_ONLY_FIELDS.has(key))
    content.merge(path, Object.fromEntries(editable))
  }
  return rules.patchContent({ live: site.liveLock(path), lockToken, ...item, apply, save })
}
