import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { createLockClient, LockProvider } from '../../src'
import type { DraftStorage, LockClientOptions, UseLockOptions } from '../../src'
import { EditForm } from './EditForm'
import { LockBadge } from './LockBadge'
import { loadErrorText } from './messages'
import { createMemoryStorage } from './memoryStorage'
import { useContent } from './useContent'

export interface EditorPanelProps {
  /** Whose screen this is, for the heading: "Alice". */
  label: string
  apiPath: string
  /** This user's JWT, or a function that returns it. */
  token: LockClientOptions['token']
  /** The content item shown and edited. */
  path: string
  /** Open the edit form at once rather than showing the item with an Edit button. Defaults to `false`. */
  startEditing?: boolean
  /** Passed to `useLock` in the form. */
  lockOptions?: UseLockOptions
  /** How often the item's lock badge asks who holds the lock, in ms, while the form is closed. */
  badgeRefetchInterval?: number
  /** Offer a "Reload page" button, which starts this screen's page over as a browser reload does. Defaults to `false`. */
  reloadable?: boolean
}

/**
 * One user's screen: a browser of their own, so a query client, lock client and `LockProvider` of their own. Shows
 * the item with its lock badge, or the edit form.
 */
export function EditorPanel({ label, reloadable = false, startEditing = false, ...page }: EditorPanelProps) {
  // What outlives a reload: the browser's storage, and the address (whether the edit form is open).
  const [drafts] = useState(createMemoryStorage)
  const [editing, setEditing] = useState(startEditing)
  const [loads, setLoads] = useState(0)

  return (
    <section className="panel" aria-label={`${label}'s screen`}>
      <h2>{label}&rsquo;s screen</h2>
      {reloadable && (
        <div className="buttons panel__browser">
          <button type="button" onClick={() => setLoads((count) => count + 1)}>
            Reload page
          </button>
        </div>
      )}
      <EditorPage key={loads} {...page} drafts={drafts} editing={editing} setEditing={setEditing} />
    </section>
  )
}

interface EditorPageProps extends Omit<EditorPanelProps, 'label' | 'reloadable' | 'startEditing'> {
  drafts: DraftStorage
  editing: boolean
  setEditing: (editing: boolean) => void
}

/** One page load: a query client and lock client of its own, gone with a reload. */
function EditorPage({ apiPath, token, path, lockOptions, badgeRefetchInterval, drafts, editing, setEditing }: EditorPageProps) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false } } }))
  const [lockClient] = useState(() => createLockClient({ apiPath, token }))

  return (
    <QueryClientProvider client={queryClient}>
      <LockProvider client={lockClient}>
        {editing ? (
          <EditForm path={path} lockOptions={lockOptions} onClose={() => setEditing(false)} drafts={drafts} />
        ) : (
          <DocumentView path={path} badgeRefetchInterval={badgeRefetchInterval} onEdit={() => setEditing(true)} />
        )}
      </LockProvider>
    </QueryClientProvider>
  )
}

interface DocumentViewProps {
  path: string
  badgeRefetchInterval: number | undefined
  onEdit: () => void
}

function DocumentView({ path, badgeRefetchInterval, onEdit }: DocumentViewProps) {
  const content = useContent(path)
  return (
    <div className="document-view">
      {content.isPending && <p>Loading the document…</p>}
      {content.isError && <p role="alert">{loadErrorText(content.error)}</p>}
      {content.isSuccess && (
        <>
          <p className="document-title">{content.data.title}</p>
          <LockBadge
            path={path}
            options={{
              initialData: content.data.lock,
              ...(badgeRefetchInterval ? { refetchInterval: badgeRefetchInterval } : {}),
            }}
          />
        </>
      )}
      <div className="buttons">
        <button type="button" onClick={onEdit}>
          Edit
        </button>
      </div>
    </div>
  )
}
