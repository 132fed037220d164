
import { render } from '@testing-library/react'
import { Profiler } from 'react'
import type { ReactNode } from 'react'
import { describe, it } from 'vitest'
import { useLock } from '../src'
import type { LockResult } from '../src'
import { clientFor, newQueryClient, Providers, setupMsw, startSimulation, uniquePath } from '../test/utils'
import { lockRequests, MINUTE, setupBenchTimers, tick } from './harness'
import { perDialect, ratio, record } from './record'

const msw = setupMsw()

setupBenchTimers({ focused: true })

/** Reads only what a form needs to lock its fields; the rest of the result is not touched. */
function TrackedForm({ path, onStatus }: { path: string; onStatus: (status: string) => void }) {
  const lock = useLock(path)
  onStatus(lock.status)
  return <input aria-label="Title" readOnly={lock.readOnly} />
}

const pick = (result: LockResult) => ({ status: result.status, readOnly: result.readOnly })

function SelectForm({ path, onStatus }: { path: string; onStatus: (status: string) => void }) {
  const lock = useLock(path, { select: pick })
  onStatus(lock.status)
  return <input aria-label="Title" readOnly={lock.readOnly} />
}

/** Shows when the lock lapses, which changes on every refresh: the control that the counting sees re-renders. */
function ExpiryForm({ path, onStatus }: { path: string; onStatus: (status: string) => void }) {
  const lock = useLock(path)
  onStatus(lock.status)
  return <output>{lock.expiresAt?.toISOString()}</output>
}

type Form = typeof TrackedForm

interface Renders {
  toHeld: number
  perRefresh: number
  refreshes: number
  checks: number
}

async function renders(dialect: 'plone' | 'nick', Form: Form): Promise<Renders> {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  let commits = 0
  let heldAfter: number | null = null
  const onStatus = (status: string) => {
    if (status === 'held' && heldAfter === null) heldAfter = commits + 1
  }
  const tree = (children: ReactNode) => (
    <Providers client={clientFor(server, 'alice')} queryClient={newQueryClient()}>
      <Profiler id="form" onRender={() => (commits += 1)}>
        {children}
      </Profiler>
    </Providers>
  )
  render(tree(<Form path={path} onStatus={onStatus} />))
  await tick(1000)
  if (heldAfter === null) throw new Error('never held')
  const before = commits
  await tick(30 * MINUTE)
  const { PATCH, GET } = lockRequests(server, path)
  // Everything committed in these 30 minutes counts against the refreshes, the checks' renders included.
  return { toHeld: heldAfter, perRefresh: (commits - before) / PATCH, refreshes: PATCH, checks: GET }
}

// Mounting can take two commits at best: the first render, and the one that shows the lock held.
const TARGET = 'target 0 per refresh; 2 to `held` at best (first render, held)'

const forms: { key: string; label: string; Form: Form; target: string }[] = [
  { key: '4.1', label: 'form reading `status` and `readOnly`, no `select`', Form: TrackedForm, target: TARGET },
  { key: '4.2', label: 'form with `select: r => ({ status, readOnly })`', Form: SelectForm, target: TARGET },
  {
    key: '4.3',
    label: 'control: a form that shows `expiresAt`, which every refresh moves',
    Form: ExpiryForm,
    target: '1 per refresh expected',
  },
]

describe('4. renders, counted with <Profiler>', () => {
  for (const { key, label, Form, target } of forms) {
    it(label, async (context) => {
      const plone = await renders('plone', Form)
      const nick = await renders('nick', Form)
      const show = (r: Renders) => `${r.toHeld} to \`held\`; ${r.perRefresh} per refresh (${r.refreshes} refreshes, ${r.checks} checks in 30 min)`
      record(context, {
        key,
        measurement: `renders, ${label}`,
        result: perDialect({ plone: show(plone), nick: show(nick) }),
        reference: target,
        ratio: `${Math.max(plone.perRefresh, nick.perRefresh)} per refresh; ${ratio(Math.max(plone.toHeld, nick.toHeld), 2)} best mount`,
      })
    })
  }
})
