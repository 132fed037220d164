import { act, render, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { createLockClient, useLock, useLockedSave } from '../src'
import type { LockProviderProps, LockResult, LostReason, UseLockOptions } from '../src'
import { createTabNetwork } from '../src/testing'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, dialects, expectReleased, newQueryClient, Providers, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

/** Lets a tab ask the others and get its answer (or give up waiting), and the server answer. */
async function settle() {
  await tick(60)
  await tick(0)
}

/** Takes the edit over in `tab`, letting the tabs' messages arrive. */
async function moveEditTo(tab: { result: { current: { lock: LockResult } } }) {
  await act(async () => {
    const moving = tab.result.current.lock.takeOver()
    await vi.advanceTimersByTimeAsync(10)
    await moving
  })
}

/**
 * On a fresh server and path, Alice opens the item in one tab (with `firstOptions`), then `secondUser` (Alice unless
 * given) in a second tab of the same browser. `firstTab` is the first tab's handle, to crash it.
 */
async function openTwoTabs(dialect: SimulatedDialect, { firstOptions = {}, secondUser = 'alice' }: { firstOptions?: UseLockOptions; secondUser?: string } = {}) {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  const browser = createTabNetwork()
  const firstTab = browser.tab()
  const first = openTab(server, 'alice', path, firstTab.open, firstOptions)
  await settle()
  const second = openTab(server, secondUser, path, browser.tab().open)
  await settle()
  return { server, path, first, second, firstTab }
}

function openTab(server: LockServer, user: string, path: string, tabs: LockProviderProps['tabs'], options: UseLockOptions = {}) {
  const client = clientFor(server, user)
  return renderHook(
    () => ({ lock: useLock(path, options) as LockResult, save: useLockedSave<unknown, { title: string }>(path) }),
    { wrapper: wrapperFor(client, newQueryClient(), tabs) },
  )
}

describe.each(dialects)('one editing tab per document (%s)', (dialect) => {
  it('a second tab of the same user is locked by "you, in another tab", read-only, with no request of its own', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const browser = createTabNetwork()
    const first = openTab(server, 'alice', path, browser.tab().open)
    await settle()
    expect(first.result.current.lock.status).toBe('held')
    expect(first.result.current.lock.holder).toMatchObject({ id: 'alice', isMe: true, where: 'this-tab' })
    const second = openTab(server, 'alice', path, browser.tab().open)
    await settle()
    expect(second.result.current.lock).toMatchObject({ status: 'locked', readOnly: true, canSave: false, canTakeOver: true })
    expect(second.result.current.lock.holder).toMatchObject({ id: 'alice', isMe: true, where: 'other-tab' })
    expect(second.result.current.lock.lock?.token).toBeNull()
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('take-over moves the edit: the first tab is lost (moved), keeps its state, and the server sees no DELETE or POST', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const browser = createTabNetwork()
    const onLost = vi.fn<(reason: LostReason) => void>()
    const first = openTab(server, 'alice', path, browser.tab().open, { onLost })
    await settle()
    const token = server.getLock(path)?.token
    const second = openTab(server, 'alice', path, browser.tab().open)
    await settle()
    await moveEditTo(second)
    await tick(0)
    expect(second.result.current.lock).toMatchObject({ status: 'held', readOnly: false })
    expect(first.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'moved-to-another-tab', readOnly: true })
    expect(first.result.current.lock.holder).toMatchObject({ isMe: true, where: 'other-tab' })
    expect(onLost).toHaveBeenCalledWith('moved-to-another-tab', expect.anything())
    expect(server.getLock(path)).toMatchObject({ user: 'alice', token })
    expect(requests(server, { path })).toEqual(['POST lock'])
    // Saving from the tab that lost the edit sends nothing.
    await act(async () => {
      await expect(first.result.current.save.mutateAsync({ title: 'old tab' })).rejects.toMatchObject({ code: 'not-held' })
    })
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('the edit can move back', async () => {
    const { server, path, first, second } = await openTwoTabs(dialect)
    await moveEditTo(second)
    expect(first.result.current.lock.canTakeOver).toBe(true)
    await moveEditTo(first)
    await tick(0)
    expect(first.result.current.lock.status).toBe('held')
    expect(second.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'moved-to-another-tab' })
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('one tab refreshes for all; after refreshes (Nick rotating the token) the edit moves with the current token and a save succeeds', async () => {
    const { server, path, first, second } = await openTwoTabs(dialect)
    await tick(650_000)
    const log = requests(server, { path })
    expect(log.filter((r) => r === 'POST lock')).toHaveLength(1)
    expect(log.filter((r) => r === 'PATCH lock').length).toBeGreaterThanOrEqual(3)
    expect(server.log.filter((e) => e.endpoint === 'lock' && e.method === 'PATCH').every((e) => e.status === 200)).toBe(true)
    expect(second.result.current.lock.status).toBe('locked')
    await moveEditTo(second)
    expect(first.result.current.lock.status).toBe('lost')
    await act(async () => {
      await second.result.current.save.mutateAsync({ title: 'From the second tab' })
    })
    expect(server.getContent(path)?.title).toBe('From the second tab')
    expect(server.log.find((e) => e.endpoint === 'content')).toMatchObject({ status: 204, lockToken: 'valid' })
  })

  it('closing the editing tab releases the lock and frees the other tab', async () => {
    const { server, path, first, second } = await openTwoTabs(dialect)
    await act(() => first.result.current.lock.release())
    await tick(0)
    expect(second.result.current.lock.status).toBe('idle')
    await expectReleased(server, path)
  })

  it('an editing tab that vanishes without pagehide is noticed within 100 s; the lock is given back', async () => {
    const { server, path, first, second, firstTab } = await openTwoTabs(dialect, { firstOptions: { releaseOnUnmount: false } })
    firstTab.crash()
    first.unmount()
    await tick(60_000)
    expect(second.result.current.lock.status).toBe('locked')
    await tick(40_000)
    expect(second.result.current.lock.status).toBe('idle')
    await expectReleased(server, path)
  })

  it('two tabs opening at the same moment: one edits, the other waits, one server lock', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const browser = createTabNetwork()
    const a = openTab(server, 'alice', path, browser.tab().open)
    const b = openTab(server, 'alice', path, browser.tab().open)
    await settle()
    await tick(0)
    const statuses = [a.result.current.lock.status, b.result.current.lock.status].sort()
    expect(statuses).toEqual(['held', 'locked'])
    expect(server.getLock(path)?.user).toBe('alice')
  })
})

describe('tabs that never coordinate', () => {
  it('different users in one browser: the second sees the first as another user', async () => {
    const { second: bob } = await openTwoTabs('plone', { secondUser: 'bob' })
    expect(bob.result.current.lock.status).toBe('locked')
    expect(bob.result.current.lock.holder).toMatchObject({ id: 'alice', isMe: false, where: null })
  })

  it.each(dialects)("a tab whose login changed to another user never tells the old user's tabs of the new user's lock, nor hands its token over (%s)", async (dialect) => {
    const server = startSimulation(msw, dialect)
    const [opened, second] = [uniquePath(), uniquePath()]
    const browser = createTabNetwork()
    let jwt = server.tokenFor('alice')
    const client = createLockClient({ apiPath: server.apiPath, token: () => jwt })
    const queryClient = newQueryClient()
    const tabs = browser.tab().open
    // Alice opens one item (the tab joins her channel), then the tab's login becomes Bob's and he opens another.
    const switched = renderHook(
      ({ open }: { open: boolean }) => ({ first: useLock(opened, { checkInterval: false }), second: useLock(second, { enabled: open, checkInterval: false }) }),
      {
        initialProps: { open: false },
        wrapper: wrapperFor(client, queryClient, tabs),
      },
    )
    await settle()
    expect(switched.result.current.first.status).toBe('held')
    jwt = server.tokenFor('bob')
    switched.rerender({ open: true })
    await settle()
    expect(switched.result.current.second).toMatchObject({ status: 'held', holder: { id: 'bob', isMe: true, where: 'this-tab' } })
    const bobsToken = server.getLock(second)?.token
    // Bob's other tab is told: the edit is his, in another tab, and it sends nothing.
    const bob = openTab(server, 'bob', second, browser.tab().open)
    await settle()
    expect(bob.result.current.lock).toMatchObject({ status: 'locked', holder: { id: 'bob', isMe: true, where: 'other-tab' } })
    expect(requests(server, { path: second })).toEqual(['POST lock'])

    // Alice, in another tab, sees Bob's lock as another user's, from the server, not as her own edit in another tab.
    const alice = openTab(server, 'alice', second, browser.tab().open)
    await settle()
    expect(alice.result.current.lock).toMatchObject({ status: 'locked', holder: { id: 'bob', isMe: false, where: null } })
    expect(requests(server, { path: second, user: 'alice' })).toContain('POST lock')

    // Her take-over goes to the server; Bob's tab keeps its lock and its token until the server says otherwise.
    await moveEditTo(alice)
    await settle()
    expect(alice.result.current.lock.lock?.token).not.toBe(bobsToken)
    expect(switched.result.current.second.lostReason).not.toBe('moved-to-another-tab')
  })

  it('without a channel (no BroadcastChannel), each tab works alone as before', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const first = openTab(server, 'alice', path, () => null)
    const second = openTab(server, 'alice', path, false)
    await settle()
    expect(first.result.current.lock.status).toBe('held')
    expect(second.result.current.lock.status).toBe('held')
  })
})

describe('leaving while the other tabs are asked', () => {
  it('a form closed before the answer takes no lock: no POST, no DELETE', async () => {
    const server = startSimulation(msw, 'plone')
    const path = uniquePath()
    const tab = openTab(server, 'alice', path, createTabNetwork().tab().open)
    await tick(10)
    tab.unmount()
    await tick(200)
    expect(requests(server, { path })).toEqual([])
    expect(server.getLock(path)).toBeNull()
  })

  it('a form that comes back before the answer keeps the lock it then takes: one POST, no DELETE', async () => {
    const server = startSimulation(msw, 'nick')
    const path = uniquePath()
    const open = createTabNetwork().tab().open
    const client = clientFor(server, 'alice')
    const queryClient = newQueryClient()
    let status = ''
    function Form() {
      status = useLock(path).status
      return null
    }
    const page = render(
      <Providers client={client} queryClient={queryClient} tabs={open}>
        <Form />
      </Providers>,
    )
    await tick(10)
    page.rerender(<Providers client={client} queryClient={queryClient} tabs={open} />)
    await tick(10)
    page.rerender(
      <Providers client={client} queryClient={queryClient} tabs={open}>
        <Form />
      </Providers>,
    )
    await tick(200)
    expect(status).toBe('held')
    expect(requests(server, { path })).toEqual(['POST lock'])
    expect(server.getLock(path)?.user).toBe('alice')
  })
})

describe('moving the edit while a refresh is in flight (Nick)', () => {
  it('the hand-over waits for the refresh, so the token that moves is the one Nick issued last', async () => {
    const { server, first, second } = await openTwoTabs('nick')
    server.fail({ method: 'PATCH', endpoint: 'lock' }, { delay: 500 })
    let refreshing: Promise<void> | undefined
    act(() => {
      refreshing = first.result.current.lock.refresh()
    })
    await tick(10)
    await act(async () => {
      const moving = second.result.current.lock.takeOver()
      await vi.advanceTimersByTimeAsync(600)
      await moving
      await refreshing
    })
    expect(second.result.current.lock.status).toBe('held')
    expect(first.result.current.lock.status).toBe('lost')
    await act(async () => {
      await second.result.current.save.mutateAsync({ title: 'Moved mid-refresh' })
    })
    expect(server.log.find((e) => e.endpoint === 'content')).toMatchObject({ status: 204, lockToken: 'valid' })
  })
})
