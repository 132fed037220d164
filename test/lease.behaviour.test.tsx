import { act, render, renderHook } from '@testing-library/react'
import * as React from 'react'
import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { saveWithLock, useLock, useLockedSave } from '../src'
import type { LockResult, UseLockOptions } from '../src'
import { RELEASE_GRACE } from '../src/core/lockLease'
import { createTabNetwork } from '../src/testing'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, dialects, newQueryClient, releaseRequest, requests, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath, wrapperFor } from './utils'

const msw = setupMsw()

setupFakeTimers()

async function settle() {
  await tick(60)
  await tick(0)
}

function editor(server: LockServer, path: string, options: UseLockOptions = {}, user = 'alice') {
  return renderHook(() => ({ lock: useLock(path, options) as LockResult, save: useLockedSave<unknown, { title: string }>(path) }), {
    wrapper: wrapperFor(clientFor(server, user)),
  })
}

/** A fresh server and path, and Alice's {@link editor} on it with `options`, settled. */
async function aliceEditing(dialect: SimulatedDialect, options: UseLockOptions) {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  const view = editor(server, path, options)
  await settle()
  return { server, path, ...view }
}

/**
 * Alice's form on path `a`, that `show` switches to another path and back; `frames` has `A:status` (on `a`) or
 * `B:status` (elsewhere) for each render.
 */
function formSwitching(server: LockServer, a: string) {
  const frames: string[] = []
  function Form({ path }: { path: string }) {
    const lock = useLock(path, { checkInterval: false })
    frames.push(`${path === a ? 'A' : 'B'}:${lock.status}`)
    return null
  }
  const view = render(<Form path={a} />, { wrapper: wrapperFor(clientFor(server, 'alice')) })
  return { frames, show: (path: string) => view.rerender(<Form path={path} />) }
}

describe.each(dialects)('the render result follows the path (%s)', (dialect) => {
  it('switching to an item another user holds never shows it as ours, and a save fired in that frame sends nothing', async () => {
    const server = startSimulation(msw, dialect)
    const first = uniquePath()
    const second = uniquePath()
    server.setLock(second, { user: 'bob', stealable: false })
    const frames: string[] = []
    const saves: Promise<unknown>[] = []
    function SaveOnSwitch({ path }: { path: string }) {
      const save = useLockedSave<unknown, { title: string }>(path)
      // A child's effect runs before its parent's: this is the first moment anything can act on the new path.
      const { mutateAsync } = save
      useEffect(() => {
        if (path === second) saves.push(mutateAsync({ title: 'Overwritten' }).catch((error: unknown) => error))
      }, [path, mutateAsync])
      return null
    }
    function Form({ path }: { path: string }) {
      const lock = useLock(path, { checkInterval: false })
      frames.push(`${path === first ? 'first' : 'second'}:${lock.status}`)
      return <SaveOnSwitch path={path} />
    }
    const view = render(<Form path={first} />, { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await settle()
    expect(frames.at(-1)).toBe('first:held')
    view.rerender(<Form path={second} />)
    await settle()
    expect(frames.filter((frame) => frame.startsWith('second'))).not.toContain('second:held')
    expect(frames.find((frame) => frame.startsWith('second'))).toBe('second:acquiring')
    expect(frames.at(-1)).toBe('second:locked')
    expect(await saves[0]).toMatchObject({ code: 'not-held' })
    expect(requests(server, { path: second })).not.toContain('PATCH content')
    expect(server.getLock(second)?.user).toBe('bob')
  })

  it('A → B → A: each frame shows the item it names; coming back within a moment keeps A without a request', async () => {
    const server = startSimulation(msw, dialect)
    const a = uniquePath()
    const b = uniquePath()
    const { frames, show } = formSwitching(server, a)
    await settle()
    show(b)
    expect(frames.at(-1)).toBe('B:acquiring')
    await settle()
    expect(frames.at(-1)).toBe('B:held')
    show(a)
    // A's lease still holds its lock: the first frame shows it, and nothing is asked again.
    expect(frames.at(-1)).toBe('A:held')
    await settle()
    expect(requests(server, { path: a })).toEqual(['POST lock'])
    await tick(RELEASE_GRACE)
    expect(requests(server, { path: b })).toEqual(['POST lock', releaseRequest(dialect)])
  })

  it('a path change while the first item is still being taken: the new item is shown as acquiring, the first is given back', async () => {
    const server = startSimulation(msw, dialect)
    const a = uniquePath()
    const b = uniquePath()
    server.fail({ method: 'POST', endpoint: 'lock', path: a }, { delay: 500 })
    const { frames, show } = formSwitching(server, a)
    await tick(100)
    expect(frames.at(-1)).toBe('A:acquiring')
    show(b)
    expect(frames.at(-1)).toBe('B:acquiring')
    await tick(1_000)
    expect(frames.at(-1)).toBe('B:held')
    expect(frames.filter((frame) => frame.startsWith('B'))).not.toContain('B:idle')
    await tick(RELEASE_GRACE)
    expect(requests(server, { path: a })).toEqual(['POST lock', releaseRequest(dialect)])
    expect(server.getLock(b)?.user).toBe('alice')
  })

  it('a save while the new item is still being taken waits for it, and is sent with its token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Old' })
    const { result } = editor(server, path, { checkInterval: false })
    expect(result.current.lock.status).toBe('acquiring')
    let saved: Promise<unknown> = Promise.resolve()
    act(() => {
      saved = result.current.save.mutateAsync({ title: 'New' })
    })
    await settle()
    await saved
    expect(server.getContent(path)?.title).toBe('New')
    expect(server.log.find((entry) => entry.endpoint === 'content' && entry.method === 'PATCH')?.lockToken).toBe('valid')
  })
})

