import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link, useBlocker, useNavigate } from 'react-router'
import { useDraft, useLock, useLockClient, useLockedSave } from 'react-edit-lock'
import type { DraftResult, LockError, LockResult } from 'react-edit-lock'
import { config } from '../config'
import { contentErrorText, contentKey, useContent } from '../content'
import type { ContentItem } from '../content'
import { clock, useContentPath, viewUrl } from '../paths'

interface Fields {
  title: string
  description: string
}

/** The item in the form's shape, with the version a draft is compared against. */
function serverState(item: ContentItem) {
  return { values: { title: item.title, description: item.description ?? '' }, version: item.modified ?? null }
}

/** The edit form of one item; a new path is a new form, with its own lock and draft. */
export function Component() {
  const path = useContentPath()
  return <EditForm key={path} path={path} />
}

function EditForm({ path }: { path: string }) {
  const client = useLockClient()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const content = useContent(path)
  const lock = useLock(path, { checkInterval: config.checkMs, touchInterval: config.touchMs })
  // What the person typed; `null` shows the item as loaded.
  const [draft, setDraft] = useState<Fields | null>(null)
  const loaded: Fields | null = content.data
    ? { title: content.data.title, description: content.data.description ?? '' }
    : null
  const values = draft ?? loaded ?? { title: '', description: '' }
  const dirty = draft !== null && loaded !== null && (draft.title !== loaded.title || draft.description !== loaded.description)
  // A copy of the typed text in this browser, offered back if the tab closes or the lock goes before a save.
  const backup = useDraft(path, values, {
    server: content.data && serverState(content.data),
    lock,
    // A failed fetch must throw, not pass for an unchanged item.
    reload: async () => {
      const { data } = await content.refetch({ throwOnError: true })
      return data && serverState(data)
    },
  })

  // Read by the router when it is about to navigate; a successful save clears it before leaving.
  const unsaved = useRef(false)
  useEffect(() => {
    unsaved.current = dirty
  }, [dirty])
  const blocker = useBlocker(({ currentLocation, nextLocation }) => unsaved.current && currentLocation.pathname !== nextLocation.pathname)

  const save = useLockedSave<unknown, Fields>(path, {
    onSuccess: async () => {
      unsaved.current = false
      await queryClient.invalidateQueries({ queryKey: contentKey(client.apiPath, path) })
      await navigate(viewUrl(path), { state: { saved: true } })
    },
  })

  const edit = (change: Partial<Fields>) => {
    setDraft({ ...values, ...change })
    save.reset()
    // Someone who took the item over is noticed while this person types, not when they save.
    lock.touch()
  }

  const reloadAndEdit = async () => {
    setDraft(null)
    save.reset()
    await content.refetch()
    await lock.acquire()
  }

  const readOnly = lock.readOnly || lock.status === 'acquiring' || !content.isSuccess
  // Save stays available after the lock was lost, so that pressing it says why nothing was sent.
  const canPressSave =
    content.isSuccess && !save.isPending && !backup.checking && !backup.changedOnServer && (lock.canSave || lock.status === 'lost')

  return (
    <form
      className="edit"
      aria-label={`Edit ${loaded?.title ?? path}`}
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate(values)
      }}
    >
      <p>
        <Link to={viewUrl(path)}>Back to the item</Link>
      </p>
      <EditBanner lock={lock} kept={backup.storedAt !== null} onReload={() => void reloadAndEdit()} />
      <BackupNotice backup={backup} onRestore={(restored) => setDraft(restored)} onLoadServer={() => setDraft(null)} />
      {content.isError && <p role="alert">{contentErrorText(content.error)}</p>}
      <label className="field">
        <span>Title</span>
        <input value={values.title} readOnly={readOnly} onChange={(event) => edit({ title: event.target.value })} />
      </label>
      <label className="field">
        <span>Summary</span>
        <textarea
          value={values.description}
          readOnly={readOnly}
          rows={4}
          onChange={(event) => edit({ description: event.target.value })}
        />
      </label>
      <div className="buttons">
        <button type="submit" disabled={!canPressSave}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={() => void navigate(viewUrl(path))}>
          Cancel
        </button>
      </div>
      <p role="alert" className="error">
        {save.error && saveErrorText(save.error, lock)}
      </p>
      {blocker.state === 'blocked' && (
        <div role="alertdialog" aria-modal="true" aria-labelledby="leave-title" className="dialog">
          <p id="leave-title">Leave without saving? Your changes to this item will be lost.</p>
          <button type="button" onClick={() => blocker.reset()}>
            Stay
          </button>
          <button
            type="button"
            onClick={() => {
              // Leaving is the answer to "lose your changes?": the backup goes too.
              backup.discard()
              blocker.proceed()
            }}
          >
            Leave
          </button>
        </div>
      )}
    </form>
  )
}

