import { Link, useLocation } from 'react-router'
import { config } from '../config'
import { contentErrorText, useContent } from '../content'
import { LockNote } from '../LockNote'
import { editUrl, useContentPath } from '../paths'

/** One item, read-only, with who is editing it before anyone opens the form. */
export function Component() {
  const path = useContentPath()
  const content = useContent(path)
  const saved = (useLocation().state as { saved?: boolean } | null)?.saved === true
  if (content.isPending) return <p>Loading…</p>
  if (content.isError) return <p role="alert">{contentErrorText(content.error)}</p>
  const item = content.data
  return (
    <article className="view">
      <p>
        <Link to="/">All items</Link>
      </p>
      <h1>{item.title}</h1>
      {item.description && <p className="description">{item.description}</p>}
      <p className="lock-line">
        <LockNote key={path} path={path} initialLock={item.lock} refreshMs={config.listingRefreshMs} />
      </p>
      <p>
        <Link to={editUrl(path)} className="button">
          Edit
        </Link>
      </p>
      {saved && <p role="status">Your changes were saved.</p>}
    </article>
  )
}
