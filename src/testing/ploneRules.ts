import { errorAnswer, noContent, ok, UNLOCKED } from './answers'
import type { Answer } from './answers'
import type { DialectRules, LockRequest } from './DialectRules'
import { isExpired } from './LockStore'
import type { SimulatedLock } from './types'

/** Zope's `OFS.LockItem.MAXTIMEOUT`. */
const MAX_TIMEOUT = 2 ** 32 - 1
/** Zope's `OFS.LockItem.DEFAULTTIMEOUT`, what a timeout of "infinite" becomes. */
const INFINITE_TIMEOUT = 12 * 60

/**
 * An exception as plone.rest's `ErrorHandling` renders it (`plone/rest/errors.py`): a flat `{type, message, context}`
 * with the status Zope maps the exception class to. Real servers add a `traceback` for site managers; the simulator
 * never does.
 */
function exception(status: number, type: string, message: string, context: string): Answer {
  return { status, body: { type, message, context } }
}

/** Python's truth value of a JSON value: `false`, `null`, `0`, `""`, `[]` and `{}` are false. */
function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0
  return Boolean(value)
}

/** Python's repr of a float in [0, 1), as `%s` prints `random.random()`: exponent form below 1e-4. */
function pythonFloat(value: number): string {
  if (value === 0) return '0.0'
  if (value >= 1e-4) return String(value)
  return value.toExponential().replace(/e-(\d)$/, 'e-0$1')
}

/**
 * A Zope lock token (`OFS.LockItem.generateLockToken`): `'%s-%s-00105A989226:%.03f' % (random(), random(), time())`,
 * such as `0.684672730996-0.25195226375-00105A989226:1477076400.000`.
 */
export function zopeLockToken(now: number): string {
  return `${pythonFloat(Math.random())}-${pythonFloat(Math.random())}-00105A989226:${(now / 1000).toFixed(3)}`
}

type Timeout = { seconds: number } | { error: Answer }

/**
 * What Zope's `LockItem.setTimeout("Second-%s" % timeout)` makes of a POST's `timeout` (`validateTimeout`): it keeps
 * what follows the last `-` (so `-5` counts as 5), reads "infinite" as 720 s, and otherwise needs Python's `int()` to
 * read it. When it cannot, the comparison with the maximum that follows fails with a TypeError; above the maximum it
 * raises a ValueError. Either way plone.restapi answers 500.
 */
function zopeTimeout(value: unknown, url: string): Timeout {
  let text: string | null = null
  if (typeof value === 'number') text = Number.isInteger(value) ? String(Math.abs(value)) : null
  else if (typeof value === 'string') text = value.split('-').at(-1) ?? ''
  if (text !== null && text.toLowerCase() === 'infinite') return { seconds: INFINITE_TIMEOUT }
  if (text === null || !/^\s*\+?\d+(?:_\d+)*\s*$/.test(text)) {
    return { error: exception(500, 'TypeError', "'>' not supported between instances of 'str' and 'int'", url) }
  }
  const seconds = Number(text.replace(/[\s_+]/g, ''))
  if (seconds > MAX_TIMEOUT) {
    return { error: exception(500, 'ValueError', `['Timeout request is greater than ${MAX_TIMEOUT}']`, url) }
  }
  return { seconds }
}

/** `json_body` raises a DeserializationError, whose `str` is the repr of its message; nothing maps it to a status. */
function malformed(request: LockRequest): Answer | null {
  if (request.malformedBody === null) return null
  const message = request.malformedBody === 'not-json' ? 'No JSON object could be decoded' : 'Malformed body'
  return exception(500, 'DeserializationError', `'${message}'`, request.url)
}

/** plone.restapi's `lock_info`: the lock while it is valid, else unlocked (always stealable then). */
function lockInfo(request: LockRequest, lock: SimulatedLock | null): Answer {
  return ok(lock && !isExpired(lock, request.now, 'plone') ? request.describe(lock) : UNLOCKED)
}

/**
 * `services/locking/add.py` over plone.locking's `TTWLockable.lock`: takes a lock only when the item has no valid
 * one and `lock_on_ttw_edit` is on; then, whoever holds the lock, `stealable: false` marks the item non-stealable and
 * a `timeout` replaces the lock's timeout and restarts it (`LockItem.setTimeout` resets the modified time). An error
 * aborts the transaction: nothing is kept.
 */
function post(request: LockRequest): Answer {
  const { slot, body, user, now } = request
  const error = malformed(request)
  if (error) return error
  let lock = slot.live
  if (!lock && request.lockOnEdit) {
    lock = { user, token: zopeLockToken(now), stealable: true, timeout: request.defaultTimeout, created: now }
  }
  const nonStealable = slot.nonStealable || ('stealable' in body && !pythonTruthy(body.stealable))
  if ('timeout' in body) {
    // `webdav_lock` finds no lock when none was taken.
    if (!lock) return exception(500, 'AttributeError', "'NoneType' object has no attribute 'setTimeout'", request.url)
    const timeout = zopeTimeout(body.timeout, request.url)
    if ('error' in timeout) return timeout.error
    lock = { ...lock, timeout: timeout.seconds, created: now }
  }
  if (lock) {
    lock = { ...lock, stealable: !nonStealable }
    request.save(lock)
  } else if (nonStealable) {
    request.markNonStealable()
  }
  return lockInfo(request, lock)
}

/**
 * `services/locking/delete.py`: unlocks when the user holds the lock (or there is none) or asks to `force`, and then
 * drops the item's non-stealable mark. plone.locking's `unlock` leaves a non-stealable lock of another user in place,
 * so forcing one only drops the mark, and a second forced DELETE removes it.
 */
function remove(request: LockRequest): Answer {
  const { slot, body, user } = request
  const error = malformed(request)
  if (error) return error
  const live = slot.live
  if (!live) {
    if (slot.stored || slot.nonStealable) request.save(null)
    return ok(UNLOCKED)
  }
  const mine = live.user === user
  if (!mine && !pythonTruthy(body.force)) return lockInfo(request, live)
  if (mine || !slot.nonStealable) {
    request.save(null)
    return ok(UNLOCKED)
  }
  const unmarked = { ...live, stealable: true }
  request.save(unmarked)
  return lockInfo(request, unmarked)
}

function lock(request: LockRequest): Answer {
  const live = request.slot.live
  switch (request.method) {
    case 'GET':
      return lockInfo(request, live)
    case 'POST':
      return post(request)
    case 'PATCH': {
      // `refresh_lock` restarts whoever's lock it is, keeping its timeout; it reads no body.
      if (!live) return ok(UNLOCKED)
      const refreshed = { ...live, created: request.now }
      request.save(refreshed)
      return lockInfo(request, refreshed)
    }
    case 'DELETE':
      return remove(request)
  }
}

/** plone.restapi (`services/locking`, `services/content/update.py` and `delete.py`) over plone.locking and Zope. */
export const ploneRules: DialectRules = {
  lock,
  patchContent(write) {
    // `is_locked`: the service answers this one itself, nested under `error`.
    if (write.live && write.lockToken !== write.live.token) {
      return errorAnswer(403, 'Forbidden', 'Resource is locked.')
    }
    write.apply()
    return noContent()
  },
  deleteContent(write) {
    // OFS `ObjectManager.manage_delObjects` refuses a locked item, whoever asks and whatever token is sent.
    if (write.live) return exception(423, 'ResourceLockedError', `Object "${write.id}" is locked.`, write.url)
    write.apply()
    return noContent()
  },
  error: exception,
  newToken: zopeLockToken,
}
