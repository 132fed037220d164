import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import './components/demo.css'
import { DemoLayout, screenProps, SHORT_LOCK } from './components/DemoLayout'
import { DOCUMENT } from './components/demoServer'
import type { DemoSite } from './components/demoServer'
import { EditorPanel } from './components/EditorPanel'
import { formatTime } from './components/formatTime'
import { expectRequest, findAnnouncement, onSimulatedSite, replaceTitleAndSave, requestLines, screenOf, simulated, WAIT } from './storySupport'
import type { DemoArgs } from './storySupport'
import type { Scope } from './storySupport'

function OneEditor({ site }: { site: DemoSite }) {
  return (
    <DemoLayout site={site} layout="single">
      <EditorPanel {...screenProps(site, site.alice)} startEditing lockOptions={SHORT_LOCK} />
    </DemoLayout>
  )
}

/** The edit form in each state it can be in, with the requests behind it. */
const meta = {
  title: 'Demos/Edit form',
  ...onSimulatedSite(OneEditor),
} satisfies Meta<DemoArgs>

export default meta

type Story = StoryObj<typeof meta>
type UserEvent = StoryContext<DemoArgs>['userEvent']

const alice = (canvas: Scope) => screenOf(canvas, 'Alice')

async function expectHeld(canvas: Scope) {
  await findAnnouncement(alice(canvas), 'status', /You are editing/)
  await expect(alice(canvas).getByLabelText('Title')).not.toHaveAttribute('readonly')
  await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeEnabled()
}

/** Types into the title as one input event, so that exactly one ownership check (`touch()`) follows. */
async function pasteIntoTitle(canvas: Scope, userEvent: UserEvent, text: string) {
  await userEvent.click(alice(canvas).getByLabelText('Title'))
  await userEvent.paste(text)
}

/** The server has not answered the POST yet: the form says so, and Save waits. */
export const Acquiring: Story = {
  beforeEach({ site }) {
    simulated(site).fail({ method: 'POST', endpoint: 'lock' }, { delay: 'infinite' })
  },
  async play({ canvas }) {
    await findAnnouncement(alice(canvas), 'status', /Opening the document for editing…/)
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    await expect(alice(canvas).getByRole('button', { name: 'Cancel' })).toBeEnabled()
    // With a timeout to ask for, the client looks first, so that it never changes another user's lock.
    await expectRequest(canvas, /alice GET \/news\/quarterly-report\/@lock 200/)
    expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/POST/))
  },
}

/** Taking the lock fails with a server error: the form says so and tries again by itself. */
export const OpeningFails: Story = {
  beforeEach({ site }) {
    simulated(site).fail({ method: 'POST', endpoint: 'lock' }, { status: 503, times: 1 })
  },
  async play({ canvas }) {
    await findAnnouncement(alice(canvas), 'alert', /Could not open the document for editing: the server answered with an error \(HTTP 503\)\. Trying again…/)
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    await expectRequest(canvas, /alice POST \/news\/quarterly-report\/@lock 503 \(simulated fault\)/)
    // The first retry comes a second later.
    await expectHeld(canvas)
    await expectRequest(canvas, /alice POST \/news\/quarterly-report\/@lock 200/)
  },
}

/** The lock is ours: the form is editable and Save is on. */
export const Held: Story = {
  async play({ canvas }) {
    await expectHeld(canvas)
    await expectRequest(canvas, /alice POST \/news\/quarterly-report\/@lock 200/)
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report')
  },
}

/** Bob holds a lock he lets others take over: read-only, with who and since when, and a Take over button. */
export const LockedByAnotherUser: Story = {
  beforeEach({ site }) {
    simulated(site).setLock(DOCUMENT, { user: 'bob' })
  },
  async play({ canvas, site }) {
    const since = formatTime(new Date(simulated(site).getLock(DOCUMENT)?.created ?? NaN))
    await findAnnouncement(alice(canvas), 'status', new RegExp(`Locked by Bob Baker since ${since}\\.`))
    await expect(alice(canvas).getByLabelText('Title')).toHaveAttribute('readonly')
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    await expect(alice(canvas).getByRole('button', { name: 'Take over' })).toBeEnabled()
    expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/alice POST/))
  },
}

