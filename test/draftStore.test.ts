import { describe, expect, it, vi } from 'vitest'
import { clearDrafts, createLockClient, DraftKeeper, draftStorageKey } from '../src'
import type { DraftEnvironment, DraftInput } from '../src'
import { readDraft, writeDraft } from '../src/core/draftStore'
import { createLockServer } from '../src/testing'
import { MemoryStorage } from './memoryStorage'

const KEY = { apiPath: 'http://cms.test/Plone', userId: 'alice', path: '/news/item' }

describe('keys', () => {
  it('name the API, the user and the path, apart whatever characters they hold', () => {
    expect(draftStorageKey(KEY)).toBe('react-edit-lock:draft:v1:["http://cms.test/Plone","alice","/news/item"]')
    const tricky = draftStorageKey({ apiPath: 'http://cms.test', userId: 'a","b', path: '/x' })
    expect(tricky).not.toBe(draftStorageKey({ apiPath: 'http://cms.test', userId: 'a', path: 'b","/x' }))
  })
})

describe('records', () => {
  it('a record that is not a draft of this version reads as none and is removed; other keys are left alone', () => {
    const storage = new MemoryStorage()
    storage.setItem(draftStorageKey(KEY), '{not json')
    storage.setItem('someone-else', '{not json')
    expect(readDraft(storage, KEY, Date.now())).toBeNull()
    expect(storage.keys()).toEqual(['someone-else'])
    storage.setItem(draftStorageKey(KEY), JSON.stringify({ values: {}, savedAt: 'yesterday', base: null, expiresAt: 1 }))
    expect(readDraft(storage, KEY, Date.now())).toBeNull()
    expect(storage.keys()).toEqual(['someone-else'])
  })

  it('old Firefox’s quota error is a full storage too', () => {
    const storage = new MemoryStorage()
    storage.failWrites = Object.assign(new Error('quota'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' })
    expect(() => writeDraft(storage, KEY, '{}', { savedAt: 0, base: null, expiresAt: 1 })).toThrow(
      expect.objectContaining({ name: 'DraftError', code: 'quota-exceeded' }),
    )
  })

  it('clearDrafts never throws, even where reading localStorage does', () => {
    const denied = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })
    try {
      expect(clearDrafts()).toBe(0)
    } finally {
      denied.mockRestore()
    }
  })
})

/** Timers and page events the test drives by hand. */
function manualEnvironment() {
  let now = 1_000_000
  const timers = new Map<number, { at: number; run: () => void }>()
  const pageHide = new Set<() => void>()
  let next = 0
  const env: DraftEnvironment = {
    now: () => now,
    setTimeout: (run, ms) => {
      next += 1
      timers.set(next, { at: now + ms, run })
      return next
    },
    clearTimeout: (id) => timers.delete(id as number),
    onPageHide: (listener) => {
      pageHide.add(listener)
      return () => pageHide.delete(listener)
    },
  }
  const advance = (ms: number) => {
    now += ms
    for (const [id, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(id)
        timer.run()
      }
    }
  }
  return { env, advance, pageHide, timers }
}

describe('DraftKeeper: StrictMode behavior', () => {
  const server = createLockServer({ dialect: 'plone', apiPath: 'http://cms.test/Plone' })
  const client = createLockClient({ apiPath: server.apiPath, token: server.tokenFor('alice') })
  const input = (values: { title: string }, storage: MemoryStorage): DraftInput<{ title: string }> => ({
    client,
    path: '/news/item',
    values,
    server: { values: { title: 'Report' }, version: 'v1' },
    options: { storage },
  })

  it('subscribe, unsubscribe, subscribe: the offer survives, one page listener, one write', () => {
    const storage = new MemoryStorage()
    const key = { apiPath: client.apiPath, userId: 'alice', path: '/news/item' }
    writeDraft(storage, key, '{"title":"Draft"}', { savedAt: 1, base: 'v1', expiresAt: 2_000_000 })
    const { env, advance, pageHide } = manualEnvironment()
    const keeper = new DraftKeeper(input({ title: 'Report' }, storage), env)
    const stop = keeper.subscribe(() => {})
    stop()
    keeper.subscribe(() => {})
    keeper.setInput(input({ title: 'Report' }, storage))
    expect(pageHide.size).toBe(1)
    expect(keeper.getResult().offer).toMatchObject({ values: { title: 'Draft' }, changedSince: false })

    keeper.getResult().offer?.restore()
    keeper.setInput(input({ title: 'Draft, more' }, storage))
    keeper.setInput(input({ title: 'Draft, more and more' }, storage))
    const writes = storage.writes
    advance(999)
    expect(storage.writes).toBe(writes)
    advance(1)
    expect(storage.writes).toBe(writes + 1)
    expect(readDraft(storage, key, env.now())?.values).toEqual({ title: 'Draft, more and more' })
  })
})
