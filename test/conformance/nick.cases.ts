import { describe, expect, it } from 'vitest'
import type { ConformanceTarget, ConformanceUser, Reply } from './target'

// Nick's `@lock` behaviour as raw HTTP, for the simulator and a live Nick alike. Citations are to Nick 2.8:
// lock.test.ts and lock.ts are `src/routes/lock/`, content.ts is `src/routes/content/content.ts`, helpers/lock/lock.ts
// is `src/helpers/lock/lock.ts`, handler.ts is `src/helpers/handler/handler.ts`, document.ts is
// `src/models/document/document.ts`.

const UNLOCKED = { locked: false, stealable: true }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** `dayjs.utc().format()`: whole seconds, no milliseconds, `Z`. */
const WHOLE_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const ALREADY_LOCKED = {
  error: { type: 'Already locked', message: 'This document is already locked by another user.' },
}
const NOT_ALLOWED = { error: { type: 'Not allowed', message: 'You don’t have permission to unlock this document.' } }
const DOCUMENT_LOCKED = {
  error: {
    type: 'Document locked',
    message: 'You don’t have permission to save this document because it is locked by another user.',
  },
}
const ANONYMOUS = { message: 'You are not authorized to access this resource.' }
/** A lock with timeout 1 has lapsed once the whole-second clock passes created + 1: at most 2 s later. */
const PAST_ONE_SECOND = 2500

