import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { expect, waitFor } from 'storybook/test'
import { createLockClient, LockProvider } from '../src'
import './components/demo.css'
import { ContentListing } from './components/ContentListing'
import { DemoLayout } from './components/DemoLayout'
import { LISTING } from './components/demoServer'
import type { DemoSite } from './components/demoServer'
import { onSimulatedSite, requestLines, simulated, WAIT } from './storySupport'
import type { DemoArgs } from './storySupport'
import type { Scope } from './storySupport'

const REFETCH_INTERVAL = 1500

/** Carol's list of news items, while Alice and Bob edit some of them elsewhere. */
function Listing({ site }: { site: DemoSite }) {
  const server = simulated(site)
  const [queryClient] = useState(() => new QueryClient())
  const [client] = useState(() => createLockClient({ apiPath: site.apiPath, token: server.tokenFor('carol') }))
  return (
    <DemoLayout site={site} layout="single">
      <section className="panel" aria-label="Carol's screen">
        <h2>Carol&rsquo;s screen</h2>
        <QueryClientProvider client={queryClient}>
          <LockProvider client={client}>
            <ContentListing paths={LISTING} refetchInterval={REFETCH_INTERVAL} />
          </LockProvider>
        </QueryClientProvider>
      </section>
    </DemoLayout>
  )
}

const meta = {
  title: 'Demos/Content listing',
  ...onSimulatedSite(Listing, (server) => server.setLock('/news/summer-party', { user: 'alice' })),
} satisfies Meta<DemoArgs>

export default meta

type Story = StoryObj<typeof meta>

function badgeOf(canvas: Scope, title: string): string {
  const row = canvas.getByRole('rowheader', { name: title }).closest('tr')
  return row?.querySelector('td')?.textContent?.trim() ?? ''
}

/**
 * Each row's badge starts from the lock its content GET carried (no lock request), then follows other users: Bob
 * locks an item, Alice gives hers back, and the badges change within the refetch interval.
 */
export const FollowsOtherEditors: Story = {
  async play({ canvas, site, step }) {
    const server = simulated(site)
    await step('The badges come with the rows', async () => {
      // Each row loads its own content, so wait for all three.
      await waitFor(() => {
        expect(badgeOf(canvas, 'Summer party')).toMatch(/^Locked by Alice Archer since .+/)
        expect(badgeOf(canvas, 'Quarterly report')).toBe('Not locked')
        expect(badgeOf(canvas, 'We moved to a new office')).toBe('Not locked')
      }, WAIT)
      expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/@lock/))
    })
    await step('Bob locks an item; Alice gives hers back', async () => {
      server.setLock('/news/new-office', { user: 'bob' })
      server.setLock('/news/summer-party', null)
      await waitFor(() => expect(badgeOf(canvas, 'We moved to a new office')).toMatch(/^Locked by Bob Baker since .+/), WAIT)
      await waitFor(() => expect(badgeOf(canvas, 'Summer party')).toBe('Not locked'), WAIT)
      expect(requestLines(canvas)).toContainEqual(expect.stringMatching(/carol GET \/news\/new-office\/@lock 200/))
    })
  },
}
