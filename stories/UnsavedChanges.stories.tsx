import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import './components/demo.css'
import { TwoEditorsLayout } from './components/DemoLayout'
import { DOCUMENT } from './components/demoServer'
import type { DemoSite } from './components/demoServer'
import { expectRequest, findAnnouncement, onSimulatedSite, replaceTitleAndSave, screenOf, simulated, WAIT } from './storySupport'
import type { DemoArgs } from './storySupport'

/** Alice and Bob on one document, as in the two-editors demo; Alice's screen can be reloaded, her browser keeping what she typed. */
function UnsavedChanges({ site }: { site: DemoSite }) {
  return <TwoEditorsLayout site={site} reloadable />
}

/**
 * What a lost lock does to unsaved work: Alice's text is kept in her browser while she holds the lock, survives Bob
 * taking the document over and a reload of her page, and is offered back, with a word that Bob saved in between.
 */
const meta = {
  title: 'Demos/Unsaved changes',
  ...onSimulatedSite(UnsavedChanges),
} satisfies Meta<DemoArgs>

export default meta

type Story = StoryObj<typeof meta>
type Context = StoryContext<DemoArgs>

const ALICE_TEXT = 'Quarterly report (Alice’s draft)'
const BOB_TEXT = 'Quarterly report, final'

async function aliceTypesBobTakesOverAndSaves({ canvas, step, userEvent }: Context) {
  const alice = screenOf(canvas, 'Alice')
  const bob = screenOf(canvas, 'Bob')
  await step('Alice types; her text is kept in her browser', async () => {
    await findAnnouncement(alice, 'status', /You are editing/)
    await userEvent.type(alice.getByLabelText('Title'), ' (Alice’s draft)')
    await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_TEXT)
    await expect(await alice.findByText(/Your changes are kept in this browser/, {}, WAIT)).toBeVisible()
  })
  await step('Bob takes over: Alice is told her text is kept, with nothing to copy by hand', async () => {
    await userEvent.click(await bob.findByRole('button', { name: 'Edit' }))
    await findAnnouncement(bob, 'status', /Locked by Alice Archer/)
    await userEvent.click(bob.getByRole('button', { name: 'Take over' }))
    await findAnnouncement(bob, 'status', /You are editing/)
    await findAnnouncement(alice, 'alert', /Bob Baker took over this document\. Your text is still here, and kept in this browser/)
    await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_TEXT)
    expect(alice.queryByText(/copy/i)).toBeNull()
  })
  await step('Bob saves his own version; his lock is given back', async () => {
    await replaceTitleAndSave(bob, userEvent, BOB_TEXT)
    await expectRequest(canvas, /bob PATCH \/news\/quarterly-report 204 \(Lock-Token valid\)/)
  })
}

async function aliceReloads({ canvas, site, step, userEvent }: Context) {
  const alice = screenOf(canvas, 'Alice')
  await step('Alice reloads her page: it shows Bob’s version, and offers her draft, saying Bob saved since', async () => {
    await userEvent.click(alice.getByRole('button', { name: 'Reload page' }))
    await findAnnouncement(alice, 'status', /You are editing/)
    await expect(alice.getByLabelText('Title')).toHaveValue(BOB_TEXT)
    await findAnnouncement(
      alice,
      'status',
      /You have unsaved changes from .+, kept in this browser: “Quarterly report \(Alice’s draft\)”\. Someone has saved this document since you began them/,
    )
    expect(simulated(site).getContent(DOCUMENT)?.title).toBe(BOB_TEXT)
  })
}

/** Alice restores her text, is told that saving would overwrite Bob's, chooses to keep hers, and saves. */
export const RestoreAfterReload: Story = {
  async play(context) {
    const { canvas, site, step, userEvent } = context
    const alice = screenOf(canvas, 'Alice')
    await aliceTypesBobTakesOverAndSaves(context)
    await aliceReloads(context)
    await step('She restores her text: Save waits until she has chosen between hers and Bob’s', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Restore my changes' }))
      await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_TEXT)
      await findAnnouncement(alice, 'status', /Someone saved this document since you began\. Saving now would overwrite their changes/)
      await expect(alice.getByRole('button', { name: 'Save' })).toBeDisabled()
    })
    await step('She keeps her text and saves it over Bob’s, knowingly; the kept copy goes', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Keep my text' }))
      await expect(alice.getByRole('button', { name: 'Save' })).toBeEnabled()
      await userEvent.click(alice.getByRole('button', { name: 'Save' }))
      await findAnnouncement(alice, 'status', /^Saved\.$/)
      expect(simulated(site).getContent(DOCUMENT)?.title).toBe(ALICE_TEXT)
      await waitFor(() => expect(alice.queryByText(/Your changes are kept in this browser/)).toBeNull(), WAIT)
    })
  },
}

/** Alice looks at her old draft next to Bob's saved version and lets it go: the form shows Bob's, ready to edit. */
export const DiscardAfterReload: Story = {
  async play(context) {
    const { canvas, step, userEvent } = context
    const alice = screenOf(canvas, 'Alice')
    await aliceTypesBobTakesOverAndSaves(context)
    await aliceReloads(context)
    await step('She discards her draft: Bob’s version stays, and she can edit and save it', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Discard them' }))
      await expect(alice.getByLabelText('Title')).toHaveValue(BOB_TEXT)
      await expect(alice.getByRole('region', { name: 'Unsaved changes' })).toHaveTextContent(/^$/)
      await expect(alice.getByRole('button', { name: 'Save' })).toBeEnabled()
    })
  },
}

/**
 * No reload: Alice takes the document back after Bob saved. Her form fetches the document again as the lock comes
 * back, and tells her Bob saved in between before she can save over it.
 */
export const TakeItBackAfterBobSaved: Story = {
  async play(context) {
    const { canvas, step, userEvent } = context
    const alice = screenOf(canvas, 'Alice')
    await aliceTypesBobTakesOverAndSaves(context)
    await step('Alice takes the document back: before she can save, she is told Bob saved in between', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Take it back' }))
      await findAnnouncement(alice, 'status', /You are editing/)
      await expectRequest(canvas, /alice GET \/news\/quarterly-report 200/)
      await findAnnouncement(alice, 'status', /Someone saved this document since you began\. Saving now would overwrite their changes/)
      await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_TEXT)
      await expect(alice.getByRole('button', { name: 'Save' })).toBeDisabled()
    })
    await step('She looks at the saved version: the form shows Bob’s text, and Save is back', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Show the saved version' }))
      await expect(alice.getByLabelText('Title')).toHaveValue(BOB_TEXT)
      await expect(alice.getByRole('button', { name: 'Save' })).toBeEnabled()
    })
  },
}

/** The same demo without a script, to try by hand: type as Alice, take over as Bob, save, reload Alice's page. */
export const Playground: Story = {}