export function nickConformance(target: ConformanceTarget): void {
  const { owner, other } = target

  const lock = (user: ConformanceUser | null, method: string, path: string, body?: unknown): Promise<Reply> =>
    target.call(user, method, `${path}/@lock`, body === undefined ? {} : { body })

  const save = (user: ConformanceUser | null, path: string, lockToken?: string): Promise<Reply> =>
    target.call(user, 'PATCH', path, { body: { title: 'Saved' }, ...(lockToken === undefined ? {} : { lockToken }) })

  /** The full lock object Nick answers for a lock the user took. */
  const heldBy = (user: ConformanceUser, options: { stealable?: unknown; timeout?: unknown } = {}) => ({
    created: expect.stringMatching(WHOLE_SECONDS),
    creator: user.id,
    creator_name: user.fullname,
    creator_url: `${target.apiPath}/@users/${user.id}`,
    locked: true,
    stealable: 'stealable' in options ? options.stealable : true,
    time: expect.stringMatching(WHOLE_SECONDS),
    timeout: options.timeout ?? 600,
    token: expect.stringMatching(UUID),
  })

  /** Takes the lock as `user` and returns its token. */
  async function take(user: ConformanceUser, path: string, body?: unknown): Promise<string> {
    const reply = await lock(user, 'POST', path, body)
    expect(reply.status).toBe(200)
    return reply.body.token as string
  }

  describe(`Nick conformance (${target.live ? 'live' : 'simulator'})`, () => {
    describe("ported from Nick's lock.test.ts", () => {
      it('should lock an item (lock.test.ts:17)', async () => {
        const item = await target.newItem()
        const reply = await lock(owner, 'POST', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(owner))
      })

      it('should lock an item with options (lock.test.ts:19)', async () => {
        const item = await target.newItem()
        const reply = await lock(owner, 'POST', item, { stealable: false, timeout: 3600 })
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(owner, { stealable: false, timeout: 3600 }))
      })

      it('should delete a lock (lock.test.ts:22)', async () => {
        const item = await target.newItem()
        await take(owner, item)
        expect(await lock(owner, 'DELETE', item)).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('should delete a lock with force (lock.test.ts:27)', async () => {
        const item = await target.newItem()
        await take(owner, item)
        expect(await lock(owner, 'DELETE', item, { force: true })).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('should refresh a lock (lock.test.ts:32)', async () => {
        const item = await target.newItem()
        await take(owner, item)
        const reply = await lock(owner, 'PATCH', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(owner))
      })

      it('should get lock information (lock.test.ts:37)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        const reply = await lock(owner, 'GET', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(owner))
        expect(reply.body).toEqual(taken.body)
      })

      it('should update a document which is locked (lock.test.ts:42)', async () => {
        const item = await target.newItem()
        const token = await take(owner, item)
        const reply = await save(owner, item, token)
        expect(reply.status).toBe(204)
        expect(reply.body).toBeUndefined()
      })
    })

    describe('lock object', () => {
      it('created and time are whole seconds without milliseconds (lock.ts:72)', async () => {
        const item = await target.newItem()
        const { body } = await lock(owner, 'POST', item)
        expect(body.created).toMatch(WHOLE_SECONDS)
        expect(body.time).toMatch(WHOLE_SECONDS)
      })

      it('creator_url is the root URL, /@users/ and the user id as is (lock.ts:75)', async () => {
        const item = await target.newItem()
        const { body } = await lock(owner, 'POST', item)
        expect(body.creator_url).toBe(target.apiPath + '/@users/' + owner.id)
      })

      it('GET answers the stored lock to another user too, token included (lock.ts:36)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item, { stealable: false })
        const reply = await lock(other, 'GET', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(taken.body)
        expect(reply.body).toMatchObject({ creator: owner.id, stealable: false })
      })

      it('a content GET shows the same lock (document.ts:500)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        const reply = await target.call(other, 'GET', item)
        expect(reply.status).toBe(200)
        expect(reply.body.lock).toEqual(taken.body)
      })
    })

    describe('GET @lock', () => {
      it('answers unlocked for an item never locked (content.ts:537)', async () => {
        const item = await target.newItem()
        expect(await lock(owner, 'GET', item)).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('answers unlocked once the lock has lapsed (lock.ts:26)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        expect(await lock(other, 'GET', item)).toEqual(expect.objectContaining({ status: 200, body: UNLOCKED }))
      })

      it.skipIf(target.live)(
        'a lock lasts while the whole-second clock is at most created + timeout (helpers/lock/lock.ts:41)',
        async () => {
          // The simulator's clock starts each test on a whole second.
          const item = await target.newItem()
          await take(owner, item, { timeout: 1 })
          await target.wait(1999)
          expect((await lock(other, 'GET', item)).body).toMatchObject({ locked: true, creator: owner.id })
          await target.wait(1)
          expect((await lock(other, 'GET', item)).body).toEqual(UNLOCKED)
        },
      )
    })

    describe('POST @lock', () => {
      it('answers 401 Already locked over another user\'s lock and leaves it (lock.ts:61)', async () => {
        const item = await target.newItem()
        const token = await take(owner, item)
        const reply = await lock(other, 'POST', item, { stealable: false, timeout: 30 })
        expect(reply).toMatchObject({ status: 401, body: ALREADY_LOCKED })
        expect(reply.body).toEqual(ALREADY_LOCKED)
        expect((await lock(owner, 'GET', item)).body).toEqual(heldBy(owner))
        expect((await lock(owner, 'GET', item)).body.token).toBe(token)
      })

      it('answers my own live lock as stored, same token, new options ignored (lock.ts:54)', async () => {
        const item = await target.newItem()
        const first = await lock(owner, 'POST', item)
        const second = await lock(owner, 'POST', item, { stealable: false, timeout: 60 })
        expect(second.status).toBe(200)
        expect(second.body).toEqual(first.body)
      })

      it('takes a new lock over another user\'s lapsed lock (lock.ts:52)', async () => {
        const item = await target.newItem()
        const old = await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        const reply = await lock(other, 'POST', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(other))
        expect(reply.body.token).not.toBe(old)
      })

      it('turns a timeout of 0 into 600 (lock.ts:82)', async () => {
        const item = await target.newItem()
        const reply = await lock(owner, 'POST', item, { timeout: 0 })
        expect(reply.body).toEqual(heldBy(owner, { timeout: 600 }))
      })

      it('stores stealable as sent, null and "false" included (lock.ts:77)', async () => {
        const item = await target.newItem()
        expect((await lock(owner, 'POST', item, { stealable: null })).body).toEqual(heldBy(owner, { stealable: null }))
        const second = await target.newItem()
        expect((await lock(owner, 'POST', second, { stealable: 'false' })).body).toEqual(
          heldBy(owner, { stealable: 'false' }),
        )
      })

      it('answers 401 with a bare message to an anonymous request (handler.ts:110)', async () => {
        const item = await target.newItem()
        const reply = await lock(null, 'POST', item)
        expect(reply.status).toBe(401)
        expect(reply.body).toEqual(ANONYMOUS)
        expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
      })
    })

    describe('PATCH @lock', () => {
      it('makes a new lock on an unlocked item (lock.ts:122)', async () => {
        const item = await target.newItem()
        const reply = await lock(owner, 'PATCH', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(owner))
        expect((await lock(other, 'GET', item)).body).toEqual(reply.body)
      })

      it('gives my lock a new token and resets options to the body or the defaults (lock.ts:123)', async () => {
        const item = await target.newItem()
        const first = await take(owner, item, { stealable: false, timeout: 3600 })
        const refreshed = await lock(owner, 'PATCH', item)
        expect(refreshed.body).toEqual(heldBy(owner))
        expect(refreshed.body.token).not.toBe(first)
        // The old token no longer saves.
        expect(await save(owner, item, first)).toMatchObject({ status: 401, body: DOCUMENT_LOCKED })
        const withOptions = await lock(owner, 'PATCH', item, { stealable: false, timeout: 90 })
        expect(withOptions.body).toEqual(heldBy(owner, { stealable: false, timeout: 90 }))
        expect(withOptions.body.token).not.toBe(refreshed.body.token)
      })

      it('answers 401 Already locked for another user\'s lock and leaves it (lock.ts:114)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        const reply = await lock(other, 'PATCH', item)
        expect(reply.status).toBe(401)
        expect(reply.body).toEqual(ALREADY_LOCKED)
        expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
      })

      it('makes a lock for the requester over another user\'s lapsed lock (lock.ts:108)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        const reply = await lock(other, 'PATCH', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(heldBy(other))
      })

      it('a refresh to timeout 1 lapses within about two seconds and another user can lock (lock.ts:134, helpers/lock/lock.ts:41)', async () => {
        const item = await target.newItem()
        const first = await take(owner, item)
        const refreshed = await lock(owner, 'PATCH', item, { timeout: 1, stealable: true })
        expect(refreshed.body).toEqual(heldBy(owner, { timeout: 1 }))
        expect(refreshed.body.token).not.toBe(first)
        await target.wait(PAST_ONE_SECOND)
        expect((await lock(other, 'GET', item)).body).toEqual(UNLOCKED)
        const taken = await lock(other, 'POST', item)
        expect(taken.status).toBe(200)
        expect(taken.body).toEqual(heldBy(other))
      })
    })

    describe('DELETE @lock', () => {
      it('answers unlocked for an item never locked, with or without force (lock.ts:174)', async () => {
        const item = await target.newItem()
        expect(await lock(owner, 'DELETE', item)).toMatchObject({ status: 200, body: UNLOCKED })
        expect(await lock(other, 'DELETE', item, { force: true })).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('by the owner without force answers unlocked but keeps the lock (lock.ts:174)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        const reply = await lock(owner, 'DELETE', item)
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(UNLOCKED)
        expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
        expect(await lock(other, 'POST', item)).toMatchObject({ status: 401, body: ALREADY_LOCKED })
      })

      it('by the owner with force answers unlocked but keeps the lock (lock.ts:174)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        const reply = await lock(owner, 'DELETE', item, { force: true })
        expect(reply.status).toBe(200)
        expect(reply.body).toEqual(UNLOCKED)
        expect((await lock(other, 'GET', item)).body).toEqual(taken.body)
        expect(await lock(other, 'POST', item)).toMatchObject({ status: 401, body: ALREADY_LOCKED })
      })

      it('by another user answers 401 Not allowed, with or without force, and keeps the lock (lock.ts:161)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        for (const body of [undefined, { force: true }]) {
          const reply = await lock(other, 'DELETE', item, body)
          expect(reply.status).toBe(401)
          expect(reply.body).toEqual(NOT_ALLOWED)
        }
        expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
      })

      it('by another user over a lapsed lock still answers 401: no expiry check (lock.ts:161)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        for (const body of [undefined, { force: true }]) {
          expect(await lock(other, 'DELETE', item, body)).toMatchObject({ status: 401, body: NOT_ALLOWED })
        }
      })

      it('by the owner of a lapsed lock without force answers unlocked (lock.ts:160)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        expect(await lock(owner, 'DELETE', item)).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('by the owner of a lapsed stealable lock with force answers unlocked (lock.ts:162)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        expect(await lock(owner, 'DELETE', item, { force: true })).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('with force by the owner of a non-stealable lock answers 401 Not allowed and keeps it (lock.ts:162)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item, { stealable: false })
        const reply = await lock(owner, 'DELETE', item, { force: true })
        expect(reply.status).toBe(401)
        expect(reply.body).toEqual(NOT_ALLOWED)
        expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
        // Without force the same owner is answered unlocked.
        expect(await lock(owner, 'DELETE', item)).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('with force by the owner of a lock stored with stealable null or "false" answers unlocked (lock.ts:162)', async () => {
        for (const stealable of [null, 'false']) {
          const item = await target.newItem()
          const taken = await lock(owner, 'POST', item, { stealable })
          expect(taken.body.stealable).toBe(stealable)
          expect(await lock(owner, 'DELETE', item, { force: true })).toMatchObject({ status: 200, body: UNLOCKED })
          expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
        }
      })
    })

    describe('content PATCH', () => {
      it('with the current token saves and clears the lock (content.ts:753)', async () => {
        const item = await target.newItem()
        const token = await take(owner, item)
        expect((await save(owner, item, token)).status).toBe(204)
        expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
        expect((await target.call(other, 'GET', item)).body).toMatchObject({ title: 'Saved', lock: UNLOCKED })
        expect((await lock(other, 'POST', item)).body).toEqual(heldBy(other))
      })

      it('by another user with the current token saves and clears the lock (content.ts:660)', async () => {
        const item = await target.newItem()
        const token = await take(owner, item)
        expect((await save(other, item, token)).status).toBe(204)
        expect((await lock(owner, 'GET', item)).body).toEqual(UNLOCKED)
      })

      it('without the token or with a wrong one answers 401 Document locked, to the owner too (content.ts:665)', async () => {
        const item = await target.newItem()
        const taken = await lock(owner, 'POST', item)
        for (const [user, token] of [
          [owner, undefined],
          [other, undefined],
          [other, 'a95388f2-e4b3-4292-98aa-62656cbd5b9c'],
        ] as const) {
          const reply = await save(user, item, token)
          expect(reply.status).toBe(401)
          expect(reply.body).toEqual(DOCUMENT_LOCKED)
        }
        expect((await target.call(owner, 'GET', item)).body.title).not.toBe('Saved')
        expect((await lock(owner, 'GET', item)).body).toEqual(taken.body)
      })

      it('without a token over a lapsed lock saves and clears it, so another user may then DELETE @lock (content.ts:753)', async () => {
        const item = await target.newItem()
        await take(owner, item, { timeout: 1 })
        await target.wait(PAST_ONE_SECOND)
        expect((await save(other, item)).status).toBe(204)
        expect(await lock(other, 'DELETE', item)).toMatchObject({ status: 200, body: UNLOCKED })
      })

      it('answers 401 with a bare message to an anonymous save (handler.ts:110)', async () => {
        const item = await target.newItem()
        const reply = await save(null, item)
        expect(reply.status).toBe(401)
        expect(reply.body).toEqual(ANONYMOUS)
      })
    })

    describe('content DELETE', () => {
      it('deletes an item locked by another user; its @lock is then 404 (content.ts:786, handler.ts:70)', async () => {
        const item = await target.newItem()
        await take(owner, item)
        const reply = await target.call(other, 'DELETE', item)
        expect(reply.status).toBe(204)
        const gone = await lock(owner, 'GET', item)
        expect(gone.status).toBe(404)
        expect(gone.body).toEqual({ error: `Not found: ${item}` })
      })
    })
  })
}
