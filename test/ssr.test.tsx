// @vitest-environment node
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { createLockClient, LockProvider, useLock, useLockedSave, useLockStatus } from '../src'

function Form() {
  const lock = useLock('/news/item')
  const status = useLockStatus('/news/item')
  const save = useLockedSave('/news/item')
  return (
    <p>
      {lock.status} {String(status.isLocked)} {save.status}
    </p>
  )
}

describe('server rendering', () => {
  it('renders without a browser and sends nothing', () => {
    expect(typeof window).toBe('undefined')
    const fetch = vi.fn<typeof globalThis.fetch>()
    const client = createLockClient({ apiPath: 'https://site.example/++api++', token: 'x.eyJzdWIiOiJhbGljZSJ9.y', fetch })
    const html = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <LockProvider client={client}>
          <Form />
        </LockProvider>
      </QueryClientProvider>,
    )
    expect(html.replace(/<!-- -->/g, '')).toBe('<p>acquiring false idle</p>')
    expect(fetch).not.toHaveBeenCalled()
  })
})
