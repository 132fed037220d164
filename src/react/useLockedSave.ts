'use client'
import { useMutation } from '@tanstack/react-query'
import type { UseMutationOptions, UseMutationResult } from '@tanstack/react-query'
import type { LockError } from '../core/LockError'
import { saveWithLock } from '../core/lockWrites'
import { notifySaved } from '../core/savedSignal'
import { useLockContext } from './LockProvider'

export interface SaveContext {
  /** The lock token to send, or `null` when the server does not lock this item (or no lock is used). */
  token: string | null
  /** Request headers: authorization, and `Lock-Token` when there is a token. */
  headers: Record<string, string>
  /** The content path being saved. */
  path: string
}

export interface UseLockedSaveOptions<TData, TVariables, TContext>
  extends Omit<UseMutationOptions<TData, LockError, TVariables, TContext>, 'mutationFn'> {
  /**
   * Sends the save yourself. Throw a `LockError` with code `locked` when the server refuses because the item is
   * locked, so that the lock is marked lost. Defaults to a PATCH of the content with the `Lock-Token` header.
   */
  mutationFn?: (variables: TVariables, context: SaveContext) => Promise<TData>
  /** Give the lock back after a successful save. Defaults to `true`. */
  releaseOnSuccess?: boolean
}

/**
 * Saves content with the lock's token. While a `useLock` of the same path exists and does not hold the lock, a save
 * is refused with `LockError` code `not-held` and nothing is sent; while the lock is being taken, it waits. A save
 * the server refuses because the item is locked marks the lock lost. The variables stay in the mutation's state
 * after a failure, so the form's data is never dropped.
 *
 * @example
 * ```tsx
 * const save = useLockedSave<void, { title: string }>(path)
 * <button disabled={!lock.canSave || save.isPending} onClick={() => save.mutate({ title })}>Save</button>
 * ```
 */
export function useLockedSave<TData = unknown, TVariables = Record<string, unknown>, TContext = unknown>(
  path: string,
  options: UseLockedSaveOptions<TData, TVariables, TContext> = {},
): UseMutationResult<TData, LockError, TVariables, TContext> {
  const { client, leases } = useLockContext()
  const { mutationFn, releaseOnSuccess, ...mutationOptions } = options
  return useMutation<TData, LockError, TVariables, TContext>({
    ...mutationOptions,
    mutationFn: async (variables) => {
      const send = async (token: string | null): Promise<TData> => {
        if (!mutationFn) return (await saveWithLock(client, path, variables, { token })) as TData
        const headers = await client.headers()
        if (token) headers['Lock-Token'] = token
        return mutationFn(variables, { token, headers, path })
      }
      // A `useLock` that is moving to this path (it rendered it, its effect has not run yet) is waited for.
      const lease = leases.registry ? await leases.registry.leaseFor(path) : null
      const data = await (lease ? lease.save(send, { release: releaseOnSuccess !== false }) : send(null))
      // Saved: drafts of this content (useDraft) can go.
      notifySaved(client, path)
      return data
    },
  })
}
