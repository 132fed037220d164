import { act, fireEvent, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { acquireLock, clearDrafts, createLockClient, DEFAULT_DRAFT_MAX_AGE, saveWithLock, useDraft, useLockedSave } from '../src'
import { createTabNetwork } from '../src/testing'
import type { LockServer } from '../src/testing'
import { openForm, stored } from './draftForm'
import { MemoryStorage, quotaExceeded } from './memoryStorage'
import { clientFor, dialects, newQueryClient, Providers, rejection, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath } from './utils'

const msw = setupMsw()

setupFakeTimers()

/** Lets the form load the item and take the lock. */
async function settle() {
  await tick(60)
  await tick(0)
}

/** Another user saves the item as the server allows: with their own lock, which they then give back. */
async function bobSaves(server: LockServer, path: string, title: string) {
  const bob = clientFor(server, 'bob')
  const taken = await acquireLock(bob, path)
  expect(taken.outcome).toBe('held')
  await saveWithLock(bob, path, { title }, { token: taken.lock.token })
  server.setLock(path, null)
}

/** Someone else's lock replaces Alice's on the server, as a take-over or an expiry followed by their POST does. */
function lockTakenBy(server: LockServer, path: string, user: string) {
  server.setLock(path, { user })
}

describe('writes', () => {
  it('throttled: one write for a burst of typing, with the values, when and what they were edited from', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    const modified = server.getContent(path)?.modified
    const typedAt = Date.now()
    form.type('Report 1')
    await tick(300)
    form.type('Report 12')
    await tick(300)
    form.type('Report 123')
    await tick(300)
    expect(storage.writes).toBe(0)
    await tick(200)
    expect(storage.writes).toBe(1)
    const draft = stored(storage, alice, path)
    expect(draft).toEqual({ values: { title: 'Report 123' }, savedAt: expect.any(Number), base: modified, expiresAt: expect.any(Number) })
    expect(draft?.savedAt).toBeGreaterThanOrEqual(typedAt + 1_000)
    expect(draft?.savedAt).toBeLessThanOrEqual(Date.now())
    expect(draft?.expiresAt).toBe((draft?.savedAt ?? 0) + DEFAULT_DRAFT_MAX_AGE)
    expect(form.seen.draft.storedAt).toEqual(new Date(draft?.savedAt ?? NaN))
    await tick(5_000)
    expect(storage.writes).toBe(1)
  })

  it('writes nothing while the values are the server’s, and removes the draft when typing is undone', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    await tick(5_000)
    expect(storage.writes).toBe(0)
    form.type('Report!')
    await tick(1_000)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Report!' })
    form.type('Report')
    await tick(1_000)
    expect(stored(storage, alice, path)).toBeNull()
    expect(form.seen.draft.storedAt).toBeNull()
  })

  it('writes a pending change at once when the page goes away, and when the form closes', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Typed just before closing the tab')
    await tick(10)
    act(() => {
      window.dispatchEvent(new Event('pagehide'))
    })
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed just before closing the tab' })

    const other = uniquePath()
    const next = openForm(alice, { path: other, storage })
    await settle()
    next.type('Typed just before leaving the form')
    await tick(10)
    next.unmount()
    expect(stored(storage, alice, other)?.values).toEqual({ title: 'Typed just before leaving the form' })
  })

  it.each(dialects)('stores no token and no lock data (%s)', async (dialect) => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Secret plans')
    await tick(1_000)
    const lockToken = server.getLock(path)?.token ?? ''
    expect(lockToken).not.toBe('')
    const everything = storage.keys().map((key) => key + (storage.getItem(key) ?? '')).join('\n')
    expect(everything).toContain('Secret plans')
    expect(everything).not.toContain(lockToken)
    expect(everything).not.toContain(server.tokenFor('alice').split('.')[1])
    expect(Object.keys(stored(storage, alice, path) ?? {})).toEqual(['values', 'savedAt', 'base', 'expiresAt'])
  })
})

