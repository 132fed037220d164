import { afterEach, describe, expect, it, vi } from 'vitest'
import { acquireLock, createLockClient, refreshLock, releaseLock, saveWithLock } from '../src'
import type { LockInfo } from '../src'
import { clientFor, dialects, expectReleased, rejection, releaseRequest, requests, setupMsw, startSimulation, uniquePath } from './utils'

const msw = setupMsw()

const longAgo = () => new Date(Date.now() - 700_000)

function expectOtherUsersLock(lock: LockInfo, holder: string) {
  expect(lock.locked).toBe(true)
  expect(lock.isMine).toBe(false)
  expect(lock.holder?.id).toBe(holder)
  // Both servers show the token to anyone; it must never reach us as ours.
  expect(lock.token).toBeNull()
}

describe.each(dialects)('GET @lock (%s)', (dialect) => {
  it('unlocked: not locked', async () => {
    const server = startSimulation(msw, dialect)
    const lock = await clientFor(server, 'alice').getLock(uniquePath())
    expect(lock).toMatchObject({ lockable: true, locked: false, stealable: true, holder: null, token: null })
  })

  it('locked by me: ours, with the token and a normalized holder', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', token: 'tok-alice', timeout: 600 })
    const lock = await clientFor(server, 'alice').getLock(path)
    expect(lock).toMatchObject({ locked: true, isMine: true, token: 'tok-alice', timeout: 600, dialect })
    expect(lock.holder).toEqual({
      id: 'alice',
      name: 'Alice Archer',
      url: dialect === 'plone' ? `${server.apiPath}/author/alice` : `${server.apiPath}/@users/alice`,
      isMe: true,
      where: null,
    })
    expect(lock.created).toBeInstanceOf(Date)
    expect(Math.abs(lock.created!.getTime() - Date.now())).toBeLessThan(2000)
  })

  it("locked by another user: theirs, and their token is dropped", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', token: 'tok-bob' })
    const lock = await clientFor(server, 'alice').getLock(path)
    expectOtherUsersLock(lock, 'bob')
    expect(lock.holder?.name).toBe('Bob Baker')
    expect(JSON.stringify(lock)).not.toContain('tok-bob')
  })

  it('expired: not locked', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', created: longAgo() })
    expect((await clientFor(server, 'alice').getLock(path)).locked).toBe(false)
  })
})

describe.each(dialects)('acquire: POST @lock (%s)', (dialect) => {
  it('unlocked: held, with a token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result.outcome).toBe('held')
    expect(result.lock.token).toBe(server.getLock(path)?.token)
    expect(result.lock.expiresAt!.getTime() - result.lock.receivedAt).toBe(600_000)
    expect(requests(server)).toEqual(['POST lock'])
  })

  it('locked by me: held, same token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', token: 'tok-alice' })
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result).toMatchObject({ outcome: 'held', lock: { token: 'tok-alice' } })
  })

  it('locked by another user: locked, with the holder and without their token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', token: 'tok-bob' })
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result.outcome).toBe('locked')
    expectOtherUsersLock(result.lock, 'bob')
    expect(server.getLock(path)?.token).toBe('tok-bob')
  })

  it('locked by another user, asking for a non-stealable lock: looks first and leaves their lock alone', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', stealable: true, timeout: 600 })
    const result = await acquireLock(clientFor(server, 'alice'), path, { stealable: false, timeout: 3600 })
    expect(result.outcome).toBe('locked')
    expect(server.getLock(path)).toMatchObject({ user: 'bob', stealable: true, timeout: 600 })
    expect(requests(server)).toEqual(['GET lock'])
  })

  it('non-stealable with a timeout: the server stores both', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const result = await acquireLock(clientFor(server, 'alice'), path, { stealable: false, timeout: 3600 })
    expect(result).toMatchObject({ outcome: 'held', lock: { timeout: 3600, stealable: false } })
    expect(server.getLock(path)).toMatchObject({ stealable: false, timeout: 3600 })
  })

  it('expired: held, a new lock', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', token: 'old', created: longAgo() })
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result.outcome).toBe('held')
    expect(result.lock.token).not.toBe('old')
    expect(server.getLock(path)?.user).toBe('alice')
  })

  it('refuses options of the wrong type before any request', async () => {
    const server = startSimulation(msw, dialect)
    const client = clientFor(server, 'alice')
    expect((await rejection(acquireLock(client, uniquePath(), { timeout: '600' as unknown as number }))).code).toBe('invalid-option')
    expect((await rejection(acquireLock(client, uniquePath(), { stealable: 'false' as unknown as boolean }))).code).toBe('invalid-option')
    expect((await rejection(acquireLock(client, uniquePath(), { timeout: 0 }))).code).toBe('invalid-option')
    expect(server.log).toHaveLength(0)
  })
})

