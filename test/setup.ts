import { afterEach, beforeEach, expect, vi } from 'vitest'
import type { MockInstance } from 'vitest'

// A passing test prints nothing: any console error or warning (React's, msw's, ours) fails it.
let spies: MockInstance[] = []

beforeEach(() => {
  spies = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')]
})

afterEach(() => {
  const calls = spies.flatMap((spy) => spy.mock.calls)
  for (const spy of spies) spy.mockRestore()
  expect(calls, 'console.error / console.warn during the test').toEqual([])
})
