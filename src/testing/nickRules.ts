import { alreadyLocked, errorAnswer, noContent, notAllowed, ok, UNLOCKED } from './answers'
import type { Answer } from './answers'
import type { DialectRules, LockRequest } from './DialectRules'
import { randomUuid } from './randomUuid'
import type { SimulatedLock } from './types'

// References are to Nick 2.8: `src/routes/lock/lock.ts` (lock.ts), `src/routes/content/content.ts` (content.ts) and
// `src/helpers/handler/handler.ts` (handler.ts).

/**
 * Nick does not validate the body: it stores what it gets (`stealable: null` or `"false"` included), and `||` turns
 * a `timeout` of 0 into the default (lock.ts:71-84, 123-136).
 */
function newLock(request: LockRequest): SimulatedLock {
  const { body } = request
  return {
    user: request.user,
    token: randomUuid(),
    stealable: body.stealable !== undefined ? body.stealable : true,
    timeout: body.timeout || request.defaultTimeout,
    created: request.now,
  }
}

function lock(request: LockRequest): Answer {
  const { slot, user } = request
  const live = slot.live
  const mine = live !== null && live.user === user
  switch (request.method) {
    case 'GET':
      return ok(live ? request.describe(live) : UNLOCKED)
    case 'POST': {
      if (live && !mine) return alreadyLocked()
      if (live) return ok(request.describe(live))
      const created = newLock(request)
      request.save(created)
      return ok(request.describe(created))
    }
    case 'PATCH': {
      if (live && !mine) return alreadyLocked()
      // A refresh is a new lock: new token, options back to the body's or the defaults.
      const created = newLock(request)
      request.save(created)
      return ok(request.describe(created))
    }
    case 'DELETE': {
      // lock.ts:160-179. No expiry check: another user's lapsed lock is refused, my own lapsed lock is not. `force`
      // only adds a refusal for a lock stored with `stealable === false` (not `null`, not `"false"`). The handler
      // never writes the document: every answer leaves the lock as it was.
      const stored = slot.stored
      if (stored && stored.user !== user) return notAllowed()
      if (request.body.force && stored && stored.stealable === false) return notAllowed()
      return ok(UNLOCKED)
    }
  }
}

/** Nick 2.8 (`src/routes/lock/lock.ts`, `src/routes/content/content.ts`). */
export const nickRules: DialectRules = {
  lock,
  patchContent(write) {
    // content.ts:655-669: only a live lock with another token refuses, the owner's save without the token too.
    if (write.live && write.lockToken !== write.live.token) {
      return errorAnswer(
        401,
        'Document locked',
        'You don’t have permission to save this document because it is locked by another user.',
      )
    }
    // content.ts:753-756: every save writes `lock: {locked: false, stealable: true}`, over a lapsed lock as well.
    write.apply()
    write.save(null)
    return noContent()
  },
  deleteContent(write) {
    // No lock check: the item and its lock go.
    write.apply()
    return noContent()
  },
  // handler.ts:110-114: not nested under `error`.
  unauthorized: () => ({ status: 401, body: { message: 'You are not authorized to access this resource.' } }),
  // handler.ts:69-72 and docs/examples/content/get_notfound.res: `error` is a string.
  notFound: (path) => ({ status: 404, body: { error: `Not found: ${path}` } }),
}
