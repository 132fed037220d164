import { act, fireEvent, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { acquireLock, clearDrafts, createLockClient, DEFAULT_DRAFT_MAX_AGE, saveWithLock, useDraft, useLockedSave } from '../src'
import { createTabNetwork } from '../src/testing'
import type { LockClient } from '../src'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { openForm, stored } from './draftForm'
import { MemoryStorage, quotaExceeded } from './memoryStorage'
import { clientFor, dialects, rejection, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

/** Lets the form load the item and take the lock. */
async function settle() {
  await tick(60)
  await tick(0)
}

type Form = ReturnType<typeof openForm>

/** A simulated server, a fresh item on it (titled `title` when given), an empty draft storage, and Alice's client. */
function itemFor(dialect: SimulatedDialect, title?: string) {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  if (title !== undefined) server.setContent(path, { title })
  return { server, path, storage: new MemoryStorage(), alice: clientFor(server, 'alice') }
}

/** Opens the form (as {@link openForm} does) and lets it load the item and take the lock. */
async function open(...args: Parameters<typeof openForm>): Promise<Form> {
  const form = openForm(...args)
  await settle()
  return form
}

/** Past the release grace of an unmounted form, and on Nick past the one-second lock it leaves. */
const AFTER_CLOSING = 8_000

/** Closes the form and waits `wait` ms: by default until it has given its lock back. */
async function close(form: Form, wait = AFTER_CLOSING) {
  form.unmount()
  await tick(wait)
}

/** Opens the form, types `text` and closes it without saving, leaving a draft behind; then waits as {@link close}. */
async function leaveDraft(client: LockClient, props: Parameters<typeof openForm>[1], text: string, wait = AFTER_CLOSING) {
  const form = await open(client, props)
  form.type(text)
  await close(form, wait)
}

/** Types `text` and waits out the write throttle, so that the draft is stored. */
async function typeAndStore(form: Form, text: string) {
  form.type(text)
  await tick(1_000)
}

/** Clicks Save and lets the save reach the server. */
async function clickSave(form: Form) {
  fireEvent.click(form.getByRole('button', { name: 'Save' }))
  await settle()
}

function saveDisabled(form: Form): boolean {
  return form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')
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

/** {@link lockTakenBy}, and time for Alice's next check (every 30 s) to find her lock lost. */
async function lockLostTo(server: LockServer, path: string, user: string) {
  lockTakenBy(server, path, user)
  await tick(30_000)
}

describe('writes', () => {
  it('throttled: one write for a burst of typing, with the values, when and what they were edited from', async () => {
    const { server, path, storage, alice } = itemFor('plone', 'Report')
    const form = await open(alice, { path, storage })
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
    const { path, storage, alice } = itemFor('plone', 'Report')
    const form = await open(alice, { path, storage })
    await tick(5_000)
    expect(storage.writes).toBe(0)
    await typeAndStore(form, 'Report!')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Report!' })
    await typeAndStore(form, 'Report')
    expect(stored(storage, alice, path)).toBeNull()
    expect(form.seen.draft.storedAt).toBeNull()
  })

  it('writes a pending change at once when the page goes away, and when the form closes', async () => {
    const { path, storage, alice } = itemFor('plone')
    const form = await open(alice, { path, storage })
    form.type('Typed just before closing the tab')
    await tick(10)
    act(() => {
      window.dispatchEvent(new Event('pagehide'))
    })
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed just before closing the tab' })

    const other = uniquePath()
    const next = await open(alice, { path: other, storage })
    next.type('Typed just before leaving the form')
    await tick(10)
    next.unmount()
    expect(stored(storage, alice, other)?.values).toEqual({ title: 'Typed just before leaving the form' })
  })

  it.each(dialects)('stores no token and no lock data (%s)', async (dialect) => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Secret plans')
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
    const { path, storage, alice } = itemFor(dialect, 'Report')
    const first = await open(alice, { path, storage })
    await typeAndStore(first, 'Report, half done')
    const savedAt = stored(storage, alice, path)?.savedAt
    await close(first)

    const again = await open(alice, { path, storage })
    expect(again.title().value).toBe('Report')
    expect(again.seen.draft.offer).toMatchObject({ values: { title: 'Report, half done' }, changedSince: false })
    expect(again.seen.draft.offer?.savedAt).toEqual(new Date(savedAt ?? NaN))
    fireEvent.click(again.getByRole('button', { name: 'Restore' }))
    expect(again.title().value).toBe('Report, half done')
    expect(again.seen.draft.offer).toBeNull()
    expect(again.seen.draft.changedOnServer).toBe(false)
    expect(saveDisabled(again)).toBe(false)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Report, half done' })
  })

  it('discard throws it away and leaves the server’s text', async () => {
    const { path, storage, alice } = itemFor(dialect, 'Report')
    await leaveDraft(alice, { path, storage }, 'Not wanted')
    const again = await open(alice, { path, storage })
    fireEvent.click(again.getByRole('button', { name: 'Discard' }))
    expect(again.seen.draft.offer).toBeNull()
    expect(again.title().value).toBe('Report')
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
  })

  it('says the item changed on the server since the draft began, and keeps saying so after a restore', async () => {
    const { server, path, storage, alice } = itemFor(dialect, 'Report')
    const first = await open(alice, { path, storage })
    const base = server.getContent(path)?.modified
    first.type('Alice’s report')
    await close(first)
    await bobSaves(server, path, 'Bob’s report')

    const again = await open(alice, { path, storage })
    expect(again.title().value).toBe('Bob’s report')
    expect(again.seen.draft.offer).toMatchObject({ values: { title: 'Alice’s report' }, basedOn: base, changedSince: true })
    fireEvent.click(again.getByRole('button', { name: 'Restore' }))
    expect(again.seen.draft.changedOnServer).toBe(true)
    expect(saveDisabled(again)).toBe(true)
    act(() => again.seen.draft.rebase())
    expect(again.seen.draft.changedOnServer).toBe(false)
    expect(stored(storage, alice, path)).toMatchObject({ values: { title: 'Alice’s report' }, base: server.getContent(path)?.modified })
  })

  it('is not offered when it holds what the form starts with; that draft is removed', async () => {
    const { server, path, storage, alice } = itemFor(dialect, 'Report')
    await leaveDraft(alice, { path, storage }, 'Same as Bob’s')
    await bobSaves(server, path, 'Same as Bob’s')
    const again = await open(alice, { path, storage })
    expect(again.seen.draft.offer).toBeNull()
    expect(stored(storage, alice, path)).toBeNull()
  })

  it('is offered only once this tab may edit: not while another user holds the lock', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    await leaveDraft(alice, { path, storage }, 'Alice’s text')
    server.setLock(path, { user: 'bob' })
    const again = await open(alice, { path, storage })
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
    const { server, path, storage, alice } = itemFor(dialect, 'Report')
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Alice’s report')
    await lockLostTo(server, path, 'bob')
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
    expect(saveDisabled(form)).toBe(true)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s report' })
    expect(server.getContent(path)?.title).toBe('Bob’s report')
  })

  it('a check that fails keeps Save waiting until the item arrives again, or the editor chooses to save anyway', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    form.type('Alice’s report')
    await lockLostTo(server, path, 'bob')
    await bobSaves(server, path, 'Bob’s report')
    server.fail({ method: 'GET', endpoint: 'content' }, { status: 503 })
    await act(() => form.seen.lock.acquire())
    await settle()
    expect(form.seen.lock.status).toBe('held')
    expect(form.seen.draft.checking).toBe(true)
    expect(saveDisabled(form)).toBe(true)

    // The content query fetches again when the tab is shown; this time the server answers.
    act(() => {
      window.dispatchEvent(new Event('visibilitychange'))
    })
    await settle()
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: true })

    act(() => form.seen.draft.rebase())
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: false })
    expect(saveDisabled(form)).toBe(false)
  })

  it('no alarm when nobody saved in between', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    form.type('Alice’s report')
    await lockLostTo(server, path, 'bob')
    server.setLock(path, null)
    await act(() => form.seen.lock.acquire())
    await settle()
    expect(form.seen.checking).toContain(true)
    expect(form.seen.draft).toMatchObject({ checking: false, changedOnServer: false })
    expect(saveDisabled(form)).toBe(false)
  })

  it('a form that shows the server’s text (nothing typed) follows it without alarm', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    await lockLostTo(server, path, 'bob')
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
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Final text')
    expect(stored(storage, alice, path)).not.toBeNull()
    await clickSave(form)
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
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Kept')
    const otherSave = renderHook(() => useLockedSave(other), {
      wrapper: wrapperFor(alice),
    })
    await act(() => otherSave.result.current.mutateAsync({ title: 'Elsewhere' }))
    expect(server.getContent(other)?.title).toBe('Elsewhere')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Kept' })
  })

  it('with discard()', async () => {
    const { path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Cancelled')
    act(() => form.seen.draft.discard())
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
    await typeAndStore(form, 'Typed after the discard')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed after the discard' })
  })
})

