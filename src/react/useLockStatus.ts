'use client'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { UseQueryOptions, UseQueryResult } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { LockError } from '../core/LockError'
import { lockSeenBy } from '../core/parseLock'
import type { LockHolder, LockInfo } from '../core/types'
import { lockKeys } from './lockKeys'
import { useLockContext } from './LockProvider'

export interface UseLockStatusOptions
  extends Omit<UseQueryOptions<LockInfo, LockError, LockInfo>, 'queryKey' | 'queryFn' | 'initialData' | 'select'> {
  /**
   * The lock the page already has: the `lock` object of a content GET or a listing row (raw, as the server sent
   * it), or a `LockInfo`. Either is checked like a server's answer (whose lock it is follows its holder, whatever its
   * `isMine` says); with a valid one, mounting sends no request until it is `staleTime` old, and with an invalid one
   * the status is fetched.
   */
  initialData?: unknown
}

export type UseLockStatusResult = UseQueryResult<LockInfo, LockError> & {
  isLocked: boolean
  isLockedByMe: boolean
  isLockedByOther: boolean
  holder: LockHolder | null
  since: Date | null
  stealable: boolean
}

function retries(retry: unknown, failureCount: number, error: LockError): boolean {
  if (typeof retry === 'function') return Boolean((retry as (count: number, error: LockError) => unknown)(failureCount, error))
  if (typeof retry === 'number') return failureCount < retry
  return retry === undefined ? failureCount < 3 : retry === true
}

type LockFields = Omit<UseLockStatusResult, keyof UseQueryResult<LockInfo, LockError>>

/**
 * The query's result with the lock's fields added as getters, so that TanStack Query's tracking of the fields a
 * component reads still works: a listing row re-renders when its lock changes, not on every fetch.
 */
function withLockFields(query: UseQueryResult<LockInfo, LockError>): UseLockStatusResult {
  const locked = () => (query.data?.locked === true ? query.data : null)
  const fields: Record<keyof LockFields, () => unknown> = {
    isLocked: () => locked() !== null,
    isLockedByMe: () => locked()?.isMine === true,
    isLockedByOther: () => locked()?.isMine === false,
    holder: () => locked()?.holder ?? null,
    since: () => locked()?.since ?? null,
    stealable: () => query.data?.stealable ?? true,
  }
  const own = (key: PropertyKey): key is keyof LockFields => Object.prototype.hasOwnProperty.call(fields, key)
  // One proxy per render, reading through to the tracked result: cheaper than copying it for a 1,000-row listing.
  return new Proxy(query, {
    get: (target, key, receiver) => (own(key) ? fields[key]() : Reflect.get(target, key, receiver)),
    has: (target, key) => own(key) || Reflect.has(target, key),
    ownKeys: (target) => [...Reflect.ownKeys(target), ...Object.keys(fields)],
    getOwnPropertyDescriptor: (target, key) =>
      own(key) ? { value: fields[key](), enumerable: true, configurable: true, writable: false } : Reflect.getOwnPropertyDescriptor(target, key),
  }) as UseLockStatusResult
}

function isLockInfo(value: unknown): value is LockInfo {
  return typeof value === 'object' && value !== null && 'lockable' in value && 'receivedAt' in value
}

/** A `LockInfo` the app kept, back in the shape of a server's answer, so that it is parsed like one. */
function toAnswer(info: LockInfo): unknown {
  if (info.lockable === false) return {}
  if (info.locked !== true) return { locked: false, stealable: info.stealable }
  const seconds = info.created instanceof Date ? info.created.getTime() / 1000 : null
  return {
    locked: true,
    stealable: info.stealable,
    creator: info.holder?.id,
    creator_name: info.holder?.name,
    creator_url: info.holder?.url,
    created: seconds,
    ...(info.dialect === 'plone' ? { time: seconds } : info.dialect === 'nick' ? { time: info.created?.toISOString() } : {}),
    timeout: info.timeout,
    token: info.token,
  }
}

/**
 * Whether an item is locked and by whom, for any screen (a listing badge, a view page). A query over GET `@lock`
 * that shares its cache with the leases of `useLock`, so it sends no request of its own after a lock is taken.
 * `staleTime` defaults to 30000 ms; use `refetchInterval` for list views that should follow other users.
 *
 * @example
 * ```tsx
 * function LockBadge({ item }: { item: { '@id': string; lock: unknown } }) {
 *   const { isLockedByOther, holder } = useLockStatus(item['@id'], { initialData: item.lock })
 *   return isLockedByOther ? <span>Locked by {holder?.name}</span> : null
 * }
 * ```
 */
export function useLockStatus(path: string, options: UseLockStatusOptions = {}): UseLockStatusResult {
  const { client } = useLockContext()
  const defaultRetry = useQueryClient().getDefaultOptions().queries?.retry
  const { initialData, ...queryOptions } = options
  let key: string
  try {
    key = client.normalizePath(path)
  } catch {
    // The query function reports the invalid path as its error; nothing is sent.
    key = path
  }
  // Cached statuses are shared by every user of the query client: whose lock it is, is decided when read.
  const userId = client.knownUserId
  const select = useCallback((lock: LockInfo) => lockSeenBy(lock, userId), [userId])
  const query = useQuery<LockInfo, LockError, LockInfo>({
    staleTime: 30_000,
    // An error that can never succeed (a bad path, a 403, a login that expired) is shown at once, not retried;
    // others as the app's defaults say.
    retry: (failureCount, error) => error.transient && retries(defaultRetry, failureCount, error),
    ...queryOptions,
    queryKey: lockKeys.status(client.apiPath, key),
    queryFn: async ({ signal }) => ({ ...(await client.getLock(path, { signal })), token: null }),
    ...(initialData === undefined ? {} : { initialData: () => toLockInfo(initialData) }),
    select,
  })
  return withLockFields(query)

  function toLockInfo(raw: unknown): LockInfo | undefined {
    try {
      return { ...client.parseLock(isLockInfo(raw) ? toAnswer(raw) : raw, undefined, key), token: null }
    } catch {
      // A malformed embedded lock is no reason to break the page: fetch it instead.
      return undefined
    }
  }
}
