import { QueryClient } from '@tanstack/react-query'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { TestContext } from 'vitest'
import { createLockClient, useLock, useLockedSave, useLockStatus } from '../../src'
import type { LockResult, UseLockOptions } from '../../src'
import { nickConformance } from '../conformance/nick.cases'
import { ploneConformance } from '../conformance/plone.cases'
import { liveSettingsFromEnv, liveTarget } from '../conformance/target'
import type { ConformanceUser } from '../conformance/target'
import { Providers } from '../utils'

// `npm run test:live`: the conformance cases of the server's dialect and the hooks' main scenarios, against a real
// plone.restapi or Nick named by the environment (see docs/live-server.md). The runner checks the variables first.

const settings = liveSettingsFromEnv(process.env)
if ('missing' in settings) throw new Error(`Set ${settings.missing.join(', ')} to run the live tests.`)
const target = await liveTarget(settings)
const { owner, other } = target

afterEach(() => cleanup())
afterAll(() => target.cleanUp())

if (target.dialect === 'nick') nickConformance(target)
else ploneConformance(target)

/** How long another user may wait, after a release, until the item is theirs. */
const FREED_WITHIN = 5_000
const WAIT = { timeout: 10_000, interval: 100 }

function wrapperFor(user: ConformanceUser) {
  const client = createLockClient({ apiPath: target.apiPath, token: user.jwt })
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  return function Wrapper({ children }: { children: ReactNode }) {
    return (
      <Providers client={client} queryClient={queryClient}>
        {children}
      </Providers>
    )
  }
}

function editor(user: ConformanceUser, path: string, options: UseLockOptions = {}) {
  return renderHook(
    () => ({
      lock: useLock(path, options) as LockResult,
      save: useLockedSave<unknown, { title: string }>(path),
      status: useLockStatus(path),
    }),
    { wrapper: wrapperFor(user) },
  )
}

/** Polls as another user with raw POSTs until the item is theirs; returns how long that took. */
async function freedFor(user: ConformanceUser, path: string, context: TestContext): Promise<number> {
  const start = Date.now()
  for (;;) {
    const answer = await target.call(user, 'POST', `${path}/@lock`)
    if (answer.status === 200 && answer.body?.creator === user.id) {
      const took = Date.now() - start
      await context.annotate(`free for ${user.id} after ${took} ms`)
      // Give it back, so that the item ends unlocked.
      await target.call(user, target.dialect === 'nick' ? 'PATCH' : 'DELETE', `${path}/@lock`, {
        body: target.dialect === 'nick' ? { timeout: 1, stealable: true } : {},
      })
      return took
    }
    if (Date.now() - start > FREED_WITHIN) return Date.now() - start
    await target.wait(250)
  }
}

async function held(user: ConformanceUser, path: string, options: UseLockOptions = {}) {
  const view = editor(user, path, options)
  await waitFor(() => expect(view.result.current.lock.status).toBe('held'), WAIT)
  return view
}