describe.each(dialects)('each useLock option is honoured (%s)', (dialect) => {
  it('releaseOnUnmount: false keeps the lock when the form unmounts', async () => {
    const { server, path, unmount } = await aliceEditing(dialect, { releaseOnUnmount: false, checkInterval: false })
    unmount()
    await tick(RELEASE_GRACE + 1_000)
    expect(requests(server, { path })).toEqual(['POST lock'])
    expect(server.getLock(path)?.user).toBe('alice')
  })

  it('releaseOnPageHide: false sends nothing when the page goes away', async () => {
    const { server, path } = await aliceEditing(dialect, { releaseOnPageHide: false, checkInterval: false })
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
    })
    await tick(100)
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('lockTimeout is in milliseconds and reaches the server in seconds', async () => {
    const { server, path, result } = await aliceEditing(dialect, { lockTimeout: 120_000, checkInterval: false })
    expect(result.current.lock.status).toBe('held')
    expect(server.getLock(path)?.timeout).toBe(120)
    // A third of two minutes: refreshed after 40 s, not after the default lock's 200 s.
    server.clearLog()
    await tick(40_000)
    expect(requests(server, { path })).toEqual(['PATCH lock'])
    expect(server.getLock(path)?.timeout).toBe(120)
  })

  it('refreshInterval sets the time between refreshes', async () => {
    const { server, path } = await aliceEditing(dialect, { refreshInterval: 60_000, checkInterval: false })
    server.clearLog()
    await tick(60_000)
    expect(requests(server, { path })).toEqual(['PATCH lock'])
  })

  it('checkInterval sets the time between ownership checks', async () => {
    const { server, path } = await aliceEditing(dialect, { checkInterval: 5_000 })
    server.clearLog()
    await tick(5_000)
    expect(requests(server, { path })).toEqual(['GET lock'])
  })

  it('touchInterval sets how often touch() checks; false turns touch() off', async () => {
    const server = startSimulation(msw, dialect)
    const often = uniquePath()
    const never = uniquePath()
    const a = editor(server, often, { touchInterval: 2_000, checkInterval: false })
    const b = editor(server, never, { touchInterval: false, checkInterval: false })
    await settle()
    server.clearLog()
    for (let i = 0; i < 3; i++) {
      act(() => {
        a.result.current.lock.touch()
        b.result.current.lock.touch()
      })
      await tick(2_500)
    }
    expect(requests(server, { path: often })).toEqual(['GET lock', 'GET lock', 'GET lock'])
    expect(requests(server, { path: never })).toEqual([])
  })

  it('onAcquired is called once the lock is taken, with it', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const onAcquired = vi.fn()
    editor(server, path, { onAcquired, checkInterval: false })
    expect(onAcquired).not.toHaveBeenCalled()
    await settle()
    expect(onAcquired).toHaveBeenCalledTimes(1)
    expect(onAcquired.mock.calls[0]?.[0]).toMatchObject({ locked: true, isMine: true, holder: { id: 'alice' } })
  })

  it('a select that closes over props follows them', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { result, rerender } = renderHook(({ label }) => useLock(path, { checkInterval: false, select: (lock) => `${label}: ${lock.status}` }), {
      wrapper: wrapperFor(clientFor(server, 'alice')),
      initialProps: { label: 'first' },
    })
    await settle()
    expect(result.current).toBe('first: held')
    rerender({ label: 'second' })
    expect(result.current).toBe('second: held')
  })

  it.each([
    ['a week-long lock', { lockTimeout: 7 * 24 * 3600_000 }],
    ['the old seconds-valued `timeout`', { timeout: 600 }],
    ['a check every 0 ms (off is `false`)', { checkInterval: 0 }],
    ['refreshes every 10 ms', { refreshInterval: 10 }],
    ['a timer beyond what setTimeout can wait', { touchInterval: 2 ** 31 }],
  ])('%s is an invalid-option error, and nothing is sent', async (_name, options) => {
    const { server, result } = await aliceEditing(dialect, options as UseLockOptions)
    expect(result.current.lock).toMatchObject({ status: 'error', error: { code: 'invalid-option' } })
    expect(server.log).toEqual([])
  })
})