/** Bob's lock is not stealable: no Take over button, and the form says why. */
export const LockedNotStealable: Story = {
  beforeEach({ site }) {
    simulated(site).setLock(DOCUMENT, { user: 'bob', stealable: false })
  },
  async play({ canvas }) {
    await findAnnouncement(alice(canvas), 'status', /Locked by Bob Baker since .+\. They did not allow others to take it over\./)
    await expect(alice(canvas).getByLabelText('Title')).toHaveAttribute('readonly')
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    await expect(alice(canvas).queryByRole('button', { name: 'Take over' })).toBeNull()
  },
}

/** Bob took the lock while Alice had the form open; her next keystroke tells her, and her text stays, kept in her browser. */
export const LostTakenOver: Story = {
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    simulated(site).setLock(DOCUMENT, { user: 'bob' })
    await pasteIntoTitle(canvas, userEvent, ', second draft')
    await findAnnouncement(alice(canvas), 'alert', /Bob Baker took over this document\. Your text is still here, and kept in this browser/)
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report, second draft')
    await expect(alice(canvas).getByLabelText('Title')).toHaveAttribute('readonly')
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    // Bob's lock is stealable, so Alice may take it back.
    await expect(alice(canvas).getByRole('button', { name: 'Take it back' })).toBeEnabled()
  },
}

/**
 * Alice's laptop slept past her lock's timeout and Bob took the document meanwhile: when she types again, she is
 * told that her lock ran out, not that it was taken from her.
 */
export const LostExpired: Story = {
  beforeEach() {
    const realNow = Date.now
    return () => {
      Date.now = realNow
    }
  },
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    const realNow = Date.now
    // The page's clock (and the simulated server's) jumps 11 minutes, as after a sleep; no timer fired meanwhile.
    Date.now = () => realNow() + 11 * 60_000
    expect(simulated(site).getLock(DOCUMENT)).toBeNull()
    simulated(site).setLock(DOCUMENT, { user: 'bob' })
    await pasteIntoTitle(canvas, userEvent, ', written before the break')
    await findAnnouncement(alice(canvas), 'alert', /Your lock ran out while this page was idle, and Bob Baker is editing now\./)
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report, written before the break')
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
  },
}

/**
 * The server stops answering: the form keeps the lock as long as it has time, says there is a connection problem
 * and pauses saving; once the server answers again the lock is renewed and saving comes back.
 */
export const ConnectionLost: Story = {
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    simulated(site).fail({}, { networkError: true, times: 2 })
    await pasteIntoTitle(canvas, userEvent, ', typed offline')
    await findAnnouncement(alice(canvas), 'alert', /Connection problem: your lock could not be renewed\. Still trying; saving is paused/)
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
    await expect(alice(canvas).getByLabelText('Title')).not.toHaveAttribute('readonly')
    await expectRequest(canvas, /alice GET \/news\/quarterly-report\/@lock network error \(simulated fault\)/)

    // Retries after 1 s (fails again) and 2 s more.
    await findAnnouncement(alice(canvas), 'status', /You are editing/)
    await expectRequest(canvas, /alice PATCH \/news\/quarterly-report\/@lock 200/)
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeEnabled()
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report, typed offline')
    expect(alice(canvas).getAllByRole('alert').map((region) => region.textContent)).toEqual(['', ''])
  },
}

/**
 * Bob took the lock and Alice saves before any check noticed: the server refuses, the form says why, marks the
 * lock lost and keeps her text.
 */
