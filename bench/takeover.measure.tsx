import { focusManager } from '@tanstack/react-query'
import { renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, it } from 'vitest'
import { useLock } from '../src'
import { clientFor, newQueryClient, Providers, setupMsw, startSimulation, uniquePath } from '../test/utils'
import { MINUTE, SECOND, setupBenchTimers, tick } from './harness'
import { median, perDialect, ratio, record } from './record'

const msw = setupMsw()

setupBenchTimers()

type Scenario = 'idle' | 'typing' | 'hidden' | 'shown'

const KEYSTROKE = 250
const MOMENTS = 10

/**
 * Alice edits; at `takeOverAt` ms into her session Bob takes the lock. Returns how long Alice waits to be told, in
 * ms: from the take-over, or for `shown` from the moment she comes back to the hidden tab.
 */
async function displaced(dialect: 'plone' | 'nick', scenario: Scenario, takeOverAt: number): Promise<number> {
  const server = startSimulation(msw, dialect)
  const path = uniquePath()
  const client = clientFor(server, 'alice')
  const queryClient = newQueryClient()
  focusManager.setFocused(scenario === 'idle' || scenario === 'typing')
  let lostAt: number | null = null
  const { result } = renderHook(() => useLock(path, { onLost: () => (lostAt ??= Date.now()) }), {
    wrapper: ({ children }: { children: ReactNode }) => (
      <Providers client={client} queryClient={queryClient}>
        {children}
      </Providers>
    ),
  })
  const step = scenario === 'typing' ? KEYSTROKE : SECOND
  const typeFor = async (ms: number) => {
    for (let typed = 0; typed < ms && lostAt === null; typed += step) {
      if (scenario === 'typing') result.current.touch()
      await tick(step)
    }
  }
  await typeFor(takeOverAt)
  // The moments are chosen to fall on a whole step, so that the take-over happens between two keystrokes.
  server.setLock(path, { user: 'bob' })
  const takenAt = Date.now()
  if (scenario === 'shown') {
    await tick(10 * SECOND)
    if (lostAt !== null) throw new Error('told before the tab was shown: pick earlier moments')
    const shownAt = Date.now()
    focusManager.setFocused(true)
    await tick(0)
    if (lostAt === null) throw new Error('not told on showing the tab')
    return (lostAt as number) - shownAt
  }
  await typeFor(10 * MINUTE)
  if (lostAt === null) throw new Error(`${scenario}: never told`)
  if (result.current.lostReason !== 'taken-over') throw new Error(`lost as ${String(result.current.lostReason)}`)
  return (lostAt as number) - takenAt
}

function spread(first: number, interval: number): number[] {
  return Array.from({ length: MOMENTS }, (_, index) => first + Math.round((index * interval) / MOMENTS / 1000) * 1000)
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`
const summary = (waits: number[]) => `${seconds(Math.min(...waits))} / ${seconds(median(waits))} / ${seconds(Math.max(...waits))}`

// Take-over moments after the session settled (two checks in), spread over one check interval (30 s) or, for a
// hidden tab, over one refresh interval (200 s).
const cases: { scenario: Scenario; key: string; label: string; moments: number[]; reference: string; worst: number | null }[] = [
  {
    scenario: 'idle',
    key: '3.1',
    label: 'visible tab, editor idle',
    moments: spread(61_000, 30_000),
    reference: 'WordPress: next heartbeat, ≤ 15 s with focus; Volto: only when saving',
    worst: 15_000,
  },
  {
    scenario: 'typing',
    key: '3.2',
    label: 'visible tab, editor typing (`touch()` on every keystroke, 4 a second)',
    moments: spread(61_000, 30_000),
    reference: 'WordPress ≤ 15 s; Payload: next keystroke; Volto: only when saving',
    worst: 15_000,
  },
  {
    scenario: 'hidden',
    key: '3.3',
    label: 'hidden tab',
    moments: spread(201_000, 200_000),
    reference: 'WordPress: ≤ 120 s without focus; Volto: only when saving',
    worst: 120_000,
  },
  {
    scenario: 'shown',
    key: '3.4',
    label: 'hidden tab, from the moment the editor comes back to it',
    moments: spread(201_000, 200_000),
    reference: 'WordPress: at once (a heartbeat when the window regains focus); Volto: only when saving',
    worst: null,
  },
]

describe('3. how long a displaced editor waits to be told, default options (min / median / max)', () => {
  for (const { scenario, key, label, moments, reference, worst } of cases) {
    it(label, async (context) => {
      const waits = { plone: [] as number[], nick: [] as number[] }
      for (const dialect of ['plone', 'nick'] as const) {
        for (const moment of moments) waits[dialect].push(await displaced(dialect, scenario, moment))
      }
      const all = [...waits.plone, ...waits.nick]
      record(context, {
        key,
        measurement: `take-over told after, ${label}, ${MOMENTS} take-over moments`,
        result: perDialect({ plone: summary(waits.plone), nick: summary(waits.nick) }),
        reference,
        ratio: worst === null ? 'same as WordPress' : `max ${ratio(Math.max(...all), worst)} WordPress’s`,
      })
    })
  }
})
