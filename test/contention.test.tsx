import { act, render } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useLock } from '../src'
import type { LockResult } from '../src'
import { createLockServer } from '../src/testing'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, dialects, newQueryClient, Providers, setupFakeTimers, setupMsw, uniqueApi, uniquePath } from './utils'

const msw = setupMsw()

setupFakeTimers()

const EDITORS = Array.from({ length: 20 }, (_, i) => ({ id: `editor${i + 1}`, fullname: `Editor ${i + 1}` }))

function start(dialect: SimulatedDialect): LockServer {
  const server = createLockServer({ dialect, apiPath: uniqueApi(), users: EDITORS })
  msw.use(...server.handlers)
  return server
}

function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items]
  let state = seed
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31
    const j = state % (i + 1)
    ;[result[i], result[j]] = [result[j]!, result[i]!]
  }
  return result
}

describe.each(dialects)('contention (%s)', (dialect) => {
  // 100 rounds of 20 renders and their requests: on a loaded two-core machine more than the default 5 s.
  it('20 editors mount on one path in the same tick: exactly one holds it, 19 see who (100 shuffled rounds)', async () => {
    const server = start(dialect)
    for (let round = 0; round < 100; round++) {
      const path = uniquePath()
      const order = shuffled(EDITORS, round + 1)
      const results = new Map<string, LockResult>()
      function Probe({ user }: { user: string }) {
        const lock = useLock(path, { checkInterval: false })
        results.set(user, lock)
        return null
      }
      const view = render(
        <>
          {order.map((editor) => (
            <Providers key={editor.id} client={clientFor(server, editor.id)} queryClient={newQueryClient()}>
              <Probe user={editor.id} />
            </Providers>
          ))}
        </>,
      )
      await act(() => vi.advanceTimersByTimeAsync(0))
      await act(() => vi.advanceTimersByTimeAsync(0))
      const holder = server.getLock(path)?.user
      const held = [...results].filter(([, r]) => r.status === 'held').map(([user]) => user)
      expect(held).toEqual([holder])
      const others = [...results].filter(([user]) => user !== holder)
      expect(others).toHaveLength(19)
      for (const [, r] of others) {
        expect(r.status).toBe('locked')
        expect(r.holder?.id).toBe(holder)
        expect(r.lock?.token).toBeNull()
      }
      view.unmount()
      await act(() => vi.advanceTimersByTimeAsync(10))
    }
  }, 30_000)
})

describe('two editors racing to take over a third one’s stealable lock (plone.restapi)', () => {
  it('one wins; the other ends locked by the winner', async () => {
    const server = start('plone')
    const path = uniquePath()
    server.setLock(path, { user: 'editor3', stealable: true })
    const results = new Map<string, LockResult>()
    function Probe({ user }: { user: string }) {
      results.set(user, useLock(path))
      return null
    }
    render(
      <>
        {['editor1', 'editor2'].map((user) => (
          <Providers key={user} client={clientFor(server, user)} queryClient={newQueryClient()}>
            <Probe user={user} />
          </Providers>
        ))}
      </>,
    )
    await act(() => vi.advanceTimersByTimeAsync(0))
    await act(() => vi.advanceTimersByTimeAsync(0))
    expect(results.get('editor1')?.status).toBe('locked')
    expect(results.get('editor2')?.status).toBe('locked')
    await act(() => Promise.all([results.get('editor1')!.takeOver(), results.get('editor2')!.takeOver()]))
    await act(() => vi.advanceTimersByTimeAsync(30_000))
    const winner = server.getLock(path)?.user
    expect(['editor1', 'editor2']).toContain(winner)
    const loser = winner === 'editor1' ? 'editor2' : 'editor1'
    expect(results.get(winner!)?.status).toBe('held')
    expect(results.get(loser)?.status).toBe('locked')
    expect(results.get(loser)?.holder?.id).toBe(winner)
  })
})

