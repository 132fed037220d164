import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect } from 'storybook/test'
import { createLockClient, LockProvider, useLock } from '../src'
import type { LockResult } from '../src'
import { createLockServer } from '../src/testing'

/**
 * One person, one document, several tabs. Open this story in two tabs of one browser: the second tab is read-only
 * ("you are editing this in another tab") until you move the edit to it. The tabs talk over a BroadcastChannel;
 * each tab's simulated server is its own, and none of them sees a request when the edit moves.
 */
const server = createLockServer({ dialect: 'plone', apiPath: `${location.origin}/tabs-demo/++api++` })
const PATH = '/news/tabs-demo'

function TabBanner({ lock }: { lock: LockResult }) {
  if (lock.status === 'held') return <p role="status">You are editing this document in this tab.</p>
  if (lock.status === 'locked' && lock.holder?.where === 'other-tab') {
    return (
      <div role="status">
        <p>You are editing this document in another tab. This tab is read-only.</p>
        <button type="button" onClick={() => void lock.takeOver()}>
          Edit here instead
        </button>
      </div>
    )
  }
  if (lock.status === 'lost' && lock.lostReason === 'moved-to-another-tab') {
    return (
      <div role="alert">
        <p>You moved this edit to another tab. Your text here is kept, read-only.</p>
        <button type="button" onClick={() => void lock.takeOver()}>
          Edit here instead
        </button>
      </div>
    )
  }
  if (lock.status === 'idle') return <p role="status">The other tab closed the document. Reload to edit it here.</p>
  return <p role="status">Opening the document for editing…</p>
}

function TabForm() {
  const lock = useLock(PATH)
  const [title, setTitle] = useState('A document open in two tabs')
  return (
    <form onSubmit={(event) => event.preventDefault()}>
      <TabBanner lock={lock} />
      <label>
        Title{' '}
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

function OneEditingTab() {
  const [client] = useState(() => createLockClient({ apiPath: server.apiPath, token: server.tokenFor('alice') }))
  return (
    <LockProvider client={client}>
      <TabForm />
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
    await expect(await canvas.findByText('You are editing this document in this tab.')).toBeVisible()
    await expect(canvas.getByLabelText('Title')).not.toHaveAttribute('readonly')
  },
}