describe.each(dialects)('keeps it (%s)', (dialect) => {
  it('when the lock is lost, and when a save is then refused without a request', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Work in progress')
    const kept = stored(storage, alice, path)
    await lockLostTo(server, path, 'bob')
    expect(form.seen.lock.status).toBe('lost')
    const refusal = await rejection(form.seen.save.mutateAsync({ title: 'Work in progress' }))
    expect(refusal.code).toBe('not-held')
    expect(requests(server, { path, user: 'alice' })).not.toContain('PATCH content')
    await tick(5_000)
    expect(stored(storage, alice, path)).toEqual(kept)
    expect(form.seen.draft.storedAt).toEqual(new Date(kept?.savedAt ?? NaN))
  })

  it('when the server refuses the save because someone else holds the lock', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage, lockOptions: { checkInterval: false } })
    await typeAndStore(form, 'Work in progress')
    lockTakenBy(server, path, 'bob')
    await clickSave(form)
    expect(form.seen.save.error?.code).toBe('locked')
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Work in progress' })
  })

  it('when the save does not reach the server', async () => {
    const { server, path, storage, alice } = itemFor(dialect)
    const form = await open(alice, { path, storage })
    form.type('Work in progress')
    server.fail({ method: 'PATCH', endpoint: 'content' }, { networkError: true })
    await clickSave(form)
    expect(form.seen.save.error?.code).toBe('network')
    await tick(1_000)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Work in progress' })
  })
})

