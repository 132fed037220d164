import { describe, expect, it } from 'vitest'
import type { ConformanceTarget, ConformanceUser, Reply } from './target'

/**
 * plone.restapi's `@lock` behaviour, as its own tests and its sources define it. Titles end with the source: a case
 * of plone.restapi's `tests/test_locking.py` or `tests/test_documentation.py` (with its `http-examples` answer), or
 * the line of plone.restapi, plone.locking, Zope or plone.rest that a further case checks.
 */
export function ploneConformance(target: ConformanceTarget): void {
  const { owner, other } = target
  const UNLOCKED = { locked: false, stealable: true }
  // Zope's `generateLockToken`: '%s-%s-00105A989226:%.03f' % (random(), random(), time()).
  const ZOPE_TOKEN = /^\d\.\d+(?:e-\d\d)?-\d\.\d+(?:e-\d\d)?-00105A989226:\d+\.\d{3}$/
  const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/
  const LOCK_NAME = 'plone.locking.stealable'

  const lock = (user: ConformanceUser | null, method: string, path: string, body?: unknown): Promise<Reply> =>
    target.call(user, method, `${path}/@lock`, body === undefined ? {} : { body })

  /** The lock object of a held lock, as `lock_info` builds it. */
  const heldBy = (user: ConformanceUser, fields: Record<string, unknown> = {}) => ({
    created: expect.stringMatching(ISO_SECONDS),
    creator: user.id,
    creator_name: user.fullname,
    creator_url: `${target.apiPath}/author/${user.id}`,
    locked: true,
    name: LOCK_NAME,
    stealable: true,
    time: expect.any(Number),
    timeout: 600,
    token: expect.stringMatching(ZOPE_TOKEN),
    ...fields,
  })

  async function title(path: string): Promise<unknown> {
    const reply = await target.call(owner, 'GET', path)
    expect(reply.status).toBe(200)
    return reply.body.title
  }

  describe('plone.restapi tests/test_locking.py', () => {
    it('locks an object (test_locking.py:38)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item)
      expect(reply.status).toBe(200)
      expect((await lock(other, 'GET', item)).body).toMatchObject({ locked: true, creator: owner.id })
    })

    it('locks an object non-stealable: the other user may not steal it (test_locking.py:45)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { stealable: false })
      expect(reply.status).toBe(200)
      expect((await lock(other, 'GET', item)).body).toMatchObject({ locked: true, stealable: false })
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true, stealable: true })
    })

    it('locks an object with a custom timeout (test_locking.py:52)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { timeout: 86400 })
      expect(reply.status).toBe(200)
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true, timeout: 86400 })
    })

    it('unlocks an object (test_locking.py:59)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(owner, 'DELETE', item)
      expect(reply.status).toBe(200)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('refreshes a lock: its modified time moves on (test_locking.py:69)', async () => {
      const item = await target.newItem()
      const before = (await lock(owner, 'POST', item)).body
      await target.wait(1000)
      const reply = await lock(owner, 'PATCH', item)
      expect(reply.status).toBe(200)
      expect(reply.body.time).toBeGreaterThan(before.time)
      expect(reply.body).toMatchObject({ locked: true, token: before.token, timeout: before.timeout })
    })

    it('tells a locked object is locked (test_locking.py:80)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(owner, 'GET', item)
      expect(reply.status).toBe(200)
      expect(reply.body.locked).toBe(true)
    })

    it('tells an unlocked object is not locked (test_locking.py:89)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'GET', item)
      expect(reply.status).toBe(200)
      expect(reply.body.locked).toBe(false)
    })

    it('refuses to update a locked object without the token (test_locking.py:95)', async () => {
      const item = await target.newItem()
      const original = await title(item)
      await lock(owner, 'POST', item)
      const reply = await target.call(owner, 'PATCH', item, { body: { title: 'New Title' } })
      expect(reply.status).toBe(403)
      expect(reply.body).toEqual({ error: { type: 'Forbidden', message: 'Resource is locked.' } })
      expect(await title(item)).toBe(original)
    })

    it('updates a locked object with the token (test_locking.py:104)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      const reply = await target.call(owner, 'PATCH', item, { body: { title: 'New Title' }, lockToken: token })
      expect(reply.status).toBe(204)
      expect(await title(item)).toBe('New Title')
    })

    it.skipIf(target.live)('shows the user id as creator_name once the lock owner is removed (test_locking.py:117)', async () => {
      const item = await target.newItem()
      await lock(other, 'POST', item)
      target.simulator?.removeUser(other.id)
      const reply = await lock(owner, 'GET', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toMatchObject({ locked: true, creator: other.id, creator_name: other.id })
    })

    it('names the creator by user id and full name (test_locking.py:135)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(other, 'GET', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toMatchObject({ locked: true, creator: owner.id, creator_name: owner.fullname })
    })
  })

  describe('plone.restapi tests/test_documentation.py and http-examples', () => {
    it('POST @lock answers the new lock (test_documentation.py:1733, http-examples/lock.resp)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item)
      expect(reply.status).toBe(200)
      expect(reply.headers.get('Content-Type')).toMatch(/^application\/json/)
      expect(reply.body).toEqual(heldBy(owner))
      // `created` is the modified `time`, cut to the second.
      const second = new Date(Math.floor(reply.body.time) * 1000).toISOString().replace('.000Z', '+00:00')
      expect(reply.body.created).toBe(second)
    })

    it('POST @lock non-stealable with a timeout tells the owner it is stealable (test_documentation.py:1744, http-examples/lock_nonstealable_timeout.resp)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { stealable: false, timeout: 3600 })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { stealable: true, timeout: 3600 }))
    })

    it('DELETE @lock unlocks (test_documentation.py:1757, http-examples/unlock.resp)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(owner, 'DELETE', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(UNLOCKED)
    })

    it('DELETE @lock with force unlocks (test_documentation.py:1764, http-examples/unlock_force.resp)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(owner, 'DELETE', item, { force: true })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(UNLOCKED)
    })

    it('PATCH @lock answers the refreshed lock (test_documentation.py:1771, http-examples/refresh_lock.resp)', async () => {
      const item = await target.newItem()
      const taken = (await lock(owner, 'POST', item)).body
      const reply = await lock(owner, 'PATCH', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { token: taken.token }))
    })

    it('GET @lock of an unlocked item (test_documentation.py:1783, http-examples/lock_get.resp)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'GET', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(UNLOCKED)
    })

    it('content PATCH with the Lock-Token answers 204 (test_documentation.py:1788, http-examples/lock_update.resp)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      const reply = await target.call(owner, 'PATCH', item, { body: { title: 'New Title' }, lockToken: token })
      expect(reply.status).toBe(204)
      expect(reply.body).toBeUndefined()
    })
  })

  describe('plone.locking, Zope and plone.rest behind the answers', () => {
    it('POST {timeout} on an existing lock restarts it from now (plone.restapi add.py:25-27, Zope LockItem.py:136-142)', async () => {
      const item = await target.newItem()
      const first = (await lock(owner, 'POST', item, { timeout: 2 })).body
      await target.wait(1500)
      const again = await lock(owner, 'POST', item, { timeout: 2 })
      expect(again.body).toMatchObject({ locked: true, token: first.token, timeout: 2 })
      expect(again.body.time).toBeGreaterThan(first.time + 1)
      await target.wait(1000)
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true, token: first.token })
      await target.wait(1100)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('a forced DELETE by another user keeps a non-stealable lock and drops the mark (plone.restapi delete.py:23-27, plone.locking lockable.py:78)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item, { stealable: false })).body
      const reply = await lock(other, 'DELETE', item, { force: true })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { stealable: true, token }))
      expect((await lock(other, 'GET', item)).body).toMatchObject({ locked: true, stealable: true })
    })

    it('two forced DELETEs by another user remove a non-stealable lock (plone.restapi delete.py:23-27, plone.locking lockable.py:129-133)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item, { stealable: false })
      await lock(other, 'DELETE', item, { force: true })
      const second = await lock(other, 'DELETE', item, { force: true })
      expect(second.status).toBe(200)
      expect(second.body).toEqual(UNLOCKED)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('the non-stealable mark outlives a lapsed lock: the next plain lock is non-stealable (plone.restapi add.py:22-23, plone.locking lockable.py:129)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item, { stealable: false, timeout: 1 })
      await target.wait(1100)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
      const taken = await lock(other, 'POST', item)
      expect(taken.body).toEqual(heldBy(other, { stealable: true }))
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true, creator: other.id, stealable: false })
      // Only a DELETE drops the mark.
      await lock(other, 'DELETE', item)
      await lock(other, 'POST', item)
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true, creator: other.id, stealable: true })
    })

    it('a lock lasts its timeout exactly, not to the next whole second (Zope LockItem.py:153-158)', async () => {
      const item = await target.newItem()
      await target.wait(500)
      await lock(owner, 'POST', item, { timeout: 1 })
      await target.wait(700)
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true })
      await target.wait(400)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('POST {timeout: 0} makes a lock that is invalid at once (Zope LockItem.py:36-50, 153-158)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { timeout: 0 })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(UNLOCKED)
      expect((await lock(other, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('POST {timeout: 1.5} fails with a 500 and keeps no lock (Zope LockItem.py:40-49)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { timeout: 1.5 })
      expect(reply.status).toBe(500)
      expect(reply.body).toMatchObject({ type: 'TypeError' })
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('POST {timeout} keeps what follows the last "-": -5 is 5 s, "infinite" is 720 s (Zope LockItem.py:36-50)', async () => {
      const negative = await target.newItem()
      expect((await lock(owner, 'POST', negative, { timeout: -5 })).body).toMatchObject({ locked: true, timeout: 5 })
      const infinite = await target.newItem()
      expect((await lock(owner, 'POST', infinite, { timeout: 'Infinite' })).body).toMatchObject({ locked: true, timeout: 720 })
    })

    it('POST {timeout} above Zope\'s maximum fails with a 500 and keeps no lock (Zope LockItem.py:48-49)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, { timeout: 2 ** 32 })
      expect(reply.status).toBe(500)
      expect(reply.body).toMatchObject({ type: 'ValueError' })
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it.skipIf(target.live)('with lock_on_ttw_edit off, POST on a locked item answers that lock (plone.locking lockable.py:48-49, plone.restapi add.py:35)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      target.simulator?.setLockOnEdit(false)
      const reply = await lock(other, 'POST', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { token }))
      await lock(owner, 'DELETE', item)
      expect((await lock(owner, 'POST', item)).body).toEqual(UNLOCKED)
    })

    it.skipIf(target.live)('with lock_on_ttw_edit off, POST {timeout} on an unlocked item fails with a 500 (plone.restapi add.py:25-27, __init__.py:57-66)', async () => {
      const item = await target.newItem()
      target.simulator?.setLockOnEdit(false)
      const reply = await lock(owner, 'POST', item, { timeout: 60 })
      expect(reply.status).toBe(500)
      expect(reply.body).toMatchObject({ type: 'AttributeError' })
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('content DELETE of a locked item answers 423 with plone.rest\'s flat body, even to the owner with the token (Zope ObjectManager.py:551-553, plone.rest errors.py:60-63)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      const id = item.split('/').at(-1)
      for (const [user, lockToken] of [[other, undefined], [owner, token]] as const) {
        const reply = await target.call(user, 'DELETE', item, lockToken === undefined ? {} : { lockToken })
        expect(reply.status).toBe(423)
        expect(reply.body).toMatchObject({ type: 'ResourceLockedError', message: `Object "${id}" is locked.` })
        expect(reply.body).not.toHaveProperty('error')
      }
      expect((await target.call(owner, 'GET', item)).status).toBe(200)
      await lock(owner, 'DELETE', item)
      expect((await target.call(owner, 'DELETE', item)).status).toBe(204)
    })

    it('anonymous POST @lock answers 401 with plone.rest\'s flat body (plone.rest errors.py:60-63, plone.restapi http-examples/relations_post_anonyous.resp)', async () => {
      const item = await target.newItem()
      const reply = await lock(null, 'POST', item)
      expect(reply.status).toBe(401)
      expect(reply.body).toMatchObject({
        type: 'Unauthorized',
        message: 'You are not authorized to access this resource.',
        context: expect.any(String),
      })
      expect(reply.body).not.toHaveProperty('error')
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('the token is a Zope lock token, not a UUID (Zope LockItem.py:30-33)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      expect(token).toMatch(ZOPE_TOKEN)
    })

    it('creator_url is the portal URL, /author/ and the user id as it is (plone.restapi __init__.py:17-19)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item)
      expect(reply.body.creator_url).toBe(`${target.apiPath}/author/${owner.id}`)
    })

    it('another user sees the lock with its token, and stealable computed for them (plone.restapi __init__.py:32-53)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      expect((await lock(other, 'GET', item)).body).toEqual(heldBy(owner, { token }))
      await lock(owner, 'POST', item, { stealable: false })
      expect((await lock(other, 'GET', item)).body).toEqual(heldBy(owner, { token, stealable: false }))
      expect((await target.call(other, 'GET', item)).body.lock).toEqual(heldBy(owner, { token, stealable: false }))
    })

    it('POST by another user takes no lock but applies its options to the current one (plone.locking lockable.py:51, plone.restapi add.py:22-27)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      const reply = await lock(other, 'POST', item, { stealable: false, timeout: 30 })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { token, stealable: false, timeout: 30 }))
      // Asking for a stealable lock does not lift the mark.
      await lock(owner, 'POST', item, { stealable: true })
      expect((await lock(other, 'GET', item)).body).toMatchObject({ stealable: false })
    })

    it('PATCH @lock by another user refreshes the owner\'s lock; on an unlocked item it answers unlocked (plone.locking lockable.py:65-72)', async () => {
      const item = await target.newItem()
      expect((await lock(owner, 'PATCH', item)).body).toEqual(UNLOCKED)
      const taken = (await lock(owner, 'POST', item, { timeout: 2 })).body
      await target.wait(1500)
      const reply = await lock(other, 'PATCH', item)
      expect(reply.body).toEqual(heldBy(owner, { token: taken.token, timeout: 2 }))
      expect(reply.body.time).toBeGreaterThan(taken.time + 1)
      await target.wait(1000)
      expect((await lock(owner, 'GET', item)).body).toMatchObject({ locked: true })
    })

    it('DELETE @lock by another user without force keeps the lock and answers it (plone.restapi delete.py:23)', async () => {
      const item = await target.newItem()
      const { token } = (await lock(owner, 'POST', item)).body
      const reply = await lock(other, 'DELETE', item)
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(heldBy(owner, { token }))
    })

    it('DELETE @lock by another user with force removes a stealable lock (plone.restapi delete.py:23-24)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await lock(other, 'DELETE', item, { force: true })
      expect(reply.body).toEqual(UNLOCKED)
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it('DELETE @lock of an unlocked item answers unlocked (plone.locking lockable.py:74-76)', async () => {
      const item = await target.newItem()
      const reply = await lock(other, 'DELETE', item, { force: true })
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(UNLOCKED)
    })

    it('content PATCH with a wrong Lock-Token answers 403, nested under error (plone.restapi update.py:14-16, __init__.py:69-82)', async () => {
      const item = await target.newItem()
      await lock(owner, 'POST', item)
      const reply = await target.call(owner, 'PATCH', item, { body: { title: 'X' }, lockToken: 'wrong' })
      expect(reply.status).toBe(403)
      expect(reply.body).toEqual({ error: { type: 'Forbidden', message: 'Resource is locked.' } })
    })

    it('a body that is not a JSON object makes POST @lock fail with a 500 (plone.restapi deserializer/__init__.py:13-23)', async () => {
      const item = await target.newItem()
      const reply = await lock(owner, 'POST', item, [1])
      expect(reply.status).toBe(500)
      expect(reply.body).toMatchObject({ type: 'DeserializationError', message: "'Malformed body'" })
      expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
    })

    it.skipIf(target.live)('an item without the locking behaviour answers {} (plone.restapi __init__.py:54, add.py:18-19)', async () => {
      const item = await target.newItem()
      target.simulator?.setContent(item, { lockable: false })
      for (const method of ['POST', 'GET', 'PATCH', 'DELETE']) {
        const reply = await lock(owner, method, item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual({})
      }
    })
  })
}
