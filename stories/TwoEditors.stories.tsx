import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite'
import { useEffect, useMemo, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import './components/demo.css'
import { TwoEditorsLayout } from './components/DemoLayout'
import { createLiveSite, DOCUMENT, letThrough, liveConfig } from './components/demoServer'
import type { DemoSite } from './components/demoServer'
import { checkLiveSetup } from './components/liveSetup'
import type { SetupResult } from './components/liveSetup'
import { formatTime } from './components/formatTime'
import { expectRequest, findAnnouncement, onSimulatedSite, replaceTitleAndSave, requestLines, screenOf, simulated } from './storySupport'
import type { DemoArgs } from './storySupport'

function TwoEditors({ site }: { site: DemoSite }) {
  return <TwoEditorsLayout site={site} />
}

const LIVE_VARIABLES = [
  'STORYBOOK_LOCK_API_PATH',
  'STORYBOOK_LOCK_ALICE_TOKEN or STORYBOOK_LOCK_ALICE_LOGIN and STORYBOOK_LOCK_ALICE_PASSWORD',
  'STORYBOOK_LOCK_BOB_TOKEN or STORYBOOK_LOCK_BOB_LOGIN and STORYBOOK_LOCK_BOB_PASSWORD',
  'STORYBOOK_LOCK_DOCUMENT (optional, defaults to /front-page)',
]

/** The same two editors on a real plone.restapi or Nick server, when the environment names one. */
function TwoEditorsOnYourServer() {
  const [config] = useState(liveConfig)
  if (!config) {
    return (
      <div className="demo">
        <section className="panel" aria-label="Use your own server">
          <h2>Use your own server</h2>
          <p>
            No server is configured, so there is nothing to show here. To watch two editors on a real plone.restapi
            or Nick server, set these variables (in <code>.env.local</code>, which git ignores) and restart Storybook:
          </p>
          <ul>
            {LIVE_VARIABLES.map((variable) => (
              <li key={variable}>
                <code>{variable}</code>
              </li>
            ))}
          </ul>
          <p>
            The server must allow this page&rsquo;s origin and the <code>Authorization</code>,{' '}
            <code>Content-Type</code> and <code>Lock-Token</code> request headers (CORS). docs/live-server.md shows
            how to start a local Nick for it.
          </p>
        </section>
      </div>
    )
  }
  return <CheckedLiveSite config={config} />
}

/** Checks the server first, and starts the demo only when everything it needs is in place. */
function CheckedLiveSite({ config }: { config: NonNullable<ReturnType<typeof liveConfig>> }) {
  const [result, setResult] = useState<SetupResult | null>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let current = true
    void checkLiveSetup(config).then((checked) => current && setResult(checked))
    return () => {
      current = false
    }
  }, [config, attempt])
  const site = useMemo(() => (result?.users ? createLiveSite(config, result.users) : null), [config, result])
  if (site) return <TwoEditors site={site} />
  return (
    <div className="demo">
      <section className="panel" aria-label="Checking your server">
        <h2>Checking your server</h2>
        <ul className="setup-checks">
          {(result?.checks ?? []).map((check) => (
            <li key={check.label} className={`setup-check setup-check--${check.state}`}>
              <strong>{check.state === 'passed' ? 'OK' : check.state === 'failed' ? 'Failed' : 'Not checked'}:</strong>{' '}
              {check.label}
              {check.fix && <p>{check.fix}</p>}
            </li>
          ))}
        </ul>
        {!result && <p role="status">Checking {config.apiPath}…</p>}
        {result && !result.users && (
          <button
            type="button"
            onClick={() => {
              setResult(null)
              setAttempt((count) => count + 1)
            }}
          >
            Check again
          </button>
        )}
      </section>
    </div>
  )
}

type Context = StoryContext<DemoArgs>

const meta = {
  title: 'Demos/Two editors',
  ...onSimulatedSite(TwoEditors),
} satisfies Meta<DemoArgs>

export default meta

type Story = StoryObj<typeof meta>

async function aliceHoldsTheLock({ canvas, step }: Context) {
  const alice = screenOf(canvas, 'Alice')
  await step('Alice opens the form and holds the lock', async () => {
    await findAnnouncement(alice, 'status', /You are editing/)
    await expectRequest(canvas, /alice POST \/news\/quarterly-report\/@lock 200/)
    await expect(alice.getByLabelText('Title')).not.toHaveAttribute('readonly')
    await expect(alice.getByRole('button', { name: 'Save' })).toBeEnabled()
  })
}

async function bobSeesTheLock({ canvas, site, step, userEvent }: Context) {
  const bob = screenOf(canvas, 'Bob')
  const since = formatTime(new Date(simulated(site).getLock(DOCUMENT)?.created ?? NaN))
  await step('Bob opens the form: read-only, with who holds the lock and since when', async () => {
    await userEvent.click(await bob.findByRole('button', { name: 'Edit' }))
    await findAnnouncement(bob, 'status', new RegExp(`Locked by Alice Archer since ${since}\\.`))
    await expect(bob.getByLabelText('Title')).toHaveAttribute('readonly')
    await expect(bob.getByRole('button', { name: 'Save' })).toBeDisabled()
    await expect(bob.getByRole('button', { name: 'Take over' })).toBeEnabled()
  })
}

