import { useEffect, useId, useMemo, useState } from 'react'
import { useDraft, useLock, useLockedSave } from '../../src'
import type { DraftServerState, DraftStorage, LockError, UseLockOptions } from '../../src'
import { DraftNotice } from './DraftNotice'
import { LockBanner } from './LockBanner'
import { loadErrorText, lockErrorText, messages } from './messages'
import { useContent } from './useContent'
import type { ContentItem } from './useContent'

export interface EditFormProps {
  /** The content item to edit. */
  path: string
  /** Passed to `useLock`: `lockTimeout`, `checkInterval`, `stealable` ... */
  lockOptions?: UseLockOptions
  /** Offers a Close button once there is nothing left to do here (the lock is someone else's, or was given back). */
  onClose?: () => void
  /** Where unsaved changes are kept. Defaults to `localStorage`. */
  drafts?: DraftStorage
}

/** The item in the form's shape, with the version both servers send (`modified`). */
function toServer(item: ContentItem | undefined): DraftServerState<{ title: string }> | undefined {
  return item && { values: { title: item.title }, version: item.modified ?? null }
}

function saveErrorText(error: LockError): string {
  return error.transient ? messages.saveRetryLater : lockErrorText(messages.saveFailed, error)
}

/** A save refused because the lock was not ours says nothing about a lock held since. */
const refusedWithoutLock = (error: LockError | null) => error?.code === 'not-held' || error?.code === 'locked'

/**
 * An edit form that holds the item's lock while it is open. Read-only while someone else holds the lock or after
 * ours was lost, keeping whatever was typed; Save is off unless the lock is ours and the server is reachable.
 */
export function EditForm({ path, lockOptions, onClose, drafts }: EditFormProps) {
  const bannerId = useId()
  const content = useContent(path)
  const lock = useLock(path, lockOptions)
  const [outcome, setOutcome] = useState<'saved' | 'cancelled' | null>(null)
  const save = useLockedSave<unknown, { title: string }>(path, {
    onSuccess: async () => {
      setOutcome('saved')
      await content.refetch()
    },
  })
  // What the user typed; `null` shows the title as loaded.
  const [draft, setDraft] = useState<string | null>(null)
  const title = draft ?? content.data?.title ?? ''
  const server = useMemo(() => toServer(content.data), [content.data])
  // Kept while the lock is held, offered back when the form opens again, gone after a save or a cancel.
  const backup = useDraft(path, { title }, {
    server,
    lock,
    reload: async () => toServer((await content.refetch({ throwOnError: true })).data),
    ...(drafts ? { storage: drafts } : {}),
  })

  const { status } = lock
  // Once the lock is taken back, an old "Not saved: you do not hold the lock" would contradict "You are editing".
  const staleSaveError = status === 'held' && refusedWithoutLock(save.error)
  const { reset } = save
  useEffect(() => {
    if (staleSaveError) reset()
  }, [staleSaveError, reset])
  // After another user's lock went away (`idle`) the text on screen may be older than what they saved; after our
  // own release there is no lock to save with.
  const readOnly = lock.readOnly || status === 'idle' || status === 'released'
  const connectionProblem = lock.error?.transient === true
  // Not over a version this form has not shown: after the lock was taken back, until the item is checked again, and
  // once someone else's save is known, until the editor chose.
  const staleBase = backup.checking || backup.changedOnServer
  const canSave = lock.canSave && !connectionProblem && content.isSuccess && !save.isPending && !staleBase
  const canCancel = status === 'acquiring' || status === 'held' || status === 'unavailable' || status === 'error'

  const editAgain = async () => {
    save.reset()
    setOutcome(null)
    setDraft(null)
    await content.refetch()
    await lock.acquire()
  }

  const cancel = async () => {
    await lock.release()
    backup.discard()
    setDraft(null)
    setOutcome('cancelled')
  }

  return (
    <form
      className="edit-form"
      aria-label={`Edit ${content.data?.title ?? path}`}
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate({ title })
      }}
      onKeyDown={(event) => {
        // The shortcut saves whatever state the button is in: useLockedSave refuses, sending nothing, when the lock
        // is not ours.
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
          event.preventDefault()
          save.mutate({ title })
        }
      }}
    >
      <LockBanner lock={lock} id={bannerId} onReload={() => void editAgain()} kept={backup.storedAt !== null} />
      <DraftNotice draft={backup} onRestore={(values) => setDraft(values.title)} onShowSaved={() => setDraft(null)} />
      {content.isPending && <p>Loading the document…</p>}
      {content.isError && <p role="alert">{loadErrorText(content.error)}</p>}
      <label className="field">
        <span>Title</span>
        <input
          value={title}
          readOnly={readOnly}
          onChange={(event) => {
            setDraft(event.target.value)
            lock.touch()
          }}
        />
      </label>
      <div className="buttons">
        <button type="submit" disabled={!canSave} aria-describedby={bannerId} aria-keyshortcuts="Control+S Meta+S">
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        {canCancel && (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
        {status === 'released' && (
          <button type="button" onClick={() => void editAgain()}>
            Edit again
          </button>
        )}
        {!canCancel && onClose && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      <p role="status" className="form-notice">
        {outcome === 'saved' && 'Saved.'}
        {outcome === 'cancelled' && 'Cancelled; your changes were discarded.'}
      </p>
      <p role="alert" className="form-error">
        {save.error && !staleSaveError && saveErrorText(save.error)}
      </p>
    </form>
  )
}
