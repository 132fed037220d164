import { Link } from 'react-router'
import { useLockClient } from 'react-edit-lock'
import { config } from '../config'
import { contentErrorText, useContent } from '../content'
import { LockNote } from '../LockNote'
import { viewUrl } from '../paths'

/** The folder's items, each with who is editing it, following other people every few seconds. */
export function Component() {
  const client = useLockClient()
  const folder = useContent(config.folder)
  if (folder.isPending) return <p>Loading…</p>
  if (folder.isError) return <p role="alert">{contentErrorText(folder.error)}</p>
  const items = folder.data.items ?? []
  return (
    <section>
      <h1>{folder.data.title}</h1>
      <table className="listing">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Editing</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const path = client.normalizePath(item['@id'])
            return (
              <tr key={item['@id']}>
                <th scope="row">
                  <Link to={viewUrl(path)}>{item.title}</Link>
                </th>
                <td>
                  {/* The row's lock came with the listing: no lock request until the next refresh. */}
                  <LockNote path={path} initialLock={item.lock} refreshMs={config.listingRefreshMs} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {items.length === 0 && <p>This folder is empty.</p>}
    </section>
  )
}