const ALICE_DRAFT = 'Quarterly report (Alice’s draft)'

async function aliceTypes({ canvas, step, userEvent }: Context) {
  await step('Alice types', async () => {
    const title = screenOf(canvas, 'Alice').getByLabelText('Title')
    await userEvent.type(title, ' (Alice’s draft)')
    await expect(title).toHaveValue(ALICE_DRAFT)
  })
}

async function bobTakesOver(context: Context) {
  const { canvas, step, userEvent } = context
  const alice = screenOf(canvas, 'Alice')
  const bob = screenOf(canvas, 'Bob')
  await aliceHoldsTheLock(context)
  await bobSeesTheLock(context)
  await aliceTypes(context)
  await step('Bob takes the lock over', async () => {
    await userEvent.click(bob.getByRole('button', { name: 'Take over' }))
    await findAnnouncement(bob, 'status', /You are editing/)
    await expectRequest(canvas, /bob DELETE \/news\/quarterly-report\/@lock 200 \(force\)/)
    await expectRequest(canvas, /bob POST \/news\/quarterly-report\/@lock 200/)
    await expect(bob.getByLabelText('Title')).not.toHaveAttribute('readonly')
  })
  await step('Alice is told at once, her text still on screen', async () => {
    await findAnnouncement(alice, 'alert', /Bob Baker took over this document\. Your text is still here/)
    await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_DRAFT)
    await expect(alice.getByLabelText('Title')).toHaveAttribute('readonly')
    await expect(alice.getByRole('button', { name: 'Save' })).toBeDisabled()
  })
  await step('Alice saves with Ctrl+S anyway: refused, nothing sent', async () => {
    await userEvent.click(alice.getByLabelText('Title'))
    await userEvent.keyboard('{Control>}s{/Control}')
    await findAnnouncement(alice, 'alert', /Not saved: you do not hold the lock, so nothing was sent/)
    await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_DRAFT)
    expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/alice PATCH \/news\/quarterly-report\s/))
  })
}

/** Alice holds the lock; Bob opens the same document and sees who holds it, read-only. */
export const Locked: Story = {
  async play(context) {
    await aliceHoldsTheLock(context)
    await bobSeesTheLock(context)
  },
}

/** Bob takes over Alice's stealable lock; Alice is told within seconds and keeps her text; her save sends nothing. */
export const TakenOver: Story = {
  play: bobTakesOver,
}

/**
 * Alice takes the document back from Bob: she edits again, and the refusal of her save while the lock was Bob's no
 * longer shows under "You are editing".
 */
export const TakeItBack: Story = {
  async play(context) {
    const { canvas, step, userEvent } = context
    const alice = screenOf(canvas, 'Alice')
    const bob = screenOf(canvas, 'Bob')
    await bobTakesOver(context)
    await step('Alice takes it back: she edits again, with no word left of her refused save', async () => {
      await userEvent.click(alice.getByRole('button', { name: 'Take it back' }))
      await findAnnouncement(alice, 'status', /You are editing/)
      await waitFor(() => expect(alice.getAllByRole('alert').map((region) => region.textContent)).toEqual(['', '']))
      await expect(alice.getByLabelText('Title')).toHaveValue(ALICE_DRAFT)
      await findAnnouncement(bob, 'alert', /Alice Archer took over this document/)
    })
  },
}

/** The whole story on plone.restapi: after the take-over Bob saves, and his lock is given back. */
export const TakeOverThenSave: Story = {
  async play(context) {
    const { canvas, site, step, userEvent } = context
    const bob = screenOf(canvas, 'Bob')
    await bobTakesOver(context)
    await step('Bob saves; the lock is given back', async () => {
      await replaceTitleAndSave(bob, userEvent, 'Quarterly report, final')
      await findAnnouncement(bob, 'status', /The lock was given back/)
      await expectRequest(canvas, /bob PATCH \/news\/quarterly-report 204 \(Lock-Token valid\)/)
      await expectRequest(canvas, /bob DELETE \/news\/quarterly-report\/@lock 200$/)
      await expect(bob.getByLabelText('Title')).toHaveAttribute('readonly')
      expect(simulated(site).getLock(DOCUMENT)).toBeNull()
      expect(simulated(site).getContent(DOCUMENT)?.title).toBe('Quarterly report, final')
      expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/alice PATCH \/news\/quarterly-report\s/))
    })
  },
}

