import { focusManager } from '@tanstack/react-query'
import { act, render, renderHook } from '@testing-library/react'
import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { createLockClient, useLock, useLockedSave } from '../src'
import type { LockClient, LockResult, LostReason, UseLockOptions } from '../src'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { RELEASE_GRACE } from '../src/core/lockLease'
import { clientFor, dialects, expectReleased, newQueryClient, Providers, releaseRequest, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath } from './utils'

const msw = setupMsw()

setupFakeTimers(() => focusManager.setFocused(undefined))

function wrapperFor(client: LockClient, strict = false) {
  const queryClient = newQueryClient()
  return function Wrapper({ children }: { children: ReactNode }) {
    const tree = (
      <Providers client={client} queryClient={queryClient}>
        {children}
      </Providers>
    )
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
}

function editor(server: LockServer, user: string, path: string, options: UseLockOptions = {}) {
  const client = clientFor(server, user)
  return renderHook(
    () => ({ lock: useLock(path, options) as LockResult, save: useLockedSave<unknown, { title: string }>(path) }),
    { wrapper: wrapperFor(client) },
  )
}

async function settle() {
  await tick(0)
  await tick(0)
}

/** A fresh server and path, and Alice's editor on it once it has taken the lock. */
async function aliceEditing(dialect: SimulatedDialect, options: UseLockOptions = {}) {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  const alice = editor(server, 'alice', path, options)
  await settle()
  return { server, path, alice }
}

/** Alice opens `path` and takes the lock; then Bob opens it and finds it locked. */
async function aliceThenBob(server: LockServer, path: string, aliceOptions: UseLockOptions = {}) {
  const alice = editor(server, 'alice', path, aliceOptions)
  await settle()
  const bob = editor(server, 'bob', path)
  await settle()
  return { alice, bob }
}

/** Every lock refresh and check fails at the network, until `server.reset()`. */
function lockRequestsFail(server: LockServer) {
  server.fail({ method: 'PATCH', endpoint: 'lock' }, { networkError: true, times: 1000 })
  server.fail({ method: 'GET', endpoint: 'lock' }, { networkError: true, times: 1000 })
}

describe.each(dialects)('two users on one document (%s)', (dialect) => {
  it("the second user sees the first one's lock, by name and time", async () => {
    const { server, path, alice } = await aliceEditing(dialect)
    expect(alice.result.current.lock).toMatchObject({ status: 'held', isHeld: true, readOnly: false, canSave: true })
    const bob = editor(server, 'bob', path)
    await settle()
    const view = bob.result.current.lock
    expect(view).toMatchObject({ status: 'locked', isLockedByOther: true, readOnly: true, canSave: false, canTakeOver: true })
    expect(view.holder).toMatchObject({ id: 'alice', name: 'Alice Archer' })
    expect(view.since).toBeInstanceOf(Date)
    expect(view.lock?.token).toBeNull()
    expect(requests(server, { user: 'bob' })).toEqual(dialect === 'plone' ? ['POST lock'] : ['POST lock', 'GET lock'])
  })

  if (dialect === 'plone') {
    it('take-over: Bob holds it, and Alice (visible tab) is told within the check interval, text kept', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const onLost = vi.fn<(reason: LostReason) => void>()
      const { alice, bob } = await aliceThenBob(server, path, { onLost })
      await act(() => bob.result.current.lock.takeOver())
      expect(bob.result.current.lock.status).toBe('held')
      expect(server.getLock(path)?.user).toBe('bob')
      expect(alice.result.current.lock.status).toBe('held')
      await tick(30_000)
      expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over', readOnly: true, canSave: false })
      expect(alice.result.current.lock.holder?.id).toBe('bob')
      expect(onLost).toHaveBeenCalledWith('taken-over', expect.objectContaining({ locked: true }))
    })

    it("take-over: Alice's check between Bob's forced DELETE and his POST sees no lock, and the next one names Bob", async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const onLost = vi.fn<(reason: LostReason) => void>()
      const { alice, bob } = await aliceThenBob(server, path, { onLost, checkInterval: 2_000 })
      // Bob's POST is slow: Alice's check comes while there is no lock at all.
      server.fail({ method: 'POST', endpoint: 'lock', path }, { delay: 3_000 })
      let takingOver: Promise<void> = Promise.resolve()
      act(() => {
        takingOver = bob.result.current.lock.takeOver()
      })
      await tick(2_500)
      expect(server.getLock(path)).toBeNull()
      expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'released-by-server' })
      await tick(1_000)
      await takingOver
      expect(server.getLock(path)?.user).toBe('bob')
      await tick(2_000)
      expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over', holder: { id: 'bob' } })
      expect(onLost).toHaveBeenCalledTimes(1)
    })

    it('take-over: Alice learns right after her next touch()', async () => {
      const { server, path, alice } = await aliceEditing(dialect)
      await tick(11_000)
      const bob = editor(server, 'bob', path)
      await settle()
      await act(() => bob.result.current.lock.takeOver())
      act(() => alice.result.current.lock.touch())
      await settle()
      expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over' })
    })
  } else {
    it('take-over: Nick refuses, Bob gets not-allowed and stays locked; Alice keeps the lock', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { alice, bob } = await aliceThenBob(server, path)
      await act(() => bob.result.current.lock.takeOver())
      expect(bob.result.current.lock.status).toBe('locked')
      expect(bob.result.current.lock.error?.code).toBe('not-allowed')
      expect(alice.result.current.lock.status).toBe('held')
      expect(server.getLock(path)?.user).toBe('alice')
    })

    it('take-over: once Nick refused, it is not offered again for that holder, and the reason stays on screen', async () => {
      const server = startSimulation(msw, dialect)
      const path = uniquePath()
      const { alice, bob } = await aliceThenBob(server, path)
      expect(bob.result.current.lock.canTakeOver).toBe(true)
      await act(() => bob.result.current.lock.takeOver())
      expect(bob.result.current.lock).toMatchObject({ status: 'locked', canTakeOver: false, error: { code: 'not-allowed' } })
      // Alice's refreshes rotate her token and `created`; Bob's checks see her lock again and again.
      await tick(400_000)
      expect(requests(server, { user: 'bob' }).filter((r) => r === 'GET lock').length).toBeGreaterThan(5)
      expect(bob.result.current.lock).toMatchObject({ status: 'locked', canTakeOver: false, error: { code: 'not-allowed' } })
      // Once Alice lets go and Carol locks it, Carol's lock may be taken over again.
      await act(() => alice.result.current.lock.release())
      await tick(2_000)
      server.setLock(path, { user: 'carol' })
      await tick(30_000)
      expect(bob.result.current.lock.holder?.id).toBe('carol')
      expect(bob.result.current.lock).toMatchObject({ canTakeOver: true, error: null })
    })
  }

  it('shows when the holder began editing, not their last refresh', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { alice, bob } = await aliceThenBob(server, path)
    const began = bob.result.current.lock.since
    expect(began).toBeInstanceOf(Date)
    // Two refreshes later both servers have moved `created` forward.
    await tick(420_000)
    expect(bob.result.current.lock.lock?.created?.getTime()).toBeGreaterThan(began!.getTime() + 300_000)
    expect(bob.result.current.lock.since).toEqual(began)
    expect(alice.result.current.lock.since).toEqual(began)
  })

  it("a read-only editor looks again right after the holder's lock is due to lapse, not at the next 30 s check", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    // Alice's tab went away 9 minutes and 55 seconds ago without giving the lock back.
    server.setLock(path, { user: 'alice', created: new Date(Date.now() - 595_000) })
    const bob = editor(server, 'bob', path)
    await settle()
    expect(bob.result.current.lock.status).toBe('locked')
    await tick(8_000)
    expect(bob.result.current.lock.status).toBe('idle')
    expect(requests(server, { user: 'bob' }).filter((r) => r === 'GET lock').length).toBeLessThanOrEqual(dialect === 'nick' ? 2 : 1)
  })

  it('a non-stealable lock offers no take-over', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { bob } = await aliceThenBob(server, path, { stealable: false })
    expect(bob.result.current.lock).toMatchObject({ status: 'locked', canTakeOver: false })
    await act(() => bob.result.current.lock.takeOver())
    expect(bob.result.current.lock.error?.code).toBe('not-allowed')
    expect(requests(server, { user: 'bob' }).filter((r) => r.startsWith('DELETE'))).toEqual([])
  })

  it('when the holder lets go, the read-only editor sees the item free (idle) and can take it', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { alice, bob } = await aliceThenBob(server, path)
    await act(() => alice.result.current.lock.release())
    await tick(30_000)
    expect(bob.result.current.lock).toMatchObject({ status: 'idle', readOnly: true, canSave: false })
    await act(() => bob.result.current.lock.acquire())
    expect(bob.result.current.lock.status).toBe('held')
  })
})

