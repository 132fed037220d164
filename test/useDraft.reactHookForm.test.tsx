import { act, fireEvent, render, within } from '@testing-library/react'
import { useMemo } from 'react'
import { useForm } from 'react-hook-form'
import { describe, expect, it } from 'vitest'
import { saveWithLock, useDraft, useLock, useLockedSave } from '../src'
import type { DraftResult, DraftStorage, LockClient, LockResult } from '../src'
import { stored, toServer, useItem } from './draftForm'
import type { FormValues } from './draftForm'
import { MemoryStorage } from './memoryStorage'
import { clientFor, dialects, newQueryClient, Providers, setupFakeTimers, setupMsw, startSimulation, tick, uniquePath } from './utils'

const msw = setupMsw()

setupFakeTimers()

async function settle() {
  await tick(60)
  await tick(0)
}

/** The README's react-hook-form recipe, word for word but for the storage handed in. */
interface Seen {
  draft: DraftResult<FormValues>
  lock: LockResult
}

function EditForm({ path, storage, report }: { path: string; storage: DraftStorage; report: (seen: Seen) => void }) {
  const content = useItem(path)
  const lock = useLock(path)
  const server = useMemo(() => toServer(content.data), [content.data])
  // `values` fills the form once the item has loaded; `keepDirtyValues` keeps what was typed when it is fetched again.
  const form = useForm<FormValues>({ ...(server ? { values: server.values } : {}), resetOptions: { keepDirtyValues: true } })
  // watch() re-renders the form on every change and may return the same object, changed: useDraft compares contents.
  // eslint-disable-next-line react-hooks/incompatible-library -- this component is left to re-render, as watch() wants
  const draft = useDraft(path, form.watch(), {
    server,
    lock,
    storage,
    reload: async () => toServer((await content.refetch({ throwOnError: true })).data),
  })
  const save = useLockedSave<unknown, FormValues>(path, { onSuccess: () => content.refetch() })
  report({ draft, lock })
  const { offer } = draft
  return (
    <form onSubmit={(event) => void form.handleSubmit((values) => save.mutate(values))(event)}>
      {offer && (
        <p>
          Unsaved changes from {offer.savedAt.toISOString()}
          {offer.changedSince && ' (the item has changed since)'}
          <button type="button" onClick={() => form.reset(offer.restore(), { keepDefaultValues: true })}>
            Restore
          </button>
          <button type="button" onClick={offer.discard}>
            Discard
          </button>
        </p>
      )}
      {draft.changedOnServer && <p role="alert">Someone saved this item since you began.</p>}
      <input aria-label="Title" readOnly={lock.readOnly} {...form.register('title')} />
      <button type="submit" disabled={!lock.canSave || draft.checking || draft.changedOnServer}>
        Save
      </button>
    </form>
  )
}

function open(client: LockClient, path: string, storage: DraftStorage) {
  const seen: { current: Seen | null } = { current: null }
  const view = render(
    <Providers client={client} queryClient={newQueryClient()}>
      <EditForm path={path} storage={storage} report={(next) => (seen.current = next)} />
    </Providers>,
  )
  const page = within(view.container)
  return {
    ...view,
    ...page,
    draft: () => seen.current?.draft,
    lock: () => seen.current?.lock,
    title: () => page.getByLabelText<HTMLInputElement>('Title'),
    type: (text: string) => fireEvent.input(page.getByLabelText('Title'), { target: { value: text } }),
  }
}

describe.each(dialects)('the react-hook-form recipe (%s)', (dialect) => {
  it('typing is kept, offered back after a reload, restored into the form, and saved; the draft then goes', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const first = open(alice, path, storage)
    await settle()
    expect(first.title().value).toBe('Report')
    first.type('Report, with figures')
    await tick(1_000)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Report, with figures' })
    first.unmount()
    await tick(3_000)

    const again = open(alice, path, storage)
    await settle()
    expect(again.title().value).toBe('Report')
    expect(again.getByText(/Unsaved changes from/).textContent).not.toContain('changed since')
    fireEvent.click(again.getByRole('button', { name: 'Restore' }))
    await tick(0)
    expect(again.title().value).toBe('Report, with figures')
    expect(again.draft()?.offer).toBeNull()
    fireEvent.click(again.getByRole('button', { name: 'Save' }))
    await settle()
    expect(server.getContent(path)?.title).toBe('Report, with figures')
    expect(stored(storage, alice, path)).toBeNull()
    await tick(5_000)
    expect(stored(storage, alice, path)).toBeNull()
  })

  it('another user’s save while the lock was lost: the typed text stays, and the form says the item changed', async () => {
    const server = startSimulation(msw, dialect)
    const path = uniquePath()
    server.setContent(path, { title: 'Report' })
    const storage = new MemoryStorage()
    const alice = clientFor(server, 'alice')
    const form = open(alice, path, storage)
    await settle()
    form.type('Alice’s report')
    await tick(1_000)
    server.setLock(path, { user: 'bob' })
    await tick(30_000)
    const bob = clientFor(server, 'bob')
    await saveWithLock(bob, path, { title: 'Bob’s report' }, { token: server.getLock(path)?.token ?? null })
    server.setLock(path, null)
    expect(form.lock()?.status).toBe('lost')

    await act(async () => {
      await form.lock()?.acquire()
    })
    await settle()
    expect(form.lock()?.status).toBe('held')
    expect(form.title().value).toBe('Alice’s report')
    expect(form.draft()).toMatchObject({ checking: false, changedOnServer: true })
    expect(form.getByRole('alert').textContent).toBe('Someone saved this item since you began.')
    expect(form.getByRole('button', { name: 'Save' }).hasAttribute('disabled')).toBe(true)
    expect(stored(storage, alice, path)?.values).toEqual({ title: 'Alice’s report' })
  })
})