describe.each(dialects)('offers it back (%s)', (dialect) => {
  it('after a reload: the draft, when it was saved, unchanged on the server; restore puts it in the form', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = openForm(alice, { path, storage })
    await settle()
    first.type('Report, half done')
    await tick(1_000)
    const savedAt = stored(storage, alice, path)?.savedAt
    first.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves

    const again = openForm(alice, { path, storage })
    await settle()
    expect(again.title().value).toBe('Report')
    expect(again.seen.draft.offer).toMatchObject({ values: { title: 'Report, half done' }, changedSince: false })
    expect(again.seen.draft.offer?.savedAt).toEqual(new Date(savedAt ?? NaN))
    fireEvent.click(again.getByRole('button', { name: 'Restore' }))
    expect(again.title().value).toBe('Report, half done')
    expect(again.seen.draft.offer).toBeNull()
    expect(again.seen.draft.changedOnServer).toBe(false)
    expect(again.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(false)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Report, half done' })
  })

  it('discard throws it away and leaves the server’s text', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = openForm(alice, { path, storage })
    await settle()
    first.type('Not wanted')
    first.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    const again = openForm(alice, { path, storage })
    await settle()
    fireEvent.click(again.getByRole('button', { name: 'Discard' }))
    expect(again.seen.draft.offer).toBeNull()
    expect(again.title().value).toBe('Report')
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
  })

  it('says the item changed on the server since the draft began, and keeps saying so after a restore', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = openForm(alice, { path, storage })
    await settle()
    const base = server.getContent(path)?.modified
    first.type('Alice’s report')
    first.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    await bobSaves(server, path, 'Bob’s report')

    const again = openForm(alice, { path, storage })
    await settle()
    expect(again.title().value).toBe('Bob’s report')
    expect(again.seen.draft.offer).toMatchObject({ values: { title: 'Alice’s report' }, basedOn: base, changedSince: true })
    fireEvent.click(again.getByRole('button', { name: 'Restore' }))
    expect(again.seen.draft.changedOnServer).toBe(true)
    expect(again.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true)
    act(() => again.seen.draft.rebase())
    expect(again.seen.draft.changedOnServer).toBe(false)
    expect(stored(storage, alice, path)).toMatchObject({ values: { title: 'Alice’s report' }, base: server.getContent(path)?.modified })
  })

  it('is not offered when it holds what the form starts with; that draft is removed', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = openForm(alice, { path, storage })
    await settle()
    first.type('Same as Bob’s')
    first.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    await bobSaves(server, path, 'Same as Bob’s')
    const again = openForm(alice, { path, storage })
    await settle()
    expect(again.seen.draft.offer).toBeNull()
    expect(stored(storage, alice, path)).toBeNull()
  })

  it('is offered only once this tab may edit: not while another user holds the lock', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = openForm(alice, { path, storage })
    await settle()
    first.type('Alice’s text')
    first.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    server.setLock(path, { user: 'bob' })
    const again = openForm(alice, { path, storage })
    await settle()
    expect(again.seen.lock.status).toBe('locked')
    expect(again.seen.draft.offer).toBeNull()
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s text' })
    server.setLock(path, null)
    await act(() => again.seen.lock.acquire())
    await settle()
    expect(again.seen.lock.status).toBe('held')
    expect(again.seen.draft.offer?.values).toEqual({ title: 'Alice’s text' })
  })
})