describe('belongs to one user on one API', () => {
  it('two users in one browser: neither is offered the other’s draft, nor overwrites it', async () => {
    const { server, path, storage, alice } = itemFor('plone')
    const bob = clientFor(server, 'bob')
    await leaveDraft(alice, { path, storage }, 'Alice’s text')

    const bobForm = await open(bob, { path, storage })
    expect(bobForm.seen.lock.status).toBe('held')
    expect(bobForm.seen.draft.offer).toBeNull()
    bobForm.type('Bob’s text')
    await close(bobForm)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s text' })
    expect(stored(storage, bob, path)?.values).toEqual({ title: 'Bob’s text' })

    const aliceAgain = await open(alice, { path, storage })
    expect(aliceAgain.seen.draft.offer?.values).toEqual({ title: 'Alice’s text' })
  })

  it('another API with the same user and path is another draft', async () => {
    const first = startSimulation(msw, 'plone')
    const second = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    await leaveDraft(clientFor(first, 'alice'), { path, storage }, 'On the first site')
    const other = await open(clientFor(second, 'alice'), { path, storage })
    expect(other.seen.draft.offer).toBeNull()
  })

  it('a user the client cannot name keeps no draft, and says why', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const storage = new MemoryStorage()
    // Cookie auth without `userId`: nobody to key the draft by.
    const anonymous = createLockClient({ apiPath: server.apiPath, credentials: 'include' })
    server.setContent(path, { lockable: false })
    const form = await open(anonymous, { path, storage, lockOptions: { enabled: false }, draftOptions: { lock: null } })
    form.type('Typed')
    await tick(2_000)
    expect(form.seen.draft.error?.code).toBe('unknown-user')
    expect(storage.keys()).toEqual([])
    expect(form.title().value).toBe('Typed')
  })

  it('clearDrafts() at logout removes every draft; narrowed, only that user’s on that API', async () => {
    const { server, path, storage, alice } = itemFor('plone')
    const bob = clientFor(server, 'bob')
    for (const client of [alice, bob]) {
      await leaveDraft(client, { path, storage }, `${client.knownUserId} was here`)
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
    const { path, storage, alice } = itemFor('plone')
    const draftOptions = maxAge === undefined ? {} : { maxAge }
    await leaveDraft(alice, { path, storage, draftOptions }, 'Old work', ms)
    const again = await open(alice, { path, storage, draftOptions })
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
    await leaveDraft(alice, { path: old, storage }, 'Forgotten', DEFAULT_DRAFT_MAX_AGE + 1)
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
    const form = await open(alice, { path, storage })
    await typeAndStore(form, 'Typed into a full storage')
    expect(form.seen.draft.error?.code).toBe('quota-exceeded')
    expect(form.seen.draft.storedAt).toBeNull()
    expect(form.title().value).toBe('Typed into a full storage')
    storage.failWrites = null
    await typeAndStore(form, 'Typed once there was room')
    expect(form.seen.draft.error).toBeNull()
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Typed once there was room' })
    storage.failWrites = quotaExceeded()
    await clickSave(form)
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
      const form = await open(alice, { path })
      await typeAndStore(form, 'Still editable')
      expect(form.seen.draft.error?.code).toBe('unavailable')
      await clickSave(form)
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
    const form = await open(alice, { path, storage })
    expect(form.seen.draft.error?.code).toBe('unavailable')
    expect(form.seen.draft.offer).toBeNull()
    form.type('Still editable')
    expect(form.title().value).toBe('Still editable')
  })

  it('values JSON cannot hold: reported as unserializable, nothing stored', async () => {
    const { path, storage, alice } = itemFor('plone')
    const view = renderHook(
      ({ count }: { count: bigint }) => useDraft(path, { count }, { server: { values: { count: 0n }, version: 'v1' }, storage }),
      {
        initialProps: { count: 0n },
        wrapper: wrapperFor(alice),
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
    const first = await open(clientFor(server, 'alice'), { path, storage }, browser.tab().open)
    await typeAndStore(first, 'Typed in the first tab')
    const writes = storage.writes
    const second = await open(clientFor(server, 'alice'), { path, storage }, browser.tab().open)
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