describe(`hooks against a live ${target.dialect === 'nick' ? 'Nick' : 'plone.restapi'}`, () => {
  it('holds the lock: the server shows it as the user’s', async () => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    const answer = await target.call(other, 'GET', `${path}/@lock`)
    expect(answer.body).toMatchObject({ locked: true, creator: owner.id })
    expect(alice.result.current.lock.lock?.token).toEqual(expect.any(String))
    act(() => alice.unmount())
  })

  it('another user sees the holder by name, read-only, in useLock and useLockStatus', async () => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    const bob = editor(other, path)
    await waitFor(() => expect(bob.result.current.lock.status).toBe('locked'), WAIT)
    expect(bob.result.current.lock).toMatchObject({ isLockedByOther: true, readOnly: true, canSave: false })
    expect(bob.result.current.lock.holder).toMatchObject({ id: owner.id, name: owner.fullname })
    expect(bob.result.current.lock.lock?.token).toBeNull()
    await waitFor(() => expect(bob.result.current.status.isLockedByOther).toBe(true), WAIT)
    act(() => {
      bob.unmount()
      alice.unmount()
    })
  })

  it(
    target.dialect === 'nick'
      ? 'take-over is refused by Nick, not offered again, and the holder keeps the lock'
      : 'take-over: the other user holds the lock, and the first is told at the next check',
    async () => {
      const path = await target.newItem()
      const alice = await held(owner, path, { touchInterval: 1000 })
      const bob = editor(other, path)
      await waitFor(() => expect(bob.result.current.lock.canTakeOver).toBe(true), WAIT)
      await act(() => bob.result.current.lock.takeOver())
      if (target.dialect === 'nick') {
        expect(bob.result.current.lock).toMatchObject({ status: 'locked', canTakeOver: false, error: { code: 'not-allowed' } })
        act(() => alice.result.current.lock.touch())
        await target.wait(500)
        expect(alice.result.current.lock.status).toBe('held')
      } else {
        expect(bob.result.current.lock.status).toBe('held')
        act(() => alice.result.current.lock.touch())
        await waitFor(() => expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over' }), WAIT)
        expect(alice.result.current.lock.holder?.id).toBe(other.id)
      }
      act(() => {
        bob.unmount()
        alice.unmount()
      })
    },
  )

  it('saves with the token; the item is free afterwards', async (context) => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    await act(() => alice.result.current.save.mutateAsync({ title: 'Saved with the lock' }))
    const item = await target.call(other, 'GET', path)
    expect(item.body.title).toBe('Saved with the lock')
    expect(alice.result.current.lock.status).toBe('released')
    expect(await freedFor(other, path, context)).toBeLessThanOrEqual(FREED_WITHIN)
    act(() => alice.unmount())
  })

  it('a save without the lock is refused by the server and changes nothing', async () => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    const refused = await target.call(other, 'PATCH', path, { body: { title: 'Overwritten' } })
    expect([401, 403]).toContain(refused.status)
    expect((await target.call(other, 'GET', path)).body.title).not.toBe('Overwritten')
    act(() => alice.unmount())
  })

  it('cancel (release) frees the item for another user within 5 s', async (context) => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    await act(() => alice.result.current.lock.release())
    expect(alice.result.current.lock.status).toBe('released')
    expect(await freedFor(other, path, context)).toBeLessThanOrEqual(FREED_WITHIN)
    act(() => alice.unmount())
  })

  it('cancel, then open the item again at once: the new form holds a lock that lasts', async () => {
    const path = await target.newItem()
    const first = await held(owner, path)
    await act(() => first.result.current.lock.release())
    act(() => first.unmount())
    const again = await held(owner, path)
    // On Nick the release left a one-second lock; the form must not be left holding that one.
    await target.wait(3_000)
    const lock = await target.call(other, 'GET', `${path}/@lock`)
    expect(lock.body).toMatchObject({ locked: true, creator: owner.id })
    expect(again.result.current.lock.status).toBe('held')
    act(() => again.unmount())
  })

  it('unmounting the form frees the item for another user within 5 s', async (context) => {
    const path = await target.newItem()
    const alice = await held(owner, path)
    act(() => alice.unmount())
    expect(await freedFor(other, path, context)).toBeLessThanOrEqual(FREED_WITHIN)
  })

  it('closing the page (pagehide, one keepalive request) frees the item within 5 s', async (context) => {
    const path = await target.newItem()
    const alice = await held(owner, path, { releaseOnUnmount: false })
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
    })
    expect(alice.result.current.lock.status).toBe('released')
    expect(await freedFor(other, path, context)).toBeLessThanOrEqual(FREED_WITHIN)
    act(() => alice.unmount())
  })

  it('a lost lock is detected: the editor is told who holds it now, and a save is refused without a request', async () => {
    const path = await target.newItem()
    const alice = await held(owner, path, { touchInterval: 1000 })
    if (target.dialect === 'nick') {
      // Another client (not this library) saves with the token Nick shows to every reader, which clears the lock,
      // and then locks the item itself.
      const lock = await target.call(other, 'GET', `${path}/@lock`)
      expect((await target.call(other, 'PATCH', path, { body: { title: 'Theirs' }, lockToken: lock.body.token as string })).status).toBe(204)
      expect((await target.call(other, 'POST', `${path}/@lock`)).status).toBe(200)
    } else {
      expect((await target.call(other, 'DELETE', `${path}/@lock`, { body: { force: true } })).status).toBe(200)
      expect((await target.call(other, 'POST', `${path}/@lock`)).body.creator).toBe(other.id)
    }
    act(() => alice.result.current.lock.touch())
    await waitFor(() => expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over' }), WAIT)
    expect(alice.result.current.lock.holder?.id).toBe(other.id)
    await act(async () => {
      await expect(alice.result.current.save.mutateAsync({ title: 'Mine' })).rejects.toMatchObject({ code: 'not-held' })
    })
    act(() => alice.unmount())
  })
})