describe.each(dialects)('one lock per path (%s)', (dialect) => {
  it('StrictMode and ten components: one POST; no DELETE until the last unmounts, then exactly one', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const statuses: string[] = []
    function Probe() {
      statuses.push(useLock(path).status)
      return null
    }
    function Page({ count }: { count: number }) {
      return (
        <>
          {Array.from({ length: count }, (_, i) => (
            <Probe key={i} />
          ))}
        </>
      )
    }
    const client = clientFor(server, 'alice')
    const page = render(<Page count={10} />, { wrapper: wrapperFor(client, true) })
    await settle()
    expect(statuses.at(-1)).toBe('held')
    expect(requests(server, { path })).toEqual(['POST lock'])
    page.rerender(<Page count={1} />)
    await tick(1000)
    expect(requests(server, { path })).toEqual(['POST lock'])
    page.unmount()
    await settle()
    // Kept for a moment, for a component that comes straight back (a route remount, a hidden <Activity>).
    expect(requests(server, { path })).toEqual(['POST lock'])
    await tick(RELEASE_GRACE)
    expect(requests(server, { path })).toEqual(['POST lock', releaseRequest(dialect)])
    await expectReleased(server, path)
  })
})

describe.each(dialects)('keeping the lock alive (%s)', (dialect) => {
  it('a transient refresh failure keeps the lock and exposes the error; the retry succeeds', async () => {
    const { server, path, alice } = await aliceEditing(dialect, { checkInterval: false })
    server.fail({ method: 'PATCH', endpoint: 'lock' }, { status: 503 })
    await tick(200_000)
    expect(alice.result.current.lock.status).toBe('held')
    expect(alice.result.current.lock.error).toMatchObject({ code: 'http', status: 503 })
    await tick(1_000)
    expect(alice.result.current.lock).toMatchObject({ status: 'held', error: null })
    expect(requests(server, { path })).toEqual(['POST lock', 'PATCH lock', 'PATCH lock'])
  })

  it('after expiry with nobody else holding it, the lock is taken again quietly and counted', async () => {
    const { server, path, alice } = await aliceEditing(dialect, { checkInterval: false })
    lockRequestsFail(server)
    await tick(700_000)
    expect(server.getLock(path)).toBeNull()
    server.reset()
    await tick(31_000)
    expect(alice.result.current.lock).toMatchObject({ status: 'held', interruptions: 1 })
    expect(server.getLock(path)?.user).toBe('alice')
  })

  it('after expiry with another user holding it, the lease is lost', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const onLost = vi.fn()
    const alice = editor(server, 'alice', path, { checkInterval: false, onLost })
    await settle()
    lockRequestsFail(server)
    await tick(650_000)
    server.reset()
    server.setLock(path, { user: 'bob' })
    await tick(31_000)
    expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'expired' })
    expect(onLost).toHaveBeenCalledTimes(1)
  })

  it('a hidden tab only refreshes; it checks again when visible', async () => {
    const { server, path } = await aliceEditing(dialect)
    act(() => focusManager.setFocused(false))
    await tick(120_000)
    expect(requests(server, { path })).toEqual(['POST lock'])
    act(() => focusManager.setFocused(true))
    await settle()
    expect(requests(server, { path })).toEqual(['POST lock', 'GET lock'])
  })
})