describe.each(dialects)('refresh: PATCH @lock (%s)', (dialect) => {
  it('locked by me: held; Nick rotates the token and the client adopts it, keeping stealable and timeout', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const client = clientFor(server, 'alice')
    const { lock } = await acquireLock(client, path, { stealable: false, timeout: 1200 })
    const result = await refreshLock(client, path, { stealable: false, timeout: 1200 })
    expect(result.outcome).toBe('held')
    const stored = server.getLock(path)!
    expect(result.lock.token).toBe(stored.token)
    if (dialect === 'nick') expect(result.lock.token).not.toBe(lock.token)
    else expect(result.lock.token).toBe(lock.token)
    expect(stored).toMatchObject({ stealable: false, timeout: 1200 })
  })

  it('locked by another user: taken-over, with the holder', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', token: 'tok-bob' })
    const result = await refreshLock(clientFor(server, 'alice'), path, { stealable: true, timeout: 600 })
    expect(result.outcome).toBe('taken-over')
    expectOtherUsersLock(result.lock, 'bob')
    expect(server.getLock(path)).toMatchObject({ user: 'bob', token: 'tok-bob' })
  })

  it(`unlocked: ${dialect === 'plone' ? 'gone (plone.restapi makes no lock)' : 'held (Nick makes a new lock)'}`, async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const result = await refreshLock(clientFor(server, 'alice'), path, { stealable: true })
    expect(result.outcome).toBe(dialect === 'plone' ? 'gone' : 'held')
    expect(server.getLock(path)?.user ?? null).toBe(dialect === 'plone' ? null : 'alice')
  })

  it(`expired: ${dialect === 'plone' ? 'gone' : 'held, a new lock'}`, async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', created: longAgo() })
    const result = await refreshLock(clientFor(server, 'alice'), path, { stealable: true, timeout: 600 })
    expect(result.outcome).toBe(dialect === 'plone' ? 'gone' : 'held')
  })
})

// Lets the clock jump, for the real-timer tests of this file.
async function jumpClock(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + ms)
}

describe.each(dialects)('release: DELETE @lock, or a one-second PATCH on Nick (%s)', (dialect) => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('unlocked: unlocked', async () => {
    const server = startSimulation(msw, dialect)
    expect((await releaseLock(clientFor(server, 'alice'), uniquePath())).locked).toBe(false)
  })

  it('locked by me: the item is free for others (on Nick, whose DELETE keeps the lock, within 2 s)', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const client = clientFor(server, 'alice')
    const { lock } = await acquireLock(client, path)
    server.clearLog()
    const answer = await releaseLock(client, path, { lock })
    expect(answer.locked).toBe(false)
    expect(requests(server)).toEqual([releaseRequest(dialect)])
    await expectReleased(server, path, jumpClock)
    expect((await acquireLock(clientFor(server, 'bob'), path)).outcome).toBe('held')
  })

  it('my own non-stealable lock: released too, with one request', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const client = clientFor(server, 'alice')
    const { lock } = await acquireLock(client, path, { stealable: false })
    server.clearLog()
    expect((await releaseLock(client, path, { lock })).locked).toBe(false)
    expect(requests(server)).toEqual([releaseRequest(dialect)])
    await expectReleased(server, path, jumpClock)
  })

  it("locked by another user: their lock stays and is returned, without error", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const answer = await releaseLock(clientFor(server, 'alice'), path)
    expectOtherUsersLock(answer, 'bob')
    expect(server.getLock(path)?.user).toBe('bob')
  })

  it('expired: unlocked', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', created: longAgo() })
    expect((await releaseLock(clientFor(server, 'alice'), path)).locked).toBe(false)
  })
})

describe.each(dialects)('force release: DELETE @lock {force: true} (%s)', (dialect) => {
  it("another user's stealable lock: removed on plone.restapi, not-allowed on Nick", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', stealable: true })
    const release = releaseLock(clientFor(server, 'alice'), path, { force: true })
    if (dialect === 'plone') {
      expect((await release).locked).toBe(false)
      expect(server.getLock(path)).toBeNull()
    } else {
      const error = await rejection(release)
      expect(error).toMatchObject({ code: 'not-allowed', status: 401 })
      expect(server.getLock(path)?.user).toBe('bob')
    }
  })

  it("another user's non-stealable lock: not-allowed, and it stays", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', stealable: false })
    const error = await rejection(releaseLock(clientFor(server, 'alice'), path, { force: true }))
    expect(error.code).toBe('not-allowed')
    expect(server.getLock(path)?.user).toBe('bob')
  })

  it(`my own stealable lock: ${dialect === 'plone' ? 'removed' : 'answered unlocked, but Nick keeps it (pass `lock` to release it)'}`, async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice' })
    expect((await releaseLock(clientFor(server, 'alice'), path, { force: true })).locked).toBe(false)
    expect(server.getLock(path)?.user ?? null).toBe(dialect === 'plone' ? null : 'alice')
  })
})

