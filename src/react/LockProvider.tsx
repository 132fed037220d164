'use client'
import { useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useState } from 'react'
import type { ReactNode } from 'react'
import type { LeaseRegistry, LeaseRegistryOptions } from '../core/leaseRegistry'
import type { LockClient } from '../core/lockClient'
import type { TabChannelFactory } from '../core/tabHub'
import { lockKeys } from './lockKeys'

/**
 * The leases of one provider. They are created by the first `useLock` below it, so that a screen that only shows
 * lock status does not bundle or run the lease machinery; they outlive a change of client (a renewed login).
 */
export interface LeaseSlot {
  registry: LeaseRegistry | null
  readonly options: LeaseRegistryOptions
}

export interface LockContextValue {
  client: LockClient
  /** The provider's leases: `registry` stays `null` until a `useLock` below the provider needs one. */
  leases: LeaseSlot
}

const LockContext = createContext<LockContextValue | null>(null)

export interface LockProviderProps {
  /**
   * The client from `createLockClient`, for one API and one user. A new client of the same API and user (a renewed
   * login) is used from the next request on; for another user or API, give the provider a new `key`. A `token`
   * function avoids new clients altogether.
   */
  client: LockClient
  /**
   * Coordinate this browser's tabs so that one person editing an item in two tabs edits it in one (the other is
   * read-only, "you, in another tab", and can take the edit over). `false` turns it off; a function supplies a
   * channel other than `BroadcastChannel`. Read once, when the provider mounts. Defaults to `true`.
   */
  tabs?: boolean | TabChannelFactory
  children?: ReactNode
}

/**
 * Makes a lock client available to the hooks below it. Place it inside `QueryClientProvider`: lock status is
 * cached in that query client, and the leases keep it up to date.
 *
 * @example
 * ```tsx
 * const client = createLockClient({ apiPath: 'https://site.example/++api++', token: () => session.jwt })
 * <QueryClientProvider client={queryClient}>
 *   <LockProvider client={client}><App /></LockProvider>
 * </QueryClientProvider>
 * ```
 */
export function LockProvider({ client, tabs, children }: LockProviderProps): ReactNode {
  const queryClient = useQueryClient()
  const [value, setValue] = useState<LockContextValue>(() => ({
    client,
    leases: {
      registry: null,
      options: {
        onLockChange: (path, lock) => queryClient.setQueryData(lockKeys.status(client.apiPath, path), lock),
        ...(tabs === undefined ? {} : { tabs }),
      },
    },
  }))
  if (value.client !== client) {
    // A renewed login: the leases carry on, sending their next requests with the new client.
    const next = { client, leases: value.leases }
    value.leases.registry?.setClient(client)
    setValue(next)
    return <LockContext.Provider value={next}>{children}</LockContext.Provider>
  }
  return <LockContext.Provider value={value}>{children}</LockContext.Provider>
}

/** The nearest `LockProvider`'s client and leases. */
export function useLockContext(): LockContextValue {
  const value = useContext(LockContext)
  if (!value) throw new Error(process.env.NODE_ENV !== 'production' ? 'react-edit-lock: wrap your components in <LockProvider client={...}>.' : 'react-edit-lock: no LockProvider')
  return value
}

/**
 * The lock client of the nearest `LockProvider`: for the app's own requests to the same API as the same user (the
 * content GET an edit form loads), with `client.url(path)` and `client.headers()`.
 *
 * @example
 * const client = useLockClient()
 * const item = useQuery({
 *   queryKey: ['content', client.apiPath, path],
 *   queryFn: async () => (await fetch(client.url(path), { headers: await client.headers() })).json(),
 * })
 */
export function useLockClient(): LockClient {
  return useLockContext().client
}
