import { useQuery } from '@tanstack/react-query'
import { fireEvent, render, within } from '@testing-library/react'
import { useMemo, useState } from 'react'
import { draftStorageKey, useDraft, useLock, useLockContext, useLockedSave } from '../src'
import type { DraftRecord, DraftResult, DraftServerState, DraftStorage, LockClient, LockResult, UseDraftOptions, UseLockOptions } from '../src'
import type { LockProviderProps } from '../src'
import { newQueryClient, Providers } from './utils'

/** The fields of a content GET the forms below read. */
export interface Item {
  title: string
  modified: string
}

export interface FormValues {
  title: string
}

/** The content GET, as an app would make it. */
export function useItem(path: string) {
  const { client } = useLockContext()
  return useQuery({
    queryKey: ['content', client.apiPath, path],
    queryFn: async ({ signal }) => {
      const response = await fetch(client.url(path), { headers: await client.headers(), signal })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      return (await response.json()) as Item
    },
  })
}

/** The item in the form's shape, with the version both servers send: `modified`. */
export function toServer(item: Item | undefined): DraftServerState<FormValues> | undefined {
  return item && { values: { title: item.title }, version: item.modified }
}

/** What the last render of a {@link DraftForm} returned, for assertions. */
export interface Seen {
  lock: LockResult
  draft: DraftResult<FormValues>
  save: ReturnType<typeof useLockedSave<unknown, FormValues>>
  /** `draft.checking` at every render, in order. */
  checking: boolean[]
}

export interface DraftFormProps {
  path: string
  /** Where drafts are kept; `localStorage` when left out. */
  storage?: DraftStorage
  /** Called at every render with what the hooks returned. */
  report: (seen: Omit<Seen, 'checking'>) => void
  lockOptions?: UseLockOptions
  draftOptions?: Partial<UseDraftOptions<FormValues>>
}

/** A plain `useState` edit form with a draft, as the README's first recipe has it. */
export function DraftForm({ path, storage, report, lockOptions, draftOptions }: DraftFormProps) {
  const content = useItem(path)
  const lock = useLock(path, lockOptions)
  const [title, setTitle] = useState<string | null>(null)
  const server = useMemo(() => toServer(content.data), [content.data])
  const values = { title: title ?? server?.values.title ?? '' }
  const draft = useDraft(path, values, {
    server,
    lock,
    ...(storage ? { storage } : {}),
    reload: async () => toServer((await content.refetch({ throwOnError: true })).data),
    ...draftOptions,
  })
  const save = useLockedSave<unknown, FormValues>(path, { onSuccess: () => content.refetch() })
  report({ lock, draft, save })
  const { offer } = draft
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate(values)
      }}
    >
      <input aria-label="Title" value={values.title} readOnly={lock.readOnly} onChange={(event) => setTitle(event.target.value)} />
      {offer && (
        <div role="group" aria-label="Draft">
          {offer.values.title}
          <button type="button" onClick={() => setTitle(offer.restore().title)}>
            Restore
          </button>
          <button type="button" onClick={offer.discard}>
            Discard
          </button>
        </div>
      )}
      <button type="submit" disabled={!lock.canSave || draft.checking || draft.changedOnServer}>
        Save
      </button>
    </form>
  )
}

/** Opens the form as `client`'s user in a page of its own (its own query client); `unmount` closes the page. */
export function openForm(client: LockClient, props: Omit<DraftFormProps, 'report'>, tabs: LockProviderProps['tabs'] = false) {
  const seen: { current: Seen | null } = { current: null }
  const report = (next: Omit<Seen, 'checking'>) => {
    seen.current = { ...next, checking: [...(seen.current?.checking ?? []), next.draft.checking] }
  }
  const view = render(
    <Providers client={client} queryClient={newQueryClient()} tabs={tabs}>
      <DraftForm {...props} report={report} />
    </Providers>,
  )
  // Queries within this page only: two pages may be open side by side.
  const page = within(view.container)
  const current = (): Seen => {
    if (!seen.current) throw new Error('the form has not rendered')
    return seen.current
  }
  return {
    ...view,
    ...page,
    get seen() {
      return current()
    },
    title: () => page.getByLabelText<HTMLInputElement>('Title'),
    type: (text: string) => fireEvent.change(page.getByLabelText('Title'), { target: { value: text } }),
  }
}

/** The draft `client`'s user keeps for `path` in `storage`, as stored. */
export function stored(storage: DraftStorage, client: LockClient, path: string, userId = client.knownUserId ?? ''): DraftRecord<FormValues> | null {
  const text = storage.getItem(draftStorageKey({ apiPath: client.apiPath, userId, path }))
  return text === null ? null : (JSON.parse(text) as DraftRecord<FormValues>)
}
