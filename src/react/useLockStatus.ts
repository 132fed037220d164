'use client'
import { useQuery } from '@tanstack/react-query'
import type { UseQueryOptions, UseQueryResult } from '@tanstack/react-query'
import type { LockError } from '../core/LockError'
import type { LockHolder, LockInfo } from '../core/types'
import { lockKeys } from './lockKeys'
import { useLockContext } from './LockProvider'

export interface UseLockStatusOptions
  extends Omit<UseQueryOptions<LockInfo, LockError, LockInfo>, 'queryKey' | 'queryFn' | 'initialData' | 'select'> {
  /**
   * The lock the page already has: the `lock` object of a content GET or a listing row (raw, as the server sent
   * it), or a `LockInfo`. With it, mounting sends no request until it is `staleTime` old.
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
  const query = useQuery<LockInfo, LockError, LockInfo>({
    staleTime: 30_000,
    // The fields added below read `data`; without this, only changes of `data` would re-render.
    notifyOnChangeProps: 'all',
    ...queryOptions,
    queryKey: lockKeys.status(client.apiPath, key),
    queryFn: async ({ signal }) => ({ ...(await client.getLock(path, { signal })), token: null }),
    ...(initialData === undefined ? {} : { initialData: () => toLockInfo(initialData) }),
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
    if (isLockInfo(raw)) return { ...raw, token: null }
    try {
      return { ...client.parseLock(raw, undefined, key), token: null }
    } catch {
      // A malformed embedded lock is no reason to break the page: fetch it instead.
      return undefined
    }
  }
}
