'use client'
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { LeaseRegistry } from '../core/leaseRegistry'
import { LockObserver } from '../core/lockObserver'
import type { LeaseOptions } from '../core/leaseOptions'
import type { LockResult } from '../core/lockResult'
import { useLockContext } from './LockProvider'
import { ResultTracker } from './resultTracker'
import { tanstackEnvironment } from './tanstackEnvironment'

export interface UseLockOptions<TSelected = LockResult> extends LeaseOptions {
  /**
   * Picks what the component reads; it then re-renders only when that changes (compared shallowly). Without it,
   * the component re-renders only when a field it has read changes. Defaults to the whole result.
   */
  select?: (result: LockResult) => TSelected
}

/**
 * Takes the edit lock of `path` while the component is mounted, keeps it alive, notices when another user takes
 * it, and gives it back on `release()`, after a save through `useLockedSave`, on unmount and when the page goes
 * away. Every component using the same path shares one lock.
 *
 * @example
 * ```tsx
 * function EditForm({ path }: { path: string }) {
 *   const lock = useLock(path, { onLost: () => toast('Someone else is editing this now') })
 *   if (lock.isLockedByOther) return <p role="status">Locked by {lock.holder?.name}</p>
 *   return <form onInput={lock.touch}>...</form>
 * }
 * ```
 */
export function useLock(path: string, options?: UseLockOptions<LockResult>): LockResult
export function useLock<TSelected>(
  path: string,
  options: UseLockOptions<TSelected> & { select: (result: LockResult) => TSelected },
): TSelected
export function useLock<TSelected>(path: string, options: UseLockOptions<TSelected> = {}): TSelected | LockResult {
  const { client, leases } = useLockContext()
  const { select, ...observerOptions } = options
  const [observer] = useState(() => {
    leases.registry ??= new LeaseRegistry(client, { ...leases.options, environment: tanstackEnvironment() })
    return new LockObserver(leases.registry, path, observerOptions)
  })

  useEffect(() => {
    observer.setOptions(path, observerOptions)
  })

  // The result follows `path` in this very render, before the effect above moves the observer to it.
  const [tracker] = useState(() => new ResultTracker<TSelected>(() => observer.getRenderedResult()))
  tracker.beginRender()
  useEffect(() => tracker.endRender())

  const subscribe = useCallback(
    (onChange: () => void) => observer.subscribe(() => tracker.shouldNotify(observer.getRenderedResult()) && onChange()),
    [observer, tracker],
  )
  const getSnapshot = () => tracker.snapshot(observer.getOptimisticResult(path, observerOptions), select)
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot)
}
