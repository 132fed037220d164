'use client'
import { useQuery } from '@tanstack/react-query'
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
    // The fields added below read `data`; without this, only changes of `data` would re-render.
    notifyOnChangeProps: 'all',
    ...queryOptions,
    queryKey: lockKeys.status(client.apiPath, key),
    queryFn: async ({ signal }) => ({ ...(await client.getLock(path, { signal })), token: null }),
    ...(initialData === undefined ? {} : { initialData: () => toLockInfo(initialData) }),
    select,
  })
  const lock = query.data
  const isLocked = lock?.locked === true
  return {
    ...query,
    isLocked,
    isLockedByMe: isLocked && lock.isMine,
    isLockedByOther: isLocked && !lock.isMine,
    holder: isLocked ? lock.holder : null,
    since: isLocked ? lock.since : null,
    stealable: lock?.stealable ?? true,
  }

  function toLockInfo(raw: unknown): LockInfo | undefined {
    try {
      return { ...client.parseLock(isLockInfo(raw) ? toAnswer(raw) : raw, undefined, key), token: null }
    } catch {
      // A malformed embedded lock is no reason to break the page: fetch it instead.
      return undefined
    }
  }
}