describe.each(dialects)('save: content PATCH with Lock-Token (%s)', (dialect) => {
  it('with the right token: saved; plone.restapi keeps the lock, Nick clears it', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    const client = clientFor(server, 'alice')
    const { lock } = await acquireLock(client, path)
    await saveWithLock(client, path, { title: 'New title' }, { token: lock.token })
    expect(server.getContent(path)?.title).toBe('New title')
    expect(server.log.at(-1)).toMatchObject({ method: 'PATCH', endpoint: 'content', status: 204, lockToken: 'valid' })
    expect(server.getLock(path)?.user ?? null).toBe(dialect === 'plone' ? 'alice' : null)
  })

  it('without a token while another user holds the lock: locked, nothing saved', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const before = server.getContent(path)?.title
    const error = await rejection(saveWithLock(clientFor(server, 'alice'), path, { title: 'Overwrite' }))
    expect(error).toMatchObject({ code: 'locked', status: dialect === 'plone' ? 403 : 401 })
    expect(server.getContent(path)?.title).toBe(before)
  })

  it('with a stale token: locked', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', token: 'current' })
    const error = await rejection(saveWithLock(clientFor(server, 'alice'), path, { title: 'x' }, { token: 'stale' }))
    expect(error.code).toBe('locked')
  })

  it('unlocked or expired: saved without a token', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob', created: longAgo() })
    await saveWithLock(clientFor(server, 'alice'), path, { title: 'Free' })
    expect(server.getContent(path)?.title).toBe('Free')
  })
})

describe.each(dialects)('locking unavailable (%s)', (dialect) => {
  it('a content type without locking answers {}: unavailable, not an error', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'No locking', lockable: false })
    const client = clientFor(server, 'alice')
    expect((await client.getLock(path)).lockable).toBe(false)
    expect((await acquireLock(client, path)).outcome).toBe('unavailable')
  })
})

describe('locking switched off for the site (plone.restapi)', () => {
  it('POST answered unlocked: unavailable', async () => {
    const server = startSimulation(msw, 'plone', { lockOnEdit: false })
    const path = uniquePath()
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result).toMatchObject({ outcome: 'unavailable', lock: { lockable: true, locked: false } })
    expect(server.getLock(path)).toBeNull()
  })
})

describe.each(dialects)('who am I (%s)', (dialect) => {
  it('not logged in: unauthorized', async () => {
    const server = startSimulation(msw, dialect)
    const client = createLockClient({ apiPath: server.apiPath })
    expect((await rejection(acquireLock(client, uniquePath()))).code).toBe('unauthorized')
  })

  it("Nick's 401 meaning locked is not reported as unauthorized", async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const client = clientFor(server, 'alice')
    expect((await acquireLock(client, path)).outcome).toBe('locked')
    expect((await refreshLock(client, path, {})).outcome).toBe('taken-over')
  })

  it('a translated 401 type is told apart with a GET', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    server.fail({ method: 'POST', endpoint: 'lock' }, { status: 401, body: { error: { type: 'Bereits gesperrt', message: 'Gesperrt.' } } })
    const result = await acquireLock(clientFor(server, 'alice'), path)
    expect(result.outcome).toBe('locked')
    expect(result.lock.holder?.id).toBe('bob')
  })

  it('cookie auth without userId: a clear unknown-user error instead of a guess', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'bob' })
    const client = createLockClient({ apiPath: server.apiPath, headers: { Authorization: `Bearer ${server.tokenFor('alice')}` } })
    const error = await rejection(client.getLock(path))
    expect(error.code).toBe('unknown-user')
    expect(error.message).toMatch(/userId/)
  })

  it('userId given explicitly is used', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setLock(path, { user: 'alice', token: 't' })
    const client = createLockClient({
      apiPath: server.apiPath,
      userId: async () => 'alice',
      headers: async () => ({ Authorization: `Bearer ${server.tokenFor('alice')}` }),
    })
    expect(await client.getLock(path)).toMatchObject({ isMine: true, token: 't' })
  })
})
