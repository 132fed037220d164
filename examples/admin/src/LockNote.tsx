import { useLockStatus } from 'react-edit-lock'
import { clock } from './paths'

export interface LockNoteProps {
  /** The item's path or `@id`. */
  path: string
  /** The `lock` the listing or content GET carried, if any: shown without a request. */
  initialLock?: unknown
  /** How often to ask again, to follow other people. */
  refreshMs: number
}

/** Who is editing an item, in a word: for listing rows and the view page. Only status: no lock is taken here. */
export function LockNote({ path, initialLock, refreshMs }: LockNoteProps) {
  const status = useLockStatus(path, { initialData: initialLock, refetchInterval: refreshMs })
  if (status.isLockedByOther) {
    const since = clock(status.since)
    return (
      <span className="badge locked">
        {status.holder?.name ?? 'Someone'} is editing{since ? ` since ${since}` : ''}
      </span>
    )
  }
  if (status.isLockedByMe) return <span className="badge mine">You are editing</span>
  if (status.isError) return <span className="badge unknown">Editing status unknown</span>
  if (status.isPending) return <span className="badge unknown">…</span>
  return <span className="badge free">Free to edit</span>
}