describe.each(dialects)('saving with the lock (%s)', (dialect) => {
  it("Nick's rotating token: a save after several refreshes uses the current token and succeeds", async () => {
    const { server, path, alice } = await aliceEditing(dialect)
    await tick(650_000)
    expect(requests(server, { path }).filter((r) => r === 'PATCH lock').length).toBeGreaterThanOrEqual(3)
    await act(() => alice.result.current.save.mutateAsync({ title: 'Saved' }))
    expect(server.getContent(path)?.title).toBe('Saved')
    expect(server.log.find((e) => e.endpoint === 'content')).toMatchObject({ status: 204, lockToken: 'valid' })
  })

  it('after a successful save the lock is released', async () => {
    const { server, path, alice } = await aliceEditing(dialect)
    await act(() => alice.result.current.save.mutateAsync({ title: 'Done' }))
    expect(alice.result.current.lock).toMatchObject({ status: 'released', readOnly: true })
    expect(server.getLock(path)).toBeNull()
    // Nick already cleared it on save: no needless DELETE.
    expect(requests(server, { path })).toEqual(
      dialect === 'plone' ? ['POST lock', 'PATCH content', 'DELETE lock'] : ['POST lock', 'PATCH content'],
    )
  })

  it('a save while locked sends nothing and rejects with not-held; the variables stay', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { bob } = await aliceThenBob(server, path)
    const before = server.log.length
    await act(async () => {
      await expect(bob.result.current.save.mutateAsync({ title: 'Bob was here' })).rejects.toMatchObject({ code: 'not-held' })
    })
    await tick(0)
    expect(server.log.length).toBe(before)
    expect(bob.result.current.save.variables).toEqual({ title: 'Bob was here' })
    expect(bob.result.current.save.error?.code).toBe('not-held')
  })

  it('a save refused by the server marks the lease lost', async () => {
    const { server, path, alice } = await aliceEditing(dialect, { checkInterval: false })
    server.setLock(path, { user: 'bob' })
    await act(async () => {
      await expect(alice.result.current.save.mutateAsync({ title: 'Mine' })).rejects.toMatchObject({ code: 'locked' })
    })
    expect(alice.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'taken-over' })
    expect(server.getContent(path)?.title).not.toBe('Mine')
    const count = server.log.length
    await act(async () => {
      await expect(alice.result.current.save.mutateAsync({ title: 'Mine' })).rejects.toMatchObject({ code: 'not-held' })
    })
    expect(server.log.length).toBe(count)
  })

  it('a save while the lock is being taken waits for it', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.fail({ method: 'POST', endpoint: 'lock' }, { delay: 500 })
    const alice = editor(server, 'alice', path)
    await tick(0)
    expect(alice.result.current.lock.status).toBe('acquiring')
    let saved = false
    const pending = alice.result.current.save.mutateAsync({ title: 'Early' }).then(() => (saved = true))
    await tick(600)
    await act(() => pending)
    expect(saved).toBe(true)
    expect(server.log.find((e) => e.endpoint === 'content')?.lockToken).toBe('valid')
  })

  it('an item the server does not lock: unavailable, and saves without a token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Plain', lockable: false })
    const alice = editor(server, 'alice', path)
    await settle()
    expect(alice.result.current.lock).toMatchObject({ status: 'unavailable', canSave: true, readOnly: false })
    await act(() => alice.result.current.save.mutateAsync({ title: 'Edited' }))
    expect(server.getContent(path)?.title).toBe('Edited')
    expect(server.log.at(-1)).toMatchObject({ endpoint: 'content', lockToken: 'none', status: 204 })
  })
})