describe.each(dialects)('another tab of the same user (%s)', (dialect) => {
  function tab(server: LockServer, path: string, open: ReturnType<ReturnType<typeof createTabNetwork>['tab']>['open']) {
    return renderHook(() => ({ lock: useLock(path, { checkInterval: false }) as LockResult, save: useLockedSave<unknown, { title: string }>(path) }), {
      wrapper: wrapperFor(clientFor(server, 'alice'), newQueryClient(), open),
    })
  }

  /** Alice opens `path` in one tab, which takes the lock, then in a second tab of the same browser. */
  async function twoTabs(server: LockServer, path: string) {
    const browser = createTabNetwork()
    const first = tab(server, path, browser.tab().open)
    await settle()
    const second = tab(server, path, browser.tab().open)
    await settle()
    return { first, second }
  }

  it('is not "locked by another user": isLockedByOther is false, the holder is me, in another tab', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const { second } = await twoTabs(server, path)
    expect(second.result.current.lock).toMatchObject({ status: 'locked', isLockedByOther: false, holder: { isMe: true, where: 'other-tab' } })
  })

  it('after the edit moved to another tab and that tab saved, the first tab stays lost with its text: no quiet re-take', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Old' })
    const { first, second } = await twoTabs(server, path)
    await act(async () => {
      const moving = second.result.current.lock.takeOver()
      await vi.advanceTimersByTimeAsync(10)
      await moving
    })
    expect(first.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'moved-to-another-tab' })
    await act(() => second.result.current.save.mutateAsync({ title: 'From the second tab' }))
    await tick(60_000)
    expect(first.result.current.lock).toMatchObject({ status: 'lost', lostReason: 'moved-to-another-tab', canSave: false })
    expect(requests(server, { path }).filter((request) => request === 'POST lock')).toHaveLength(1)
  })
})

const Activity = (React as { Activity?: React.ComponentType<{ mode: 'visible' | 'hidden'; children?: ReactNode }> }).Activity

