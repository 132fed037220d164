export { createLockClient, LockClient } from './core/lockClient'
export type {
  AcquireOptions,
  LockClientOptions,
  ReleaseOptions,
  RequestOptions,
  SaveOptions,
} from './core/lockClient'
export { LockError, isLockError } from './core/LockError'
export type { LockErrorCode } from './core/LockError'
export type { AcquireResult, LockDialect, LockHolder, LockInfo, LockOptions, RefreshResult } from './core/types'
export { LockLease } from './core/lockLease'
export type { LeaseOptions, LeaseState, LeaseStatus, LostReason } from './core/lockLease'
export { LeaseRegistry } from './core/leaseRegistry'
export type { LeaseRegistryOptions } from './core/leaseRegistry'
export type { TabChannel, TabChannelFactory } from './core/tabHub'
export { LockObserver } from './core/lockObserver'
export type { LockObserverOptions, LockResult } from './core/lockObserver'
export { LockProvider, useLockContext } from './react/LockProvider'
export type { LeaseSlot, LockContextValue, LockProviderProps } from './react/LockProvider'
export { lockKeys } from './react/lockKeys'
export { useLock } from './react/useLock'
export type { UseLockOptions } from './react/useLock'
export { useLockStatus } from './react/useLockStatus'
export type { UseLockStatusOptions, UseLockStatusResult } from './react/useLockStatus'
export { useLockedSave } from './react/useLockedSave'
export type { SaveContext, UseLockedSaveOptions } from './react/useLockedSave'
