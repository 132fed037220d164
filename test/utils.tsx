import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import type { RenderResult } from '@testing-library/react'
import { setupServer } from 'msw/node'
import type { ReactElement, ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
import { createLockClient, LockError, LockProvider } from '../src'
import type { LockClient, LockClientOptions, LockProviderProps } from '../src'
import { createLockServer } from '../src/testing'
import type { LockServer, SimulatedDialect } from '../src/testing'

export const dialects: SimulatedDialect[] = ['plone', 'nick']

let counter = 0

/** A fresh API base per test, so that servers and caches never meet. */
export function uniqueApi(): string {
  counter += 1
  return `http://cms${counter}.test/Plone`
}

/** A fresh content path per test. */
export function uniquePath(): string {
  counter += 1
  return `/news/item-${counter}`
}

/**
 * One msw server for the test file; call at the top level. Each simulation adds its handlers with `use` and has an
 * origin of its own, so handlers stay until the file ends: a lease given back after its test still reaches its server.
 */
export function setupMsw() {
  const msw = setupServer()
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => msw.close())
  return msw
}

export function startSimulation(
  msw: ReturnType<typeof setupServer>,
  dialect: SimulatedDialect,
  options: { defaultTimeout?: number; lockOnEdit?: boolean } = {},
): LockServer {
  const server = createLockServer({ dialect, apiPath: uniqueApi(), ...options })
  msw.use(...server.handlers)
  return server
}

export function clientFor(server: LockServer, user: string, options: Partial<LockClientOptions> = {}): LockClient {
  return createLockClient({ apiPath: server.apiPath, token: server.tokenFor(user), ...options })
}

export function newQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } })
}

/**
 * One user's providers. Tab coordination is off unless a test passes a channel: these tests are about one tab, and
 * the process's real BroadcastChannel would join unrelated tests.
 */
export function Providers({
  client,
  queryClient,
  tabs = false,
  children,
}: {
  client: LockClient
  queryClient: QueryClient
  tabs?: LockProviderProps['tabs']
  children?: ReactNode
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <LockProvider client={client} tabs={tabs}>
        {children}
      </LockProvider>
    </QueryClientProvider>
  )
}

/**
 * A `wrapper` for `render` and `renderHook`: `client`'s user's {@link Providers}, with one query client for the
 * wrapper's life; tab coordination off unless `tabs` is given.
 */
export function wrapperFor(client: LockClient, queryClient = newQueryClient(), tabs: LockProviderProps['tabs'] = false) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    return (
      <Providers client={client} queryClient={queryClient} tabs={tabs}>
        {children}
      </Providers>
    )
  }
}

/** Renders `ui` as the given user would see it: its own query client and lock provider. */
export function renderWithClient(ui: ReactElement, client: LockClient, queryClient = newQueryClient()): RenderResult & { queryClient: QueryClient } {
  const result = render(
    <Providers client={client} queryClient={queryClient}>
      {ui}
    </Providers>,
  )
  return Object.assign(result, { queryClient })
}

/** Requests the simulated server saw, as `METHOD endpoint` strings, for compact assertions. */
export function requests(server: LockServer, filter: { path?: string; user?: string } = {}): string[] {
  return server.log
    .filter((entry) => (filter.path === undefined || entry.path === filter.path) && (filter.user === undefined || entry.user === filter.user))
    .map((entry) => `${entry.method} ${entry.endpoint}`)
}

/**
 * Fake timers for every test of the file (advancing with real time too, so that msw answers), and each test's
 * trees unmounted, their leases given back, before the next test.
 */
export function setupFakeTimers(afterCleanup?: () => void) {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
  })
  afterEach(async () => {
    cleanup()
    await act(() => vi.advanceTimersByTimeAsync(100))
    afterCleanup?.()
    vi.useRealTimers()
  })
}

/** Advances the fake clock, running what falls due, inside `act`. */
export async function tick(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms))
}

/** The `LockError` a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<LockError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(LockError)
    return error as LockError
  }
  throw new Error('expected a rejection')
}

/**
 * The request a client gives its own lock back with: plone.restapi's DELETE; on Nick, whose DELETE answers
 * "unlocked" but keeps the lock, a PATCH that shortens it to one second.
 */
export function releaseRequest(dialect: SimulatedDialect): string {
  return dialect === 'nick' ? 'PATCH lock' : 'DELETE lock'
}

/** Nick counts whole seconds, so a one-second lock is gone at most this long after it was written. */
export const NICK_RELEASE_LAPSE = 2_000

/**
 * Asserts that a lock given back is gone for everyone: at once on plone.restapi; on Nick after the short lock the
 * release left has lapsed (waited out with `advance`, the fake clock by default).
 */
export async function expectReleased(server: LockServer, path: string, advance: (ms: number) => Promise<void> = tick) {
  if (server.dialect === 'nick') await advance(NICK_RELEASE_LAPSE)
  expect(server.getLock(path)).toBeNull()
}