describe.each(dialects)('knows when the item moved on without it (%s)', (dialect) => {
  it('lock lost, another user saves, the lock is taken back: checks the item, says it changed, before any save', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Alice’s report')
    await tick(1_000)
    lockTakenBy(server, path, 'bob')
    await tick(30_000)
    expect(form.seen.lock.status).toBe('lost')
    await bobSaves(server, path, 'Bob’s report')
    const contentGets = requests(server, { path, user: 'alice' }).filter((r) => r === 'GET content').length

    await act(() => form.seen.lock.acquire())
    expect(form.seen.lock.status).toBe('held')
    await settle()
    expect(form.seen.checking).toContain(true)
    expect(form.seen.draft.checking).toBe(false)
    expect(requests(server, { path, user: 'alice' }).filter((r) => r === 'GET content').length).toBe(contentGets + 1)
    expect(form.seen.draft.changedOnServer).toBe(true)
    expect(form.title().value).toBe('Alice’s report')
    expect(form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s report' })
    expect(server.getContent(path)?.title).toBe('Bob’s report')
  })

  it('a check that fails keeps Save waiting until the item arrives again, or the editor chooses to save anyway', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Alice’s report')
    lockTakenBy(server, path, 'bob')
    await tick(30_000)
    await bobSaves(server, path, 'Bob’s report')
    server.fail({ method: 'GET', endpoint: 'content' }, { status: 503 })
    await act(() => form.seen.lock.acquire())
    await settle()
    expect(form.seen.lock.status).toBe('held')
    expect(form.seen.draft.checking).toBe(true)
    expect(form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true)

    // The content query fetches again when the tab is shown; this time the server answers.
    act(() => {
      window.dispatchEvent(new Event('visibilitychange'))
    })
    await settle()
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: true })

    act(() => form.seen.draft.rebase())
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: false })
    expect(form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(false)
  })

  it('no alarm when nobody saved in between', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Alice’s report')
    lockTakenBy(server, path, 'bob')
    await tick(30_000)
    server.setLock(path, null)
    await act(() => form.seen.lock.acquire())
    await settle()
    expect(form.seen.checking).toContain(true)
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: false })
    expect(form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(false)
  })

  it('a form that shows the server’s text (nothing typed) follows it without alarm', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    lockTakenBy(server, path, 'bob')
    await tick(30_000)
    await bobSaves(server, path, 'Bob’s report')
    await act(() => form.seen.lock.acquire())
    await settle()
    expect(form.title().value).toBe('Bob’s report')
    expect(form.seen.draft.changedOnServer).toBe(false)
    expect(storage.writes).toBe(0)
  })
})

describe.each(dialects)('clears it (%s)', (dialect) => {
  it('after a successful save of the path, and does not write it again', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Final text')
    await tick(1_000)
    expect(stored(storage, alice, path)).not.toBeNull()
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await settle()
    expect(server.getContent(path)?.title).toBe('Final text')
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
    expect(form.seen.draft).toMatchObject({ storedAt: null, changedOnServer: false })
  })

  it('not after a save of another path', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const other = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Kept')
    await tick(1_000)
    const otherSave = renderHook(() => useLockedSave(other), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <Providers client={alice} queryClient={newQueryClient()}>
          {children}
        </Providers>
      ),
    })
    await act(() => otherSave.result.current.mutateAsync({ title: 'Elsewhere' }))
    expect(server.getContent(other)?.title).toBe('Elsewhere')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Kept' })
  })

  it('with discard()', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Cancelled')
    await tick(1_000)
    act(() => form.seen.draft.discard())
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
    form.type('Typed after the discard')
    await tick(1_000)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed after the discard' })
  })
})

describe.each(dialects)('keeps it (%s)', (dialect) => {
  it('when the lock is lost, and when a save is then refused without a request', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Work in progress')
    await tick(1_000)
    const kept = stored(storage, alice, path)
    lockTakenBy(server, path, 'bob')
    await tick(30_000)
    expect(form.seen.lock.status).toBe('lost')
    const refusal = await rejection(form.seen.save.mutateAsync({ title: 'Work in progress' }))
    expect(refusal.code).toBe('not-held')
    expect(requests(server, { path, user: 'alice' })).not.toContain('PATCH content')
    await tick(5_000)
    expect(stored(storage, alice, path)).toEqual(kept)
    expect(form.seen.draft.storedAt).toEqual(new Date(kept?.savedAt ?? NaN))
  })

  it('when the server refuses the save because someone else holds the lock', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage, lockOptions: { checkInterval: false } })
    await settle()
    form.type('Work in progress')
    await tick(1_000)
    lockTakenBy(server, path, 'bob')
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await settle()
    expect(form.seen.save.error?.code).toBe('locked')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Work in progress' })
  })

  it('when the save does not reach the server', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Work in progress')
    server.fail({ method: 'PATCH', endpoint: 'content' }, { networkError: true })
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await settle()
    expect(form.seen.save.error?.code).toBe('network')
    await tick(1_000)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Work in progress' })
  })
})

