import { useLockStatus } from '../../src'
import type { UseLockStatusOptions } from '../../src'
import { formatTime } from './formatTime'
import { LockIcon, PencilIcon, UnlockIcon } from './icons'

export interface LockBadgeProps {
  /** A content path or the item's `@id`. */
  path: string
  /** `initialData` (the `lock` a content GET or listing row carries), `refetchInterval` ... */
  options?: UseLockStatusOptions
}

/** Whether an item is locked and by whom, in words, for listings and view pages. */
export function LockBadge({ path, options }: LockBadgeProps) {
  const status = useLockStatus(path, options)
  if (status.isPending) return <span className="badge">Checking…</span>
  if (status.isError) return <span className="badge">Lock state unknown</span>
  if (status.isLockedByMe) {
    return (
      <span className="badge badge--mine">
        <PencilIcon /> Being edited by you
      </span>
    )
  }
  if (status.isLockedByOther) {
    return (
      <span className="badge badge--locked">
        <LockIcon /> Locked by {status.holder?.name} since {formatTime(status.since)}
      </span>
    )
  }
  return (
    <span className="badge badge--free">
      <UnlockIcon /> Not locked
    </span>
  )
}
