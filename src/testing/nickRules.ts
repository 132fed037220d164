import { alreadyLocked, errorAnswer, noContent, notAllowed, ok, UNLOCKED } from './answers'
import type { Answer } from './answers'
import type { DialectRules, LockRequest } from './DialectRules'
import { randomUuid } from './randomUuid'
import type { SimulatedLock } from './types'

/** Nick does not validate the body: it stores what it gets, and `||` turns a `timeout` of 0 into the default. */
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
      if (!slot.stored) return ok(UNLOCKED)
      if (!live || !mine) return notAllowed()
      // Without force Nick answers as if it unlocked, but keeps the lock.
      if (!request.body.force) return ok(UNLOCKED)
      if (!live.stealable) return notAllowed()
      request.save(null)
      return ok(UNLOCKED)
    }
  }
}

/** Nick 2.8 (`src/routes/lock/lock.ts`, `src/routes/content/content.ts`). */
export const nickRules: DialectRules = {
  lock,
  patchContent(write) {
    if (!write.live) {
      write.apply()
      return noContent()
    }
    if (write.lockToken !== write.live.token) return errorAnswer(401, 'Document locked', 'This document is locked.')
    write.apply()
    write.save(null)
    return noContent()
  },
  deleteContent(write) {
    write.apply()
    return noContent()
  },
}