async function nickRefuses(context: Context) {
  const { canvas, step, userEvent } = context
  const alice = screenOf(canvas, 'Alice')
  const bob = screenOf(canvas, 'Bob')
  await aliceHoldsTheLock(context)
  await bobSeesTheLock(context)
  await step('Bob tries to take over: Nick does not allow it', async () => {
    await userEvent.click(bob.getByRole('button', { name: 'Take over' }))
    await findAnnouncement(bob, 'alert', /The server does not allow taking this lock over/)
    await expectRequest(canvas, /bob DELETE \/news\/quarterly-report\/@lock 401 \(force\)/)
    await findAnnouncement(bob, 'status', /Locked by Alice Archer/)
    await expect(bob.getByLabelText('Title')).toHaveAttribute('readonly')
    await findAnnouncement(alice, 'status', /You are editing/)
    expect(alice.getAllByRole('alert').map((region) => region.textContent)).toEqual(['', ''])
  })
}

/** The same on Nick, which never lets anyone take a lock over: Bob is told so, and Alice keeps editing. */
export const NickRefusesTakeOver: Story = {
  args: { dialect: 'nick' },
  play: nickRefuses,
}

/**
 * The whole story on Nick: Alice saves (Nick drops the lock with the save, so no DELETE follows); Bob's form
 * notices that the document is free, reloads it and takes the lock.
 */
export const NickRefusesThenSave: Story = {
  args: { dialect: 'nick' },
  async play(context) {
    const { canvas, site, step, userEvent } = context
    const alice = screenOf(canvas, 'Alice')
    const bob = screenOf(canvas, 'Bob')
    await nickRefuses(context)
    await step('Alice saves; Nick drops the lock with the save', async () => {
      await replaceTitleAndSave(alice, userEvent, 'Quarterly report by Alice')
      await findAnnouncement(alice, 'status', /The lock was given back/)
      await expectRequest(canvas, /alice PATCH \/news\/quarterly-report 204 \(Lock-Token valid\)/)
      expect(requestLines(canvas)).not.toContainEqual(expect.stringMatching(/alice DELETE/))
      expect(simulated(site).getLock(DOCUMENT)).toBeNull()
    })
    await step('Bob is told the document is free, reloads it and edits', async () => {
      await findAnnouncement(bob, 'status', /The document is free again/)
      await userEvent.click(bob.getByRole('button', { name: 'Reload and edit' }))
      await findAnnouncement(bob, 'status', /You are editing/)
      await expect(bob.getByLabelText('Title')).toHaveValue('Quarterly report by Alice')
      await expect(bob.getByRole('button', { name: 'Save' })).toBeEnabled()
    })
  },
}

/**
 * The two editors on a real server, named by environment variables (see the story's text when none is set). Its
 * test looks at what any server shows and gives the lock back at the end; it takes the lock over, so point it at a
 * test site.
 */
export const OnYourServer: Story = {
  parameters: { live: true },
  argTypes: { dialect: { table: { disable: true }, control: false } },
  beforeEach({ msw }) {
    const config = liveConfig()
    if (config) letThrough(msw, config.apiPath)
  },
  render: () => <TwoEditorsOnYourServer />,
  async play({ canvas, step, userEvent }) {
    const config = liveConfig()
    if (!config) {
      await expect(canvas.getByRole('region', { name: 'Use your own server' })).toHaveTextContent('STORYBOOK_LOCK_API_PATH')
      return
    }
    const wait = { timeout: 10_000 }
    // The screens are named after the users' full names, which the server tells once they have logged in.
    const screens = await waitFor(() => {
      const found = canvas.getAllByRole('region', { name: /.+'s screen$/ })
      expect(found).toHaveLength(2)
      return found
    }, wait)
    const [alice, bob] = screens.map((screen) => within(screen))
    if (!alice || !bob) throw new Error('two screens expected')
    await step('The first editor holds the lock; the second sees it', async () => {
      await expect(await alice.findByText(/You are editing/, {}, wait)).toBeVisible()
      await userEvent.click(await bob.findByRole('button', { name: 'Edit' }, wait))
      await expect(await bob.findByText(/Locked by .+ since/, {}, wait)).toBeVisible()
      await expect(bob.getByLabelText('Title')).toHaveAttribute('readonly')
    })
    let holder = alice
    await step('The second takes over, or is told the server does not allow it', async () => {
      await userEvent.click(bob.getByRole('button', { name: 'Take over' }))
      const outcome = await bob.findByText(/You are editing|The server does not allow taking this lock over/, {}, wait)
      if (outcome.textContent?.includes('You are editing')) {
        holder = bob
        await expect(await alice.findByText(/took over this document/, {}, wait)).toBeVisible()
      }
    })
    await step('Whoever holds the lock cancels, giving it back', async () => {
      await userEvent.click(holder.getByRole('button', { name: 'Cancel' }))
      await expect(await holder.findByText('The lock was given back.', {}, wait)).toBeVisible()
    })
  },
}

/**
 * A clean start with nothing scripted: Alice edits, Bob has not opened the document yet. Open it as Bob, take it over,
 * type as Alice, save and cancel on either side, switch the simulated server, and watch the requests below.
 */
export const Playground: Story = {}
