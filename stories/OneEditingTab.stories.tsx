import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect } from 'storybook/test'
import { createLockClient, LockProvider, useLock } from '../src'
import type { LockResult } from '../src'
import { createLockServer } from '../src/testing'
import './components/demo.css'

/**
 * One person, one document, several tabs. Open this story in two tabs of one browser: the second tab is read-only
 * ("you are editing this in another tab") until you move the edit to it. The tabs talk over a BroadcastChannel;
 * each tab's simulated server is its own, and none of them sees a request when the edit moves.
 */
const server = createLockServer({ dialect: 'plone', apiPath: `${location.origin}/tabs-demo/++api++` })
const PATH = '/news/tabs-demo'

/** A banner that informs: what `text` says, and, with `takeOver`, a button that moves the edit to this tab. */
function InfoBanner({ text, takeOver }: { text: string; takeOver?: () => Promise<void> }) {
  return (
    <div className="lock-banner lock-banner--info">
      <p role="status">{text}</p>
      {takeOver && (
        <div className="lock-banner__actions">
          <button type="button" onClick={() => void takeOver()}>
            Edit here instead
          </button>
        </div>
      )}
    </div>
  )
}

function TabBanner({ lock }: { lock: LockResult }) {
  if (lock.status === 'held') {
    return (
      <div className="lock-banner lock-banner--editing">
        <p role="status">You are editing this document in this tab.</p>
      </div>
    )
  }
  if (lock.status === 'locked' && lock.holder?.where === 'other-tab') {
    return <InfoBanner text="You are editing this document in another tab. This tab is read-only." takeOver={lock.takeOver} />
  }
  if (lock.status === 'lost' && lock.lostReason === 'moved-to-another-tab') {
    return <InfoBanner text="You moved this edit to another tab. Your text here is kept, read-only." takeOver={lock.takeOver} />
  }
  if (lock.status === 'idle') {
    return <InfoBanner text="The other tab closed the document. Reload to edit it here." />
  }
  return <InfoBanner text="Opening the document for editing…" />
}

function TabForm() {
  const lock = useLock(PATH)
  const [title, setTitle] = useState('A document open in two tabs')
  return (
    <form className="panel" aria-label="Edit form" onSubmit={(event) => event.preventDefault()}>
      <h2>This tab</h2>
      <TabBanner lock={lock} />
      <label className="field">
        Title
        <input
          value={title}
          readOnly={lock.readOnly}
          onChange={(event) => {
            setTitle(event.target.value)
            lock.touch()
          }}
        />
      </label>
    </form>
  )
}

/** Where to open the same story again: the story's own frame, outside Storybook's manager. */
function storyUrl(): string {
  const url = new URL(location.href)
  url.searchParams.set('viewMode', 'story')
  return url.href
}

function OneEditingTab() {
  const [client] = useState(() => createLockClient({ apiPath: server.apiPath, token: server.tokenFor('alice') }))
  return (
    <LockProvider client={client}>
      <div className="demo demo--single">
        <TabForm />
        <section className="panel" aria-label="Try it">
          <h2>Try it</h2>
          <ol>
            <li>
              <a href={storyUrl()} target="_blank" rel="noreferrer">
                Open this document in a second tab
              </a>{' '}
              of this browser. That tab is read-only: you are editing here.
            </li>
            <li>In the second tab, choose &ldquo;Edit here instead&rdquo;. This tab becomes read-only and keeps its text.</li>
            <li>Move the edit back, or close either tab: the other one is told.</li>
          </ol>
          <p className="demo__note">
            The tabs talk over a BroadcastChannel. Each tab has its own simulated server, and none of them sees a
            request when the edit moves.
          </p>
        </section>
      </div>
    </LockProvider>
  )
}

const meta = {
  title: 'Demos/One editing tab',
  component: OneEditingTab,
  beforeEach({ msw }) {
    server.reset()
    msw.use(...server.handlers)
  },
} satisfies Meta<typeof OneEditingTab>

export default meta

type Story = StoryObj<typeof meta>

export const OpenInTwoTabs: Story = {
  async play({ canvas }) {
    // Opened first, this tab edits; opened while another tab edits, it is read-only. Either is right.
    const banner = await canvas.findByText(/^You are editing this document in (this|another) tab\./)
    await expect(banner).toBeVisible()
    if (banner.textContent?.includes('this tab')) {
      await expect(canvas.getByLabelText('Title')).not.toHaveAttribute('readonly')
    } else {
      await expect(canvas.getByLabelText('Title')).toHaveAttribute('readonly')
      await expect(canvas.getByRole('button', { name: 'Edit here instead' })).toBeVisible()
    }
  },
}
