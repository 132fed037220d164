import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { renderHook, waitFor } from '@testing-library/react'
import { useState, version as reactVersion } from 'react'
import type { ReactNode } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

// Each unit project names the React it means to run; one that silently fell back to another copy would pass the
// same tests and prove nothing.
const major = process.env.REACT_MAJOR ?? '19'

describe('the React these tests run against', () => {
  it(`is React ${major}, for the tests, the renderer and TanStack Query alike`, async () => {
    expect(reactVersion.split('.')[0]).toBe(major)
    expect(domVersion).toBe(reactVersion)
    const queryClient = new QueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    // Hooks from one copy of React inside a renderer of another copy throw; these render and settle.
    const { result } = renderHook(
      () => {
        const [state] = useState(reactVersion)
        return { state, query: useQuery({ queryKey: ['version'], queryFn: () => Promise.resolve(domVersion) }) }
      },
      { wrapper },
    )
    await waitFor(() => expect(result.current.query.data).toBe(reactVersion))
    expect(result.current.state).toBe(reactVersion)
  })
})
