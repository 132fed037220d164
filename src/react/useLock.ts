'use client'
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { LockObserver } from '../core/lockObserver'
import type { LockObserverOptions, LockResult } from '../core/lockObserver'
import { useLockContext } from './LockProvider'
import { shallowEqual } from './shallowEqual'

export interface UseLockOptions<TSelected = LockResult> extends LockObserverOptions {
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
  const { registry } = useLockContext()
  const { select, ...observerOptions } = options
  const [observer] = useState(() => new LockObserver(registry, path, observerOptions))

  useEffect(() => {
    observer.setOptions(path, observerOptions)
  })

  // Without `select`, remember which fields the component reads, and wake it only when one of those changes.
  const tracked = useRef(new Set<PropertyKey>())
  const rendered = useRef<{ result: LockResult; proxy: LockResult } | null>(null)
  const subscribe = useCallback(
    (onChange: () => void) =>
      observer.subscribe(() => {
        const last = rendered.current?.result
        const next = observer.getCurrentResult()
        if (!last || [...tracked.current].some((key) => !Object.is(last[key as keyof LockResult], next[key as keyof LockResult]))) {
          onChange()
        }
      }),
    [observer],
  )

  const selected = useRef<{ result: LockResult; value: unknown } | null>(null)
  const getSnapshot = (): TSelected | LockResult => {
    const result = observer.getCurrentResult()
    if (select) {
      const last = selected.current
      if (last && last.result === result) return last.value as TSelected
      const value = select(result)
      const keep = last && shallowEqual(last.value, value)
      selected.current = { result, value: keep ? last.value : value }
      return selected.current.value as TSelected
    }
    if (rendered.current?.result !== result) {
      const keys = tracked.current
      const proxy = new Proxy(result, {
        get(target, key, receiver) {
          keys.add(key)
          return Reflect.get(target, key, receiver)
        },
      })
      rendered.current = { result, proxy }
    }
    return rendered.current.proxy
  }
  return useSyncExternalStore(select ? observer.subscribe : subscribe, getSnapshot, getSnapshot)
}