describe.each(dialects)('the page going away (%s)', (dialect) => {
  it('pagehide sends one keepalive release with Authorization; pageshow from the cache takes the lock again', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const sent: { method: string; keepalive: boolean; auth: string | null }[] = []
    const jwt = server.tokenFor('alice')
    const client = clientFor(server, 'alice', {
      token: jwt,
      fetch: (input, init) => {
        sent.push({ method: init?.method ?? 'GET', keepalive: init?.keepalive === true, auth: new Headers(init?.headers).get('Authorization') })
        return globalThis.fetch(input, init)
      },
    })
    const alice = renderHook(() => useLock(path), { wrapper: wrapperFor(client) })
    await settle()
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    })
    await settle()
    const method = releaseRequest(dialect).split(' ')[0]
    expect(sent.filter((r) => r.keepalive)).toEqual([{ method, keepalive: true, auth: `Bearer ${jwt}` }])
    expect(alice.result.current.status).toBe('released')
    await expectReleased(server, path)
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    })
    await settle()
    expect(alice.result.current.status).toBe('held')
    expect(server.getLock(path)?.user).toBe('alice')
  })
})

describe('re-renders', () => {
  it('a form that reads status and readOnly renders twice to held, and not at all for refreshes and checks', async () => {
    const server = startSimulation(msw, 'nick')
    const path = uniquePath()
    let renders = 0
    const seen: string[] = []
    function Form() {
      renders += 1
      const lock = useLock(path)
      seen.push(`${lock.status}/${lock.readOnly}`)
      return null
    }
    render(<Form />, { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await settle()
    expect(seen).toEqual(['acquiring/false', 'held/false'])
    await tick(650_000)
    expect(requests(server, { path }).filter((r) => r === 'PATCH lock').length).toBeGreaterThanOrEqual(3)
    expect(renders).toBe(2)
  })

  it('a field read for the first time after a skipped render is current', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const views: LockResult[] = []
    function Form() {
      const lock = useLock(path)
      views.push(lock)
      return <output>{lock.status}</output>
    }
    render(<Form />, { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await settle()
    await tick(210_000)
    const token = server.getLock(path)?.token
    expect(views.at(-1)?.lock?.token).toBe(token)
    expect(views.at(-1)?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 500_000)
  })
})

describe('review cases', () => {
  it("Nick, saving without giving the lock back: the lock Nick drops on save is taken again at once", async () => {
    const server = startSimulation(msw, 'nick')
    const path = uniquePath()
    const { result } = renderHook(
      () => ({ lock: useLock(path), save: useLockedSave<unknown, { title: string }>(path, { releaseOnSuccess: false }) }),
      { wrapper: wrapperFor(clientFor(server, 'alice')) },
    )
    await settle()
    await act(async () => {
      await result.current.save.mutateAsync({ title: 'Draft 1' })
    })
    expect(result.current.lock.status).toBe('held')
    expect(server.getLock(path)?.user).toBe('alice')
    expect(requests(server, { path })).toEqual(['POST lock', 'PATCH content', 'POST lock'])
    await act(async () => {
      await result.current.save.mutateAsync({ title: 'Draft 2' })
    })
    expect(server.getContent(path)?.title).toBe('Draft 2')
  })

  it.each(dialects)('a save after the lock lapsed in an outage looks first: someone holds it now, so nothing is sent (%s)', async (dialect) => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result } = renderHook(
      () => ({ lock: useLock(path, { lockTimeout: 120_000, checkInterval: false }), save: useLockedSave<unknown, { title: string }>(path) }),
      { wrapper: wrapperFor(clientFor(server, 'alice')) },
    )
    await settle()
    await tick(0)
    expect(result.current.lock.status).toBe('held')
    server.fail({ endpoint: 'lock' }, { status: 503, times: Infinity })
    await tick(125_000)
    server.clearFaults()
    server.setLock(path, { user: 'bob' })
    await act(async () => {
      await expect(result.current.save.mutateAsync({ title: 'Stale' })).rejects.toMatchObject({ code: 'not-held' })
    })
    expect(result.current.lock).toMatchObject({ status: 'lost', lostReason: 'expired' })
    expect(server.log.filter((e) => e.endpoint === 'content')).toEqual([])
  })

  it('a new client given to the provider (a renewed login): the form joins its leases and saves with a token', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const queryClient = newQueryClient()
    const first = clientFor(server, 'alice')
    let view: { lock: LockResult; save: ReturnType<typeof useLockedSave<unknown, { title: string }>> } | null = null
    function Form() {
      view = { lock: useLock(path), save: useLockedSave<unknown, { title: string }>(path) }
      return null
    }
    const page = render(
      <Providers client={first} queryClient={queryClient}>
        <Form />
      </Providers>,
    )
    await settle()
    expect(view!.lock.status).toBe('held')
    page.rerender(
      <Providers client={clientFor(server, 'alice')} queryClient={queryClient}>
        <Form />
      </Providers>,
    )
    await settle()
    await tick(10)
    expect(view!.lock.status).toBe('held')
    await act(async () => {
      await view!.save.mutateAsync({ title: 'After a new login' })
    })
    expect(server.getContent(path)?.title).toBe('After a new login')
    expect(server.log.find((e) => e.endpoint === 'content')).toMatchObject({ status: 204, lockToken: 'valid' })
  })

  it('a form opened after the provider got a new client locks with the new one', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const queryClient = newQueryClient()
    const expired = createLockClient({ apiPath: server.apiPath, token: 'not-a-valid-login' })
    let lock: LockResult | null = null
    function Form() {
      lock = useLock(path)
      return null
    }
    const page = render(<Providers client={expired} queryClient={queryClient} />)
    page.rerender(
      <Providers client={clientFor(server, 'alice')} queryClient={queryClient}>
        <Form />
      </Providers>,
    )
    await settle()
    expect(lock!.status).toBe('held')
    expect(server.getLock(path)?.user).toBe('alice')
    expect(server.log.filter((e) => e.endpoint === 'lock').map((e) => [e.method, e.user, e.status])).toEqual([['POST', 'alice', 200]])
  })
})

describe('take-over acts on what the user saw', () => {
  it('when the lock changed hands since it was shown, nothing is forced and the new holder is shown (plone)', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const alice = editor(server, 'alice', path, { checkInterval: false })
    await settle()
    expect(alice.result.current.lock.holder?.id).toBe('bob')
    server.setLock(path, { user: 'carol' })
    await act(() => alice.result.current.lock.takeOver())
    expect(alice.result.current.lock.status).toBe('locked')
    expect(alice.result.current.lock.error?.code).toBe('not-allowed')
    expect(alice.result.current.lock.holder?.id).toBe('carol')
    expect(server.getLock(path)?.user).toBe('carol')
    expect(requests(server, { path, user: 'alice' }).filter((r) => r.startsWith('DELETE'))).toEqual([])
  })
})
