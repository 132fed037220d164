import type { Meta, StoryObj } from '@storybook/react-vite'
import { useQuery } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { expect } from 'storybook/test'

/**
 * An infrastructure check: proves that msw answers requests in the browser with handlers set per story, and that
 * each story gets a fresh query client (the second story would otherwise show the first one's cached answer).
 */
function Hello() {
  const hello = useQuery({
    queryKey: ['hello'],
    queryFn: async () => {
      const response = await fetch('/api/hello')
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      return ((await response.json()) as { greeting: string }).greeting
    },
  })
  if (hello.isPending) return <p>Loading…</p>
  if (hello.isError) return <p role="alert">Failed: {hello.error.message}</p>
  return <p>{hello.data}</p>
}

const meta = {
  title: 'Infrastructure checks/Mocked fetch',
  component: Hello,
} satisfies Meta<typeof Hello>

export default meta

type Story = StoryObj<typeof meta>

export const Answers: Story = {
  beforeEach({ msw }) {
    msw.use(http.get('/api/hello', () => HttpResponse.json({ greeting: 'Hello from the mock server' })))
  },
  async play({ canvas }) {
    await expect(await canvas.findByText('Hello from the mock server')).toBeVisible()
  },
}

export const Fails: Story = {
  beforeEach({ msw }) {
    msw.use(http.get('/api/hello', () => new HttpResponse(null, { status: 503 })))
  },
  async play({ canvas }) {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Failed: HTTP 503')
  },
}
