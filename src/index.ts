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
export type { LeaseState, LeaseStatus, LostReason } from './core/leaseMachine'
export type { LeaseOptions } from './core/leaseOptions'
export type { LockResult } from './core/lockResult'
export type { TabChannel, TabChannelFactory } from './core/tabHub'
export { LockProvider } from './react/LockProvider'
export type { LockProviderProps } from './react/LockProvider'
export { lockKeys } from './react/lockKeys'
export { useLock } from './react/useLock'
export type { UseLockOptions } from './react/useLock'
export { useLockStatus } from './react/useLockStatus'
export type { UseLockStatusOptions, UseLockStatusResult } from './react/useLockStatus'
export { useLockedSave } from './react/useLockedSave'
export type { SaveContext, UseLockedSaveOptions } from './react/useLockedSave'
