import { errorAnswer, noContent, ok, UNLOCKED } from './answers'
import type { Answer } from './answers'
import type { DialectRules, LockRequest } from './DialectRules'
import { randomUuid } from './randomUuid'
import type { SimulatedLock } from './types'

/**
 * A POST's options apply to the item's current lock, even another user's, before plone.restapi answers with it.
 * Only `stealable: false` is applied: asking for a stealable lock does not make a non-stealable one stealable again.
 */
function withOptions(lock: SimulatedLock, body: Record<string, unknown>): SimulatedLock {
  const markNonStealable = 'stealable' in body && !body.stealable
  const timeout = typeof body.timeout === 'number' && Number.isFinite(body.timeout) ? body.timeout : lock.timeout
  return { ...lock, stealable: Boolean(lock.stealable) && !markNonStealable, timeout }
}

function lock(request: LockRequest): Answer {
  const { slot, body, user, now } = request
  const live = slot.live
  switch (request.method) {
    case 'GET':
      return ok(live ? request.describe(live) : UNLOCKED)
    case 'POST': {
      if (!request.lockOnEdit) return ok(UNLOCKED)
      const base = live ?? {
        user,
        token: randomUuid(),
        stealable: true,
        timeout: request.defaultTimeout,
        created: now,
      }
      const next = withOptions(base, body)
      request.save(next)
      return ok(request.describe(next))
    }
    case 'PATCH': {
      if (!live) return ok(UNLOCKED)
      // Refreshes whoever's lock it is.
      const refreshed = { ...live, created: now }
      request.save(refreshed)
      return ok(request.describe(refreshed))
    }
    case 'DELETE': {
      if (!live) {
        if (slot.stored) request.save(null)
        return ok(UNLOCKED)
      }
      if (live.user === user || (body.force && Boolean(live.stealable))) {
        request.save(null)
        return ok(UNLOCKED)
      }
      return ok(request.describe(live))
    }
  }
}

/** plone.restapi (`services/locking`, `services/content/update.py` over plone.locking). */
export const ploneRules: DialectRules = {
  lock,
  patchContent(write) {
    if (write.live && write.lockToken !== write.live.token) {
      return errorAnswer(403, 'Forbidden', 'Resource is locked.')
    }
    write.apply()
    return noContent()
  },
  deleteContent(write) {
    if (write.live) return errorAnswer(423, 'Locked', 'Resource is locked.')
    write.apply()
    return noContent()
  },
}
