import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { createLockClient, LockProvider } from '../../src'
import type { LockClientOptions, UseLockOptions } from '../../src'
import { EditForm } from './EditForm'
import { LockBadge } from './LockBadge'
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
}

/**
 * One user's screen: a browser of their own, so a query client, lock client and `LockProvider` of their own. Shows
 * the item with its lock badge, or the edit form.
 */
export function EditorPanel({ label, apiPath, token, path, startEditing = false, lockOptions, badgeRefetchInterval }: EditorPanelProps) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false } } }))
  const [lockClient] = useState(() => createLockClient({ apiPath, token }))
  const [editing, setEditing] = useState(startEditing)

  return (
    <section className="panel" aria-label={`${label}'s screen`}>
      <h2>{label}&rsquo;s screen</h2>
      <QueryClientProvider client={queryClient}>
        <LockProvider client={lockClient}>
          {editing ? (
            <EditForm path={path} lockOptions={lockOptions} onClose={() => setEditing(false)} />
          ) : (
            <DocumentView path={path} badgeRefetchInterval={badgeRefetchInterval} onEdit={() => setEditing(true)} />
          )}
        </LockProvider>
      </QueryClientProvider>
    </section>
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
      {content.isError && <p role="alert">{content.error.message}</p>}
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
