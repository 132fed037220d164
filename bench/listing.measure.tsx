import { useQuery } from '@tanstack/react-query'
import { act, render } from '@testing-library/react'
import { describe, it } from 'vitest'
import { useLockStatus } from '../src'
import { clientFor, newQueryClient, Providers, setupMsw, startSimulation } from '../test/utils'
import { median, perDialect, ratio, record } from './record'

const msw = setupMsw()

const ROWS = 1000
const ROUNDS = 9

interface Item {
  '@id': string
  title: string
  /** The lock as the listing's server sent it, raw. */
  lock: unknown
}

function LockBadge({ item }: { item: Item }) {
  const status = useLockStatus(item['@id'], { initialData: item.lock })
  return <td>{status.isLockedByOther ? `Locked by ${status.holder?.name ?? 'someone'}` : ''}</td>
}

interface RawLock {
  locked?: boolean
  creator_name?: string
  creator?: string
}

/** The same badge from a plain query per row, fed the same raw lock. */
function PlainBadge({ item }: { item: Item }) {
  const { data } = useQuery<RawLock>({
    queryKey: ['plain-lock', item['@id']],
    queryFn: async () => (await fetch(`${item['@id']}/@lock`)).json() as Promise<RawLock>,
    initialData: item.lock as RawLock,
    staleTime: 30_000,
  })
  return <td>{data.locked && data.creator !== 'alice' ? `Locked by ${data.creator_name ?? 'someone'}` : ''}</td>
}

function Listing({ items, Badge }: { items: Item[]; Badge: typeof LockBadge }) {
  return (
    <table>
      <tbody>
        {items.map((item) => (
          <tr key={item['@id']}>
            <td>{item.title}</td>
            <Badge item={item} />
          </tr>
        ))}
      </tbody>
    </table>
  )
}

async function listing(dialect: 'plone' | 'nick') {
  const server = startSimulation(msw, dialect)
  // Every tenth item is locked by another user; the listing carries each item's lock as its server sends it.
  const items: Item[] = []
  for (let index = 0; index < ROWS; index += 1) {
    const path = `/news/listed-${index}`
    server.setContent(path, { title: `Item ${index}` })
    if (index % 10 === 0) server.setLock(path, { user: 'bob' })
    const content = (await (await fetch(`${server.apiPath}${path}`)).json()) as { lock: unknown }
    items.push({ '@id': `${server.apiPath}${path}`, title: `Item ${index}`, lock: content.lock })
  }
  server.clearLog()
  const client = clientFor(server, 'alice')

  async function mount(Badge: typeof LockBadge): Promise<{ ms: number; requests: number }> {
    const started = performance.now()
    let view: ReturnType<typeof render> | undefined
    act(() => {
      view = render(
        <Providers client={client} queryClient={newQueryClient()}>
          <Listing items={items} Badge={Badge} />
        </Providers>,
      )
    })
    const ms = performance.now() - started
    // Anything a row would fetch at mount has been sent by now.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const requests = server.log.length
    view?.unmount()
    server.clearLog()
    return { ms, requests }
  }

  // One round of each to warm up, then alternating rounds, so that both see the same machine.
  await mount(LockBadge)
  await mount(PlainBadge)
  const ours: number[] = []
  const plain: number[] = []
  const ratios: number[] = []
  let requests = 0
  for (let round = 0; round < ROUNDS; round += 1) {
    const a = await mount(LockBadge)
    const b = await mount(PlainBadge)
    ours.push(a.ms)
    plain.push(b.ms)
    ratios.push(a.ms / b.ms)
    requests = Math.max(requests, a.requests)
  }
  return { ours: median(ours), plain: median(plain), ratio: median(ratios), requests }
}

describe('6. a 1,000-row listing with a lock badge per row, fed by the listing', () => {
  it('useLockStatus with initialData against a plain useQuery per row', async (context) => {
    const plone = await listing('plone')
    const nick = await listing('nick')
    const ms = (value: number) => `${value.toFixed(0)} ms`
    record(
      context,
      {
        key: '6.1',
        measurement: `mount time, ${ROWS} rows, median of ${ROUNDS} alternating rounds (jsdom)`,
        result: perDialect({ plone: ms(plone.ours), nick: ms(nick.ours) }),
        reference: `plain \`useQuery\` per row with the same \`initialData\`: ${perDialect({ plone: ms(plone.plain), nick: ms(nick.plain) })}`,
        // The median of each round's ratio: the two listings of a round ran on the same machine state.
        ratio: perDialect({ plone: ratio(plone.ratio, 1), nick: ratio(nick.ratio, 1) }),
      },
      {
        key: '6.2',
        measurement: `requests at mount, ${ROWS} rows`,
        result: perDialect({ plone: String(plone.requests), nick: String(nick.requests) }),
        reference: 'target 0',
        ratio: plone.requests + nick.requests === 0 ? 'met' : 'missed',
      },
    )
  })
})
