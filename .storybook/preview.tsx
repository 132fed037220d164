import type { Preview } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { mswLoader } from 'msw-storybook-addon/csf3'
import { expect } from 'storybook/test'
import { answerClosedSites } from '../stories/components/demoServer'

declare module 'storybook/internal/csf' {
  interface StoryContext {
    /** The story's own query client, so no cached lock or answer leaks from one story into the next. */
    queryClient: QueryClient
  }
}

// What a story printed through console.error or console.warn (React's warnings, msw's, ours).
let printed: unknown[][] = []

/* eslint-disable no-console -- watches the console without printing anything itself */
function watchConsole(): () => void {
  printed = []
  const { error, warn } = console
  console.error = (...args: unknown[]) => {
    printed.push(args)
    error(...args)
  }
  console.warn = (...args: unknown[]) => {
    printed.push(args)
    warn(...args)
  }
  return () => {
    console.error = error
    console.warn = warn
  }
}
/* eslint-enable no-console */

const preview: Preview = {
  // A Docs page per demo, where each story's description can be read before it is opened.
  tags: ['autodocs'],
  // Starts the service worker once, then resets its handlers before each story: a story adds its own with
  // `parameters.msw` or `beforeEach({ msw }) { msw.use(...) }`.
  loaders: [mswLoader()],
  beforeEach(context) {
    // A failed request should show at once, not after three retries.
    context.queryClient = new QueryClient({
      defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
    })
    answerClosedSites(context.msw)
    const unwatch = watchConsole()
    return () => {
      unwatch()
      context.queryClient.clear()
    }
  },
  // A story that passes prints nothing: any console error or warning fails it.
  afterEach() {
    expect(printed, 'console.error / console.warn during the story').toEqual([])
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
