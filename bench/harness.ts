import { focusManager } from '@tanstack/react-query'
import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach, vi } from 'vitest'
import type { LockServer } from '../src/testing'
import { tick } from '../test/utils'

export { tick }

export const SECOND = 1000
export const MINUTE = 60 * SECOND

/**
 * Fake timers that move only when a measurement moves them, so that counts do not depend on the machine; after
 * each measurement its trees are unmounted and a minute passes, so that leases are given back.
 */
export function setupBenchTimers(options: { focused?: boolean } = {}): void {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false })
    if (options.focused) focusManager.setFocused(true)
  })
  afterEach(async () => {
    cleanup()
    await tick(MINUTE)
    focusManager.setFocused(undefined)
    vi.useRealTimers()
  })
}

export interface LockRequests {
  total: number
  POST: number
  PATCH: number
  GET: number
  DELETE: number
}

/** The `@lock` requests the simulated server answered for one path. */
export function lockRequests(server: LockServer, path: string): LockRequests {
  const counts: LockRequests = { total: 0, POST: 0, PATCH: 0, GET: 0, DELETE: 0 }
  for (const entry of server.log) {
    if (entry.path !== path || entry.endpoint !== 'lock') continue
    counts.total += 1
    counts[entry.method as Exclude<keyof LockRequests, 'total'>] += 1
  }
  return counts
}

export function describeRequests(counts: LockRequests): string {
  const parts = (['POST', 'PATCH', 'GET', 'DELETE'] as const).filter((method) => counts[method] > 0).map((method) => `${counts[method]} ${method}`)
  return `${counts.total} (${parts.join(', ')})`
}
