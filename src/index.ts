export { createLockClient, LockClient } from './core/lockClient'
export { acquireLock, refreshLock, releaseLock, saveWithLock } from './core/lockWrites'
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
export { LockProvider, useLockClient } from './react/LockProvider'
export type { LockProviderProps } from './react/LockProvider'
export { lockKeys } from './react/lockKeys'
export { useLock } from './react/useLock'
export type { UseLockOptions } from './react/useLock'
export { useLockStatus } from './react/useLockStatus'
export type { UseLockStatusOptions, UseLockStatusResult } from './react/useLockStatus'
export { useLockedSave } from './react/useLockedSave'
export type { SaveContext, UseLockedSaveOptions } from './react/useLockedSave'
export { DraftError, isDraftError } from './core/DraftError'
export type { DraftErrorCode } from './core/DraftError'
export { clearDrafts, DEFAULT_DRAFT_MAX_AGE, draftStorageKey } from './core/draftStore'
export type { ClearDraftsOptions, DraftKey, DraftRecord, DraftStorage } from './core/draftStore'
export { DraftKeeper } from './core/draftKeeper'
export type { DraftEnvironment, DraftInput, DraftOffer, DraftOptions, DraftResult, DraftServerState } from './core/draftKeeper'
export { useDraft } from './react/useDraft'
export type { UseDraftOptions } from './react/useDraft'