describe('belongs to one user on one API', () => {
  it('two users in one browser: neither is offered the other’s draft, nor overwrites it', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const bob = clientFor(server, 'bob')
    const aliceForm = openForm(alice, { path, storage })
    await settle()
    aliceForm.type('Alice’s text')
    aliceForm.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves

    const bobForm = openForm(bob, { path, storage })
    await settle()
    expect(bobForm.seen.lock.status).toBe('held')
    expect(bobForm.seen.draft.offer).toBeNull()
    bobForm.type('Bob’s text')
    bobForm.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s text' })
    expect(stored(storage, bob, path)?.values).toEqual({ title: 'Bob’s text' })

    const aliceAgain = openForm(alice, { path, storage })
    await settle()
    expect(aliceAgain.seen.draft.offer?.values).toEqual({ title: 'Alice’s text' })
  })

  it('another API with the same user and path is another draft', async () => {
    const first = startSimulation(msw, 'plone')
    const second = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const form = openForm(clientFor(first, 'alice'), { path, storage })
    await settle()
    form.type('On the first site')
    form.unmount()
    await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    const other = openForm(clientFor(second, 'alice'), { path, storage })
    await settle()
    expect(other.seen.draft.offer).toBeNull()
  })

  it('a user the client cannot name keeps no draft, and says why', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    // Cookie auth without `userId`: nobody to key the draft by.
    const anonymous = createLockClient({ apiPath: server.apiPath, credentials: 'include' })
    server.setContent(path, { lockable: false })
    const form = openForm(anonymous, { path, storage, lockOptions: { enabled: false }, draftOptions: { lock: null } })
    await settle()
    form.type('Typed')
    await tick(2_000)
    expect(form.seen.draft.error?.code).toBe('unknown-user')
    expect(storage.keys()).toEqual([])
    expect(form.title().value).toBe('Typed')
  })

  it('clearDrafts() at logout removes every draft; narrowed, only that user’s on that API', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const bob = clientFor(server, 'bob')
    for (const client of [alice, bob]) {
      const form = openForm(client, { path, storage })
      await settle()
      form.type(`${client.knownUserId} was here`)
      form.unmount()
      await tick(8_000) // past the release grace of an unmounted form, and on Nick past the one-second lock it leaves
    }
    storage.setItem('unrelated', 'kept')
    expect(clearDrafts({ storage, apiPath: alice.apiPath, userId: 'alice' })).toBe(1)
    expect(stored(storage, alice, path)).toBeNull()
    expect(stored(storage, bob, path)).not.toBeNull()
    expect(clearDrafts({ storage })).toBe(1)
    expect(storage.keys()).toEqual(['unrelated'])
  })
})

describe('expires', () => {
  async function draftAged(ms: number, maxAge?: number) {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const draftOptions = maxAge === undefined ? {} : { maxAge }
    const first = openForm(alice, { path, storage, draftOptions })
    await settle()
    first.type('Old work')
    first.unmount()
    await tick(ms)
    const again = openForm(alice, { path, storage, draftOptions })
    await settle()
    const seen = { offered: again.seen.draft.offer?.values ?? null, kept: storage.keys().length }
    again.unmount()
    return seen
  }

  it('by default after three days: offered the day before, gone (and removed) after', async () => {
    expect(await draftAged(DEFAULT_DRAFT_MAX_AGE - 60_000)).toEqual({ offered: { title: 'Old work' }, kept: 1 })
    expect(await draftAged(DEFAULT_DRAFT_MAX_AGE + 60_000)).toEqual({ offered: null, kept: 0 })
  })

  it('after `maxAge`', async () => {
    expect(await draftAged(50_000, 60_000)).toEqual({ offered: { title: 'Old work' }, kept: 1 })
    expect(await draftAged(70_000, 60_000)).toEqual({ offered: null, kept: 0 })
  })

  it('other items’ expired drafts are removed when a form opens', async () => {
    const server = startSimulation(msw, 'plone')
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const old = uniquePath()
    const first = openForm(alice, { path: old, storage })
    await settle()
    first.type('Forgotten')
    first.unmount()
    await tick(DEFAULT_DRAFT_MAX_AGE + 1)
    expect(stored(storage, alice, old)).not.toBeNull()
    openForm(alice, { path: uniquePath(), storage })
    await settle()
    expect(stored(storage, alice, old)).toBeNull()
  })
})

