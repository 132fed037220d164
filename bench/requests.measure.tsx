import { focusManager } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { describe, it } from 'vitest'
import { acquireLock, releaseLock, useLock } from '../src'
import { RELEASE_GRACE } from '../src/core/lockLease'
import type { LockClient } from '../src'
import { clientFor, newQueryClient, Providers, setupMsw, startSimulation, uniquePath } from '../test/utils'
import { describeRequests, lockRequests, MINUTE, setupBenchTimers, tick } from './harness'
import type { LockRequests } from './harness'
import { perDialect, ratio, record } from './record'

const msw = setupMsw()

setupBenchTimers()

const SESSION = 30 * MINUTE
const TIMEOUT = 600_000
// What holding a 600 s lock for 30 minutes needs at the very least: take it, refresh it at the last moment before
// each lapse (a lock taken at 0 lapses at 600 s, 1200 s, 1800 s), give it back.
const FLOOR = 1 + Math.floor(SESSION / TIMEOUT) + 1
// WordPress's heartbeat: every 15 s while the window has focus, every 120 s while it has not.
const HEARTBEAT_FOCUSED = SESSION / 15_000
const HEARTBEAT_UNFOCUSED = SESSION / 120_000

function Editor({ path }: { path: string }) {
  const lock = useLock(path)
  return <input aria-label="Title" readOnly={lock.readOnly} />
}

async function session(dialect: 'plone' | 'nick', visible: boolean): Promise<LockRequests> {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  focusManager.setFocused(visible)
  const view = render(
    <Providers client={clientFor(server, 'alice')} queryClient={newQueryClient()}>
      <Editor path={path} />
    </Providers>,
  )
  await tick(SESSION)
  view.unmount()
  await tick(MINUTE)
  return lockRequests(server, path)
}

describe('1. requests in a 30-minute editing session, default options', () => {
  for (const visible of [true, false]) {
    const label = visible ? 'tab visible' : 'tab hidden'
    it(label, async (context) => {
      const plone = await session('plone', visible)
      const nick = await session('nick', visible)
      const heartbeat = visible ? HEARTBEAT_FOCUSED : HEARTBEAT_UNFOCUSED
      const worst = Math.max(plone.total, nick.total)
      record(context, {
        key: visible ? '1.1' : '1.2',
        measurement: `requests, 30 min session, ${label}`,
        result: perDialect({ plone: describeRequests(plone), nick: describeRequests(nick) }),
        reference:
          (visible
            ? `floor ${FLOOR}: 1 POST + ⌊1800 s / 600 s⌋ = 3 PATCH, each just before the lock would lapse, + 1 DELETE; `
            : `floor ${FLOOR}, as above; `) +
          `WordPress’s heartbeat ${heartbeat} (every ${visible ? '15 s with focus' : '120 s without focus'})`,
        ratio: `${ratio(worst, FLOOR)} floor; ${ratio(worst, heartbeat)} WordPress`,
      })
    })
  }
})

/** What a hook that takes the lock in an effect and gives it back in the cleanup would send. */
function EffectEditor({ client, path }: { client: LockClient; path: string }) {
  useEffect(() => {
    void acquireLock(client, path).catch(() => undefined)
    return () => void releaseLock(client, path).catch(() => undefined)
  }, [client, path])
  return null
}

async function strictTen(dialect: 'plone' | 'nick'): Promise<{ ours: LockRequests; perEffect: LockRequests }> {
  const server = startSimulation(msw, dialect)
  const client = clientFor(server, 'alice')
  const ten = Array.from({ length: 10 }, (_, index) => index)
  const path = uniquePath()
  const view = render(
    <StrictMode>
      <Providers client={client} queryClient={newQueryClient()}>
        {ten.map((index) => (
          <Editor key={index} path={path} />
        ))}
      </Providers>
    </StrictMode>,
  )
  await tick(1000)
  view.unmount()
  // The lease keeps the lock for a moment after the last component left, for one that comes straight back.
  await tick(RELEASE_GRACE + 1000)
  const otherPath = uniquePath()
  const effects = render(
    <StrictMode>
      {ten.map((index) => (
        <EffectEditor key={index} client={client} path={otherPath} />
      ))}
    </StrictMode>,
  )
  await tick(1000)
  effects.unmount()
  await tick(1000)
  return { ours: lockRequests(server, path), perEffect: lockRequests(server, otherPath) }
}

describe('2. StrictMode and ten components on one path', () => {
  it('one POST, one DELETE', async (context) => {
    const plone = await strictTen('plone')
    const nick = await strictTen('nick')
    record(context, {
      key: '2.1',
      measurement: 'requests, ten `useLock` on one path under StrictMode, mount to unmount',
      result: perDialect({ plone: describeRequests(plone.ours), nick: describeRequests(nick.ours) }),
      reference:
        'target 1 POST; a lock taken in each component’s effect: ' +
        perDialect({ plone: describeRequests(plone.perEffect), nick: describeRequests(nick.perEffect) }),
      ratio: `${ratio(Math.max(plone.ours.POST, nick.ours.POST), 1)} target; ${ratio(plone.ours.total, plone.perEffect.total)} per-effect`,
    })
  })
})
