import { render } from '@testing-library/react'
import { afterEach, beforeEach, describe, it, vi } from 'vitest'
import { useLock } from '../src'
import type { LockServer, SimulatedDialect } from '../src/testing'
import { clientFor, newQueryClient, Providers, setupMsw, startSimulation, uniquePath } from '../test/utils'
import { describeRequests, lockRequests, MINUTE, setupBenchTimers, tick } from './harness'
import { perDialect, ratio, record } from './record'

const msw = setupMsw()

setupBenchTimers({ focused: true })

// Retries have jitter; fixed at the middle of its range here, so that the counts are the same on every run.
beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
})
afterEach(() => {
  vi.restoreAllMocks()
})

const STORM = 10 * MINUTE
// At most one request per 15 s on average, whatever the server answers.
const BOUND = STORM / 15_000

function Editor({ path }: { path: string }) {
  const lock = useLock(path)
  return <input aria-label="Title" readOnly={lock.readOnly} />
}

async function storm(dialect: SimulatedDialect, misbehave: (server: LockServer, path: string) => void, when: 'before' | 'after') {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  if (when === 'before') misbehave(server, path)
  const view = render(
    <Providers client={clientFor(server, 'alice')} queryClient={newQueryClient()}>
      <Editor path={path} />
    </Providers>,
  )
  if (when === 'after') {
    await tick(0)
    await tick(0)
    server.clearLog()
    misbehave(server, path)
  }
  await tick(STORM)
  const counts = lockRequests(server, path)
  view.unmount()
  server.clearFaults()
  return counts
}

function ownLock(dialect: SimulatedDialect, timeout: number) {
  return dialect === 'plone'
    ? { locked: true, stealable: true, creator: 'alice', time: Date.now() / 1000, timeout, token: 'alice-token', name: 'plone.locking.stealable' }
    : { locked: true, stealable: true, creator: 'alice', time: new Date().toISOString(), timeout, token: 'alice-token' }
}

const CASES: { key: string; measurement: string; before: string; when: 'before' | 'after'; misbehave: (dialect: SimulatedDialect) => (server: LockServer, path: string) => void }[] = [
  ...([
    [429, undefined, '8.1', '24'],
    [429, '0', '8.2', '601'],
    [503, undefined, '8.3', '24'],
    [503, '1', '8.4', '601'],
  ] as const).map(([status, retryAfter, key, before]) => ({
    key,
    measurement: `requests in 10 min, opening a form while every \`@lock\` request gets HTTP ${status}${retryAfter === undefined ? '' : ` with \`Retry-After: ${retryAfter}\``}`,
    before,
    when: 'before' as const,
    misbehave: () => (server: LockServer, path: string) =>
      server.fail({ endpoint: 'lock', path }, { status, times: Infinity, ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }) }),
  })),
  {
    key: '8.5',
    measurement: 'requests in 10 min, a held lock whose refreshes and checks all get HTTP 503 with `Retry-After: 0` (tab visible)',
    before: '572',
    when: 'after',
    misbehave: () => (server, path) => server.fail({ endpoint: 'lock', path }, { status: 503, headers: { 'Retry-After': '0' }, times: Infinity }),
  },
  {
    key: '8.6',
    measurement: 'requests in 10 min, a server that answers every `@lock` request with the lock at `timeout: 0` (tab visible)',
    before: '400 in under a second',
    when: 'before',
    misbehave: (dialect) => (server, path) => server.fail({ endpoint: 'lock', path }, { status: 200, body: ownLock(dialect, 0), times: Infinity }),
  },
]

describe('8. requests under a broken or hostile server', () => {
  for (const { key, measurement, before, when, misbehave } of CASES) {
    it(key, async (context) => {
      const plone = await storm('plone', misbehave('plone'), when)
      const nick = await storm('nick', misbehave('nick'), when)
      const worst = Math.max(plone.total, nick.total)
      record(context, {
        key,
        measurement,
        result: perDialect({ plone: describeRequests(plone), nick: describeRequests(nick) }),
        reference: `bound ${BOUND} (one per 15 s); before this design: ${before}`,
        ratio: `${ratio(worst, BOUND)} bound`,
      })
    })
  }
})
