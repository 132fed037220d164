import type { Preview } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { mswLoader } from 'msw-storybook-addon/csf3'

declare module 'storybook/internal/csf' {
  interface StoryContext {
    /** The story's own query client, so no cached lock or answer leaks from one story into the next. */
    queryClient: QueryClient
  }
}

const preview: Preview = {
  // Starts the service worker once, then resets its handlers before each story: a story adds its own with
  // `parameters.msw` or `beforeEach({ msw }) { msw.use(...) }`.
  loaders: [mswLoader()],
  beforeEach(context) {
    // A failed request should show at once, not after three retries.
    context.queryClient = new QueryClient({
      defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
    })
    return () => context.queryClient.clear()
  },
  decorators: [
    (Story, { queryClient }) => (
      <QueryClientProvider client={queryClient}>
        <Story />
      </QueryClientProvider>
    ),
  ],
}

export default preview