export const SaveRefusedByServer: Story = {
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    await pasteIntoTitle(canvas, userEvent, ', final')
    // Typing checked who holds the lock (a GET after the one taking it); Bob comes in once that check is answered.
    await waitFor(() => expect(requestLines(canvas).filter((line) => / alice GET .*@lock 200/.test(line))).toHaveLength(2), WAIT)
    simulated(site).setLock(DOCUMENT, { user: 'bob' })
    await userEvent.click(alice(canvas).getByRole('button', { name: 'Save' }))
    await findAnnouncement(alice(canvas), 'alert', /Not saved: the server refused because someone else holds the lock/)
    await findAnnouncement(alice(canvas), 'alert', /Bob Baker took over this document/)
    await expectRequest(canvas, /alice PATCH \/news\/quarterly-report 403 \(Lock-Token invalid\)/)
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report, final')
    expect(simulated(site).getContent(DOCUMENT)?.title).toBe('Quarterly report')
  },
}

async function saveTitle(canvas: Scope, userEvent: UserEvent, text: string) {
  await replaceTitleAndSave(alice(canvas), userEvent, text)
  await findAnnouncement(alice(canvas), 'status', /The lock was given back/)
  await expect(alice(canvas).getByLabelText('Title')).toHaveValue(text)
  await expect(alice(canvas).getByLabelText('Title')).toHaveAttribute('readonly')
}

/** Saving sends the lock's token and, on plone.restapi, gives the lock back with a DELETE. */
export const ReleaseOnSave: Story = {
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    await saveTitle(canvas, userEvent, 'Quarterly report, approved')
    await expectRequest(canvas, /alice PATCH \/news\/quarterly-report 204 \(Lock-Token valid\)/)
    await expectRequest(canvas, /alice DELETE \/news\/quarterly-report\/@lock 200$/)
    expect(simulated(site).getLock(DOCUMENT)).toBeNull()
    expect(simulated(site).getContent(DOCUMENT)?.title).toBe('Quarterly report, approved')
    await expect(alice(canvas).getByRole('button', { name: 'Edit again' })).toBeEnabled()
  },
}

/** Nick drops the lock itself when it accepts a save with the token, so no DELETE follows. */
export const ReleaseOnSaveNick: Story = {
  args: { dialect: 'nick' },
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    await saveTitle(canvas, userEvent, 'Quarterly report, approved')
    await expectRequest(canvas, /alice PATCH \/news\/quarterly-report 204 \(Lock-Token valid\)/)
    expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/DELETE/))
    expect(simulated(site).getLock(DOCUMENT)).toBeNull()
  },
}

/** Cancel gives the lock back and discards the changes. */
export const ReleaseOnCancel: Story = {
  async play({ canvas, site, userEvent }) {
    await expectHeld(canvas)
    await pasteIntoTitle(canvas, userEvent, ', not wanted')
    await userEvent.click(alice(canvas).getByRole('button', { name: 'Cancel' }))
    await findAnnouncement(alice(canvas), 'status', /Cancelled; your changes were discarded\./)
    await findAnnouncement(alice(canvas), 'status', /The lock was given back/)
    await expectRequest(canvas, /alice DELETE \/news\/quarterly-report\/@lock 200$/)
    expect(simulated(site).getLock(DOCUMENT)).toBeNull()
    await expect(alice(canvas).getByLabelText('Title')).toHaveValue('Quarterly report')
    await expect(alice(canvas).getByRole('button', { name: 'Save' })).toBeDisabled()
  },
}

/** A content type without locking (plone.restapi answers `{}`): the form stays editable and saves without a token. */
export const NotLockable: Story = {
  beforeEach({ site }) {
    simulated(site).setContent(DOCUMENT, { title: 'Quarterly report', lockable: false })
  },
  async play({ canvas, site, userEvent }) {
    await findAnnouncement(alice(canvas), 'status', /This server does not lock this document while you edit it/)
    await replaceTitleAndSave(alice(canvas), userEvent, 'Quarterly report, unlocked')
    await expectRequest(canvas, /alice PATCH \/news\/quarterly-report 204$/)
    expect(simulated(site).getContent(DOCUMENT)?.title).toBe('Quarterly report, unlocked')
  },
}

/**
 * A clean start with nothing scripted: Alice's form holds the lock. Type, save, cancel and edit again, switch the
 * simulated server, and watch the requests below.
 */
export const Playground: Story = {}
