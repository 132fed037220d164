import { focusManager } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { useLock } from '../src'
import type { LockClient } from '../src'
import { clientFor, dialects, newQueryClient, Providers, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath } from './utils'

// Cancel, then open the same item again at once (a new page, a remount under another provider): on Nick the release
// is a one-second lock, which a POST right after answers as it is. The new form must end up with a lock that lasts.

const msw = setupMsw()

setupFakeTimers(() => focusManager.setFocused(undefined))

function openForm(client: LockClient, path: string) {
  const queryClient = newQueryClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <Providers client={client} queryClient={queryClient}>
      {children}
    </Providers>
  )
  return renderHook(() => useLock(path), { wrapper })
}

async function settle() {
  await tick(0)
  await tick(0)
}

describe.each(dialects)('opening an item again right after cancelling it (%s)', (dialect) => {
  it('holds a lock that lasts, not the one-second lock the release left', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const first = openForm(clientFor(server, 'alice'), path)
    await settle()
    expect(first.result.current.status).toBe('held')
    await act(() => first.result.current.release())

    const again = openForm(clientFor(server, 'alice'), path)
    await settle()
    expect(again.result.current.status).toBe('held')
    await tick(5_000)
    expect(server.getLock(path)).toMatchObject({ user: 'alice', timeout: 600 })
    expect(again.result.current.status).toBe('held')
    expect(again.result.current.interruptions).toBe(0)
    await tick(60_000)
    expect(server.getLock(path)).toMatchObject({ user: 'alice' })
  })
})