/** A draft left from before, or a change on the server since the text on screen began. */
function BackupNotice({
  backup,
  onRestore,
  onLoadServer,
}: {
  backup: DraftResult<Fields>
  onRestore: (values: Fields) => void
  onLoadServer: () => void
}) {
  const { offer } = backup
  if (offer) {
    return (
      <div role="status" className="banner">
        {`You have changes to this item from ${clock(offer.savedAt)} that were not saved`}
        {offer.changedSince ? ', and someone has saved it since. ' : '. '}
        <button type="button" onClick={() => onRestore(offer.restore())}>
          Restore my changes
        </button>{' '}
        <button type="button" onClick={offer.discard}>
          Discard them
        </button>
      </div>
    )
  }
  if (backup.checking) {
    return (
      <div role="status" className="banner">
        Checking whether the item changed while you were away…
      </div>
    )
  }
  if (backup.changedOnServer) {
    return (
      <div role="alert" className="banner warn">
        Someone saved this item after you began. Saving now would overwrite their changes.{' '}
        <button type="button" onClick={onLoadServer}>
          Load their version
        </button>{' '}
        <button type="button" onClick={backup.rebase}>
          Keep mine
        </button>
      </div>
    )
  }
  return null
}

/** Why a save did not happen, in this admin's words. */
function saveErrorText(error: LockError, lock: LockResult): string {
  const other = lock.holder && !lock.holder.isMe ? lock.holder.name : 'Someone else'
  switch (error.code) {
    case 'not-held':
      return `Not saved: ${lock.status === 'lost' ? `${other} has this item now, so` : 'you are not editing this item, so'} nothing was sent. Your text is still here.`
    case 'locked':
      return `Not saved: ${other} is editing this item. Your text is still here.`
    case 'unauthorized':
      return 'Not saved: your login has ended. Copy your text, then log in again.'
    case 'forbidden':
      return 'Not saved: you may not change this item.'
    case 'network':
    case 'timeout':
      return 'Not saved: the site cannot be reached. Your text is still here; try again in a moment.'
    default:
      return `Not saved: the site refused the change (${error.status ?? error.code}). Your text is still here.`
  }
}

/** The one line above the form that says whether this person may edit, and what to do if not. */
function EditBanner({ lock, kept, onReload }: { lock: LockResult; kept: boolean; onReload: () => void }) {
  const name = lock.holder?.name ?? 'Someone'
  switch (lock.status) {
    case 'idle':
    case 'acquiring':
      return lock.lock?.locked === false && lock.status === 'idle' ? (
        <div role="status" className="banner">
          {`The other editor has finished. Load the latest version to edit it. `}
          <button type="button" onClick={onReload}>
            Load and edit
          </button>
        </div>
      ) : (
        <div role="status" className="banner">
          Opening the item for editing…
        </div>
      )
    case 'held':
      return (
        <div role="status" className="banner ok">
          You are editing this item. Others see it as being edited by you.
          {lock.error && ' The site is not answering at the moment; your edit is kept while it retries.'}
        </div>
      )
    case 'unavailable':
      return (
        <div role="status" className="banner">
          This site does not lock this item: others may edit it at the same time.
        </div>
      )
    case 'locked':
      if (lock.holder?.where === 'other-tab') {
        return (
          <div role="status" className="banner">
            You are editing this item in another tab; this one is read-only.{' '}
            <button type="button" onClick={() => void lock.takeOver()}>
              Edit here instead
            </button>
          </div>
        )
      }
      return (
        <div role="status" className="banner warn">
          {`${name} is editing this item${lock.since ? ` since ${clock(lock.since)}` : ''}. You can read it, not change it. `}
          {lock.canTakeOver && (
            <button type="button" onClick={() => void lock.takeOver()}>
              Take over
            </button>
          )}
          {lock.error?.code === 'not-allowed' &&
            `This site does not let anyone take over another person's edit: ask ${name} to finish, or wait until they close it.`}
        </div>
      )
    case 'lost':
      return (
        <div role="alert" className="banner warn">
          {lock.lostReason === 'taken-over'
            ? `${name} took over this item while you were editing.`
            : lock.lostReason === 'moved-to-another-tab'
              ? 'You moved this edit to another tab.'
              : 'Your editing time on this item ran out.'}{' '}
          {kept
            ? 'Your text is still here, read-only, and kept in this browser: open the item again later to get it back.'
            : 'Your text is still here, read-only: copy it before you leave.'}
        </div>
      )
    case 'released':
      return (
        <div role="status" className="banner">
          You stopped editing this item.
        </div>
      )
    case 'error':
      return (
        <div role="alert" className="banner warn">
          {lock.error?.code === 'unauthorized'
            ? 'Your login has ended: log in again to edit.'
            : lock.error?.code === 'forbidden'
              ? 'You may not edit this item.'
              : 'The item could not be opened for editing. '}
          <button type="button" onClick={() => void lock.acquire()}>
            Try again
          </button>
        </div>
      )
  }
}
