import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link, useBlocker, useNavigate } from 'react-router'
import { useLock, useLockContext, useLockedSave } from 'react-edit-lock'
import type { LockError, LockResult } from 'react-edit-lock'
import { config } from '../config'
import { contentErrorText, contentKey, useContent } from '../content'
import { clock, useContentPath, viewUrl } from '../paths'

interface Fields {
  title: string
  description: string
}

/** The edit form of one item; a new path is a new form, with its own lock and draft. */
export function Component() {
  const path = useContentPath()
  return <EditForm key={path} path={path} />
}

function EditForm({ path }: { path: string }) {
  const { client } = useLockContext()
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
  const canPressSave = content.isSuccess && !save.isPending && (lock.canSave || lock.status === 'lost')

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
      <EditBanner lock={lock} onReload={() => void reloadAndEdit()} />
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
          <button type="button" onClick={() => blocker.proceed()}>
            Leave
          </button>
        </div>
      )}
    </form>
  )
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
function EditBanner({ lock, onReload }: { lock: LockResult; onReload: () => void }) {
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
          Your text is still here, read-only: copy it before you leave.
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