describe('storage that fails never breaks the form', () => {
  it('full: reported, typing and saving go on, and the next change is written once there is room', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    storage.failWrites = quotaExceeded()
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    form.type('Typed into a full storage')
    await tick(1_000)
    expect(form.seen.draft.error?.code).toBe('quota-exceeded')
    expect(form.seen.draft.storedAt).toBeNull()
    expect(form.title().value).toBe('Typed into a full storage')
    storage.failWrites = null
    form.type('Typed once there was room')
    await tick(1_000)
    expect(form.seen.draft.error).toBeNull()
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed once there was room' })
    storage.failWrites = quotaExceeded()
    fireEvent.click(form.getByRole('button', { name: 'Save' }))
    await settle()
    expect(server.getContent(path)?.title).toBe('Typed once there was room')
  })

  it('disabled (reading localStorage throws): reported as unavailable, the form works', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const denied = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })
    try {
      const alice = clientFor(server, 'alice')
      const form = openForm(alice, { path })
      await settle()
      form.type('Still editable')
      await tick(1_000)
      expect(form.seen.draft.error?.code).toBe('unavailable')
      fireEvent.click(form.getByRole('button', { name: 'Save' }))
      await settle()
      expect(server.getContent(path)?.title).toBe('Still editable')
    } finally {
      denied.mockRestore()
    }
  })

  it('unreadable (getItem throws, as in some private modes): reported, nothing offered, the form works', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    storage.failReads = new DOMException('The operation is insecure.', 'SecurityError')
    const alice = clientFor(server, 'alice')
    const form = openForm(alice, { path, storage })
    await settle()
    expect(form.seen.draft.error?.code).toBe('unavailable')
    expect(form.seen.draft.offer).toBeNull()
    form.type('Still editable')
    expect(form.title().value).toBe('Still editable')
  })

  it('values JSON cannot hold: reported as unserializable, nothing stored', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const view = renderHook(
      ({ count }: { count: bigint }) => useDraft(path, { count }, { server: { values: { count: 0n }, version: 'v1' }, storage }),
      {
        initialProps: { count: 0n },
        wrapper: ({ children }: { children: ReactNode }) => (
          <Providers client={alice} queryClient={newQueryClient()}>
            {children}
          </Providers>
        ),
      },
    )
    view.rerender({ count: 1n })
    await tick(1_000)
    expect(view.result.current.error?.code).toBe('unserializable')
    expect(storage.keys()).toEqual([])
  })
})

describe.each(dialects)('one tab writes (%s)', (dialect) => {
  it('a read-only second tab neither overwrites nor removes the editing tab’s draft; moving the edit offers it', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const storage = new MemoryStorage()
    const browser = createTabNetwork()
    const first = openForm(clientFor(server, 'alice'), { path, storage }, browser.tab().open)
    await settle()
    first.type('Typed in the first tab')
    await tick(1_000)
    const writes = storage.writes
    const second = openForm(clientFor(server, 'alice'), { path, storage }, browser.tab().open)
    await settle()
    expect(second.seen.lock.holder?.where).toBe('other-tab')
    expect(second.seen.draft.offer).toBeNull()
    expect(second.title().value).not.toBe('Typed in the first tab')
    await tick(5_000)
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'))
    })
    expect(storage.writes).toBe(writes)
    const alice = clientFor(server, 'alice')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed in the first tab' })

    await act(async () => {
      const moving = second.seen.lock.takeOver()
      await vi.advanceTimersByTimeAsync(10)
      await moving
    })
    await settle()
    expect(second.seen.lock.status).toBe('held')
    expect(second.seen.draft.offer?.values).toEqual({ title: 'Typed in the first tab' })
  })
})