describe.skipIf(!Activity).each(dialects)('a form inside React <Activity> (%s)', (dialect) => {
  function Page({ path, mode }: { path: string; mode: 'visible' | 'hidden' }) {
    const Boundary = Activity!
    return (
      <Boundary mode={mode}>
        <Form path={path} />
      </Boundary>
    )
  }
  let shown: LockResult | null = null
  function Form({ path }: { path: string }) {
    const lock = useLock(path, { checkInterval: false })
    const [text] = useState('unsaved draft')
    shown = lock
    return <p>{text}</p>
  }

  /** Alice's form shown on a fresh path until it holds the lock, then hidden; `show` shows it again. */
  async function shownThenHidden() {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const view = render(<Page path={path} mode="visible" />, { wrapper: wrapperFor(clientFor(server, 'alice')) })
    await settle()
    view.rerender(<Page path={path} mode="hidden" />)
    return { server, path, view, show: () => view.rerender(<Page path={path} mode="visible" />) }
  }

  it('hidden for a moment keeps the lock without a request', async () => {
    const { server, path, show } = await shownThenHidden()
    await tick(RELEASE_GRACE - 500)
    show()
    await settle()
    expect(shown?.status).toBe('held')
    expect(requests(server, { path })).toEqual(['POST lock'])
  })

  it('hidden for good gives the lock back; shown again, it is taken again', async () => {
    const { server, path, view, show } = await shownThenHidden()
    await tick(RELEASE_GRACE + 1_000)
    expect(requests(server, { path })).toEqual(['POST lock', releaseRequest(dialect)])
    await tick(600_000)
    expect(requests(server, { path })).toHaveLength(2)
    show()
    await settle()
    expect(shown?.status).toBe('held')
    expect(view.container.textContent).toBe('unsaved draft')
  })
})

describe.each(dialects)('a save slower than the refresh interval (%s)', (dialect) => {
  it('does not hold the refreshes hostage: the lock never lapses, and the save lands with a valid token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Old' })
    const client = clientFor(server, 'alice')
    const tokens: (string | null)[] = []
    const { result } = renderHook(
      () => ({
        lock: useLock(path, { lockTimeout: 60_000, checkInterval: false }),
        save: useLockedSave<unknown, { title: string }>(path, {
          // An upload that takes longer than the lock lives; the server checks the token when it has it all. Sent
          // again (quickly, this time), it carries the token as it is then.
          mutationFn: async (variables, { token }) => {
            tokens.push(token)
            await new Promise((resolve) => setTimeout(resolve, tokens.length === 1 ? 70_000 : 1_000))
            return saveWithLock(client, path, variables, { token })
          },
        }),
      }),
      { wrapper: wrapperFor(client) },
    )
    await settle()
    expect(result.current.lock.status).toBe('held')
    let saved: Promise<unknown> = Promise.resolve()
    act(() => {
      saved = result.current.save.mutateAsync({ title: 'Uploaded' })
    })
    for (let second = 0; second < 68; second += 1) {
      await tick(1_000)
      expect(server.getLock(path)?.user).toBe('alice')
    }
    // plone.restapi keeps the token across refreshes, so they go on as usual; Nick rotates it, so its refresh waits
    // for the save until shortly before the lock would lapse.
    expect(requests(server, { path }).filter((request) => request === 'PATCH lock').length).toBeGreaterThanOrEqual(dialect === 'plone' ? 5 : 1)
    await tick(5_000)
    await act(() => saved)
    expect(server.getContent(path)?.title).toBe('Uploaded')
    expect(result.current.lock).toMatchObject({ status: 'released', lostReason: null })
    const content = server.log.filter((entry) => entry.endpoint === 'content' && entry.method === 'PATCH')
    expect(content.at(-1)).toMatchObject({ lockToken: 'valid' })
    expect(content.at(-1)?.status).toBeLessThan(300)
    // On Nick the refresh that had to happen during the upload rotated the token: sent once more, with the new one.
    expect(tokens).toHaveLength(dialect === 'nick' ? 2 : 1)
    expect(server.log.filter((entry) => entry.endpoint === 'lock' && Number(entry.status) >= 400)).toEqual([])
  })
})
